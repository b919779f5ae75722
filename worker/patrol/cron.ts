import { getDb } from "../db/client";
import { emptyUsage, meteredD1, meteredFetch, ownQueries, type Usage } from "../db/metered";
import type { Env } from "../env";
import { type HubSignal, publishLive } from "../lib/live";
import { DISPATCH_READS, type DispatchLimits, dispatchNotifications, QUERIES_PER_DELIVERY } from "../notify/dispatch";
import { sweepFiles } from "./file-sweep";
import { HOUSEKEEPING_QUERIES, housekeeping } from "./housekeeping";
import { type RecurringReport, runRecurring } from "./recurring";
import { runRetroStep } from "./retro";
import { type PatrolReport, runPatrol } from "./run";
import { backfillSearch } from "./search-backfill";

/**
 * What one run may spend: the Free plan allows 50 D1 queries and 50 subrequests per invocation; we
 * keep 5 of each spare. The patrol is capped first (run.ts: at most PATROL_READS + PATROL_WRITE_STATEMENTS
 * = 4 + 11 statements and MAX_BLOCKS_PER_RUN = 36 Durable Object calls), then recurring rounds
 * (recurring.ts: RECURRING_STATEMENTS = 1 read + 9 batch statements, 1 when nothing is due, no
 * subrequest) and retrospectives (retro.ts: one settings read and at most one Durable Object call,
 * whose queries are its own invocation's); housekeeping is fixed (HOUSEKEEPING_QUERIES = 10) and the
 * live notice at the end is one call. Notification dispatch runs after them and gets what is actually
 * left (dispatchLimits), at worst 45 - 15 - 10 - 1 - 10 = 9 statements (its 4 reads, 1 of fan-out, 2
 * deliveries) and 45 - 36 - 1 - 1 = 7 subrequests. test/cron-budget.test.ts checks it.
 */
export const CRON_BUDGET = { queries: 45, subrequests: 45 } as const;
/** Outbox events' fan-out statements per run, at most (a third of what dispatch gets, below). */
const MAX_FAN_OUT_STATEMENTS = 10;

export interface CronRun {
  cron: string;
  ms: number;
  /** D1 statements and rows, Durable Object calls and subrequests of the whole run (`d1` for the benchmark's reader). */
  d1: Usage;
  failed: string[];
  [step: string]: unknown;
}

/** The Cron Trigger (the scheduled handler returns nothing). */
export async function onCron(env: Env, scheduledTime: number): Promise<void> {
  await runCron(env, scheduledTime);
}

/**
 * One cron run: each step runs even if an earlier one failed; failures are reported at the end.
 * One JSON log line per run says what it did and what it cost (Workers logs keep it).
 */
export async function runCron(env: Env, scheduledTime: number, fetcher: typeof fetch = fetch): Promise<CronRun> {
  const started = Date.now();
  const usage = emptyUsage();
  const db = getDb(meteredD1(env.DB, usage));
  const now = new Date(scheduledTime).toISOString();
  const results: Record<string, unknown> = {};
  const steps: [string, () => Promise<unknown>][] = [
    ["patrol", () => runPatrol(env, db, now, usage)],
    ["recurring", () => runRecurring(db, now, usage)],
    ["retro", () => runRetroStep(env, db, now, usage)],
    // After patrol, rounds and retrospectives, so the events they queue go out in the same run.
    [
      "notifications",
      () => dispatchNotifications(db, new Date(scheduledTime), meteredFetch(fetcher, usage), dispatchLimits(usage)),
    ],
    // Chores that can wait a minute take only what the run has left, keeping housekeeping's share.
    ["files", () => sweepFiles(env, db, now, leftover(usage), usage)],
    ["search", () => backfillSearch(db, leftover(usage))],
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
  // Open dashboards refetch only when the patrol or the rounds changed something they show (one
  // notice for both; never throws).
  const signals = new Set([
    ...patrolSignals(results.patrol as PatrolReport | undefined),
    ...recurringSignals(results.recurring as RecurringReport | undefined),
  ]);
  await publishLive(env, [...signals], usage);
  const run: CronRun = { cron: now, ms: Date.now() - started, d1: usage, ...results, failed };
  console.log(JSON.stringify(run));
  if (failed.length > 0) throw new Error(`cron steps failed: ${failed.join(", ")}`);
  return run;
}

/**
 * What the run has left for notification dispatch after the patrol, rounds and retrospectives (their
 * actual cost is in `usage`), keeping room for housekeeping
 * and the live notice: a third of its statements for fan-out, the rest for deliveries (a fetch and
 * up to QUERIES_PER_DELIVERY statements each).
 */
export function dispatchLimits(usage: Usage): DispatchLimits {
  const queries = CRON_BUDGET.queries - ownQueries(usage) - HOUSEKEEPING_QUERIES - DISPATCH_READS;
  const subrequests = CRON_BUDGET.subrequests - usage.subrequests - 1;
  const fanOutStatements = Math.max(0, Math.min(MAX_FAN_OUT_STATEMENTS, Math.floor(queries / 3)));
  const deliveries = Math.max(
    0,
    Math.min(subrequests, Math.floor((queries - fanOutStatements) / QUERIES_PER_DELIVERY)),
  );
  return { deliveries, fanOutStatements };
}

/**
 * What the run has left for a deferrable chore, keeping housekeeping's statements and the live notice's call.
 * The file sweep (file-sweep.ts) spends 1 statement when idle and at most 1 + RELEASE_STATEMENTS + 1 = 5
 * statements and one R2 call (a subrequest) with work; what does not fit waits in its outbox.
 */
export function leftover(usage: Usage): { queries: number; subrequests: number } {
  return {
    queries: Math.max(0, CRON_BUDGET.queries - ownQueries(usage) - HOUSEKEEPING_QUERIES),
    subrequests: Math.max(0, CRON_BUDGET.subrequests - usage.subrequests - 1),
  };
}

/**
 * What the rounds step changed, as live-push topics: a created round adds sub-tasks, and any round or
 * schedule change moves a task page's schedule card and rounds table, which follow these two topics.
 */
export function recurringSignals(report: RecurringReport | undefined): HubSignal[] {
  if (!report || report.created + report.skipped + report.ended + report.completed === 0) return [];
  return ["sub_tasks", "tasks"];
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
