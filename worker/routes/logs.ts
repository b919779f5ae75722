import { z } from "@hono/zod-openapi";
import { and, desc, eq, gte, sql, type SQL } from "drizzle-orm";
import type { App } from "../app";
import { atomicWrite, type Db, guardedInsert } from "../db/client";
import { activityLog, subTask } from "../db/schema";
import { ACTIVITY_ACTIONS } from "../domain/model";
import { notFound } from "../lib/errors";
import { DAY, isoMinus, nowIso } from "../lib/time";
import { defineRoute, id, longText, text } from "./define";
import { ActivityLogSchema, activityJson } from "./shapes";

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

const windowQuery = {
  action: text(50).optional(),
  days: z.coerce.number().int().default(7).transform((d) => clamp(d, 1, 60))
    .openapi({ description: "Look back this many days (clamped to 1..60)" }),
  limit: z.coerce.number().int().default(20).transform((l) => (l === 0 ? 20 : clamp(l, 1, 500)))
    .openapi({ description: "At most this many rows (0 means 20; clamped to 1..500)" }),
};

interface LogFilter {
  agentId?: string | undefined;
  subTaskId?: string | undefined;
  action?: string | undefined;
  days: number;
  limit: number;
}

async function queryLogs(db: Db, f: LogFilter) {
  const filters: SQL[] = [gte(activityLog.createdAt, isoMinus(nowIso(), f.days * DAY))];
  if (f.agentId) filters.push(eq(activityLog.agentId, f.agentId));
  if (f.subTaskId) filters.push(eq(activityLog.subTaskId, f.subTaskId));
  if (f.action) filters.push(eq(activityLog.action, f.action));
  const rows = await db.select().from(activityLog).where(and(...filters))
    .orderBy(desc(activityLog.createdAt), sql`rowid desc`).limit(f.limit);
  return rows.map(activityJson);
}

export function registerLogRoutes(app: App) {
  app.openapi(
    defineRoute({
      method: "post", path: "/api/logs", tag: "Logs", auth: "agent", summary: "Write an entry in my activity journal",
      body: z.object({
        action: z.enum(ACTIVITY_ACTIONS),
        summary: longText.default(""),
        sub_task_id: id.optional().nullable(),
        session_id: text(200).optional().nullable(),
      }),
      response: ActivityLogSchema,
    }),
    async (c) => {
      const db = c.var.db;
      const body = c.req.valid("json");
      if (body.sub_task_id) {
        const [found] = await db.select({ id: subTask.id }).from(subTask).where(eq(subTask.id, body.sub_task_id)).limit(1);
        if (!found) throw notFound("sub_task_not_found", "sub-task does not exist");
      }
      const row = {
        id: crypto.randomUUID(),
        agentId: c.var.agent.id,
        subTaskId: body.sub_task_id ?? null,
        action: body.action,
        summary: body.summary,
        sessionId: body.session_id ?? null,
        createdAt: nowIso(),
      };
      // Written only while the sub-task still exists: a task delete may commit after the check above.
      const guard = row.subTaskId ? sql`exists (select 1 from ${subTask} where ${subTask.id} = ${row.subTaskId})` : sql`1`;
      const [written] = await atomicWrite(db, [guardedInsert(activityLog, row, guard)]);
      if (written?.meta.changes !== 1) throw notFound("sub_task_not_found", "sub-task does not exist");
      return c.json(activityJson(row), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get", path: "/api/logs/mine", tag: "Logs", auth: "agent", summary: "My recent activity, newest first",
      query: z.object(windowQuery), response: z.array(ActivityLogSchema),
    }),
    async (c) => c.json(await queryLogs(c.var.db, { ...c.req.valid("query"), agentId: c.var.agent.id }), 200),
  );

  app.openapi(
    defineRoute({
      method: "get", path: "/api/logs", tag: "Logs", auth: "agent", summary: "Recent activity of all agents, newest first",
      query: z.object({ ...windowQuery, sub_task_id: id.optional(), agent_id: id.optional() }),
      response: z.array(ActivityLogSchema),
    }),
    async (c) => {
      const { sub_task_id, agent_id, ...rest } = c.req.valid("query");
      return c.json(await queryLogs(c.var.db, { ...rest, agentId: agent_id, subTaskId: sub_task_id }), 200);
    },
  );
}
