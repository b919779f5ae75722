// Task-level writes that touch many sub-tasks at once, each as one atomic batch.
import { eq, notInArray, type SQL, sql } from "drizzle-orm";
import { type Actor, CLOSED_TASK_STATUSES } from "../domain/model";
import { checkTaskCancellable } from "../domain/task-lifecycle";
import { conflict, notFound } from "../lib/errors";
import { atomicWrite, type Db } from "./client";
import { subTask, subTaskEvent, task } from "./schema";

export type TaskRow = typeof task.$inferSelect;

export async function getTask(db: Db, id: string): Promise<TaskRow> {
  const [row] = await db.select().from(task).where(eq(task.id, id)).limit(1);
  if (!row) throw notFound("task_not_found", `task ${id} does not exist`);
  return row;
}

const OPEN = sql`('done', 'cancelled')`;

/** True inside a write batch while the task is not completed, archived or cancelled. */
export const taskIsOpen = (taskId: string): SQL =>
  sql`exists (select 1 from ${task} where ${task.id} = ${taskId} and ${notInArray(task.status, [...CLOSED_TASK_STATUSES])})`;

/**
 * Cancels a task and every open sub-task under it in one batch. A sub-task transition already in
 * flight in its Durable Object then fails its revision guard, so nothing slips past the cancel.
 */
export async function cancelTask(db: Db, id: string, actor: Actor, now: string): Promise<TaskRow> {
  const current = await getTask(db, id);
  checkTaskCancellable(current.status as never);
  const landed = sql`exists (select 1 from ${task} where ${task.id} = ${id} and ${task.status} = 'cancelled' and ${task.updatedAt} = ${now})`;
  const [updated] = await atomicWrite(db, [
    sql`update ${task} set status = 'cancelled', updated_at = ${now}
      where ${task.id} = ${id} and ${task.status} = ${current.status}`,
    sql`insert into ${subTaskEvent} (id, sub_task_id, op, from_status, to_status, actor_kind, actor_id, detail, created_at)
      select lower(hex(randomblob(16))), ${subTask.id}, 'cancel', ${subTask.status}, 'cancelled', ${actor.kind}, ${actor.id}, 'task cancelled', ${now}
      from ${subTask} where ${subTask.taskId} = ${id} and ${subTask.status} not in ${OPEN} and ${landed}`,
    sql`update ${subTask} set status = 'cancelled', current_session_id = null, updated_at = ${now}, revision = lower(hex(randomblob(16)))
      where ${subTask.taskId} = ${id} and ${subTask.status} not in ${OPEN} and ${landed}`,
  ]);
  if (updated?.meta.changes !== 1) throw conflict("concurrent_change", "the task changed while this request ran; retry");
  return { ...current, status: "cancelled", updatedAt: now };
}
