// Activity log queries: lists with the names an agent reads (author, sub-task, task), and the write
// that checks authorship and links the log to its task in one batch.
import { aliasedTable, and, desc, eq, getTableColumns, gte, inArray, type SQL, sql } from "drizzle-orm";
import { HOLDER_OPS, type LogKind } from "../domain/log-authorship";
import { DAY, isoMinus, nowIso } from "../lib/time";
import { SYSTEM_AGENT_ID } from "../patrol/run";
import { atomicWrite, type Db, guardedInsert } from "./client";
import { activityLog, agent, subTask, subTaskEvent, task } from "./schema";
import { indexIf, logEntry } from "./search-index";

export type ActivityLogRow = typeof activityLog.$inferSelect;
/** A log with its author's name: null once the agent is deleted; the server's own patrol is "system". */
export type NamedActivityLogRow = ActivityLogRow & { agentName: string | null };
/** A listed log also names its sub-task and task (null when it has none, or it is gone). */
export type ListedActivityLogRow = NamedActivityLogRow & { subTaskName: string | null; taskName: string | null };

const authorName = sql<string | null>`case when ${agent.id} is null and ${activityLog.agentId} = ${SYSTEM_AGENT_ID}
  then ${SYSTEM_AGENT_ID} else ${agent.name} end`;

export interface LogFilter {
  agentId?: string | undefined;
  subTaskId?: string | undefined;
  taskId?: string | undefined;
  action?: LogKind | undefined;
  days: number;
  limit: number;
}

const logSubTask = aliasedTable(subTask, "log_sub_task");
const logTask = aliasedTable(task, "log_task");

/**
 * The newest logs matching the filter within the last `days` days, with the names of their authors,
 * sub-tasks and tasks: each a primary-key join on at most `limit` (≤ 500) rows.
 */
export async function listLogs(db: Db, f: LogFilter): Promise<ListedActivityLogRow[]> {
  const filters: SQL[] = [gte(activityLog.createdAt, isoMinus(nowIso(), f.days * DAY))];
  if (f.agentId) filters.push(eq(activityLog.agentId, f.agentId));
  if (f.subTaskId) filters.push(eq(activityLog.subTaskId, f.subTaskId));
  if (f.taskId) filters.push(eq(activityLog.taskId, f.taskId));
  if (f.action) filters.push(eq(activityLog.action, f.action));
  // Aliased: both joined tables have a `name` column (see metered.ts).
  const subTaskName = sql<string | null>`${logSubTask.name}`.as("sub_task_name");
  const taskName = sql<string | null>`${logTask.name}`.as("task_name");
  return db
    .select({ ...getTableColumns(activityLog), agentName: authorName, subTaskName, taskName })
    .from(activityLog)
    .leftJoin(agent, eq(agent.id, activityLog.agentId))
    .leftJoin(logSubTask, eq(logSubTask.id, activityLog.subTaskId))
    .leftJoin(logTask, eq(logTask.id, activityLog.taskId))
    .where(and(...filters))
    .orderBy(desc(activityLog.createdAt), sql`${activityLog}.rowid desc`)
    .limit(f.limit);
}

/** The agent holds the sub-task now, or ran one of the holder's operations on it before. */
const holdsOrHeld = (agentId: string, subTaskId: string) => sql`(
  exists (select 1 from ${subTask} where ${subTask.id} = ${subTaskId} and ${subTask.assignedAgent} = ${agentId})
  or exists (select 1 from ${subTaskEvent} where ${subTaskEvent.subTaskId} = ${subTaskId} and ${subTaskEvent.actorId} = ${agentId}
    and ${inArray(subTaskEvent.op, [...HOLDER_OPS])}))`;

export type WriteOutcome =
  | { ok: true; taskId: string | null }
  | { ok: false; refused: "sub_task_not_found" | "task_not_found" | "not_assignee" }
  | { ok: false; refused: "task_mismatch"; subTaskTaskId: string };

/**
 * Writes the log only while its sub-task or task (if any) exists and, when `mustHold`, the author
 * holds or held the sub-task; all are the insert's guard, so a task delete or a reassign racing the
 * write cannot slip by. A log on a sub-task takes the sub-task's task (sub-tasks never change task);
 * `row.taskId`, when given with a sub-task, must be that task.
 */
export async function writeLog(db: Db, row: ActivityLogRow, mustHold: boolean): Promise<WriteOutcome> {
  const { subTaskId, taskId } = row;
  // Its search entry (if its action is searched) lands exactly when the log does.
  const logLanded = sql`exists (select 1 from ${activityLog} where ${activityLog.id} = ${row.id})`;
  if (subTaskId === null) {
    if (taskId === null) {
      await atomicWrite(db, [guardedInsert(activityLog, row, sql`1`), ...indexIf(logEntry(row), logLanded)]);
      return { ok: true, taskId: null };
    }
    const [written] = await atomicWrite(db, [
      guardedInsert(activityLog, row, sql`exists (select 1 from ${task} where ${task.id} = ${taskId})`),
      ...indexIf(logEntry(row), logLanded),
    ]);
    return written?.meta.changes === 1 ? { ok: true, taskId } : { ok: false, refused: "task_not_found" };
  }
  const held = mustHold ? holdsOrHeld(row.agentId, subTaskId) : sql`1`;
  const sameTask = taskId === null ? sql`1` : sql`${subTask.taskId} = ${taskId}`;
  // The entry's task is the one the insert takes: the sub-task's.
  const entryTask = sql`(select s.task_id from ${subTask} s where s.id = ${subTaskId})`;
  const [written, seen] = await atomicWrite(db, [
    sql`insert into ${activityLog} (id, agent_id, sub_task_id, task_id, action, summary, session_id, created_at)
      select ${row.id}, ${row.agentId}, ${subTaskId}, ${subTask.taskId}, ${row.action}, ${row.summary}, ${row.sessionId}, ${row.createdAt}
      from ${subTask} where ${subTask.id} = ${subTaskId} and ${sameTask} and ${held}`,
    sql`select ${subTask.taskId} as task_id from ${subTask} where ${subTask.id} = ${subTaskId}`,
    ...indexIf(logEntry({ ...row, taskId: entryTask }), logLanded),
  ]);
  const found = (seen?.results[0] as { task_id: string } | undefined)?.task_id;
  if (written?.meta.changes === 1 && found !== undefined) return { ok: true, taskId: found };
  if (found === undefined) return { ok: false, refused: "sub_task_not_found" };
  if (taskId !== null && found !== taskId) return { ok: false, refused: "task_mismatch", subTaskTaskId: found };
  return { ok: false, refused: "not_assignee" };
}
