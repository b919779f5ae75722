// Tasks: reading them, and the task-level writes, each as one atomic batch (deleting a task is in
// task-deletion.ts). Each write takes `alongside`: statements (an admin's audit row) put first in the
// batch under the write's own precondition, so they land exactly when it does.
import { and, count, desc, eq, notInArray, type SQL, sql } from "drizzle-orm";
import {
  type Actor,
  CLOSED_TASK_STATUSES,
  type TaskStatus,
  type TaskType,
  TERMINAL_SUB_TASK_STATUSES,
} from "../../contract/vocabulary";
import { idHint } from "../domain/hints";
import {
  checkTaskCancellable,
  checkTaskEditable,
  checkTaskOpen,
  checkTaskStatusChange,
  needsNoOpenWork,
  type SettableTaskStatus,
} from "../domain/task-lifecycle";
import { text } from "../i18n";
import { conflict, notFound } from "../lib/errors";
import type { Envelope, PageRequest } from "../lib/pagination";
import { atomicWrite, type Db, guardedInsert } from "./client";
import { selectPage } from "./page";
import { subTask, subTaskEvent, task } from "./schema";
import { taskRound, taskSchedule } from "./schema-recurring";

export type TaskRow = typeof task.$inferSelect;

export async function getTask(db: Db, id: string): Promise<TaskRow> {
  const [row] = await db.select().from(task).where(eq(task.id, id)).limit(1);
  if (!row) throw notFound("task_not_found", text("taskNotFound", { id }), idHint("task", id));
  return row;
}

/** One page of tasks, optionally of one status, newest first, each shaped by `toItem`. */
export function listTasks<Item>(
  db: Db,
  status: TaskStatus | undefined,
  page: PageRequest,
  toItem: (row: TaskRow) => Item,
): Promise<Envelope<Item>> {
  const where = status ? eq(task.status, status) : undefined;
  return selectPage(db, task, where, [desc(task.createdAt), desc(task.id)], page, toItem);
}

/** Sub-task states in which an agent holds the work (or a review of it is due). */
export const HELD_SUB_TASK_STATUSES = ["assigned", "in_progress", "review", "rework", "blocked"] as const;

/** A sub-task still in play: not done or cancelled (the domain's terminal statuses). */
export const subTaskIsOpen: SQL = notInArray(subTask.status, [...TERMINAL_SUB_TASK_STATUSES]);

/** True inside a write batch while the task exists and `condition` holds on its row. */
export const taskWhere = (id: string, condition: SQL): SQL =>
  sql`exists (select 1 from ${task} where ${task.id} = ${id} and ${condition})`;

/** True inside a write batch while the task is not completed, archived or cancelled. */
export const taskIsOpen = (taskId: string): SQL =>
  taskWhere(taskId, notInArray(task.status, [...CLOSED_TASK_STATUSES]));

/**
 * Closing a task (cancel, complete, archive) ends its schedule in the same batch, under `landed`: the
 * cron then finds no active schedule, so no round can start in a closed task. Restarting the task does
 * not resume it (the planner sets a schedule again). An already ended schedule keeps its reason.
 */
const endScheduleSql = (taskId: string, now: string, landed: SQL): SQL =>
  sql`update ${taskSchedule} set status = 'ended', ended_reason = 'task_closed', next_run_at = null, updated_at = ${now}
    where ${taskSchedule.taskId} = ${taskId} and ${taskSchedule.status} <> 'ended' and ${landed}`;

/** Statements to run first in a write's batch, guarded by the write's own precondition (e.g. an audit row). */
export type Alongside = (guard: SQL) => SQL[];
const none: Alongside = () => [];

/**
 * Cancels a task and every open sub-task under it in one batch, with its open rounds and its schedule.
 * A sub-task transition already in flight in its Durable Object then fails its revision guard, so
 * nothing slips past the cancel.
 */
export async function cancelTask(
  db: Db,
  id: string,
  actor: Actor,
  now: string,
  alongside: Alongside = none,
): Promise<TaskRow> {
  const current = await getTask(db, id);
  checkTaskCancellable(current.status);
  const pre = taskWhere(id, sql`${task.status} = ${current.status}`);
  const landed = sql`exists (select 1 from ${task} where ${task.id} = ${id} and ${task.status} = 'cancelled' and ${task.updatedAt} = ${now})`;
  const extra = alongside(pre);
  const results = await atomicWrite(db, [
    ...extra,
    sql`update ${task} set status = 'cancelled', updated_at = ${now}
      where ${task.id} = ${id} and ${task.status} = ${current.status}`,
    sql`insert into ${subTaskEvent} (id, sub_task_id, op, from_status, to_status, actor_kind, actor_id, detail, created_at)
      select lower(hex(randomblob(16))), ${subTask.id}, 'cancel', ${subTask.status}, 'cancelled', ${actor.kind}, ${actor.id}, 'task cancelled', ${now}
      from ${subTask} where ${subTask.taskId} = ${id} and ${subTaskIsOpen} and ${landed}`,
    sql`update ${subTask} set status = 'cancelled', current_session_id = null, updated_at = ${now}, revision = lower(hex(randomblob(16)))
      where ${subTask.taskId} = ${id} and ${subTaskIsOpen} and ${landed}`,
    sql`update ${taskRound} set status = 'cancelled', completed_at = ${now}
      where ${taskRound.taskId} = ${id} and ${taskRound.status} = 'open' and ${landed}`,
    endScheduleSql(id, now, landed),
  ]);
  if (results[extra.length]?.meta.changes !== 1) throw conflict("concurrent_change", text("taskChanged"));
  return { ...current, status: "cancelled", updatedAt: now };
}

export interface NewTask {
  name: string;
  description: string;
  type: TaskType;
  status: "planning" | "active";
  workspace: string;
}

export async function createTask(
  db: Db,
  input: NewTask,
  now: string,
  alongside: (guard: SQL, row: TaskRow) => SQL[] = () => [],
): Promise<TaskRow> {
  const row: TaskRow = { id: crypto.randomUUID(), ...input, createdAt: now, updatedAt: now };
  await atomicWrite(db, [...alongside(sql`1`, row), guardedInsert(task, row, sql`1`)]);
  return row;
}

/** The editable fields of a task; null and absent ones are left unchanged. */
export interface TaskChanges {
  name?: string | null;
  description?: string | null;
  workspace?: string | null;
}

/** The columns an edit sets: the fields given, and the time of the edit. */
const taskChanges = (changes: TaskChanges, now: string) => ({
  ...(changes.name != null ? { name: changes.name } : {}),
  ...(changes.description != null ? { description: changes.description } : {}),
  ...(changes.workspace != null ? { workspace: changes.workspace } : {}),
  updatedAt: now,
});

/**
 * The admin's edit: name, description and workspace, in any state but completed, archived and cancelled
 * (a planner may edit only while planning or active). Null and absent fields are left unchanged.
 */
export async function editTask(
  db: Db,
  id: string,
  changes: TaskChanges,
  now: string,
  alongside: Alongside = none,
): Promise<TaskRow> {
  const current = await getTask(db, id);
  checkTaskOpen(current.status, id);
  const set = taskChanges(changes, now);
  const stillOpen = notInArray(task.status, [...CLOSED_TASK_STATUSES]);
  const extra = alongside(taskWhere(id, stillOpen));
  const results = await atomicWrite(db, [
    ...extra,
    db
      .update(task)
      .set(set)
      .where(and(eq(task.id, id), stillOpen)),
  ]);
  if (results[extra.length]?.meta.changes !== 1) throw conflict("task_closed", text("taskClosedMeanwhile"));
  return { ...current, ...set };
}

/**
 * The planner's status change (completed/archived only with no open sub-task), conditional on the
 * status checked and, when closing, on no sub-task having opened since; closing ends the schedule.
 */
export async function setTaskStatus(db: Db, id: string, to: SettableTaskStatus, now: string): Promise<TaskRow> {
  const current = await getTask(db, id);
  const [open] = await db
    .select({ n: count() })
    .from(subTask)
    .where(and(eq(subTask.taskId, id), subTaskIsOpen));
  checkTaskStatusChange(current.status, to, open?.n ?? 0);
  const noneOpen = sql`not exists (select 1 from ${subTask} where ${subTask.taskId} = ${id} and ${subTaskIsOpen})`;
  const closing = needsNoOpenWork(to);
  const landed = taskWhere(id, sql`${task.status} = ${to} and ${task.updatedAt} = ${now}`);
  const [result] = await atomicWrite(db, [
    db
      .update(task)
      .set({ status: to, updatedAt: now })
      .where(and(eq(task.id, id), eq(task.status, current.status), closing ? noneOpen : undefined)),
    ...(closing ? [endScheduleSql(id, now, landed)] : []),
  ]);
  if (result?.meta.changes !== 1) throw conflict("concurrent_change", text("taskChanged"));
  return { ...current, status: to, updatedAt: now };
}

/**
 * The planner's edit: name, description and workspace while planning or active, conditional on the
 * status checked. Null and absent fields are left unchanged.
 */
export async function editTaskAsPlanner(db: Db, id: string, changes: TaskChanges, now: string): Promise<TaskRow> {
  const current = await getTask(db, id);
  checkTaskEditable(current.status);
  const set = taskChanges(changes, now);
  const result = await db
    .update(task)
    .set(set)
    .where(and(eq(task.id, id), eq(task.status, current.status)));
  if (result.meta.changes !== 1) throw conflict("concurrent_change", text("taskChanged"));
  return { ...current, ...set };
}

/**
 * cancelled → active. The sub-tasks the cancel closed stay cancelled; new ones can be added again. Its
 * schedule stays ended: rounds resume only when a planner sets a schedule again.
 */
export async function restartTask(db: Db, id: string, now: string, alongside: Alongside = none): Promise<TaskRow> {
  const current = await getTask(db, id);
  if (current.status !== "cancelled")
    throw conflict("illegal_transition", text("restartOnlyCancelled", { status: current.status }));
  const cancelled = sql`${task.status} = 'cancelled'`;
  const extra = alongside(taskWhere(id, cancelled));
  const results = await atomicWrite(db, [
    ...extra,
    sql`update ${task} set status = 'active', updated_at = ${now} where ${task.id} = ${id} and ${cancelled}`,
  ]);
  if (results[extra.length]?.meta.changes !== 1) throw conflict("concurrent_change", text("taskChanged"));
  return { ...current, status: "active", updatedAt: now };
}
