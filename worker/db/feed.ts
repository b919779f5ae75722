// The public activity feed's reads: agents' API calls, agents by score, and each top agent's card
// (today's counts, current sub-task, latest calls).
import { and, asc, desc, eq, gt, type SQL, sql } from "drizzle-orm";
import type { AgentStatus, Role } from "../../contract/vocabulary";
import type { Db } from "./client";
import { agent, module, requestLog, subTask } from "./schema";

export type RequestLogRow = typeof requestLog.$inferSelect;

/** Highest score first; ties: the older agent, then the id. */
export const byScore = [desc(agent.totalScore), asc(agent.createdAt), asc(agent.id)];

/** The newest calls, optionally only those after `after` (for polling) or of one agent. */
export function listFeedLogs(
  db: Db,
  filter: { after?: string | undefined; agentId?: string | undefined; limit: number },
): Promise<RequestLogRow[]> {
  const filters: SQL[] = [];
  if (filter.after) filters.push(gt(requestLog.timestamp, filter.after));
  if (filter.agentId) filters.push(eq(requestLog.agentId, filter.agentId));
  return db
    .select()
    .from(requestLog)
    .where(and(...filters))
    .orderBy(desc(requestLog.timestamp), sql`rowid desc`)
    .limit(filter.limit);
}

export interface FeedAgent {
  id: string;
  name: string;
  role: Role;
  status: AgentStatus;
  total_score: number;
  created_at: string;
}

/** At most `limit` agents by score, without anything private. */
export function listFeedAgents(db: Db, limit: number): Promise<FeedAgent[]> {
  return db
    .select({
      id: agent.id,
      name: agent.name,
      role: agent.role,
      status: agent.status,
      total_score: agent.totalScore,
      created_at: agent.createdAt,
    })
    .from(agent)
    .orderBy(...byScore)
    .limit(limit);
}

export interface TopAgentActivity {
  agents: { id: string; name: string; role: Role; total_score: number }[];
  /** Calls since `since` per agent; submits and reviews are POSTs to those endpoints. */
  counts: { agent_id: string; requests: number; submits: number | null; reviews: number | null }[];
  /** Each agent's most recently updated in_progress sub-task (none for an agent without one). */
  current: { agent_id: string; id: string; name: string; module_name: string | null }[];
  /** Each agent's latest `recentCalls` calls, newest first. */
  recent: {
    agent_id: string;
    method: string;
    path: string;
    request_body: string | null;
    response_status: number | null;
    timestamp: string;
  }[];
}

/** What the cards of the top `topN` agents by score show: one query for the agents, then three at once. */
export async function readTopAgentActivity(
  db: Db,
  topN: number,
  since: string,
  recentCalls: number,
): Promise<TopAgentActivity> {
  const agents = await db
    .select({ id: agent.id, name: agent.name, role: agent.role, total_score: agent.totalScore })
    .from(agent)
    .orderBy(...byScore)
    .limit(topN);
  if (agents.length === 0) return { agents, counts: [], current: [], recent: [] };
  // The same top-N set, as a subquery, so no query binds one parameter per agent (D1 caps parameters).
  const topAgents = sql`select id from ${agent} order by total_score desc, created_at asc, id asc limit ${topN}`;
  const [counts, current, recent] = await Promise.all([
    db.all<TopAgentActivity["counts"][number]>(sql`
      select agent_id, count(*) as requests,
        sum(case when method = 'POST' and substr(path, -7) = '/submit' then 1 else 0 end) as submits,
        sum(case when method = 'POST' and substr(path, -15) = '/review-records' then 1 else 0 end) as reviews
      from ${requestLog} where timestamp >= ${since} and agent_id in (${topAgents})
      group by agent_id`),
    // Each agent's most recently updated in_progress sub-task, found through its own index range.
    db.all<TopAgentActivity["current"][number]>(sql`
      select s.assigned_agent as agent_id, s.id as id, s.name as name, m.name as module_name
      from ${subTask} s left join ${module} m on m.id = s.module_id
      where s.id in (
        select (select s2.id from ${subTask} s2 where s2.assigned_agent = a.id and s2.status = 'in_progress'
                order by s2.updated_at desc, s2.rowid desc limit 1)
        from ${agent} a where a.id in (${topAgents}))`),
    // Each agent's own latest calls (not a global slice that a busy agent could fill).
    db.all<TopAgentActivity["recent"][number]>(sql`
      select r.agent_id as agent_id, r.method as method, r.path as path, r.request_body as request_body,
        r.response_status as response_status, r.timestamp as timestamp
      from ${agent} a join ${requestLog} r on r.id in (
        select r2.id from ${requestLog} r2 where r2.agent_id = a.id order by r2.timestamp desc, r2.rowid desc limit ${recentCalls})
      where a.id in (${topAgents})
      order by r.timestamp desc, r.rowid desc`),
  ]);
  return { agents, counts, current, recent };
}
