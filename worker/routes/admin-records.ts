// Admin: review records (§6.16), scores (§6.17) and activity logs (§6.18), with names joined in.
import { z } from "@hono/zod-openapi";
import { AdminLogSchema, AdminReviewDetailSchema, AdminReviewSchema } from "../../contract/api/records";
import {
  AdminAdjustmentSchema,
  AdminLeaderboardEntrySchema,
  AdminRewardLogSchema,
  AdminScoreSummarySchema,
} from "../../contract/api/scores";
import { ACTIVITY_ACTIONS, AGENT_STATUSES, REVIEW_RESULTS, ROLES } from "../../contract/vocabulary";
import type { App } from "../app";
import { auditAlongside } from "../db/audit";
import { namedActivityLogPage } from "../db/log-pages";
import { reviewRecordDetail, reviewRecordPage } from "../db/review-records";
import { adjustScore, leaderboardPage, namedRewardLogPage, scoreSummary } from "../db/score-ledger";
import {
  adminAdjustReason,
  charCount,
  LEADERBOARD_SORT_FIELDS,
  MAX_REASON_CHARS,
  SORT_ORDERS,
} from "../domain/ranking";
import { text as message } from "../i18n";
import { badRequest, notFound } from "../lib/errors";
import { envelopeSchema, strictPageQuery } from "../lib/pagination";
import { daysAgo, nowIso } from "../lib/time";
import { SYSTEM_AGENT_ID } from "../patrol/run";
import { days, defineRoute, id, idParam, keyword, refusal, text } from "./define";

const MAX_ADJUSTMENT = 1000;
const sortOrder = z.enum(SORT_ORDERS).default("desc");

const AdjustBody = z.object({
  agent_id: id,
  score_delta: z
    .number()
    .int()
    .min(-MAX_ADJUSTMENT)
    .max(MAX_ADJUSTMENT)
    .refine((d) => d !== 0, refusal("zeroScoreDelta")),
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
      const filter = {
        taskId: q.task_id,
        subTaskId: q.sub_task_id,
        reviewerAgent: q.reviewer_agent,
        result: q.result,
        since: daysAgo(q.days),
        keyword: q.keyword,
      };
      return c.json(await reviewRecordPage(c.var.db, filter, q.sort_order, q), 200);
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
      const row = await reviewRecordDetail(c.var.db, c.req.valid("param").id);
      if (!row) throw notFound("review_not_found", message("reviewNotFound"));
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
      const row = await scoreSummary(c.var.db);
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
        throw badRequest("invalid_score_range", message("invalidScoreRange"));
      }
      const filter = {
        role: q.role,
        status: q.status,
        keyword: q.keyword,
        scoreMin: q.score_min,
        scoreMax: q.score_max,
      };
      return c.json(await leaderboardPage(c.var.db, filter, { by: q.sort_by, order: q.sort_order }, q), 200);
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
      const filter = { agentId: q.agent_id, subTaskId: q.sub_task_id, sign: q.score_sign, keyword: q.keyword };
      return c.json(await namedRewardLogPage(c.var.db, filter, q.sort_order, q), 200);
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
      response: AdminAdjustmentSchema,
    }),
    async (c) => {
      const body = c.req.valid("json");
      const reason = adminAdjustReason(body.reason);
      if (charCount(reason) > MAX_REASON_CHARS) {
        throw badRequest(
          "reason_too_long",
          message("ledgerReasonTooLong", { start: reason.slice(0, 30), max: MAX_REASON_CHARS }),
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
      const audit = auditAlongside(
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
      );
      const { landed, currentTotalScore } = await adjustScore(c.var.db, row, audit);
      if (currentTotalScore === undefined) throw notFound("agent_not_found", message("agentGone"));
      if (!landed) throw notFound("sub_task_not_found", message("subTaskGone"));
      return c.json(
        {
          id: row.id,
          agent_id: row.agentId,
          sub_task_id: row.subTaskId,
          reason,
          score_delta: row.scoreDelta,
          created_at: now,
          current_total_score: currentTotalScore,
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
      const filter = {
        agentId: q.agent_id,
        action: q.action,
        subTaskId: q.sub_task_id,
        keyword: q.keyword,
        since: daysAgo(q.days),
      };
      return c.json(await namedActivityLogPage(c.var.db, filter, q.sort_order, q), 200);
    },
  );
}
