import { z } from "@hono/zod-openapi";
import { ActivityLogSchema, ListedActivityLogSchema } from "../../contract/api/records";
import { ACTIVITY_ACTIONS } from "../../contract/vocabulary";
import type { App } from "../app";
import { type LogFilter, listLogs, writeLog } from "../db/activity-logs";
import { writeRetroLog } from "../db/retrospectives";
import { checkKind, checkRetroLink, needsAssignee, notAssignee } from "../domain/log-authorship";
import { text as message } from "../i18n";
import { badRequest, notFound } from "../lib/errors";
import { nowIso } from "../lib/time";
import { defineRoute, id, longText, text } from "./define";
import { activityJson, listedActivityJson } from "./shapes";

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

const windowQuery = {
  action: z.enum(ACTIVITY_ACTIONS).optional(),
  days: z.coerce
    .number()
    .int()
    .default(7)
    .transform((d) => clamp(d, 1, 60))
    .openapi({ description: "Look back this many days (clamped to 1..60)" }),
  limit: z.coerce
    .number()
    .int()
    .default(20)
    .transform((l) => (l === 0 ? 20 : clamp(l, 1, 500)))
    .openapi({ description: "At most this many rows (0 means 20; clamped to 1..500)" }),
};

const LogList = z.array(ListedActivityLogSchema);
/** A written log; a `retro` log also names the retrospective it answers. */
const WrittenLog = ActivityLogSchema.extend({
  retrospective_id: z.string().optional().openapi({ description: "retro logs: the retrospective it answers" }),
});

export function registerLogRoutes(app: App) {
  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/logs",
      tag: "Logs",
      auth: "agent",
      summary:
        "Write an entry in my activity journal. plan, review and patrol logs belong to their role; " +
        "coding, delivery and blocked logs on a sub-task only to its current or a past assignee (else 403). " +
        "A log on a sub-task is about its task too; task_id alone names a task (a task's closing delivery). " +
        "A retro log answers a retrospective (retrospective_id: the team's or your own) and names no sub-task or task",
      body: z.object({
        action: z.enum(ACTIVITY_ACTIONS),
        summary: longText.default(""),
        sub_task_id: id.optional().nullable(),
        task_id: id.optional().nullable(),
        session_id: text(200).optional().nullable(),
        retrospective_id: id.optional().nullable(),
      }),
      response: WrittenLog,
    }),
    async (c) => {
      const body = c.req.valid("json");
      const author = c.var.agent;
      const role = author.role;
      checkKind(role, body.action);
      const retrospectiveId = body.retrospective_id ?? null;
      checkRetroLink(body.action, retrospectiveId, body.sub_task_id ?? null, body.task_id ?? null);
      const row = {
        id: crypto.randomUUID(),
        agentId: author.id,
        subTaskId: body.sub_task_id ?? null,
        taskId: body.task_id ?? null,
        action: body.action,
        summary: body.summary,
        sessionId: body.session_id ?? null,
        createdAt: nowIso(),
        retrospectiveId,
      };
      if (retrospectiveId !== null) {
        if (!(await writeRetroLog(c.var.db, { ...row, retrospectiveId }))) {
          throw notFound("retrospective_not_found", message("retrospectiveNotFound"));
        }
        return c.json({ ...activityJson(row), retrospective_id: retrospectiveId }, 200);
      }
      const outcome = await writeLog(c.var.db, row, needsAssignee(body.action, row.subTaskId));
      if (outcome.ok) return c.json(activityJson({ ...row, taskId: outcome.taskId }), 200);
      switch (outcome.refused) {
        case "sub_task_not_found":
          throw notFound("sub_task_not_found", message("subTaskGone"));
        case "task_not_found":
          throw notFound("task_not_found", message("taskNotFound", { id: String(row.taskId) }));
        case "task_mismatch":
          throw badRequest(
            "task_mismatch",
            message("logTaskMismatch", {
              subTaskId: String(row.subTaskId),
              taskId: String(outcome.subTaskTaskId),
              given: String(row.taskId),
            }),
            message("logTaskMismatchHint", { action: body.action, subTaskId: String(row.subTaskId) }),
          );
        case "not_assignee":
          throw notAssignee(role, body.action, row.subTaskId!);
      }
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/logs/mine",
      tag: "Logs",
      auth: "agent",
      summary: "My recent activity, newest first",
      query: z.object({ ...windowQuery, task_id: id.optional() }),
      response: LogList,
    }),
    async (c) => {
      const { task_id, ...rest } = c.req.valid("query");
      return c.json(
        (await listLogs(c.var.db, { ...rest, taskId: task_id, agentId: c.var.agent.id })).map(listedActivityJson),
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/logs",
      tag: "Logs",
      auth: "agent",
      summary:
        "Recent activity of all agents, newest first; each entry names its author (agent_name), time (created_at), " +
        "sub-task (sub_task_name) and task (task_name)",
      query: z.object({ ...windowQuery, sub_task_id: id.optional(), task_id: id.optional(), agent_id: id.optional() }),
      response: LogList,
    }),
    async (c) => {
      const { sub_task_id, task_id, agent_id, ...rest } = c.req.valid("query");
      const filter: LogFilter = { ...rest, agentId: agent_id, subTaskId: sub_task_id, taskId: task_id };
      return c.json((await listLogs(c.var.db, filter)).map(listedActivityJson), 200);
    },
  );
}
