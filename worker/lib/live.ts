// Live push, the Worker's side: which dashboard topics a request changed, and the one way to tell
// the LiveHub Durable Object (worker/durable/live-hub.ts). A notice carries topic names only; the
// dashboards refetch what they show. See docs/live.md.
import { createMiddleware } from "hono/factory";
import { LIVE_TOPICS, type LiveTopic } from "../../contract/live";
import type { AppEnv } from "../app-types";
import { countDoCall, type Usage } from "../db/metered";
import type { Env } from "../env";
import { Coalescer } from "./coalesce";

/** A topic, or "sessions": not sent to browsers, it makes the hub re-check the admin sessions it holds sockets for. */
export type HubSignal = LiveTopic | "sessions";
export const HUB_SIGNALS: readonly HubSignal[] = [...LIVE_TOPICS, "sessions"];

/** The one hub instance. */
export const HUB_NAME = "live";
/** The hub's stub, for exactly one call: with `usage`, that call is counted as a subrequest. */
export const liveHub = (env: Env, usage?: Usage) => {
  countDoCall(usage);
  return env.LIVE.get(env.LIVE.idFromName(HUB_NAME));
};

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** A successful mutation the table below does not know about may have changed anything. */
const EVERYTHING: HubSignal[] = ["tasks", "sub_tasks", "logs", "scores", "patrol", "agents", "settings"];

/** `METHOD /path` of a successful mutation → what it changed. First match wins. */
const RULES: [RegExp, HubSignal[]][] = [
  // Nothing a dashboard shows (sessions and secrets are re-checked, never broadcast).
  [/^POST \/api\/admin\/login$/, []],
  [/^POST \/api\/admin\/logout$/, ["sessions"]],
  [/^PUT \/api\/admin\/config\/password$/, ["sessions"]],
  [/^POST \/api\/admin\/(notifications\/test|registration-token\/rotate)$/, []],
  [/^[A-Z]+ \/api\/admin\/prompts(\/|$)/, []],
  [/^[A-Z]+ \/api\/rules(\/|$)/, []],
  [/^PUT \/api\/admin\/config$/, ["settings"]],
  [/^POST \/api\/setup\//, ["settings"]],
  // Transitions settle or start their task and write score changes; reviews too.
  [/^[A-Z]+ \/api\/(admin\/)?sub-tasks(\/|$)/, ["sub_tasks", "tasks", "scores"]],
  [/^POST \/api\/review-records$/, ["sub_tasks", "tasks", "scores"]],
  // Cancelling or deleting a task takes its sub-tasks with it.
  [/^[A-Z]+ \/api\/(admin\/)?tasks(\/|$)/, ["tasks", "sub_tasks"]],
  [/^POST \/api\/logs$/, ["logs"]],
  [/^POST \/api\/(admin\/)?scores\/adjust$/, ["scores", "agents"]],
  [/^[A-Z]+ \/api\/(admin\/patrol-records|patrol\/records)(\/|$)/, ["patrol"]],
  // Deleting an agent releases its sub-tasks and reverses its scores.
  [/^[A-Z]+ \/api\/admin\/agents(\/|$)/, ["agents", "sub_tasks", "scores"]],
  [/^[A-Z]+ \/api\/agents(\/|$)/, ["agents"]],
];

/**
 * What a finished `/api` request changed: the rules above for a successful (2xx) mutation, plus
 * `requests` for every agent call the request log records (everything but 401/403, GETs included).
 */
export function topicsFor(method: string, path: string, status: number, agentCall: boolean): HubSignal[] {
  const out = new Set<HubSignal>();
  if (agentCall && status !== 401 && status !== 403) out.add("requests");
  if (MUTATING.has(method) && status >= 200 && status < 300) {
    const key = `${method} ${path}`;
    for (const t of RULES.find(([re]) => re.test(key))?.[1] ?? EVERYTHING) out.add(t);
  }
  return [...out];
}

/** Sends signals to the hub now. A failure is logged and swallowed: live push is best effort. */
export async function publishLive(env: Env, signals: readonly HubSignal[], usage?: Usage): Promise<void> {
  if (signals.length === 0) return;
  try {
    await liveHub(env, usage).publish([...signals]);
  } catch (err) {
    console.error("live publish failed", (err as Error).message);
  }
}

// Per isolate, requests share one outgoing notice per SEND_GAP_MS (lib/coalesce.ts). With hundreds
// of agents this keeps the hub's RPC rate per isolate bounded; the hub coalesces again for the browsers.
const SEND_GAP_MS = 200;
const outgoing = new Coalescer<HubSignal>(SEND_GAP_MS);

/**
 * Queues signals for the hub; the send runs in `waitUntil`, never delaying a response. The request
 * that starts a batch makes its one hub call, counted in its `usage` (post-response work counts
 * against the invocation too); requests that join a batch make none.
 */
export function queueLive(
  env: Env,
  waitUntil: (p: Promise<unknown>) => void,
  signals: readonly HubSignal[],
  usage?: Usage,
): void {
  outgoing.add(signals, waitUntil, (batch) => publishLive(env, [...new Set(batch)], usage));
}

/** After every `/api` request: tell the hub what the request changed (registered in app.ts). */
export const livePublish = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  try {
    const signals = topicsFor(c.req.method, c.req.path, c.res.status, c.get("agent") !== undefined);
    if (signals.length > 0) queueLive(c.env, (p) => c.executionCtx.waitUntil(p), signals, c.get("usage"));
  } catch (err) {
    // Never turn a finished response into an error (e.g. an app.request() without an ExecutionContext).
    console.error("live publish skipped", (err as Error).message);
  }
});
