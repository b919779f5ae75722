// Activity log queries: lists with the author's name, and the write that checks authorship in its batch.
import { and, desc, eq, getTableColumns, gte, inArray, type SQL, sql } from "drizzle-orm";
import { HOLDER_OPS } from "../domain/log-authorship";
import { DAY, isoMinus, nowIso } from "../lib/time";
import { SYSTEM_AGENT_ID } from "../patrol/run";
import { atomicWrite, type Db, guardedInsert } from "./client";
import { activityLog, agent, subTask, subTaskEvent } from "./schema";

export type ActivityLogRow = typeof activityLog.$inferSelect;
/** A log with its author's name: null once the agent is deleted; the server's own patrol is "system". */
export type NamedActivityLogRow = ActivityLogRow & { agentName: string | null };

const authorName = sql<string | null>`case when ${agent.id} is null and ${activityLog.agentId} = ${SYSTEM_AGENT_ID}
  then ${SYSTEM_AGENT_ID} else ${agent.name} end`;

export interface LogFilter {
  agentId?: string | undefined;
  subTaskId?: string | undefined;
  action?: string | undefined;
  days: number;
  limit: number;
}

/** The newest logs matching the filter within the last `days` days, with their authors' names. */
export async function listLogs(db: Db, f: LogFilter): Promise<NamedActivityLogRow[]> {
  const filters: SQL[] = [gte(activityLog.createdAt, isoMinus(nowIso(), f.days * DAY))];
  if (f.agentId) filters.push(eq(activityLog.agentId, f.agentId));
  if (f.subTaskId) filters.push(eq(activityLog.subTaskId, f.subTaskId));
  if (f.action) filters.push(eq(activityLog.action, f.action));
  return db.select({ ...getTableColumns(activityLog), agentName: authorName })
    .from(activityLog).leftJoin(agent, eq(agent.id, activityLog.agentId))
    .where(and(...filters)).orderBy(desc(activityLog.createdAt), sql`${activityLog}.rowid desc`).limit(f.limit);
}

/** The agent holds the sub-task now, or ran one of the holder's operations on it before. */
const holdsOrHeld = (agentId: string, subTaskId: string) => sql`(
  exists (select 1 from ${subTask} where ${subTask.id} = ${subTaskId} and ${subTask.assignedAgent} = ${agentId})
  or exists (select 1 from ${subTaskEvent} where ${subTaskEvent.subTaskId} = ${subTaskId} and ${subTaskEvent.actorId} = ${agentId}
    and ${inArray(subTaskEvent.op, [...HOLDER_OPS])}))`;

export type WriteOutcome = { ok: true } | { ok: false; refused: "sub_task_not_found" | "not_assignee" };

/**
 * Writes the log only while its sub-task (if any) exists and, when `mustHold`, the author holds or
 * held it; both are the insert's guard, so a task delete or a reassign racing the write cannot slip by.
 */
export async function writeLog(db: Db, row: ActivityLogRow, mustHold: boolean): Promise<WriteOutcome> {
  const subTaskId = row.subTaskId;
  if (subTaskId === null) {
    await atomicWrite(db, [guardedInsert(activityLog, row, sql`1`)]);
    return { ok: true };
  }
  const exists = sql`exists (select 1 from ${subTask} where ${subTask.id} = ${subTaskId})`;
  const held = mustHold ? holdsOrHeld(row.agentId, subTaskId) : sql`1`;
  const [written, seen] = await atomicWrite(db, [
    guardedInsert(activityLog, row, sql`${exists} and ${held}`),
    sql`select ${exists} as found`,
  ]);
  if (written?.meta.changes === 1) return { ok: true };
  const found = (seen?.results[0] as { found: number } | undefined)?.found;
  return { ok: false, refused: found ? "not_assignee" : "sub_task_not_found" };
}
