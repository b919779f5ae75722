// D1 tables of recurring tasks (ours; upstream only reserved `recurring_config`): a task's schedule and
// the rounds it created. docs/recurring.md explains the model.
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { RoundSkipReason, RoundStatus, ScheduleEndReason, ScheduleStatus } from "../../contract/vocabulary";

/** One per recurring task: when its next round is due, and the template each round is made from. */
export const taskSchedule = sqliteTable(
  "task_schedule",
  {
    taskId: text("task_id").primaryKey(),
    status: text("status").$type<ScheduleStatus>().notNull().default("active"),
    // The task's recurring_config (contract/api/recurring.ts), validated on every write.
    config: text("config", { mode: "json" }).notNull(),
    // The next slot (UTC ISO); null unless active. The cron reads only rows due by this index.
    nextRunAt: text("next_run_at"),
    // Rounds created so far: the next round is number roundsCreated + 1.
    roundsCreated: integer("rounds_created").notNull().default(0),
    lastRoundAt: text("last_round_at"),
    endedReason: text("ended_reason").$type<ScheduleEndReason>(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("ix_task_schedule_due").on(t.nextRunAt).where(sql`status = 'active'`)],
);

/** A slot of a schedule: created once per (task, round key), numbered, or skipped by the policy. */
export const taskRound = sqliteTable(
  "task_round",
  {
    id: text("id").primaryKey(),
    taskId: text("task_id").notNull(),
    // 1, 2, 3… for created rounds; null for a skipped slot (skips take no number).
    roundNo: integer("round_no"),
    // The slot ('YYYY-MM-DDTHH:MMZ') or 'manual:<id>' for a round started by hand.
    roundKey: text("round_key").notNull(),
    scheduledFor: text("scheduled_for").notNull(),
    status: text("status").$type<RoundStatus>().notNull(),
    skipReason: text("skip_reason").$type<RoundSkipReason>(),
    // Slots a late cron passed over before this one (they get no round of their own).
    missed: integer("missed").notNull().default(0),
    createdAt: text("created_at").notNull(),
    completedAt: text("completed_at"),
  },
  (t) => [
    // Exactly one round per slot, however often or late the cron fires.
    uniqueIndex("ux_task_round_key").on(t.taskId, t.roundKey),
    uniqueIndex("ux_task_round_no").on(t.taskId, t.roundNo),
    index("ix_task_round_task_status").on(t.taskId, t.status, t.scheduledFor),
  ],
);
