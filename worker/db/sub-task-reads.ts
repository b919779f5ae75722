// Sub-task reads for agents: filtered pages with the assignees' names, one sub-task, the caller's
// latest in a task, and a sub-task's event history.
import { and, asc, count, desc, eq, getTableColumns, type SQL, sql } from "drizzle-orm";
import type { SubTaskStatus } from "../../contract/vocabulary";
import { type Envelope, envelope, type PageRequest, pageWindow } from "../lib/pagination";
import type { Db } from "./client";
import type { SubTaskRow } from "./execute-transition";
import { agent, subTask, subTaskEvent } from "./schema";
import { claimableNow } from "./sub-tasks";

/** A listed sub-task also names its assignee (null when it has none, or the agent is gone). */
export type ListedSubTaskRow = SubTaskRow & { assignedAgentName: string | null };

export interface SubTaskFilter {
  assignedAgent?: string | undefined;
  taskId?: string | undefined;
  moduleId?: string | undefined;
  roundId?: string | undefined;
  status?: SubTaskStatus | undefined;
}

/** One page of the sub-tasks matching every given field, newest first. */
export function listSubTasks<Item>(
  db: Db,
  filter: SubTaskFilter,
  page: PageRequest,
  toItem: (row: ListedSubTaskRow) => Item,
): Promise<Envelope<Item>> {
  const where = and(
    filter.assignedAgent ? eq(subTask.assignedAgent, filter.assignedAgent) : undefined,
    filter.taskId ? eq(subTask.taskId, filter.taskId) : undefined,
    filter.moduleId ? eq(subTask.moduleId, filter.moduleId) : undefined,
    filter.roundId ? eq(subTask.roundId, filter.roundId) : undefined,
    filter.status ? eq(subTask.status, filter.status) : undefined,
  );
  return pageOfSubTasks(db, where, page, toItem);
}

/** One page of the sub-tasks an executor may claim right now, newest first. */
export const listClaimableSubTasks = <Item>(db: Db, page: PageRequest, toItem: (row: ListedSubTaskRow) => Item) =>
  pageOfSubTasks(db, claimableNow, page, toItem);

/**
 * One page of sub-tasks with their assignees' names (a primary-key join per row). No COUNT over the
 * filter: behind a backlog of thousands of pending sub-tasks it would read every one of them. One
 * look-ahead row says whether more follow instead, so `has_more` is exact and `total` is exact on the
 * last page, else a lower bound (rows up to this page, plus one). See docs/compatibility.md.
 */
async function pageOfSubTasks<Item>(
  db: Db,
  where: SQL | undefined,
  page: PageRequest,
  toItem: (row: ListedSubTaskRow) => Item,
): Promise<Envelope<Item>> {
  const { limit, offset } = pageWindow(page);
  const assignedAgentName = sql<string | null>`${agent.name}`.as("assigned_agent_name");
  const rows = await db
    .select({ ...getTableColumns(subTask), assignedAgentName })
    .from(subTask)
    .leftJoin(agent, eq(agent.id, subTask.assignedAgent))
    .where(where)
    .orderBy(desc(subTask.createdAt), desc(subTask.id))
    .limit(limit + 1)
    .offset(offset);
  // Past the end there is no row to count from: count what exists, at most the rows the caller skipped.
  const total = rows.length > 0 || offset === 0 ? offset + rows.length : await countUpTo(db, where, offset);
  return envelope(rows.slice(0, limit).map(toItem), total, page);
}

/** How many sub-tasks match, reading at most `cap` of them. */
async function countUpTo(db: Db, where: SQL | undefined, cap: number): Promise<number> {
  const matching = db
    .select({ one: sql`1`.as("one") })
    .from(subTask)
    .where(where)
    .limit(cap)
    .as("matching");
  const [row] = await db.select({ n: count() }).from(matching);
  return row?.n ?? 0;
}

export async function findSubTask(db: Db, id: string): Promise<SubTaskRow | undefined> {
  const [row] = await db.select().from(subTask).where(eq(subTask.id, id)).limit(1);
  return row;
}

/** The agent's most recently updated sub-task in the task; undefined when it has none there. */
export async function findLatestSubTaskOf(db: Db, taskId: string, agentId: string): Promise<SubTaskRow | undefined> {
  const [row] = await db
    .select()
    .from(subTask)
    .where(and(eq(subTask.taskId, taskId), eq(subTask.assignedAgent, agentId)))
    .orderBy(desc(subTask.updatedAt))
    .limit(1);
  return row;
}

/** An event with its actor's name: null for the admin, the server, or a deleted agent. */
export type NamedSubTaskEventRow = typeof subTaskEvent.$inferSelect & { actorName: string | null };

/** A sub-task's state changes, oldest first (at most `limit`). */
export function listSubTaskEvents(db: Db, subTaskId: string, limit: number): Promise<NamedSubTaskEventRow[]> {
  const actorName = sql<string | null>`${agent.name}`.as("actor_name");
  return db
    .select({ ...getTableColumns(subTaskEvent), actorName })
    .from(subTaskEvent)
    .leftJoin(agent, eq(agent.id, subTaskEvent.actorId))
    .where(eq(subTaskEvent.subTaskId, subTaskId))
    .orderBy(asc(subTaskEvent.createdAt), asc(subTaskEvent.id))
    .limit(limit);
}
