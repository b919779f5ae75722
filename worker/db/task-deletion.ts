// Deleting a task with everything that hangs off it: the one write that touches every table a task
// reaches, so it has a module of its own (tasks.ts has the task's other writes).
import { inArray, type SQL, sql } from "drizzle-orm";
import { text } from "../i18n";
import { badRequest, conflict, notFound } from "../lib/errors";
import { nowIso } from "../lib/time";
import { atomicWrite, type Db } from "./client";
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
import { fileDeletion, fileUsage, subTaskFile } from "./schema-files";
import { taskRound, taskSchedule } from "./schema-recurring";
import { unindexWhere } from "./search-index";
import { getTask, HELD_SUB_TASK_STATUSES, type TaskRow, taskWhere } from "./tasks";

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
    | "patrol_record"
    | "task_round"
    | "file",
    number
  >;
  /** What each agent's total_score lost (or gained) with the ledger rows of the task's sub-tasks. */
  scoreReversals: { agent_id: string; score_delta: number }[];
}

/**
 * Deletes a task and everything that hangs off it in ONE batch: modules, sub-tasks, their events,
 * review records, ledger rows, activity logs (on its sub-tasks or naming the task), patrol records,
 * the task's rules, its schedule and rounds, and its files (their R2 objects are queued in
 * file_deletion for the cron). The ledger rows go and each agent's total_score is
 * reduced by what they added, in the same batch, so total_score stays the sum of the ledger. Refused (409) while any sub-task is held by an agent.
 */
export async function deleteTask(
  db: Db,
  id: string,
  confirmName: string,
  alongside: (guard: SQL, found: TaskDeletion) => SQL[] = () => [],
): Promise<TaskDeletion> {
  const current = await getTask(db, id);
  if (confirmName !== current.name) throw badRequest("confirm_mismatch", text("confirmTaskName"));
  const subTasks = sql`(select ${subTask.id} from ${subTask} where ${subTask.taskId} = ${id})`;
  // Logs on its sub-tasks, and those naming the task alone (its closing delivery).
  const taskLogs = sql`(${activityLog.subTaskId} in ${subTasks} or ${activityLog.taskId} = ${id})`;
  // Its deliverable files (by task, and by sub-task should a row name another task).
  const taskFiles = sql`(${subTaskFile.taskId} = ${id} or ${subTaskFile.subTaskId} in ${subTasks})`;
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
      (select count(*) from ${taskRound} where ${taskRound.taskId} = ${id}) as task_round,
      (select count(*) from ${subTaskFile} where ${taskFiles}) as file,
      ${held} as held`),
    db.all<{
      agent_id: string;
      score_delta: number;
    }>(sql`select ${rewardLog.agentId} as agent_id, sum(${rewardLog.scoreDelta}) as score_delta
      from ${rewardLog} where ${rewardLog.subTaskId} in ${subTasks} group by ${rewardLog.agentId} order by agent_id`),
  ]);
  if (!pre) throw notFound("task_not_found", text("taskNotFound", { id }));
  const { held: heldNow, ...counts } = pre;
  if (heldNow) {
    throw conflict("sub_tasks_in_flight", text("subTasksInFlight"));
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
    // The search entries of everything deleted below (its logs, reviews, rules and sub-tasks), while
    // the sub-tasks still exist to name them.
    ...unindexWhere(sql`(task_id = ${id} or sub_task_id in ${subTasks}) and ${guard}`),
    sql`delete from ${reviewRecord} where ${reviewRecord.subTaskId} in ${subTasks} and ${guard}`,
    sql`delete from ${activityLog} where ${taskLogs} and ${guard}`,
    sql`delete from ${patrolRecord} where ${patrolRecord.subTaskId} in ${subTasks} and ${guard}`,
    sql`delete from ${subTaskEvent} where ${subTaskEvent.subTaskId} in ${subTasks} and ${guard}`,
    sql`delete from ${rule} where (${rule.taskId} = ${id} or ${rule.subTaskId} in ${subTasks}) and ${guard}`,
    sql`delete from ${subTaskDependency} where ${subTaskDependency.subTaskId} in ${subTasks} and ${guard}`,
    // Files go with their sub-tasks: their objects to the outbox (the cron deletes them from R2,
    // patrol/file-sweep.ts), their bytes off file_usage, their rows.
    sql`insert or ignore into ${fileDeletion} (r2_key, created_at)
      select ${subTaskFile.r2Key}, ${nowIso()} from ${subTaskFile} where ${taskFiles} and ${guard}`,
    sql`update ${fileUsage} set
        bytes = bytes - (select coalesce(sum(${subTaskFile.size}), 0) from ${subTaskFile} where ${taskFiles}),
        files = files - (select count(*) from ${subTaskFile} where ${taskFiles})
      where ${fileUsage.id} = 1 and ${guard}`,
    sql`delete from ${subTaskFile} where ${taskFiles} and ${guard}`,
    sql`delete from ${subTask} where ${subTask.taskId} = ${id} and ${guard}`,
    sql`delete from ${module} where ${module.taskId} = ${id} and ${guard}`,
    sql`delete from ${taskRound} where ${taskRound.taskId} = ${id} and ${guard}`,
    sql`delete from ${taskSchedule} where ${taskSchedule.taskId} = ${id} and ${guard}`,
    sql`delete from ${task} where ${task.id} = ${id} and ${guard}`,
  ]);
  if (results.at(-1)?.meta.changes !== 1) throw conflict("concurrent_change", text("taskChanged"));
  return found;
}
