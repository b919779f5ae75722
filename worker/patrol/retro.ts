// The cron step that asks the ScheduledJobs Durable Object for a retrospective when a period is due
// (docs/retrospectives.md).
import type { Db } from "../db/client";
import type { Usage } from "../db/metered";
import type { Env } from "../env";

export async function runRetroStep(_env: Env, _db: Db, _now: string, _usage: Usage): Promise<unknown> {
  return "idle";
}
