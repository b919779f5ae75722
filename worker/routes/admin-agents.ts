// Admin: agents (spec §6.14) — list with rank, workload and presence; create, edit, enable/disable,
// reset key, delete; each agent's ledger, activity and request log.
import { z } from "@hono/zod-openapi";
import {
  AdminAgentCreatedSchema,
  AdminAgentDetailSchema,
  AdminAgentSchema,
  AgentKeyResetSchema,
  AgentRelatedCountsSchema,
  AgentWriteSchema,
  agentRowCounts,
} from "../../contract/api/agents";
import { NamedActivityLogSchema } from "../../contract/api/records";
import { RewardLogSchema } from "../../contract/api/scores";
import { ACTIVITY_ACTIONS, AGENT_STATUSES, ROLES } from "../../contract/vocabulary";
import type { App } from "../app";
import {
  agentDetail,
  agentExists,
  agentStatsPage,
  createAgentAudited,
  deleteAgent,
  relatedCounts,
  resetAgentKey,
  setAgentStatus,
  updateAgent,
} from "../db/admin-queries";
import type { RequestLogRow } from "../db/feed";
import { type ActivityLogRow, agentActivityLogPage, agentRequestLogPage } from "../db/log-pages";
import { agentRewardLogPage } from "../db/score-ledger";
import { AGENT_SORT_FIELDS, SORT_ORDERS } from "../domain/ranking";
import { text as message } from "../i18n";
import { badRequest } from "../lib/errors";
import { envelope, envelopeSchema, pageWindow, strictPageQuery } from "../lib/pagination";
import { daysAgo, nowIso } from "../lib/time";
import { agentName, agentNameOrEmpty, days, defineRoute, id, idParam, keyword, text } from "./define";
import { namedActivityJson, rewardJson } from "./shapes";

const TAG = "Admin agents";
const AgentId = idParam("id");
const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

const RequestLogItemSchema = z
  .object({
    id: z.string(),
    timestamp: z.string(),
    method: z.string(),
    path: z.string(),
    response_status: z.number().int().nullable(),
    request_body: z.string().nullable(),
  })
  .openapi("AdminRequestLog");

export function registerAdminAgentRoutes(app: App) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/agents",
      tag: TAG,
      auth: "admin",
      summary: "Agents with rank, workload, last request/activity and online state (paged)",
      query: z.object({
        role: z.enum(ROLES).optional(),
        status: z.enum(AGENT_STATUSES).optional(),
        keyword: keyword.openapi({ description: "Substring of name or description (case-insensitive)" }),
        last_request_within_days: days.optional(),
        last_activity_within_days: days.optional(),
        sort_by: z.enum(AGENT_SORT_FIELDS).default("created_at"),
        sort_order: z.enum(SORT_ORDERS).default("desc"),
        ...strictPageQuery,
      }),
      response: envelopeSchema(AdminAgentSchema).openapi("AdminAgentPage"),
    }),
    async (c) => {
      const q = c.req.valid("query");
      const filter = {
        role: q.role,
        status: q.status,
        keyword: q.keyword,
        lastRequestWithinDays: q.last_request_within_days,
        lastActivityWithinDays: q.last_activity_within_days,
      };
      const { items, total } = await agentStatsPage(
        c.var.db,
        filter,
        { by: q.sort_by, order: q.sort_order },
        pageWindow(q),
        nowIso(),
      );
      return c.json(envelope(items, total, q), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/admin/agents",
      tag: TAG,
      auth: "admin",
      summary: "Create an agent; the API key is shown once",
      body: z.object({ name: agentName, role: z.enum(ROLES), description: text(2000).default("") }),
      response: AdminAgentCreatedSchema,
    }),
    async (c) => c.json(await createAgentAudited(c, c.req.valid("json")), 200),
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/agents/{id}",
      tag: TAG,
      auth: "admin",
      summary: "One agent with its totals",
      params: AgentId,
      response: AdminAgentDetailSchema,
    }),
    async (c) => c.json(await agentDetail(c.var.db, c.req.valid("param").id), 200),
  );

  app.openapi(
    defineRoute({
      method: "put",
      path: "/api/admin/agents/{id}",
      tag: TAG,
      auth: "admin",
      summary: "Rename, change role or description (empty name/role are ignored); the key stays the same",
      params: AgentId,
      body: z.object({
        name: agentNameOrEmpty.nullable().optional(),
        role: z
          .union([z.enum(ROLES), z.literal("")])
          .nullable()
          .optional(),
        description: text(2000).nullable().optional(),
      }),
      response: AgentWriteSchema,
    }),
    async (c) => {
      const body = c.req.valid("json");
      const changes = {
        name: body.name || undefined,
        role: body.role || undefined,
        description: body.description ?? undefined,
      };
      if (changes.name === undefined && changes.role === undefined && changes.description === undefined) {
        throw badRequest("nothing_to_update", message("giveAgentFields"));
      }
      return c.json(await updateAgent(c, c.req.valid("param").id, changes), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "put",
      path: "/api/admin/agents/{id}/status",
      tag: TAG,
      auth: "admin",
      summary: "Enable or disable an agent",
      params: AgentId,
      body: z.object({ status: z.enum(AGENT_STATUSES) }),
      response: AgentWriteSchema,
    }),
    async (c) => c.json(await setAgentStatus(c, c.req.valid("param").id, c.req.valid("json").status), 200),
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/admin/agents/{id}/reset-key",
      tag: TAG,
      auth: "admin",
      summary: "Issue a new API key (shown once); the old one stops working at once",
      params: AgentId,
      response: AgentKeyResetSchema,
    }),
    async (c) => c.json(await resetAgentKey(c, c.req.valid("param").id), 200),
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/agents/{id}/related-counts",
      tag: TAG,
      auth: "admin",
      summary: "Rows that belong to the agent, and its open sub-tasks (a delete is refused while there are any)",
      params: AgentId,
      response: AgentRelatedCountsSchema,
    }),
    async (c) => c.json(await relatedCounts(c.var.db, c.req.valid("param").id), 200),
  );

  app.openapi(
    defineRoute({
      method: "delete",
      path: "/api/admin/agents/{id}",
      tag: TAG,
      auth: "admin",
      summary:
        "Delete an agent (confirm_name must equal its name). 409 agent_has_open_work while it holds open sub-tasks; its history is kept",
      params: AgentId,
      body: z.object({ confirm_name: text(200) }),
      response: z.object({ message: z.string(), agent_name: z.string(), ...agentRowCounts }).openapi("AgentDeleted"),
    }),
    async (c) => c.json(await deleteAgent(c, c.req.valid("param").id, c.req.valid("json").confirm_name), 200),
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/agents/{id}/score-logs",
      tag: TAG,
      auth: "admin",
      summary: "The agent's score ledger (paged)",
      params: AgentId,
      query: z.object({
        sub_task_id: id.optional(),
        sort_order: z.enum(SORT_ORDERS).default("desc"),
        ...strictPageQuery,
      }),
      response: envelopeSchema(RewardLogSchema).openapi("AdminRewardLogPage"),
    }),
    async (c) => {
      const db = c.var.db;
      const agentId = (await agentExists(db, c.req.valid("param").id)).id;
      const q = c.req.valid("query");
      const filter = { subTaskId: q.sub_task_id };
      return c.json(await agentRewardLogPage(db, agentId, filter, q.sort_order, q, rewardJson), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/agents/{id}/activity-logs",
      tag: TAG,
      auth: "admin",
      summary: "The agent's activity journal, newest first (paged)",
      params: AgentId,
      query: z.object({
        action: z.enum(ACTIVITY_ACTIONS).optional(),
        days: days.optional(),
        sub_task_id: id.optional(),
        ...strictPageQuery,
      }),
      response: envelopeSchema(NamedActivityLogSchema).openapi("AdminActivityLogPage"),
    }),
    async (c) => {
      const db = c.var.db;
      const { id: agentId, name } = await agentExists(db, c.req.valid("param").id);
      const q = c.req.valid("query");
      const filter = { action: q.action, subTaskId: q.sub_task_id, since: daysAgo(q.days) };
      const item = (l: ActivityLogRow) => namedActivityJson({ ...l, agentName: name });
      return c.json(await agentActivityLogPage(db, agentId, filter, q, item), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/agents/{id}/request-logs",
      tag: TAG,
      auth: "admin",
      summary: "The agent's API calls, newest first (paged)",
      params: AgentId,
      query: z.object({
        days: days.optional(),
        method: z
          .string()
          .max(10)
          .transform((m) => m.trim().toUpperCase())
          .pipe(z.enum(HTTP_METHODS))
          .optional(),
        path_keyword: keyword,
        ...strictPageQuery,
      }),
      response: envelopeSchema(RequestLogItemSchema).openapi("AdminRequestLogPage"),
    }),
    async (c) => {
      const db = c.var.db;
      const agentId = (await agentExists(db, c.req.valid("param").id)).id;
      const q = c.req.valid("query");
      const filter = { since: daysAgo(q.days), method: q.method, pathKeyword: q.path_keyword };
      const item = (r: RequestLogRow) => ({
        id: r.id,
        timestamp: r.timestamp,
        method: r.method,
        path: r.path,
        response_status: r.responseStatus,
        request_body: r.requestBody,
      });
      return c.json(await agentRequestLogPage(db, agentId, filter, q, item), 200);
    },
  );
}
