// The journals admins read, newest first unless asked otherwise: activity logs (all agents' with
// names, or one agent's), one agent's request log and the audit log. (The request log's live tail is
// db/feed.ts's listFeedLogs, shared with the public feed.)
import { and, desc, eq, gte, type SQL, sql } from "drizzle-orm";
import type { AdminLog } from "../../contract/api/records";
import type { ActivityAction } from "../../contract/vocabulary";
import type { SortOrder } from "../domain/ranking";
import type { Envelope, PageRequest } from "../lib/pagination";
import { SYSTEM_AGENT_ID } from "../patrol/records";
import type { Db } from "./client";
import type { RequestLogRow } from "./feed";
import { allOf, byCreatedAt, joinedPage, keywordMatch } from "./joined-page";
import { selectPage } from "./page";
import { activityLog, agent, auditLog, requestLog } from "./schema";

export type ActivityLogRow = typeof activityLog.$inferSelect;
export type AuditLogRow = typeof auditLog.$inferSelect;

export interface ActivityLogFilter {
  agentId?: string | undefined;
  action?: ActivityAction | undefined;
  subTaskId?: string | undefined;
  /** In the summary. */
  keyword?: string | undefined;
  /** Only entries written at or after this instant. */
  since?: string | undefined;
}

/** One page of every agent's activity log with names, by creation time. */
export function namedActivityLogPage(
  db: Db,
  filter: ActivityLogFilter,
  order: SortOrder,
  paging: PageRequest,
): Promise<Envelope<AdminLog>> {
  const parts: SQL[] = [];
  if (filter.agentId) parts.push(sql`l.agent_id = ${filter.agentId}`);
  if (filter.action) parts.push(sql`l.action = ${filter.action}`);
  if (filter.subTaskId) parts.push(sql`l.sub_task_id = ${filter.subTaskId}`);
  if (filter.keyword) parts.push(keywordMatch(filter.keyword, [sql`l.summary`]));
  if (filter.since) parts.push(sql`l.created_at >= ${filter.since}`);
  // "system" has no agent row: it is the server itself (patrol), named as such.
  const select = sql`select l.id as id, l.agent_id as agent_id,
    case when l.agent_id = ${SYSTEM_AGENT_ID} and a.id is null then ${SYSTEM_AGENT_ID} else a.name end as agent_name,
    a.role as agent_role, l.sub_task_id as sub_task_id, l.action as action, l.summary as summary,
    l.session_id as session_id, l.created_at as created_at`;
  const from = sql`from ${activityLog} l left join ${agent} a on a.id = l.agent_id`;
  return joinedPage<AdminLog>(db, { select, from, where: allOf(parts), orderBy: byCreatedAt("l", order) }, paging);
}

/** One page of one agent's activity log, newest first. */
export function agentActivityLogPage<Item>(
  db: Db,
  agentId: string,
  filter: Omit<ActivityLogFilter, "agentId" | "keyword">,
  paging: PageRequest,
  toItem: (row: ActivityLogRow) => Item,
): Promise<Envelope<Item>> {
  const filters: SQL[] = [eq(activityLog.agentId, agentId)];
  if (filter.action) filters.push(eq(activityLog.action, filter.action));
  if (filter.subTaskId) filters.push(eq(activityLog.subTaskId, filter.subTaskId));
  if (filter.since) filters.push(gte(activityLog.createdAt, filter.since));
  return selectPage(db, activityLog, and(...filters), [desc(activityLog.createdAt), sql`rowid desc`], paging, toItem);
}

/** One page of one agent's API calls, newest first. */
export function agentRequestLogPage<Item>(
  db: Db,
  agentId: string,
  filter: { since?: string | undefined; method?: string | undefined; pathKeyword?: string | undefined },
  paging: PageRequest,
  toItem: (row: RequestLogRow) => Item,
): Promise<Envelope<Item>> {
  const filters: SQL[] = [eq(requestLog.agentId, agentId)];
  if (filter.since) filters.push(gte(requestLog.timestamp, filter.since));
  if (filter.method) filters.push(eq(requestLog.method, filter.method));
  if (filter.pathKeyword) filters.push(sql`instr(lower(${requestLog.path}), lower(${filter.pathKeyword})) > 0`);
  return selectPage(db, requestLog, and(...filters), [desc(requestLog.timestamp), sql`rowid desc`], paging, toItem);
}

/** One page of the audit log of admin writes, newest first. */
export function auditLogPage<Item>(
  db: Db,
  filter: { action?: string | undefined; targetType?: string | undefined; targetId?: string | undefined },
  paging: PageRequest,
  toItem: (row: AuditLogRow) => Item,
): Promise<Envelope<Item>> {
  const where = and(
    filter.action ? eq(auditLog.action, filter.action) : undefined,
    filter.targetType ? eq(auditLog.targetType, filter.targetType) : undefined,
    filter.targetId ? eq(auditLog.targetId, filter.targetId) : undefined,
  );
  return selectPage(db, auditLog, where, [desc(auditLog.at), sql`rowid desc`], paging, toItem);
}
