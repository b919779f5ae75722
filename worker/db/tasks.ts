// Task-level writes, each as one atomic batch. Each takes `alongside`: statements (an admin's audit
// row) put first in the batch under the write's own precondition, so they land exactly when it does.
import { and, count, desc, eq, inArray, notInArray, type SQL, sql } from "drizzle-orm";
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
import { badRequest, conflict, notFound } from "../lib/errors";
import type { Envelope, PageRequest } from "../lib/pagination";
import { atomicWrite, type Db, guardedInsert } from "./client";
import { selectPage } from "./page";
import {
  activityLog,
  agent,
  module,
  patrolRecord,
  reviewRecord,
  rewardLog,
  rule,
  subTask,
  subTaskDependency,
  subTaskEvent,
  task,
} from "./schema";

export type TaskRow = typeof task.$inferSelect;

export async function getTask(db: Db, id: string): Promise<TaskRow> {
  const [row] = await db.select().from(task).where(eq(task.id, id)).limit(1);
  if (!row) throw notFound("task_not_found", `task ${id} does not exist`, idHint("task", id));
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

/** A sub-task still in play: not done or cancelled (the domain's terminal statuses). */
export const subTaskIsOpen: SQL = notInArray(subTask.status, [...TERMINAL_SUB_TASK_STATUSES]);

/** True inside a write batch while the task is not completed, archived or cancelled. */
export const taskIsOpen = (taskId: string): SQL =>
  sql`exists (select 1 from ${task} where ${task.id} = ${taskId} and ${notInArray(task.status, [...CLOSED_TASK_STATUSES])})`;

/** Statements to run first in a write's batch, guarded by the write's own precondition (e.g. an audit row). */
export type Alongside = (guard: SQL) => SQL[];
const none: Alongside = () => [];

const taskWhere = (id: string, condition: SQL) =>
  sql`exists (select 1 from ${task} where ${task.id} = ${id} and ${condition})`;

/**
 * Cancels a task and every open sub-task under it in one batch. A sub-task transition already in
 * flight in its Durable Object then fails its revision guard, so nothing slips past the cancel.
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
  ]);
  if (results[extra.length]?.meta.changes !== 1)
    throw conflict("concurrent_change", "the task changed while this request ran; retry");
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

/**
 * The admin's edit: name, description and workspace, in any state but completed, archived and cancelled
 * (a planner may edit only while planning or active). Null and absent fields are left unchanged.
 */
export async function editTask(
  db: Db,
  id: string,
  changes: { name?: string | null; description?: string | null; workspace?: string | null },
  now: string,
  alongside: Alongside = none,
): Promise<TaskRow> {
  const current = await getTask(db, id);
  checkTaskOpen(current.status, id);
  const set = {
    ...(changes.name != null ? { name: changes.name } : {}),
    ...(changes.description != null ? { description: changes.description } : {}),
    ...(changes.workspace != null ? { workspace: changes.workspace } : {}),
    updatedAt: now,
  };
  const stillOpen = notInArray(task.status, [...CLOSED_TASK_STATUSES]);
  const extra = alongside(taskWhere(id, stillOpen));
  const results = await atomicWrite(db, [
    ...extra,
    db
      .update(task)
      .set(set)
      .where(and(eq(task.id, id), stillOpen)),
  ]);
  if (results[extra.length]?.meta.changes !== 1)
    throw conflict("task_closed", "the task was closed while this request ran");
  return { ...current, ...set };
}

/**
 * The planner's status change (completed/archived only with no open sub-task), conditional on the
 * status checked and, when closing, on no sub-task having opened since.
 */
export async function setTaskStatus(db: Db, id: string, to: SettableTaskStatus, now: string): Promise<TaskRow> {
  const current = await getTask(db, id);
  const [open] = await db
    .select({ n: count() })
    .from(subTask)
    .where(and(eq(subTask.taskId, id), subTaskIsOpen));
  checkTaskStatusChange(current.status, to, open?.n ?? 0);
  const noneOpen = sql`not exists (select 1 from ${subTask} where ${subTask.taskId} = ${id} and ${subTaskIsOpen})`;
  const result = await db
    .update(task)
    .set({ status: to, updatedAt: now })
    .where(and(eq(task.id, id), eq(task.status, current.status), needsNoOpenWork(to) ? noneOpen : undefined));
  if (result.meta.changes !== 1) throw conflict("concurrent_change", "the task changed while this request ran; retry");
  return { ...current, status: to, updatedAt: now };
}

/**
 * The planner's edit: name, description and workspace while planning or active, conditional on the
 * status checked. Null and absent fields are left unchanged.
 */
export async function editTaskAsPlanner(
  db: Db,
  id: string,
  changes: { name?: string | null; description?: string | null; workspace?: string | null },
  now: string,
): Promise<TaskRow> {
  const current = await getTask(db, id);
  checkTaskEditable(current.status);
  const set = {
    ...(changes.name != null ? { name: changes.name } : {}),
    ...(changes.description != null ? { description: changes.description } : {}),
    ...(changes.workspace != null ? { workspace: changes.workspace } : {}),
    updatedAt: now,
  };
  const result = await db
    .update(task)
    .set(set)
    .where(and(eq(task.id, id), eq(task.status, current.status)));
  if (result.meta.changes !== 1) throw conflict("concurrent_change", "the task changed while this request ran; retry");
  return { ...current, ...set };
}

/** cancelled → active. The sub-tasks the cancel closed stay cancelled; new ones can be added again. */
export async function restartTask(db: Db, id: string, now: string, alongside: Alongside = none): Promise<TaskRow> {
  const current = await getTask(db, id);
  if (current.status !== "cancelled")
    throw conflict("illegal_transition", `only a cancelled task can be restarted; it is ${current.status}`);
  const cancelled = sql`${task.status} = 'cancelled'`;
  const extra = alongside(taskWhere(id, cancelled));
  const results = await atomicWrite(db, [
    ...extra,
    sql`update ${task} set status = 'active', updated_at = ${now} where ${task.id} = ${id} and ${cancelled}`,
  ]);
  if (results[extra.length]?.meta.changes !== 1)
    throw conflict("concurrent_change", "the task changed while this request ran; retry");
  return { ...current, status: "active", updatedAt: now };
}

/** Sub-task states in which an agent holds the work (or a review of it is due). */
export const HELD_SUB_TASK_STATUSES = ["assigned", "in_progress", "review", "rework", "blocked"] as const;

export interface TaskDeletion {
  task: TaskRow;
  counts: Record<
    | "module"
    | "sub_task"
    | "sub_task_event"
    | "rule"
    | "activity_log"
    | "review_record"
    | "reward_log"
    | "patrol_record",
    number
  >;
  /** What each agent's total_score lost (or gained) with the ledger rows of the task's sub-tasks. */
  scoreReversals: { agent_id: string; score_delta: number }[];
}

/**
 * Deletes a task and everything that hangs off it in ONE batch: modules, sub-tasks, their events,
 * review records, ledger rows, activity logs (on its sub-tasks or naming the task), patrol records
 * and the task's rules. The ledger rows go and each agent's total_score is reduced by what they
 * added, in the same batch, so total_score stays the sum of the ledger. Refused (409) while any sub-task is held by an agent.
 */
export async function deleteTask(
  db: Db,
  id: string,
  confirmName: string,
  alongside: (guard: SQL, found: TaskDeletion) => SQL[] = () => [],
): Promise<TaskDeletion> {
  const current = await getTask(db, id);
  if (confirmName !== current.name) throw badRequest("confirm_mismatch", "confirm_name must equal the task's name");
  const subTasks = sql`(select ${subTask.id} from ${subTask} where ${subTask.taskId} = ${id})`;
  // Logs on its sub-tasks, and those naming the task alone (its closing delivery).
  const taskLogs = sql`(${activityLog.subTaskId} in ${subTasks} or ${activityLog.taskId} = ${id})`;
  const held = sql`exists (select 1 from ${subTask} where ${subTask.taskId} = ${id} and ${inArray(subTask.status, [...HELD_SUB_TASK_STATUSES])})`;
  const [[pre], reversals] = await Promise.all([
    db.all<TaskDeletion["counts"] & { held: number }>(sql`select
      (select count(*) from ${module} where ${module.taskId} = ${id}) as module,
      (select count(*) from ${subTask} where ${subTask.taskId} = ${id}) as sub_task,
      (select count(*) from ${subTaskEvent} where ${subTaskEvent.subTaskId} in ${subTasks}) as sub_task_event,
      (select count(*) from ${rule} where ${rule.taskId} = ${id} or ${rule.subTaskId} in ${subTasks}) as rule,
      (select count(*) from ${activityLog} where ${taskLogs}) as activity_log,
      (select count(*) from ${reviewRecord} where ${reviewRecord.subTaskId} in ${subTasks}) as review_record,
      (select count(*) from ${rewardLog} where ${rewardLog.subTaskId} in ${subTasks}) as reward_log,
      (select count(*) from ${patrolRecord} where ${patrolRecord.subTaskId} in ${subTasks}) as patrol_record,
      ${held} as held`),
    db.all<{
      agent_id: string;
      score_delta: number;
    }>(sql`select ${rewardLog.agentId} as agent_id, sum(${rewardLog.scoreDelta}) as score_delta
      from ${rewardLog} where ${rewardLog.subTaskId} in ${subTasks} group by ${rewardLog.agentId} order by agent_id`),
  ]);
  if (!pre) throw notFound("task_not_found", `task ${id} does not exist`);
  const { held: heldNow, ...counts } = pre;
  if (heldNow) {
    throw conflict(
      "sub_tasks_in_flight",
      "agents hold sub-tasks of this task (assigned, in progress, in review, rework or blocked); cancel the task first",
    );
  }
  // Every statement carries the same precondition, which the deletes before the last cannot change.
  const guard = sql`${taskWhere(id, sql`${task.name} = ${confirmName}`)} and not ${held}`;
  const found: TaskDeletion = {
    task: current,
    counts,
    scoreReversals: reversals.map((r) => ({ agent_id: r.agent_id, score_delta: -r.score_delta })),
  };
  const results = await atomicWrite(db, [
    ...alongside(guard, found),
    sql`update ${agent} set total_score = total_score - (
        select coalesce(sum(r.score_delta), 0) from ${rewardLog} r where r.agent_id = ${agent.id} and r.sub_task_id in ${subTasks})
      where ${agent.id} in (select ${rewardLog.agentId} from ${rewardLog} where ${rewardLog.subTaskId} in ${subTasks}) and ${guard}`,
    sql`delete from ${rewardLog} where ${rewardLog.subTaskId} in ${subTasks} and ${guard}`,
    sql`delete from ${reviewRecord} where ${reviewRecord.subTaskId} in ${subTasks} and ${guard}`,
    sql`delete from ${activityLog} where ${taskLogs} and ${guard}`,
    sql`delete from ${patrolRecord} where ${patrolRecord.subTaskId} in ${subTasks} and ${guard}`,
    sql`delete from ${subTaskEvent} where ${subTaskEvent.subTaskId} in ${subTasks} and ${guard}`,
    sql`delete from ${rule} where (${rule.taskId} = ${id} or ${rule.subTaskId} in ${subTasks}) and ${guard}`,
    sql`delete from ${subTaskDependency} where ${subTaskDependency.subTaskId} in ${subTasks} and ${guard}`,
    sql`delete from ${subTask} where ${subTask.taskId} = ${id} and ${guard}`,
    sql`delete from ${module} where ${module.taskId} = ${id} and ${guard}`,
    sql`delete from ${task} where ${task.id} = ${id} and ${guard}`,
  ]);
  if (results.at(-1)?.meta.changes !== 1)
    throw conflict("concurrent_change", "the task changed while this request ran; retry");
  return found;
}
