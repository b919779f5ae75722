// Routes of a recurring task's rounds: list them, start one now (docs/recurring.md).
import { z } from "@hono/zod-openapi";
import { TaskRoundSchema } from "../../contract/api/rounds";
import { ROLES, ROUND_STATUSES } from "../../contract/vocabulary";
import type { App } from "../app";
import { startRoundNow } from "../db/round-start";
import { type CountedRoundRow, listRounds } from "../db/rounds";
import { envelopeSchema, optionalPageQuery } from "../lib/pagination";
import { nowIso } from "../lib/time";
import { defineRoute, idParam } from "./define";

const TaskId = idParam("task_id");

export const roundJson = (r: CountedRoundRow) => ({
  id: r.id,
  task_id: r.taskId,
  round_no: r.roundNo,
  round_key: r.roundKey,
  scheduled_for: r.scheduledFor,
  status: r.status,
  skip_reason: r.skipReason,
  missed: r.missed,
  created_at: r.createdAt,
  completed_at: r.completedAt,
  sub_tasks: { total: r.total, done: r.done, open: r.open },
});

export function registerRoundRoutes(app: App): void {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/tasks/{task_id}/rounds",
      tag: "Recurring tasks",
      // Every agent reads rounds (an executor finds which round its sub-task belongs to); the dashboard too.
      auth: ["admin", ...ROLES],
      summary: "A recurring task's rounds, newest slot first, with how many of each round's sub-tasks are done",
      params: TaskId,
      query: z.object({ status: z.enum(ROUND_STATUSES).optional(), ...optionalPageQuery }),
      response: envelopeSchema(TaskRoundSchema),
    }),
    async (c) => {
      const { status, ...page } = c.req.valid("query");
      return c.json(await listRounds(c.var.db, c.req.valid("param").task_id, status, page, roundJson), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/tasks/{task_id}/rounds",
      tag: "Recurring tasks",
      auth: ["admin", "planner"],
      summary:
        "Start a round now, outside the schedule's slots (key manual:<id>); the policy's open-round limit applies and the next scheduled run stays",
      params: TaskId,
      response: TaskRoundSchema,
      status: 201,
    }),
    async (c) => c.json(roundJson(await startRoundNow(c.var.db, c.req.valid("param").task_id, nowIso())), 201),
  );
}
