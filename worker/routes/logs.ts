import { z } from "@hono/zod-openapi";
import type { App } from "../app";
import { type LogFilter, listLogs, writeLog } from "../db/activity-logs";
import { checkKind, needsAssignee, notAssignee } from "../domain/log-authorship";
import { ACTIVITY_ACTIONS, type Role } from "../domain/model";
import { notFound } from "../lib/errors";
import { nowIso } from "../lib/time";
import { defineRoute, id, longText, text } from "./define";
import { ActivityLogSchema, activityJson, NamedActivityLogSchema, namedActivityJson } from "./shapes";

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

const windowQuery = {
  action: text(50).optional(),
  days: z.coerce.number().int().default(7).transform((d) => clamp(d, 1, 60))
    .openapi({ description: "Look back this many days (clamped to 1..60)" }),
  limit: z.coerce.number().int().default(20).transform((l) => (l === 0 ? 20 : clamp(l, 1, 500)))
    .openapi({ description: "At most this many rows (0 means 20; clamped to 1..500)" }),
};

const LogList = z.array(NamedActivityLogSchema);

export function registerLogRoutes(app: App) {
  app.openapi(
    defineRoute({
      method: "post", path: "/api/logs", tag: "Logs", auth: "agent",
      summary: "Write an entry in my activity journal. plan, review and patrol logs belong to their role; "
        + "coding, delivery and blocked logs on a sub-task only to its current or a past assignee (else 403)",
      body: z.object({
        action: z.enum(ACTIVITY_ACTIONS),
        summary: longText.default(""),
        sub_task_id: id.optional().nullable(),
        session_id: text(200).optional().nullable(),
      }),
      response: ActivityLogSchema,
    }),
    async (c) => {
      const body = c.req.valid("json");
      const author = c.var.agent;
      const role = author.role as Role;
      checkKind(role, body.action);
      const row = {
        id: crypto.randomUUID(),
        agentId: author.id,
        subTaskId: body.sub_task_id ?? null,
        taskId: null,
        action: body.action,
        summary: body.summary,
        sessionId: body.session_id ?? null,
        createdAt: nowIso(),
      };
      const outcome = await writeLog(c.var.db, row, needsAssignee(body.action, row.subTaskId));
      if (!outcome.ok && outcome.refused === "sub_task_not_found") throw notFound("sub_task_not_found", "sub-task does not exist");
      if (!outcome.ok) throw notAssignee(role, body.action, row.subTaskId!);
      return c.json(activityJson(row), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get", path: "/api/logs/mine", tag: "Logs", auth: "agent", summary: "My recent activity, newest first",
      query: z.object(windowQuery), response: LogList,
    }),
    async (c) => c.json((await listLogs(c.var.db, { ...c.req.valid("query"), agentId: c.var.agent.id })).map(namedActivityJson), 200),
  );

  app.openapi(
    defineRoute({
      method: "get", path: "/api/logs", tag: "Logs", auth: "agent",
      summary: "Recent activity of all agents, newest first; each entry names its author (agent_name) and time (created_at)",
      query: z.object({ ...windowQuery, sub_task_id: id.optional(), agent_id: id.optional() }),
      response: LogList,
    }),
    async (c) => {
      const { sub_task_id, agent_id, ...rest } = c.req.valid("query");
      const filter: LogFilter = { ...rest, agentId: agent_id, subTaskId: sub_task_id };
      return c.json((await listLogs(c.var.db, filter)).map(namedActivityJson), 200);
    },
  );
}
