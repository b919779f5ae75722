// Admin: review records (§6.16), scores (§6.17) and activity logs (§6.18), with names joined in.
import { z } from "@hono/zod-openapi";
import { type SQL, sql } from "drizzle-orm";
import { AdminLogSchema, AdminReviewDetailSchema, AdminReviewSchema } from "../../contract/api/records";
import { AdminLeaderboardEntrySchema, AdminRewardLogSchema, AdminScoreSummarySchema } from "../../contract/api/scores";
import { ACTIVITY_ACTIONS, AGENT_STATUSES, REVIEW_RESULTS, ROLES } from "../../contract/vocabulary";
import type { App } from "../app";
import { keywordMatch, orderOn } from "../db/admin-queries";
import { auditStatement } from "../db/audit";
import { atomicWrite, type Db, guardedInsert } from "../db/client";
import { activityLog, agent, module, reviewRecord, rewardLog, subTask, task } from "../db/schema";
import {
  adminAdjustReason,
  charCount,
  LEADERBOARD_SORT_FIELDS,
  MAX_REASON_CHARS,
  SORT_ORDERS,
  type SortOrder,
} from "../domain/ranking";
import { badRequest, notFound } from "../lib/errors";
import { envelope, envelopeSchema, type PageRequest, pageWindow, strictPageQuery } from "../lib/pagination";
import { DAY, isoMinus, nowIso } from "../lib/time";
import { SYSTEM_AGENT_ID } from "../patrol/run";
import { defineRoute, id, idParam, text } from "./define";

const MAX_ADJUSTMENT = 1000;
const days = z.coerce.number().int().min(1).max(3650);
const keyword = text(100)
  .optional()
  .transform((k) => (k?.trim() ? k.trim() : undefined));
const sortOrder = z.enum(SORT_ORDERS).default("desc");
const dir = (o: SortOrder) => sql.raw(o === "asc" ? "asc" : "desc");
const since = (d: number) => isoMinus(nowIso(), d * DAY);
const whereAll = (parts: SQL[]) => sql.join([sql`1`, ...parts], sql` and `);

/** One page of a joined query: the rows (`select … from …` with `where`, ordered) and their count. */
async function joinedPage<T>(db: Db, select: SQL, from: SQL, where: SQL, orderBy: SQL, paging: PageRequest) {
  const { limit, offset } = pageWindow(paging);
  const [rows, [counted]] = await Promise.all([
    db.all<T>(sql`${select} ${from} where ${where} order by ${orderBy} limit ${limit} offset ${offset}`),
    db.all<{ n: number }>(sql`select count(*) as n ${from} where ${where}`),
  ]);
  return envelope(rows, counted?.n ?? 0, paging);
}

// --- Review records --------------------------------------------------------------------------

const REVIEW_SELECT = sql`select r.id as id, s.task_id as task_id, t.name as task_name, s.module_id as module_id, m.name as module_name,
  r.sub_task_id as sub_task_id, s.name as sub_task_name, r.reviewer_agent as reviewer_agent, ra.name as reviewer_agent_name,
  r.round as round, r.result as result, r.score as score, r.issues as issues, r.comment as comment,
  r.rework_agent as rework_agent, wa.name as rework_agent_name, r.created_at as created_at`;
const REVIEW_FROM = sql`from ${reviewRecord} r
  left join ${subTask} s on s.id = r.sub_task_id
  left join ${task} t on t.id = s.task_id
  left join ${module} m on m.id = s.module_id
  left join ${agent} ra on ra.id = r.reviewer_agent
  left join ${agent} wa on wa.id = r.rework_agent`;

// --- Scores ----------------------------------------------------------------------------------

const AdjustBody = z.object({
  agent_id: id,
  score_delta: z
    .number()
    .int()
    .min(-MAX_ADJUSTMENT)
    .max(MAX_ADJUSTMENT)
    .refine((d) => d !== 0, "score_delta must not be 0"),
  reason: text(MAX_REASON_CHARS).trim().min(1),
  sub_task_id: id.optional().nullable(),
});

export function registerAdminRecordRoutes(app: App) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/review-records",
      tag: "Admin records",
      auth: "admin",
      summary: "Reviews with task, sub-task and agent names (paged)",
      query: z.object({
        task_id: id.optional(),
        sub_task_id: id.optional(),
        reviewer_agent: id.optional(),
        result: z.enum(REVIEW_RESULTS).optional(),
        keyword: keyword.openapi({
          description: "In task or sub-task name, comment, issues, reviewer or rework-agent name",
        }),
        days: days.optional(),
        sort_order: sortOrder,
        ...strictPageQuery,
      }),
      response: envelopeSchema(AdminReviewSchema).openapi("AdminReviewPage"),
    }),
    async (c) => {
      const q = c.req.valid("query");
      const parts: SQL[] = [];
      if (q.task_id) parts.push(sql`s.task_id = ${q.task_id}`);
      if (q.sub_task_id) parts.push(sql`r.sub_task_id = ${q.sub_task_id}`);
      if (q.reviewer_agent) parts.push(sql`r.reviewer_agent = ${q.reviewer_agent}`);
      if (q.result) parts.push(sql`r.result = ${q.result}`);
      if (q.days) parts.push(sql`r.created_at >= ${since(q.days)}`);
      if (q.keyword)
        parts.push(
          keywordMatch(q.keyword, [
            sql`t.name`,
            sql`s.name`,
            sql`r.comment`,
            sql`r.issues`,
            sql`ra.name`,
            sql`wa.name`,
          ]),
        );
      const order = sql`r.created_at ${dir(q.sort_order)}, r.rowid ${dir(q.sort_order)}`;
      return c.json(
        await joinedPage<z.infer<typeof AdminReviewSchema>>(
          c.var.db,
          REVIEW_SELECT,
          REVIEW_FROM,
          whereAll(parts),
          order,
          q,
        ),
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/review-records/{id}",
      tag: "Admin records",
      auth: "admin",
      summary: "One review with names and the sub-task's brief",
      params: idParam("id"),
      response: AdminReviewDetailSchema,
    }),
    async (c) => {
      const [row] = await c.var.db.all<z.infer<typeof AdminReviewDetailSchema>>(sql`${REVIEW_SELECT},
        s.description as sub_task_description, s.deliverable as sub_task_deliverable, s.acceptance as sub_task_acceptance
        ${REVIEW_FROM} where r.id = ${c.req.valid("param").id}`);
      if (!row) throw notFound("review_not_found", "review record does not exist");
      return c.json(row, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/scores/summary",
      tag: "Admin scores",
      auth: "admin",
      summary: "Score overview",
      response: AdminScoreSummarySchema,
    }),
    async (c) => {
      const [row] = await c.var.db.all<{
        total_agents: number;
        positive_score_agents: number | null;
        zero_score_agents: number | null;
        negative_score_agents: number | null;
        top_score: number | null;
        average_score: number | null;
        last_score_at: string | null;
      }>(sql`select count(*) as total_agents,
          sum(case when total_score > 0 then 1 else 0 end) as positive_score_agents,
          sum(case when total_score = 0 then 1 else 0 end) as zero_score_agents,
          sum(case when total_score < 0 then 1 else 0 end) as negative_score_agents,
          max(total_score) as top_score, avg(total_score) as average_score,
          (select max(created_at) from ${rewardLog}) as last_score_at
        from ${agent}`);
      return c.json(
        {
          total_agents: row?.total_agents ?? 0,
          positive_score_agents: row?.positive_score_agents ?? 0,
          zero_score_agents: row?.zero_score_agents ?? 0,
          negative_score_agents: row?.negative_score_agents ?? 0,
          top_score: row?.top_score ?? 0,
          average_score: Math.round((row?.average_score ?? 0) * 100) / 100,
          last_score_at: row?.last_score_at ?? null,
        },
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/scores/leaderboard",
      tag: "Admin scores",
      auth: "admin",
      summary: "Agents by score with ledger counts (paged); rank is dense over all agents, whatever the filters",
      query: z.object({
        role: z.enum(ROLES).optional(),
        status: z.enum(AGENT_STATUSES).optional(),
        keyword,
        score_min: z.coerce.number().int().min(-1e9).max(1e9).optional(),
        score_max: z.coerce.number().int().min(-1e9).max(1e9).optional(),
        sort_by: z.enum(LEADERBOARD_SORT_FIELDS).default("total_score"),
        sort_order: sortOrder,
        ...strictPageQuery,
      }),
      response: envelopeSchema(AdminLeaderboardEntrySchema).openapi("AdminLeaderboardPage"),
    }),
    async (c) => {
      const q = c.req.valid("query");
      if (q.score_min !== undefined && q.score_max !== undefined && q.score_min > q.score_max) {
        throw badRequest("invalid_score_range", "score_min must not be above score_max");
      }
      const parts: SQL[] = [];
      if (q.role) parts.push(sql`role = ${q.role}`);
      if (q.status) parts.push(sql`status = ${q.status}`);
      if (q.keyword) parts.push(keywordMatch(q.keyword, [sql`agent_name`, sql`description`]));
      if (q.score_min !== undefined) parts.push(sql`total_score >= ${q.score_min}`);
      if (q.score_max !== undefined) parts.push(sql`total_score <= ${q.score_max}`);
      const ranked = sql`select a.id as id, a.name as agent_name, a.role as role, a.status as status, a.description as description,
          a.total_score as total_score, a.created_at as created_at, dense_rank() over (order by a.total_score desc) as rank,
          (select max(l.created_at) from ${rewardLog} l where l.agent_id = a.id) as last_score_at
        from ${agent} a`;
      const { limit, offset } = pageWindow(q);
      const where = whereAll(parts);
      // Ledger counts only for the page's rows.
      const rows = await c.var.db.all<z.infer<typeof AdminLeaderboardEntrySchema> & { total: number }>(sql`
        with ranked as (${ranked}),
        page as (select ranked.*, count(*) over () as total from ranked where ${where}
          order by ${orderOn("ranked", q.sort_by, q.sort_order)} limit ${limit} offset ${offset})
        select page.rank as rank, page.id as agent_id, page.agent_name as agent_name, page.role as role, page.status as status,
          page.total_score as total_score, coalesce(g.reward_count, 0) as reward_count, coalesce(g.penalty_count, 0) as penalty_count,
          coalesce(g.total_records, 0) as total_records, page.last_score_at as last_score_at, page.created_at as created_at, page.total as total
        from page left join (
          select l.agent_id as agent_id, sum(case when l.score_delta > 0 then 1 else 0 end) as reward_count,
            sum(case when l.score_delta < 0 then 1 else 0 end) as penalty_count, count(*) as total_records
          from ${rewardLog} l where l.agent_id in (select id from page) group by l.agent_id
        ) g on g.agent_id = page.id
        order by ${orderOn("page", q.sort_by, q.sort_order)}`);
      let total = rows[0]?.total;
      if (total === undefined) {
        const [counted] = await c.var.db.all<{ n: number }>(
          sql`with ranked as (${ranked}) select count(*) as n from ranked where ${where}`,
        );
        total = counted?.n ?? 0;
      }
      return c.json(
        envelope(
          rows.map(({ total: _total, ...item }) => item),
          total,
          q,
        ),
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/scores/logs",
      tag: "Admin scores",
      auth: "admin",
      summary: "The whole score ledger with agent names (paged)",
      query: z.object({
        agent_id: id.optional(),
        sub_task_id: id.optional(),
        score_sign: z.enum(["positive", "negative"]).optional(),
        keyword: keyword.openapi({ description: "Substring of the reason" }),
        sort_order: sortOrder,
        ...strictPageQuery,
      }),
      response: envelopeSchema(AdminRewardLogSchema).openapi("AdminRewardLogPageWithNames"),
    }),
    async (c) => {
      const q = c.req.valid("query");
      const parts: SQL[] = [];
      if (q.agent_id) parts.push(sql`l.agent_id = ${q.agent_id}`);
      if (q.sub_task_id) parts.push(sql`l.sub_task_id = ${q.sub_task_id}`);
      if (q.score_sign) parts.push(q.score_sign === "positive" ? sql`l.score_delta > 0` : sql`l.score_delta < 0`);
      if (q.keyword) parts.push(keywordMatch(q.keyword, [sql`l.reason`]));
      const select = sql`select l.id as id, l.agent_id as agent_id, a.name as agent_name, l.sub_task_id as sub_task_id,
        l.reason as reason, l.score_delta as score_delta, l.created_at as created_at`;
      const from = sql`from ${rewardLog} l left join ${agent} a on a.id = l.agent_id`;
      const order = sql`l.created_at ${dir(q.sort_order)}, l.rowid ${dir(q.sort_order)}`;
      return c.json(
        await joinedPage<z.infer<typeof AdminRewardLogSchema>>(c.var.db, select, from, whereAll(parts), order, q),
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/admin/scores/adjust",
      tag: "Admin scores",
      auth: "admin",
      summary: `Change an agent's score (non-zero, |delta| ≤ ${MAX_ADJUSTMENT}); the ledger reason is "[admin adjustment] <reason>" (≤ ${MAX_REASON_CHARS} characters)`,
      body: AdjustBody,
      response: z
        .object({
          id: z.string(),
          agent_id: z.string(),
          sub_task_id: z.string().nullable(),
          reason: z.string(),
          score_delta: z.number().int(),
          created_at: z.string(),
          current_total_score: z.number().int(),
        })
        .openapi("AdminAdjustment"),
    }),
    async (c) => {
      const db = c.var.db;
      const body = c.req.valid("json");
      const reason = adminAdjustReason(body.reason);
      if (charCount(reason) > MAX_REASON_CHARS) {
        throw badRequest(
          "reason_too_long",
          `the ledger reason "${reason.slice(0, 30)}…" would be over ${MAX_REASON_CHARS} characters`,
        );
      }
      const now = nowIso();
      const row = {
        id: crypto.randomUUID(),
        agentId: body.agent_id,
        subTaskId: body.sub_task_id ?? null,
        reason,
        scoreDelta: body.score_delta,
        createdAt: now,
      };
      // One batch: the ledger row lands only if its targets exist; the total and the audit row only
      // if the ledger row landed, so total_score always equals the sum of the ledger.
      const subTaskGuard =
        row.subTaskId === null ? sql`1` : sql`exists (select 1 from ${subTask} where id = ${row.subTaskId})`;
      const landed = sql`exists (select 1 from ${rewardLog} where id = ${row.id})`;
      const audit = auditStatement(
        c,
        {
          action: "score.adjust",
          targetType: "agent",
          targetId: row.agentId,
          detail: {
            reward_log_id: row.id,
            score_delta: row.scoreDelta,
            reason: body.reason,
            sub_task_id: row.subTaskId,
          },
        },
        now,
        landed,
      );
      const [inserted, , , total] = await atomicWrite(db, [
        guardedInsert(
          rewardLog,
          row,
          sql`exists (select 1 from ${agent} where id = ${row.agentId}) and ${subTaskGuard}`,
        ),
        sql`update ${agent} set total_score = total_score + ${row.scoreDelta} where id = ${row.agentId} and ${landed}`,
        audit,
        sql`select total_score from ${agent} where id = ${row.agentId}`,
      ]);
      // The total as this batch left it (read inside the batch, so concurrent adjustments cannot blur it).
      const current = total?.results[0] as { total_score: number } | undefined;
      if (!current) throw notFound("agent_not_found", "agent does not exist");
      if (inserted?.meta.changes !== 1) throw notFound("sub_task_not_found", "sub-task does not exist");
      return c.json(
        {
          id: row.id,
          agent_id: row.agentId,
          sub_task_id: row.subTaskId,
          reason,
          score_delta: row.scoreDelta,
          created_at: now,
          current_total_score: current.total_score,
        },
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/logs",
      tag: "Admin records",
      auth: "admin",
      summary: `Activity logs of all agents with names (paged); the server's own patrol entries have agent_id "${SYSTEM_AGENT_ID}"`,
      query: z.object({
        agent_id: id.optional(),
        action: z.enum(ACTIVITY_ACTIONS).optional(),
        sub_task_id: id.optional(),
        keyword: keyword.openapi({ description: "Substring of the summary" }),
        days: z.coerce
          .number()
          .int()
          .min(1)
          .max(1_000_000)
          .transform((d) => Math.min(d, 60))
          .optional()
          .openapi({ description: "Look back this many days (at most 60)" }),
        sort_order: sortOrder,
        ...strictPageQuery,
      }),
      response: envelopeSchema(AdminLogSchema).openapi("AdminActivityLogPageWithNames"),
    }),
    async (c) => {
      const q = c.req.valid("query");
      const parts: SQL[] = [];
      if (q.agent_id) parts.push(sql`l.agent_id = ${q.agent_id}`);
      if (q.action) parts.push(sql`l.action = ${q.action}`);
      if (q.sub_task_id) parts.push(sql`l.sub_task_id = ${q.sub_task_id}`);
      if (q.keyword) parts.push(keywordMatch(q.keyword, [sql`l.summary`]));
      if (q.days) parts.push(sql`l.created_at >= ${since(q.days)}`);
      // "system" has no agent row: it is the server itself (patrol), named as such.
      const select = sql`select l.id as id, l.agent_id as agent_id,
        case when l.agent_id = ${SYSTEM_AGENT_ID} and a.id is null then ${SYSTEM_AGENT_ID} else a.name end as agent_name,
        a.role as agent_role, l.sub_task_id as sub_task_id, l.action as action, l.summary as summary,
        l.session_id as session_id, l.created_at as created_at`;
      const from = sql`from ${activityLog} l left join ${agent} a on a.id = l.agent_id`;
      const order = sql`l.created_at ${dir(q.sort_order)}, l.rowid ${dir(q.sort_order)}`;
      return c.json(
        await joinedPage<z.infer<typeof AdminLogSchema>>(c.var.db, select, from, whereAll(parts), order, q),
        200,
      );
    },
  );
}
