import { getDb } from "../db/client";
import type { Env } from "../env";
import { dispatchNotifications } from "../notify/dispatch";
import { housekeeping } from "./housekeeping";
import { runPatrol } from "./run";

/** The Cron Trigger: each step runs even if an earlier one failed; failures are reported at the end. */
export async function onCron(env: Env, scheduledTime: number): Promise<void> {
  const db = getDb(env.DB);
  const now = new Date(scheduledTime).toISOString();
  const steps: [string, () => Promise<unknown>][] = [
    ["patrol", () => runPatrol(env, db, now)],
    // After patrol, so this run's alerts go out in the same run.
    ["notifications", () => dispatchNotifications(db, new Date(scheduledTime))],
    ["housekeeping", () => housekeeping(db, now)],
  ];
  const failed: string[] = [];
  for (const [name, step] of steps) {
    try {
      await step();
    } catch (err) {
      console.error(`cron step ${name} failed`, (err as Error).message);
      failed.push(name);
    }
  }
  if (failed.length > 0) throw new Error(`cron steps failed: ${failed.join(", ")}`);
}
