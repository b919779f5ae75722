import { z } from "@hono/zod-openapi";
import { AnomalyTypeEnum, SeverityEnum } from "../../contract/api/enums";
import { PatrolRecordSchema } from "../../contract/api/records";
import { ANOMALY_TYPES, PATROL_RECORD_STATUSES, SEVERITIES } from "../../contract/vocabulary";
import type { App } from "../app";
import type { Db } from "../db/client";
import {
  fileAgentPatrolRecord,
  findPatrolRecordState,
  openPatrolRecordExists,
  type PatrolRecordQuery,
  pageOfPatrolRecords,
  patrolTargetsExist,
  resolveAgentPatrolRecord,
} from "../db/patrol-records";
import { text as message } from "../i18n";
import { badRequest, conflict, notFound } from "../lib/errors";
import { envelopeSchema, optionalPageQuery } from "../lib/pagination";
import { nowIso } from "../lib/time";
import { checkAnomalies } from "../patrol/run";
import { defineRoute, id, idParam, text } from "./define";
import { type PatrolRecordRow, patrolRecordJson } from "./shapes";

const AnomalySchema = z
  .object({
    type: AnomalyTypeEnum,
    severity: SeverityEnum,
    target: z.string(),
    sub_task_id: z.string().nullable(),
    agent_id: z.string().nullable(),
    description: z.string(),
    block: z.boolean().openapi({ description: "a critical timeout: the cron blocks this sub-task" }),
  })
  .openapi("Anomaly");

/** One page of patrol records, newest first; shared by the agent and the admin lists. */
export const listPatrolRecords = (db: Db, q: PatrolRecordQuery) => pageOfPatrolRecords(db, q, patrolRecordJson);

export function registerPatrolRoutes(app: App) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/patrol/check",
      tag: "Patrol",
      auth: "agent",
      summary: "Current anomalies by the server's rules, without writing anything",
      response: z.object({
        generated_at: z.string(),
        complete: z
          .boolean()
          .openapi({ description: "false when there were more open sub-tasks than one check reads" }),
        anomalies: z.array(AnomalySchema),
      }),
    }),
    async (c) => {
      const now = nowIso();
      const { anomalies, complete } = await checkAnomalies(c.var.db, now);
      return c.json(
        {
          generated_at: now,
          complete,
          anomalies: anomalies.map((a) => ({
            type: a.type,
            severity: a.severity,
            target: a.target,
            sub_task_id: a.subTaskId,
            agent_id: a.agentId,
            description: a.description,
            block: a.block,
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/patrol/records",
      tag: "Patrol",
      auth: "agent",
      summary: "Patrol records, newest first",
      query: z.object({
        status: z.enum(PATROL_RECORD_STATUSES).optional(),
        type: z.enum(ANOMALY_TYPES).optional(),
        severity: z.enum(SEVERITIES).optional(),
        sub_task_id: id.optional(),
        agent_id: id.optional(),
        ...optionalPageQuery,
      }),
      response: envelopeSchema(PatrolRecordSchema),
    }),
    async (c) => c.json(await listPatrolRecords(c.var.db, c.req.valid("query")), 200),
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/patrol/records",
      tag: "Patrol",
      auth: ["patrol"],
      summary:
        "File a record for an anomaly you found; give sub_task_id or agent_id (or both). One open record per type and target",
      body: z.object({
        type: z.enum(ANOMALY_TYPES),
        severity: z.enum(SEVERITIES),
        sub_task_id: id.nullish(),
        agent_id: id.nullish(),
        description: text(5000).trim().min(1),
        action_taken: text(2000).default(""),
      }),
      response: PatrolRecordSchema,
    }),
    async (c) => {
      const db = c.var.db;
      const body = c.req.valid("json");
      if (!body.sub_task_id && !body.agent_id) {
        throw badRequest("target_required", message("patrolTargetRequired"), message("patrolTargetHint"));
      }
      const found = await patrolTargetsExist(db, body.sub_task_id ?? null, body.agent_id ?? null);
      if (!found.subTask) throw notFound("sub_task_not_found", message("subTaskGone"));
      if (!found.agent) throw notFound("agent_not_found", message("agentGone"));

      const now = nowIso();
      const row: PatrolRecordRow = {
        id: crypto.randomUUID(),
        type: body.type,
        severity: body.severity,
        subTaskId: body.sub_task_id ?? null,
        agentId: body.agent_id ?? null,
        description: body.description,
        actionTaken: body.action_taken,
        status: "open",
        createdAt: now,
        resolvedAt: null,
        target: body.sub_task_id ? `sub_task:${body.sub_task_id}` : `agent:${body.agent_id}`,
        source: "agent",
        lastSeenAt: now,
        resolutionNote: "",
      };
      const actor = { kind: "agent", id: c.var.agent.id, name: c.var.agent.name };
      if (!(await fileAgentPatrolRecord(db, row, actor))) {
        if (!(await openPatrolRecordExists(db, row.type, row.target)))
          throw notFound("target_not_found", message("patrolTargetDeleted"));
        throw conflict("record_open", message("patrolRecordOpen", { type: row.type, target: row.target }));
      }
      c.set("notify", true);
      return c.json(patrolRecordJson(row), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/patrol/records/{id}/resolve",
      tag: "Patrol",
      auth: ["patrol", "planner"],
      summary:
        "Resolve an open record filed by an agent (source agent), with a note; the server closes its own (source cron)",
      params: idParam("id"),
      body: z.object({ note: text(2000).default("") }),
      response: PatrolRecordSchema,
    }),
    async (c) => {
      const id = c.req.valid("param").id;
      const row = await resolveAgentPatrolRecord(c.var.db, id, c.req.valid("json").note, nowIso());
      if (row) return c.json(patrolRecordJson(row), 200);
      const found = await findPatrolRecordState(c.var.db, id);
      if (!found) throw notFound("patrol_record_not_found", message("patrolRecordNotFound"));
      if (found.status === "open") {
        throw conflict(
          "cron_record",
          message("cronRecord"),
          message("cronRecordHint", { subTaskId: found.subTaskId ?? "" }),
        );
      }
      throw conflict("record_not_open", message("recordNotOpen", { status: found.status }));
    },
  );
}
