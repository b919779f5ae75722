// The score ledger as admins read and change it (§6.17): the overview, the leaderboard with ledger
// counts, the ledger with agent names, and an admin adjustment (ledger row + total in one batch).
// What agents read of it (their plain top-N, own rank and own ledger) is in scores.ts.
import { and, asc, desc, eq, type SQL, sql } from "drizzle-orm";
import type { AdminLeaderboardEntry, AdminRewardLog } from "../../contract/api/scores";
import type { AgentStatus, Role } from "../../contract/vocabulary";
import type { LeaderboardSortField, SortOrder } from "../domain/ranking";
import { type Envelope, envelope, type PageRequest, pageWindow } from "../lib/pagination";
import { atomicWrite, type Db, guardedInsert } from "./client";
import { allOf, byCreatedAt, joinedPage, keywordMatch, rankedPage } from "./joined-page";
import { selectPage } from "./page";
import { agent, rewardLog, subTask } from "./schema";

/** The summary as SQL returns it: the sums are null when there are no agents. */
export interface ScoreSummaryRow {
  total_agents: number;
  positive_score_agents: number | null;
  zero_score_agents: number | null;
  negative_score_agents: number | null;
  top_score: number | null;
  average_score: number | null;
  last_score_at: string | null;
}

/** Counts of agents by score sign, top and mean score, and the newest ledger row's time. */
export async function scoreSummary(db: Db): Promise<ScoreSummaryRow | undefined> {
  const [row] = await db.all<ScoreSummaryRow>(sql`select count(*) as total_agents,
      sum(case when total_score > 0 then 1 else 0 end) as positive_score_agents,
      sum(case when total_score = 0 then 1 else 0 end) as zero_score_agents,
      sum(case when total_score < 0 then 1 else 0 end) as negative_score_agents,
      max(total_score) as top_score, avg(total_score) as average_score,
      (select max(created_at) from ${rewardLog}) as last_score_at
    from ${agent}`);
  return row;
}

export interface LeaderboardFilter {
  role?: Role | undefined;
  status?: AgentStatus | undefined;
  /** In the agent's name or description. */
  keyword?: string | undefined;
  scoreMin?: number | undefined;
  scoreMax?: number | undefined;
}

/**
 * One page of the leaderboard: rank is dense over ALL agents, whatever the filters; ledger counts
 * are computed only for the page's rows (see rankedPage).
 */
export async function leaderboardPage(
  db: Db,
  filter: LeaderboardFilter,
  sort: { by: LeaderboardSortField; order: SortOrder },
  paging: PageRequest,
): Promise<Envelope<AdminLeaderboardEntry>> {
  const parts: SQL[] = [];
  if (filter.role) parts.push(sql`role = ${filter.role}`);
  if (filter.status) parts.push(sql`status = ${filter.status}`);
  if (filter.keyword) parts.push(keywordMatch(filter.keyword, [sql`agent_name`, sql`description`]));
  if (filter.scoreMin !== undefined) parts.push(sql`total_score >= ${filter.scoreMin}`);
  if (filter.scoreMax !== undefined) parts.push(sql`total_score <= ${filter.scoreMax}`);
  const ranked = sql`select a.id as id, a.name as agent_name, a.role as role, a.status as status, a.description as description,
      a.total_score as total_score, a.created_at as created_at, dense_rank() over (order by a.total_score desc) as rank,
      (select max(l.created_at) from ${rewardLog} l where l.agent_id = a.id) as last_score_at
    from ${agent} a`;
  const outer = sql`select page.rank as rank, page.id as agent_id, page.agent_name as agent_name, page.role as role, page.status as status,
      page.total_score as total_score, coalesce(g.reward_count, 0) as reward_count, coalesce(g.penalty_count, 0) as penalty_count,
      coalesce(g.total_records, 0) as total_records, page.last_score_at as last_score_at, page.created_at as created_at, page.total as total
    from page left join (
      select l.agent_id as agent_id, sum(case when l.score_delta > 0 then 1 else 0 end) as reward_count,
        sum(case when l.score_delta < 0 then 1 else 0 end) as penalty_count, count(*) as total_records
      from ${rewardLog} l where l.agent_id in (select id from page) group by l.agent_id
    ) g on g.agent_id = page.id`;
  const query = { ranked, where: allOf(parts), outer };
  const { rows, total } = await rankedPage<AdminLeaderboardEntry>(db, query, sort, pageWindow(paging));
  return envelope(
    rows.map(({ total: _total, ...item }) => item),
    total,
    paging,
  );
}

export interface RewardLogFilter {
  agentId?: string | undefined;
  subTaskId?: string | undefined;
  sign?: "positive" | "negative" | undefined;
  /** In the reason. */
  keyword?: string | undefined;
}

/** One page of the whole ledger with agent names, by creation time. */
export function namedRewardLogPage(
  db: Db,
  filter: RewardLogFilter,
  order: SortOrder,
  paging: PageRequest,
): Promise<Envelope<AdminRewardLog>> {
  const parts: SQL[] = [];
  if (filter.agentId) parts.push(sql`l.agent_id = ${filter.agentId}`);
  if (filter.subTaskId) parts.push(sql`l.sub_task_id = ${filter.subTaskId}`);
  if (filter.sign) parts.push(filter.sign === "positive" ? sql`l.score_delta > 0` : sql`l.score_delta < 0`);
  if (filter.keyword) parts.push(keywordMatch(filter.keyword, [sql`l.reason`]));
  const select = sql`select l.id as id, l.agent_id as agent_id, a.name as agent_name, l.sub_task_id as sub_task_id,
    l.reason as reason, l.score_delta as score_delta, l.created_at as created_at`;
  const from = sql`from ${rewardLog} l left join ${agent} a on a.id = l.agent_id`;
  return joinedPage<AdminRewardLog>(
    db,
    { select, from, where: allOf(parts), orderBy: byCreatedAt("l", order) },
    paging,
  );
}

/** One page of one agent's ledger (optionally for one sub-task), by creation time then id. */
export function agentRewardLogPage<Item>(
  db: Db,
  agentId: string,
  filter: { subTaskId?: string | undefined },
  order: SortOrder,
  paging: PageRequest,
  toItem: (row: typeof rewardLog.$inferSelect) => Item,
): Promise<Envelope<Item>> {
  const filters: SQL[] = [eq(rewardLog.agentId, agentId)];
  if (filter.subTaskId) filters.push(eq(rewardLog.subTaskId, filter.subTaskId));
  const byTime = order === "asc" ? asc : desc;
  return selectPage(db, rewardLog, and(...filters), [byTime(rewardLog.createdAt), asc(rewardLog.id)], paging, toItem);
}

/** The ledger row of an admin adjustment (no actor agent: admins have no daily cap). */
export interface AdjustmentRow {
  id: string;
  agentId: string;
  subTaskId: string | null;
  reason: string;
  scoreDelta: number;
  createdAt: string;
}

/**
 * An admin's score adjustment, in one batch: the ledger row lands only if its agent (and sub-task,
 * if given) exist; the total and the `alongside` statements (the audit row) only if the ledger row
 * landed, so total_score always equals the sum of the ledger. Returns whether the row landed and
 * the agent's total as this batch left it (read inside the batch, so concurrent adjustments cannot
 * blur it; undefined when the agent does not exist).
 */
export async function adjustScore(
  db: Db,
  row: AdjustmentRow,
  alongside: (landed: SQL) => SQL[],
): Promise<{ landed: boolean; currentTotalScore: number | undefined }> {
  const subTaskGuard =
    row.subTaskId === null ? sql`1` : sql`exists (select 1 from ${subTask} where id = ${row.subTaskId})`;
  const landed = sql`exists (select 1 from ${rewardLog} where id = ${row.id})`;
  const results = await atomicWrite(db, [
    guardedInsert(rewardLog, row, sql`exists (select 1 from ${agent} where id = ${row.agentId}) and ${subTaskGuard}`),
    sql`update ${agent} set total_score = total_score + ${row.scoreDelta} where id = ${row.agentId} and ${landed}`,
    ...alongside(landed),
    sql`select total_score from ${agent} where id = ${row.agentId}`,
  ]);
  const current = results.at(-1)?.results[0] as { total_score: number } | undefined;
  return { landed: results[0]?.meta.changes === 1, currentTotalScore: current?.total_score };
}
