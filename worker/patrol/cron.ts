import { getDb } from "../db/client";
import { emptyUsage, meteredD1 } from "../db/metered";
import type { Env } from "../env";
import { type HubSignal, publishLive } from "../lib/live";
import { dispatchNotifications } from "../notify/dispatch";
import { housekeeping } from "./housekeeping";
import { type PatrolReport, runPatrol } from "./run";

/**
 * The Cron Trigger: each step runs even if an earlier one failed; failures are reported at the end.
 * One JSON log line per run says what it did and what it cost in D1 (Workers logs keep it).
 */
export async function onCron(env: Env, scheduledTime: number): Promise<void> {
  const started = Date.now();
  const usage = emptyUsage();
  const db = getDb(meteredD1(env.DB, usage));
  const now = new Date(scheduledTime).toISOString();
  const results: Record<string, unknown> = {};
  const steps: [string, () => Promise<unknown>][] = [
    ["patrol", () => runPatrol(env, db, now, usage)],
    // After patrol, so this run's alerts go out in the same run.
    ["notifications", () => dispatchNotifications(db, new Date(scheduledTime))],
    ["housekeeping", () => housekeeping(db, now)],
  ];
  const failed: string[] = [];
  for (const [name, step] of steps) {
    try {
      results[name] = (await step()) ?? "ok";
    } catch (err) {
      console.error(`cron step ${name} failed`, (err as Error).message);
      failed.push(name);
    }
  }
  console.log(JSON.stringify({ cron: now, ms: Date.now() - started, d1: usage, ...results, failed }));
  // Open dashboards refetch only when the patrol changed something they show (never throws).
  await publishLive(env, patrolSignals(results.patrol as PatrolReport | undefined));
  if (failed.length > 0) throw new Error(`cron steps failed: ${failed.join(", ")}`);
}

/** What a patrol run changed, as live-push topics (docs/live.md). */
export function patrolSignals(report: PatrolReport | undefined): HubSignal[] {
  if (!report) return [];
  const signals: HubSignal[] = [];
  // Records opened (each with an activity log), refreshed or resolved.
  if (report.opened + report.refreshed + report.resolved > 0) signals.push("patrol");
  if (report.opened > 0) signals.push("logs");
  if (report.blocked > 0) signals.push("sub_tasks", "tasks");
  return signals;
}
