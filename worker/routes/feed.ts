import { z } from "@hono/zod-openapi";
import { and, asc, desc, eq, gt, type SQL, sql } from "drizzle-orm";
import type { App } from "../app";
import type { Db } from "../db/client";
import { agent, module, requestLog, subTask } from "../db/schema";
import { readSettings } from "../db/settings";
import { forbidden } from "../lib/errors";
import { PLAIN_LIST_LIMIT } from "../lib/pagination";
import { nowIso } from "../lib/time";
import { defineRoute, id, isoDateTime } from "./define";
import { AgentStatusEnum, FeedLogSchema, RoleEnum, requestLogJson } from "./shapes";

/** Agent cards are computed for at most this many agents (the top scorers). */
const SUMMARY_AGENTS = 200;
const RECENT_ACTIONS = 5;

const FeedAgentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: RoleEnum,
    status: AgentStatusEnum,
    total_score: z.number().int(),
    created_at: z.string(),
  })
  .openapi("FeedAgent");

const RecentActionSchema = z.object({
  method: z.string(),
  path: z.string(),
  request_body: z.string().nullable(),
  response_status: z.number().int().nullable(),
  timestamp: z.string(),
});

const AgentSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: RoleEnum,
    total_score: z.number().int(),
    today_request_count: z.number().int(),
    today_submit_count: z.number().int(),
    today_review_count: z.number().int(),
    current_sub_task: z.object({ id: z.string(), name: z.string(), module_name: z.string().nullable() }).nullable(),
    recent_actions: z.array(RecentActionSchema),
  })
  .openapi("FeedAgentSummary");

async function assertFeedEnabled(db: Db) {
  if (!(await readSettings(db))["webui.public_feed"])
    throw forbidden("feed_disabled", "the public feed is not enabled");
}

const byScore = [desc(agent.totalScore), asc(agent.createdAt), asc(agent.id)];

const utcMidnight = (iso: string) => `${iso.slice(0, 10)}T00:00:00.000Z`;

export function registerFeedRoutes(app: App) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/feed/status",
      tag: "Feed",
      auth: "public",
      summary: "Whether the public activity feed is on",
      response: z.object({ enabled: z.boolean() }),
    }),
    async (c) => c.json({ enabled: (await readSettings(c.var.db))["webui.public_feed"] }, 200),
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/feed/logs",
      tag: "Feed",
      auth: "public",
      summary:
        "Agent API calls, newest first; `after` returns only newer ones (for polling). 403 while the feed is off",
      query: z.object({
        after: isoDateTime.optional().openapi({
          description: "ISO-8601 date-time (UTC if no offset); only rows strictly newer",
          format: "date-time",
        }),
        agent_id: id.optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      response: z.array(FeedLogSchema),
    }),
    async (c) => {
      const db = c.var.db;
      await assertFeedEnabled(db);
      const { after, agent_id, limit } = c.req.valid("query");
      const filters: SQL[] = [];
      if (after) filters.push(gt(requestLog.timestamp, after));
      if (agent_id) filters.push(eq(requestLog.agentId, agent_id));
      const rows = await db
        .select()
        .from(requestLog)
        .where(and(...filters))
        .orderBy(desc(requestLog.timestamp), sql`rowid desc`)
        .limit(limit);
      return c.json(rows.map(requestLogJson), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/feed/agents",
      tag: "Feed",
      auth: "public",
      summary: "Agents by score. 403 while the feed is off",
      response: z.array(FeedAgentSchema),
    }),
    async (c) => {
      const db = c.var.db;
      await assertFeedEnabled(db);
      const rows = await db
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
        .limit(PLAIN_LIST_LIMIT);
      return c.json(rows, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/feed/agent-summary",
      tag: "Feed",
      auth: "public",
      summary: `Per-agent cards (top ${SUMMARY_AGENTS} by score): today's counts, current sub-task, last ${RECENT_ACTIONS} calls. 403 while the feed is off`,
      response: z.array(AgentSummarySchema),
    }),
    async (c) => {
      const db = c.var.db;
      await assertFeedEnabled(db);
      const agents = await db
        .select({ id: agent.id, name: agent.name, role: agent.role, total_score: agent.totalScore })
        .from(agent)
        .orderBy(...byScore)
        .limit(SUMMARY_AGENTS);
      if (agents.length === 0) return c.json([], 200);
      // The same top-N set, as a subquery, so no query binds one parameter per agent (D1 caps parameters).
      const topAgents = sql`select id from ${agent} order by total_score desc, created_at asc, id asc limit ${SUMMARY_AGENTS}`;
      const since = utcMidnight(nowIso());
      const [counts, current, recent] = await Promise.all([
        db.all<{ agent_id: string; requests: number; submits: number | null; reviews: number | null }>(sql`
          select agent_id, count(*) as requests,
            sum(case when method = 'POST' and substr(path, -7) = '/submit' then 1 else 0 end) as submits,
            sum(case when method = 'POST' and substr(path, -15) = '/review-records' then 1 else 0 end) as reviews
          from ${requestLog} where timestamp >= ${since} and agent_id in (${topAgents})
          group by agent_id`),
        // Each agent's most recently updated in_progress sub-task, found through its own index range.
        db.all<{ agent_id: string; id: string; name: string; module_name: string | null }>(sql`
          select s.assigned_agent as agent_id, s.id as id, s.name as name, m.name as module_name
          from ${subTask} s left join ${module} m on m.id = s.module_id
          where s.id in (
            select (select s2.id from ${subTask} s2 where s2.assigned_agent = a.id and s2.status = 'in_progress'
                    order by s2.updated_at desc, s2.rowid desc limit 1)
            from ${agent} a where a.id in (${topAgents}))`),
        // Each agent's own latest calls (not a global slice that a busy agent could fill).
        db.all<{
          agent_id: string;
          method: string;
          path: string;
          request_body: string | null;
          response_status: number | null;
          timestamp: string;
        }>(sql`
          select r.agent_id as agent_id, r.method as method, r.path as path, r.request_body as request_body,
            r.response_status as response_status, r.timestamp as timestamp
          from ${agent} a join ${requestLog} r on r.id in (
            select r2.id from ${requestLog} r2 where r2.agent_id = a.id order by r2.timestamp desc, r2.rowid desc limit ${RECENT_ACTIONS})
          where a.id in (${topAgents})
          order by r.timestamp desc, r.rowid desc`),
      ]);
      const countsBy = new Map(counts.map((r) => [r.agent_id, r]));
      const currentBy = new Map(
        current.map((r) => [r.agent_id, { id: r.id, name: r.name, module_name: r.module_name }]),
      );
      const recentBy = new Map<string, z.infer<typeof RecentActionSchema>[]>();
      for (const { agent_id, ...action } of recent) {
        const list = recentBy.get(agent_id) ?? [];
        if (list.length < RECENT_ACTIONS) list.push(action);
        recentBy.set(agent_id, list);
      }
      return c.json(
        agents.map((a) => {
          const n = countsBy.get(a.id);
          return {
            ...a,
            today_request_count: n?.requests ?? 0,
            today_submit_count: n?.submits ?? 0,
            today_review_count: n?.reviews ?? 0,
            current_sub_task: currentBy.get(a.id) ?? null,
            recent_actions: recentBy.get(a.id) ?? [],
          };
        }),
        200,
      );
    },
  );
}
