// "Start a round now" (POST /api/tasks/{task_id}/rounds): one round outside the schedule's slots, keyed
// 'manual:<id>', written by the cron's own batch (round-batch.ts createRounds), so it obeys the same
// guards: it lands only while the schedule is as read and fewer rounds are open than the policy
// allows. It leaves next_run_at alone: the next scheduled round still comes at its slot.
import { eq, sql } from "drizzle-orm";
import type { RecurringConfig } from "../../contract/api/recurring";
import { decideManualRound, roundCapacity } from "../domain/rounds";
import { checkTaskOpen } from "../domain/task-lifecycle";
import { text } from "../i18n";
import { languageOfStoredSetting } from "../i18n/request-language";
import { conflict, notFound } from "../lib/errors";
import type { Db } from "./client";
import { createRounds } from "./round-batch";
import { planRound } from "./round-plan";
import { type CountedRoundRow, findRound } from "./rounds";
import { setting } from "./schema";
import { taskRound, taskSchedule } from "./schema-recurring";
import { getTask } from "./tasks";

/** Starts a round of `taskId`'s schedule now; 404/409 (nothing written) when the schedule cannot take one. */
export async function startRoundNow(db: Db, taskId: string, now: string): Promise<CountedRoundRow> {
  const current = await getTask(db, taskId);
  checkTaskOpen(current.status, taskId);
  // The cron gives a task in planning no rounds either: they start once the plan is active.
  if (current.status === "planning") throw conflict("task_not_started", text("roundTaskNotStarted"));
  const [[found], [language]] = await db.batch([
    db
      .select({
        schedule: taskSchedule,
        openRounds: sql<number>`(select count(*) from ${taskRound} r where r.task_id = ${taskSchedule}.task_id and r.status = 'open')`,
      })
      .from(taskSchedule)
      .where(eq(taskSchedule.taskId, taskId))
      .limit(1),
    // The stored JSON text, as the cron reads it (languageOfStoredSetting parses it).
    db.select({ value: sql<string>`value` }).from(setting).where(eq(setting.key, "project.language")).limit(1),
  ]);
  if (!found) throw notFound("schedule_not_found", text("scheduleNotFound", { task_id: taskId }));
  const { schedule, openRounds } = found;
  if (schedule.status === "ended") throw conflict("illegal_transition", text("scheduleAlreadyEnded"));
  const config = schedule.config as RecurringConfig;
  const { policy } = config;
  // The cron ends a schedule past its end date at its next due slot; no round may start after it.
  if (policy.ends_at !== null && Date.parse(policy.ends_at) < Date.parse(now))
    throw conflict("schedule_no_run_left", text("scheduleNoRunLeft"));
  const decision = decideManualRound(
    { policy, roundsCreated: schedule.roundsCreated, openRounds },
    new Date(now),
    crypto.randomUUID(),
  );
  if ("refused" in decision) {
    if (decision.refused === "max_rounds") throw conflict("schedule_no_run_left", text("scheduleNoRunLeft"));
    const max = roundCapacity(policy);
    throw conflict("round_limit", text("roundLimitReached", { open: openRounds, max, taskId }));
  }
  const plan = planRound({
    taskId,
    taskName: current.name,
    config,
    scheduleVersion: schedule.updatedAt,
    expected: null,
    openRounds,
    decision,
    language: languageOfStoredSetting(language?.value),
  });
  const written = await createRounds(db, [plan], now);
  const roundId = written.rounds[0]?.id;
  // Nothing landed: the schedule changed, the task closed or another round opened since the read.
  if (!roundId) throw conflict("concurrent_change", text("scheduleChanged"));
  const round = await findRound(db, roundId);
  if (!round) throw conflict("concurrent_change", text("scheduleChanged"));
  return round;
}
