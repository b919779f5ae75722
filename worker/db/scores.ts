// Scores as agents read them: the leaderboard, one agent's summary (rank and ledger counts) and its ledger.
// The admins' views (score-ledger.ts) answer other questions: a leaderboard filtered and ranked over
// all agents, the ledger of every agent with names, one agent's ledger in either order with upstream's
// id tie-break (here: newest first in insertion order), and writes.
import { asc, desc, eq, sql } from "drizzle-orm";
import type { Role } from "../../contract/vocabulary";
import type { Envelope, PageRequest } from "../lib/pagination";
import type { Db } from "./client";
import { selectPage } from "./page";
import { agent, rewardLog } from "./schema";

export type RewardLogRow = typeof rewardLog.$inferSelect;

export interface LeaderboardRow {
  agent_id: string;
  agent_name: string;
  role: Role;
  total_score: number;
}

/** At most `limit` agents, highest score first; ties: the older agent, then the id. */
export function listLeaderboard(db: Db, limit: number): Promise<LeaderboardRow[]> {
  return db
    .select({ agent_id: agent.id, agent_name: agent.name, role: agent.role, total_score: agent.totalScore })
    .from(agent)
    .orderBy(desc(agent.totalScore), asc(agent.createdAt), asc(agent.id))
    .limit(limit);
}

export interface ScoreSummary {
  agent_id: string;
  agent_name: string;
  total_score: number;
  /** 1 + the number of agents with a strictly higher score. */
  rank: number;
  total_agents: number;
  reward_count: number;
  penalty_count: number;
  total_records: number;
}

/** Score, competition rank and ledger counts of one agent, in one query; undefined if no such agent. */
export async function readScoreSummary(db: Db, agentId: string): Promise<ScoreSummary | undefined> {
  const row = await db.get<{
    agent_id: string;
    agent_name: string;
    total_score: number;
    higher: number;
    total_agents: number;
    reward_count: number | null;
    penalty_count: number | null;
    total_records: number;
  }>(sql`
    select a.id as agent_id, a.name as agent_name, a.total_score as total_score,
      (select count(*) from ${agent} b where b.total_score > a.total_score) as higher,
      (select count(*) from ${agent}) as total_agents,
      (select count(*) from ${rewardLog} r where r.agent_id = a.id and r.score_delta > 0) as reward_count,
      (select count(*) from ${rewardLog} r where r.agent_id = a.id and r.score_delta < 0) as penalty_count,
      (select count(*) from ${rewardLog} r where r.agent_id = a.id) as total_records
    from ${agent} a where a.id = ${agentId}`);
  if (!row) return undefined;
  return {
    agent_id: row.agent_id,
    agent_name: row.agent_name,
    total_score: row.total_score,
    rank: row.higher + 1,
    total_agents: row.total_agents,
    reward_count: row.reward_count ?? 0,
    penalty_count: row.penalty_count ?? 0,
    total_records: row.total_records,
  };
}

/** One page of an agent's ledger, newest first. An unknown agent simply has no rows. */
export const ledgerPage = <Item>(
  db: Db,
  agentId: string,
  paging: PageRequest,
  toItem: (row: RewardLogRow) => Item,
): Promise<Envelope<Item>> =>
  selectPage(
    db,
    rewardLog,
    eq(rewardLog.agentId, agentId),
    [desc(rewardLog.createdAt), sql`rowid desc`],
    paging,
    toItem,
  );
