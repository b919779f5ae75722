// The cron step that creates the rounds of recurring tasks that are due (docs/recurring.md). Its cost
// follows the schedules due, not all schedules: one indexed read (ix_task_schedule_due, rows read ≈
// rows due) and, only when something is due, one batch of ROUND_BATCH_STATEMENTS for up to
// MAX_ROUNDS_PER_RUN schedules. More than that wait for the next runs, oldest slot first.
import { sql } from "drizzle-orm";
import type { RecurringConfig } from "../../contract/api/recurring";
import type { TaskStatus } from "../../contract/vocabulary";
import type { Db } from "../db/client";
import { emptyUsage, type Usage } from "../db/metered";
import { createRounds, ROUND_BATCH_STATEMENTS, type RoundPlan } from "../db/round-batch";
import { planRound } from "../db/round-plan";
import { taskRound, taskSchedule } from "../db/schema-recurring";
import { decideSlot, type SlotDecision } from "../domain/rounds";
import { languageOfStoredSetting } from "../i18n/request-language";

/**
 * Schedules one run handles. Each costs a few slot computations (tens of µs) and ~2 KB of plan; 1,000
 * schedules due in the same minute take 20 runs. The batch's statement count does not depend on it.
 */
export const MAX_ROUNDS_PER_RUN = 50;
/** D1 statements of the step at worst: the read and the batch (1 when nothing is due). */
export const RECURRING_STATEMENTS = 1 + ROUND_BATCH_STATEMENTS;

export interface RecurringReport {
  /** Schedules whose slot had come (tasks in planning wait and are not counted). */
  due: number;
  created: number;
  skipped: number;
  ended: number;
  /** Tasks completed because their schedule ended with every round finished. */
  completed: number;
  /** Due schedules left for the next runs by MAX_ROUNDS_PER_RUN. */
  deferred: number;
  /** Stored configs the step could not read (logged; the schedule stays due). */
  unreadable: number;
  /** The step's own D1 cost (the benchmark compares it across numbers of schedules). */
  d1: Usage;
}

interface DueRow {
  taskId: string;
  taskName: string;
  taskStatus: TaskStatus;
  expected: string;
  version: string;
  roundsCreated: number;
  config: string;
  openRounds: number;
  language: string | null;
  due: number;
}

const CLOSED: TaskStatus[] = ["completed", "archived", "cancelled"];

export async function runRecurring(db: Db, now: string, usage: Usage = emptyUsage()): Promise<RecurringReport> {
  const before = { ...usage };
  // One statement: the due schedules (a range scan of the partial index), each with its open rounds
  // (index ix_task_round_task_status), the project's language and how many are due in all. Tasks still
  // in planning get no rounds yet: their first round is the latest slot after activation.
  const rows = await db.all<DueRow>(sql`
    select s.task_id as taskId, t.name as taskName, t.status as taskStatus, s.next_run_at as expected,
      s.updated_at as version, s.rounds_created as roundsCreated, s.config as config,
      (select count(*) from ${taskRound} r where r.task_id = s.task_id and r.status = 'open') as openRounds,
      (select value from setting where key = 'project.language') as language,
      (select count(*) from ${taskSchedule} d join task dt on dt.id = d.task_id
        where d.status = 'active' and d.next_run_at <= ${now} and dt.status <> 'planning') as due
    from ${taskSchedule} s join task t on t.id = s.task_id
    where s.status = 'active' and s.next_run_at <= ${now} and t.status <> 'planning'
    order by s.next_run_at, s.task_id
    limit ${MAX_ROUNDS_PER_RUN}`);
  const report: RecurringReport = {
    due: rows[0]?.due ?? 0,
    created: 0,
    skipped: 0,
    ended: 0,
    completed: 0,
    deferred: Math.max(0, (rows[0]?.due ?? 0) - rows.length),
    unreadable: 0,
    d1: emptyUsage(),
  };
  const plans: RoundPlan[] = [];
  for (const row of rows) {
    const plan = planFor(row, new Date(now));
    if (plan) plans.push(plan);
    else report.unreadable++;
  }
  const written = await createRounds(db, plans, now);
  report.created = written.rounds.filter((r) => r.status === "open").length;
  report.skipped = written.rounds.length - report.created;
  report.ended = written.ended;
  report.completed = written.completed;
  for (const key of Object.keys(usage) as (keyof Usage)[]) report.d1[key] = usage[key] - before[key];
  return report;
}

/** The plan for one due schedule, or null (logged) when its stored config cannot be read. */
function planFor(row: DueRow, now: Date): RoundPlan | null {
  let config: RecurringConfig;
  let decision: SlotDecision;
  try {
    config = JSON.parse(row.config) as RecurringConfig;
    // A schedule whose task was closed by a path that did not end it: end it now, no round.
    decision = CLOSED.includes(row.taskStatus)
      ? { round: null, next: null, ended: "task_closed" }
      : decideSlot(
          {
            schedule: config.schedule,
            policy: config.policy,
            expected: row.expected,
            roundsCreated: row.roundsCreated,
            openRounds: row.openRounds,
          },
          now,
        );
  } catch (err) {
    console.error(`recurring: schedule of task ${row.taskId} is unreadable`, (err as Error).message);
    return null;
  }
  return planRound({
    taskId: row.taskId,
    taskName: row.taskName,
    config,
    scheduleVersion: row.version,
    expected: row.expected,
    openRounds: row.openRounds,
    decision,
    language: languageOfStoredSetting(row.language),
  });
}
