// What the dashboard watches: patrol records, the live request log (whether or not the public feed is
// on) and the audit log of admin writes.
import { z } from "@hono/zod-openapi";
import { FeedLogSchema, PatrolRecordSchema } from "../../contract/api/records";
import { ANOMALY_TYPES, PATROL_RECORD_STATUSES, PATROL_SOURCES, SEVERITIES } from "../../contract/vocabulary";
import type { App } from "../app";
import { listFeedLogs } from "../db/feed";
import { type AuditLogRow, auditLogPage } from "../db/log-pages";
import { envelopeSchema, strictPageQuery } from "../lib/pagination";
import { defineRoute, id, isoDateTime, text } from "./define";
import { listPatrolRecords } from "./patrol";
import { requestLogJson } from "./shapes";

const AuditSchema = z
  .object({
    id: z.string(),
    at: z.string(),
    action: z.string(),
    target_type: z.string(),
    target_id: z.string().nullable(),
    detail: z.unknown(),
    ip: z.string().nullable(),
  })
  .openapi("AuditEntry");

export function registerAdminActivityRoutes(app: App) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/patrol-records",
      tag: "Admin activity",
      auth: "admin",
      summary: "Patrol records, newest first",
      query: z.object({
        status: z.enum(PATROL_RECORD_STATUSES).optional(),
        type: z.enum(ANOMALY_TYPES).optional(),
        severity: z.enum(SEVERITIES).optional(),
        source: z.enum(PATROL_SOURCES).optional(),
        sub_task_id: id.optional(),
        agent_id: id.optional(),
        ...strictPageQuery,
      }),
      response: envelopeSchema(PatrolRecordSchema),
    }),
    async (c) => c.json(await listPatrolRecords(c.var.db, c.req.valid("query")), 200),
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/request-logs",
      tag: "Admin activity",
      auth: "admin",
      summary: "Agent API calls, newest first; `after` returns only newer ones (for a live feed)",
      query: z.object({
        after: isoDateTime.optional(),
        agent_id: id.optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      response: z.array(FeedLogSchema),
    }),
    async (c) => {
      const { after, agent_id, limit } = c.req.valid("query");
      const rows = await listFeedLogs(c.var.db, { after, agentId: agent_id, limit });
      return c.json(rows.map(requestLogJson), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/audit-log",
      tag: "Admin activity",
      auth: "admin",
      summary: "Admin writes, newest first",
      query: z.object({
        action: text(100).optional(),
        target_type: text(50).optional(),
        target_id: id.optional(),
        ...strictPageQuery,
      }),
      response: envelopeSchema(AuditSchema),
    }),
    async (c) => {
      const q = c.req.valid("query");
      const filter = { action: q.action, targetType: q.target_type, targetId: q.target_id };
      const toJson = (r: AuditLogRow) => ({
        id: r.id,
        at: r.at,
        action: r.action,
        target_type: r.targetType,
        target_id: r.targetId,
        detail: r.detail,
        ip: r.ip,
      });
      return c.json(await auditLogPage(c.var.db, filter, q, toJson), 200);
    },
  );
}
