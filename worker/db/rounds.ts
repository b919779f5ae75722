// Reads of a recurring task's rounds, each with how far its sub-tasks got (docs/recurring.md). The
// rounds themselves are written by the cron's batch (round-batch.ts) and settled with their sub-tasks
// (execute-transition.ts).
import { and, count, desc, eq, getTableColumns, type SQL, sql } from "drizzle-orm";
import type { RoundStatus } from "../../contract/vocabulary";
import { idHint } from "../domain/hints";
import { text } from "../i18n";
import { notFound } from "../lib/errors";
import { type Envelope, envelope, type PageRequest, pageWindow } from "../lib/pagination";
import type { Db } from "./client";
import { subTask, task } from "./schema";
import { taskRound } from "./schema-recurring";

/** A round with the counts of its sub-tasks (read through ix_sub_task_round). */
export type CountedRoundRow = typeof taskRound.$inferSelect & { total: number; done: number; open: number };

// Qualified by hand: drizzle leaves a column unqualified in a select list, and `round_id = id` inside
// the sub-select would then compare the sub-task's own columns.
const ofRound = (condition: SQL) =>
  sql<number>`(select count(*) from ${subTask} s where s.round_id = ${taskRound}.id and ${condition})`;

const counted = {
  ...getTableColumns(taskRound),
  total: ofRound(sql`1`).as("total"),
  done: ofRound(sql`s.status = 'done'`).as("done"),
  open: ofRound(sql`s.status not in ('done', 'cancelled')`).as("open"),
};

/**
 * One page of a task's rounds, newest slot first, optionally of one status; 404 for an unknown task.
 * Rows, total and the task's existence are one D1 batch (one round trip).
 */
export async function listRounds<Item>(
  db: Db,
  taskId: string,
  status: RoundStatus | undefined,
  page: PageRequest,
  toItem: (row: CountedRoundRow) => Item,
): Promise<Envelope<Item>> {
  const { limit, offset } = pageWindow(page);
  const where = and(eq(taskRound.taskId, taskId), status ? eq(taskRound.status, status) : undefined);
  const [rows, [total], [found]] = await db.batch([
    db
      .select(counted)
      .from(taskRound)
      .where(where)
      .orderBy(desc(taskRound.scheduledFor), desc(taskRound.createdAt), desc(taskRound.id))
      .limit(limit)
      .offset(offset),
    db.select({ n: count() }).from(taskRound).where(where),
    db.select({ id: task.id }).from(task).where(eq(task.id, taskId)).limit(1),
  ]);
  if (!found) throw notFound("task_not_found", text("taskNotFound", { id: taskId }), idHint("task", taskId));
  return envelope(rows.map(toItem), total?.n ?? 0, page);
}

/** One round with its counts; undefined when it does not exist. */
export async function findRound(db: Db, roundId: string): Promise<CountedRoundRow | undefined> {
  const [row] = await db.select(counted).from(taskRound).where(eq(taskRound.id, roundId)).limit(1);
  return row;
}
