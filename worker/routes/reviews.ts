import { z } from "@hono/zod-openapi";
import { ReviewSchema } from "../../contract/api/records";
import { REVIEW_RESULTS } from "../../contract/vocabulary";
import type { App } from "../app";
import { agentActor } from "../auth/agent";
import { findReview, listReviews } from "../db/review-reads";
import { transitionSubTask } from "../durable/run-in-coordinator";
import { text as message } from "../i18n";
import { notFound } from "../lib/errors";
import { envelopeSchema, optionalPageQuery } from "../lib/pagination";
import { defineRoute, id, idParam, integer, longText } from "./define";
import { reviewJson } from "./shapes";

export function registerReviewRoutes(app: App) {
  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/review-records",
      tag: "Reviews",
      auth: ["reviewer"],
      summary: "Review a submitted sub-task: record, transition and score in one atomic step",
      body: z.object({
        sub_task_id: id,
        result: z.enum(REVIEW_RESULTS),
        score: integer(z.number().int().min(1).max(5)),
        issues: longText.default(""),
        comment: longText.default(""),
        rework_agent: id.nullish(),
      }),
      response: ReviewSchema,
    }),
    async (c) => {
      const body = c.req.valid("json");
      const { review } = await transitionSubTask(
        c,
        body.sub_task_id,
        {
          op: "review",
          result: body.result,
          score: body.score,
          issues: body.issues,
          comment: body.comment,
          reworkAgent: body.rework_agent ?? null,
        },
        agentActor(c.var.agent),
      );
      return c.json(reviewJson(review!), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/review-records",
      tag: "Reviews",
      auth: "agent",
      summary: "List review records, newest first",
      query: z.object({ sub_task_id: id.optional(), ...optionalPageQuery }),
      response: envelopeSchema(ReviewSchema),
    }),
    async (c) => {
      const q = c.req.valid("query");
      return c.json(await listReviews(c.var.db, q.sub_task_id, q, reviewJson), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/review-records/{id}",
      tag: "Reviews",
      auth: "agent",
      summary: "Review detail",
      params: idParam("id"),
      response: ReviewSchema,
    }),
    async (c) => {
      const row = await findReview(c.var.db, c.req.valid("param").id);
      if (!row) throw notFound("review_not_found", message("reviewNotFound"));
      return c.json(reviewJson(row), 200);
    },
  );
}
