import type { LiveHub } from "./durable/live-hub";
import type { SubTaskCoordinator } from "./durable/sub-task-coordinator";

export interface Env {
  DB: D1Database;
  SUB_TASKS: DurableObjectNamespace<SubTaskCoordinator>;
  /** The one LiveHub (named "live"): the dashboards' WebSockets and their change notices. */
  LIVE: DurableObjectNamespace<LiveHub>;
  ASSETS: Fetcher;
  /** Secret required by POST /api/setup/initialize, so a fresh public URL cannot be claimed by a stranger. */
  SETUP_TOKEN?: string;
  /**
   * Secret mixed into admin password hashes (HMAC key), kept out of D1 so a leaked database cannot be
   * brute-forced. Unset: SETUP_TOKEN serves instead. Never change it: the stored hash needs the same value.
   */
  PASSWORD_PEPPER?: string;
  /** "off" leaves all notification delivery to the cron (the tests drive delivery themselves). */
  NOTIFY_INLINE?: string;
  /** Comma-separated browser origins allowed to call the API and /mcp besides the server's own (a dashboard on Pages). */
  CORS_ORIGINS?: string;
}
