import { z } from "@hono/zod-openapi";
import { LeaderboardEntrySchema, RewardLogSchema, ScoreSummarySchema } from "../../contract/api/scores";
import type { App } from "../app";
import { adjustmentFreesAt, insertAgentAdjustment } from "../db/score-adjustments";
import { ledgerPage, listLeaderboard, readScoreSummary } from "../db/scores";
import { readSettings } from "../db/settings";
import { checkPerCall, quotaExceeded } from "../domain/score-caps";
import { manualAdjustReason } from "../domain/scoring";
import { text as message } from "../i18n";
import { forbidden, notFound } from "../lib/errors";
import { envelopeSchema, optionalPageQuery, PLAIN_LIST_LIMIT } from "../lib/pagination";
import { nowIso } from "../lib/time";
import { defineRoute, id, idParam, integer, refusal, text } from "./define";
import { rewardJson } from "./shapes";

/** A sanity bound for the schema; the real per-call bound is the setting score.adjust_max_per_call. */
const MAX_ADJUSTMENT = 1000;

const AdjustBody = z.object({
  agent_id: id,
  score_delta: integer(
    z
      .number()
      .int()
      .min(-MAX_ADJUSTMENT)
      .max(MAX_ADJUSTMENT)
      .refine((d) => d !== 0, refusal("zeroScoreDelta")),
  ),
  reason: text(200).trim().min(1),
  sub_task_id: id.optional().nullable(),
});

const RewardPageSchema = envelopeSchema(RewardLogSchema).openapi("RewardLogPage");

export function registerScoreRoutes(app: App) {
  // Static paths first, so "leaderboard", "me" and "adjust" are never taken for an agent id.
  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/scores/leaderboard",
      tag: "Scores",
      auth: "agent",
      summary: "All agents by score; rank is the row position (ties get distinct ranks, older agent first)",
      response: z.array(LeaderboardEntrySchema),
    }),
    async (c) => {
      const rows = await listLeaderboard(c.var.db, PLAIN_LIST_LIMIT);
      return c.json(
        rows.map((r, i) => ({ rank: i + 1, ...r })),
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/scores/me",
      tag: "Scores",
      auth: "agent",
      summary: "My score summary",
      response: ScoreSummarySchema,
    }),
    async (c) => {
      const summary = await readScoreSummary(c.var.db, c.var.agent.id);
      if (!summary) throw notFound("agent_not_found", message("agentGone"));
      return c.json(summary, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/scores/me/logs",
      tag: "Scores",
      auth: "agent",
      summary: "My score ledger, newest first",
      query: z.object(optionalPageQuery),
      response: RewardPageSchema,
    }),
    async (c) => c.json(await ledgerPage(c.var.db, c.var.agent.id, c.req.valid("query"), rewardJson), 200),
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/scores/adjust",
      tag: "Scores",
      auth: ["planner", "reviewer"],
      summary:
        "Change another agent's score by hand, never your own; agents are capped per call and per 24 h " +
        "(settings score.adjust_max_per_call and score.adjust_max_per_day: 400 adjustment_too_large, 429 adjustment_quota_exceeded)",
      body: AdjustBody,
      response: RewardLogSchema,
    }),
    async (c) => {
      const db = c.var.db;
      const caller = c.var.agent;
      const body = c.req.valid("json");
      if (body.agent_id === caller.id) throw forbidden("self_adjustment", message("selfAdjustment"));
      const settings = await readSettings(db);
      const limits = { perCall: settings["score.adjust_max_per_call"], perDay: settings["score.adjust_max_per_day"] };
      checkPerCall(body.score_delta, limits);
      const row = {
        id: crypto.randomUUID(),
        agentId: body.agent_id,
        subTaskId: body.sub_task_id ?? null,
        reason: manualAdjustReason(body.reason, caller.name),
        actorAgentId: caller.id,
        scoreDelta: body.score_delta,
        createdAt: nowIso(),
      };
      const outcome = await insertAgentAdjustment(db, row, limits.perDay);
      if (outcome.ok) return c.json(rewardJson(row), 200);
      if (outcome.refused === "agent_not_found") throw notFound("agent_not_found", message("agentGone"));
      if (outcome.refused === "sub_task_not_found") throw notFound("sub_task_not_found", message("subTaskGone"));
      const points = Math.abs(row.scoreDelta);
      const freesAt = await adjustmentFreesAt(db, caller.id, points, limits.perDay, row.createdAt);
      throw quotaExceeded(row.scoreDelta, outcome.used, limits, freesAt, row.createdAt);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/scores/{agent_id}",
      tag: "Scores",
      auth: "admin",
      summary: "Any agent's score summary",
      params: idParam("agent_id"),
      response: ScoreSummarySchema,
    }),
    async (c) => {
      const summary = await readScoreSummary(c.var.db, c.req.valid("param").agent_id);
      if (!summary) throw notFound("agent_not_found", message("agentGone"));
      return c.json(summary, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/scores/{agent_id}/logs",
      tag: "Scores",
      auth: "agent",
      summary: "Any agent's score ledger, newest first (unknown id: empty)",
      params: idParam("agent_id"),
      query: z.object(optionalPageQuery),
      response: RewardPageSchema,
    }),
    async (c) =>
      c.json(await ledgerPage(c.var.db, c.req.valid("param").agent_id, c.req.valid("query"), rewardJson), 200),
  );
}
