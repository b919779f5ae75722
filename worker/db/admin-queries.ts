// Reads and writes behind the admin agent endpoints. Joined queries are written in SQL with every
// column aliased (see db/metered.ts); every write goes out as one atomic batch with its audit row.
import { type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import type { AgentStatus, Role } from "../../contract/vocabulary";
import type { AppEnv } from "../app-types";
import { newApiKey, sha256Hex } from "../auth/crypto";
import { nameKey, nameTaken } from "../domain/names";
import { type AgentSortField, isOnline, type SortOrder } from "../domain/ranking";
import { text } from "../i18n";
import { badRequest, conflict, notFound } from "../lib/errors";
import { DAY, isoMinus, nowIso } from "../lib/time";
import { newAgentRow, registeredAgent } from "./agents";
import { auditStatement } from "./audit";
import { atomicWrite, type Db, guardedInsert } from "./client";
import { allOf, keywordMatch, rankedPage } from "./joined-page";
import { activityLog, agent, patrolRecord, requestLog, reviewRecord, rewardLog, subTask } from "./schema";
import { HELD_SUB_TASK_STATUSES } from "./tasks";

/** The sub-task statuses in which an agent holds the work, as an SQL list of literals (our own constants). */
const HELD_STATUSES = sql.raw(`(${HELD_SUB_TASK_STATUSES.map((status) => `'${status}'`).join(", ")})`);

/** The fields admin endpoints return for an agent after a write (upstream's write shape). */
export interface AgentWriteShape {
  id: string;
  name: string;
  role: Role;
  description: string;
  status: AgentStatus;
  total_score: number;
}
const WRITE_COLUMNS = sql`id, name, role, description, status, total_score`;

const isUniqueViolation = (err: unknown) =>
  err instanceof Error && /UNIQUE constraint failed: agent\.name/i.test(err.message);

// ---------------------------------------------------------------------------------------------
// The agent list
// ---------------------------------------------------------------------------------------------

export interface AgentFilter {
  id?: string | undefined;
  role?: Role | undefined;
  status?: AgentStatus | undefined;
  keyword?: string | undefined;
  lastRequestWithinDays?: number | undefined;
  lastActivityWithinDays?: number | undefined;
}

interface AgentStatsRow extends AgentWriteShape {
  created_at: string;
  rank: number;
  last_request_at: string | null;
  last_activity_at: string | null;
  last_heartbeat_at: string | null;
  assigned_count: number;
  in_progress_count: number;
  review_count: number;
  rework_count: number;
  blocked_count: number;
}

function agentWhere(f: AgentFilter, now: string): SQL {
  const parts: SQL[] = [];
  if (f.id !== undefined) parts.push(sql`id = ${f.id}`);
  if (f.role) parts.push(sql`role = ${f.role}`);
  if (f.status) parts.push(sql`status = ${f.status}`);
  if (f.keyword) parts.push(keywordMatch(f.keyword, [sql`name`, sql`description`]));
  if (f.lastRequestWithinDays) parts.push(sql`last_request_at >= ${isoMinus(now, f.lastRequestWithinDays * DAY)}`);
  if (f.lastActivityWithinDays) parts.push(sql`last_activity_at >= ${isoMinus(now, f.lastActivityWithinDays * DAY)}`);
  return allOf(parts);
}

/**
 * One page of agents with their dense rank over ALL agents, last request and activity times, and
 * open workload — in one query. Workload is counted only for the page's rows; the total comes from
 * a window count over the filtered rows (a page past the end needs a second, plain count).
 */
export async function agentStatsPage(
  db: Db,
  filter: AgentFilter,
  sort: { by: AgentSortField; order: SortOrder },
  window: { limit: number; offset: number },
  now: string,
) {
  const ranked = sql`
    select a.id as id, a.name as name, a.role as role, a.description as description, a.status as status,
      a.total_score as total_score, a.created_at as created_at, a.last_heartbeat_at as last_heartbeat_at,
      dense_rank() over (order by a.total_score desc) as rank,
      (select max(r.timestamp) from ${requestLog} r where r.agent_id = a.id) as last_request_at,
      (select max(l.created_at) from ${activityLog} l where l.agent_id = a.id) as last_activity_at
    from ${agent} a`;
  const outer = sql`select page.id as id, page.name as name, page.role as role, page.description as description, page.status as status,
      page.total_score as total_score, page.created_at as created_at, page.rank as rank,
      page.last_request_at as last_request_at, page.last_activity_at as last_activity_at,
      page.last_heartbeat_at as last_heartbeat_at, page.total as total,
      coalesce(w.assigned_count, 0) as assigned_count, coalesce(w.in_progress_count, 0) as in_progress_count,
      coalesce(w.review_count, 0) as review_count, coalesce(w.rework_count, 0) as rework_count,
      coalesce(w.blocked_count, 0) as blocked_count
    from page left join (
      select s.assigned_agent as agent_id,
        sum(case when s.status = 'assigned' then 1 else 0 end) as assigned_count,
        sum(case when s.status = 'in_progress' then 1 else 0 end) as in_progress_count,
        sum(case when s.status = 'review' then 1 else 0 end) as review_count,
        sum(case when s.status = 'rework' then 1 else 0 end) as rework_count,
        sum(case when s.status = 'blocked' then 1 else 0 end) as blocked_count
      from ${subTask} s
      where s.assigned_agent in (select id from page) and s.status in ${HELD_STATUSES}
      group by s.assigned_agent
    ) w on w.agent_id = page.id`;
  const where = agentWhere(filter, now);
  const { rows, total } = await rankedPage<AgentStatsRow>(db, { ranked, where, outer }, sort, window);
  return { items: rows.map((r) => agentItem(r, now)), total };
}

function agentItem(r: AgentStatsRow, now: string) {
  const openCount = r.assigned_count + r.in_progress_count + r.review_count + r.rework_count + r.blocked_count;
  // The last sign of life: the later of its last request and its last heartbeat.
  const lastSeenAt = laterOf(r.last_request_at, r.last_heartbeat_at);
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    description: r.description,
    status: r.status,
    total_score: r.total_score,
    created_at: r.created_at,
    rank: r.rank,
    open_sub_task_count: openCount,
    assigned_count: r.assigned_count,
    in_progress_count: r.in_progress_count,
    review_count: r.review_count,
    rework_count: r.rework_count,
    blocked_count: r.blocked_count,
    last_request_at: r.last_request_at,
    last_activity_at: r.last_activity_at,
    last_seen_at: lastSeenAt,
    online: isOnline(lastSeenAt, now),
  };
}

const laterOf = (a: string | null, b: string | null): string | null => (a === null ? b : b === null || a >= b ? a : b);

export type AgentItem = ReturnType<typeof agentItem>;

/** The list item of one agent plus upstream's detail totals; 404 if unknown. */
export async function agentDetail(db: Db, id: string) {
  const now = nowIso();
  const [{ items }, [totals]] = await Promise.all([
    agentStatsPage(db, { id }, { by: "created_at", order: "desc" }, { limit: 1, offset: 0 }, now),
    db.all<{
      total_agents: number;
      done_count: number;
      cancelled_count: number;
      reward_count: number;
      penalty_count: number;
      total_reward_records: number;
    }>(sql`select
      (select count(*) from ${agent}) as total_agents,
      (select count(*) from ${subTask} where assigned_agent = ${id} and status = 'done') as done_count,
      (select count(*) from ${subTask} where assigned_agent = ${id} and status = 'cancelled') as cancelled_count,
      (select count(*) from ${rewardLog} where agent_id = ${id} and score_delta > 0) as reward_count,
      (select count(*) from ${rewardLog} where agent_id = ${id} and score_delta < 0) as penalty_count,
      (select count(*) from ${rewardLog} where agent_id = ${id}) as total_reward_records`),
  ]);
  const item = items[0];
  if (!item || !totals) throw agentNotFound();
  return { ...item, ...totals };
}

export const agentNotFound = () => notFound("agent_not_found", text("agentGone"));

export async function agentExists(db: Db, id: string): Promise<{ id: string; name: string }> {
  const [row] = await db.all<{ id: string; name: string }>(sql`select id, name from ${agent} where id = ${id}`);
  if (!row) throw agentNotFound();
  return row;
}

/** What a delete would touch (upstream's related-counts), plus the sub-tasks still open. */
export async function relatedCounts(db: Db, id: string) {
  const found = await agentExists(db, id);
  const [counts] = await db.all<{
    sub_task_count: number;
    open_sub_task_count: number;
    review_count: number;
    reward_count: number;
    activity_count: number;
    patrol_count: number;
    request_count: number;
  }>(sql`select
    (select count(*) from ${subTask} where assigned_agent = ${id}) as sub_task_count,
    (select count(*) from ${subTask} where assigned_agent = ${id} and status in ${HELD_STATUSES}) as open_sub_task_count,
    (select count(*) from ${reviewRecord} where reviewer_agent = ${id}) as review_count,
    (select count(*) from ${rewardLog} where agent_id = ${id}) as reward_count,
    (select count(*) from ${activityLog} where agent_id = ${id}) as activity_count,
    (select count(*) from ${patrolRecord} where agent_id = ${id}) as patrol_count,
    (select count(*) from ${requestLog} where agent_id = ${id}) as request_count`);
  return { agent_id: found.id, agent_name: found.name, ...counts! };
}

// ---------------------------------------------------------------------------------------------
// Writes, each with its audit row in the same batch
// ---------------------------------------------------------------------------------------------

const agentIs = (id: string) => sql`exists (select 1 from ${agent} where id = ${id})`;

/** Creates an agent with its audit row; the key is returned once and only its hash is stored. */
export async function createAgentAudited(c: Context<AppEnv>, input: { name: string; role: Role; description: string }) {
  const { row, apiKey } = await newAgentRow(input);
  const now = row.createdAt;
  const nameFree = sql`not exists (select 1 from ${agent} where name_key = ${row.nameKey})`;
  const audit = auditStatement(
    c,
    { action: "agent.create", targetType: "agent", targetId: row.id, detail: { name: input.name, role: input.role } },
    now,
    agentIs(row.id),
  );
  const results = await atomicWrite(c.var.db, [guardedInsert(agent, row, nameFree), audit]).catch((err: unknown) => {
    if (isUniqueViolation(err)) return null;
    throw err;
  });
  if (results?.[0]?.meta.changes !== 1) throw nameTaken(input.name);
  return registeredAgent(row, apiKey);
}

/** Enables or disables an agent (the admin path and the legacy one). */
export async function setAgentStatus(c: Context<AppEnv>, id: string, status: AgentStatus): Promise<AgentWriteShape> {
  const now = nowIso();
  const audit = auditStatement(
    c,
    { action: "agent.status", targetType: "agent", targetId: id, detail: { status } },
    now,
    agentIs(id),
  );
  const [, updated] = await atomicWrite(c.var.db, [
    audit,
    sql`update ${agent} set status = ${status} where id = ${id} returning ${WRITE_COLUMNS}`,
  ]);
  const row = updated?.results[0] as AgentWriteShape | undefined;
  if (!row) throw agentNotFound();
  return row;
}

/** Renames, changes the role or the description; `name_taken` if another agent has the name. */
export async function updateAgent(
  c: Context<AppEnv>,
  id: string,
  changes: { name?: string | undefined; role?: Role | undefined; description?: string | undefined },
): Promise<AgentWriteShape> {
  const db = c.var.db;
  const now = nowIso();
  const current = await agentExists(db, id);
  const sets: SQL[] = [];
  if (changes.name !== undefined) sets.push(sql`name = ${changes.name}, name_key = ${nameKey(changes.name)}`);
  if (changes.role !== undefined) sets.push(sql`role = ${changes.role}`);
  if (changes.description !== undefined) sets.push(sql`description = ${changes.description}`);
  const nameFree =
    changes.name === undefined
      ? sql`1`
      : sql`not exists (select 1 from ${agent} where name_key = ${nameKey(changes.name)} and id <> ${id})`;
  const guard = sql`${agentIs(id)} and ${nameFree}`;
  // The description itself is not copied into the audit row (it can be long); that it changed is.
  const detail = {
    ...(changes.name !== undefined ? { name: { from: current.name, to: changes.name } } : {}),
    ...(changes.role !== undefined ? { role: changes.role } : {}),
    ...(changes.description !== undefined ? { description_changed: true } : {}),
  };
  const results = await atomicWrite(db, [
    auditStatement(c, { action: "agent.update", targetType: "agent", targetId: id, detail }, now, guard),
    sql`update ${agent} set ${sql.join(sets, sql`, `)} where id = ${id} and ${nameFree} returning ${WRITE_COLUMNS}`,
  ]).catch((err: unknown) => {
    if (isUniqueViolation(err)) return null;
    throw err;
  });
  const row = results?.[1]?.results[0] as AgentWriteShape | undefined;
  if (row) return row;
  await agentExists(db, id);
  throw nameTaken(changes.name ?? "");
}

/** Gives the agent a new key; only its hash is stored, so the old key stops working at once. */
export async function resetAgentKey(c: Context<AppEnv>, id: string) {
  const apiKey = newApiKey();
  const now = nowIso();
  const [, updated] = await atomicWrite(c.var.db, [
    auditStatement(c, { action: "agent.reset_key", targetType: "agent", targetId: id, detail: {} }, now, agentIs(id)),
    sql`update ${agent} set api_key_hash = ${await sha256Hex(apiKey)} where id = ${id}`,
  ]);
  if (updated?.meta.changes !== 1) throw agentNotFound();
  return {
    agent_id: id,
    new_api_key: apiKey,
    message: "API key reset; the old key no longer works. Save the new key now, it is shown only once",
  };
}

/**
 * Deletes an agent that holds no open sub-task. Upstream also deleted its reviews, ledger, activity
 * and patrol records and un-assigned its sub-tasks (orphaning work in progress); we refuse while
 * work is open and keep that history for audit (rows then name an agent id that no longer exists).
 * Only its request logs, which are a traffic trace rather than history, go with it.
 */
export async function deleteAgent(c: Context<AppEnv>, id: string, confirmName: string) {
  const db = c.var.db;
  const now = nowIso();
  const counts = await relatedCounts(db, id);
  checkDeletable(counts.agent_name, confirmName, counts.open_sub_task_count);
  const deletable = sql`exists (select 1 from ${agent} where id = ${id} and name = ${confirmName})
    and not exists (select 1 from ${subTask} where assigned_agent = ${id} and status in ${HELD_STATUSES})`;
  const { agent_id: _id, agent_name: agentName, open_sub_task_count: _open, ...upstreamCounts } = counts;
  const [, , deleted] = await atomicWrite(db, [
    auditStatement(
      c,
      { action: "agent.delete", targetType: "agent", targetId: id, detail: { name: agentName, ...upstreamCounts } },
      now,
      deletable,
    ),
    sql`delete from ${requestLog} where agent_id = ${id} and ${deletable}`,
    sql`delete from ${agent} where id = ${id} and ${deletable}`,
  ]);
  if (deleted?.meta.changes !== 1) {
    // Something changed between the check and the batch: report what it is now.
    const now2 = await relatedCounts(db, id);
    checkDeletable(now2.agent_name, confirmName, now2.open_sub_task_count);
    throw conflict("concurrent_change", text("agentChanged"));
  }
  return {
    message:
      "agent deleted; its request logs were removed, its reviews, score ledger, activity and patrol history kept",
    agent_name: agentName,
    ...upstreamCounts,
  };
}

function checkDeletable(name: string, confirmName: string, openCount: number) {
  if (confirmName !== name) throw badConfirm();
  if (openCount > 0) {
    throw conflict("agent_has_open_work", text("agentHasOpenWork", { count: openCount }));
  }
}

const badConfirm = () => badRequest("confirm_name_mismatch", text("confirmAgentName"));
