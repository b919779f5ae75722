import { z } from "@hono/zod-openapi";
import { and, desc, eq, ne, type SQL, sql } from "drizzle-orm";
import {
  ANOMALY_TYPES,
  type AnomalyType,
  PATROL_RECORD_STATUSES,
  type PatrolRecordStatus,
  type PatrolSource,
  SEVERITIES,
  type Severity,
} from "../../contract/vocabulary";
import type { App } from "../app";
import { atomicWrite, type Db, guardedInsert } from "../db/client";
import { enqueueEvent } from "../db/outbox";
import { selectPage } from "../db/page";
import { agent, patrolRecord, subTask } from "../db/schema";
import { CLI_COMMAND } from "../domain/prompts";
import { badRequest, conflict, notFound } from "../lib/errors";
import { envelopeSchema, optionalPageQuery, type PageRequest } from "../lib/pagination";
import { nowIso } from "../lib/time";
import { checkAnomalies } from "../patrol/run";
import { defineRoute, id, idParam, text } from "./define";
import { AnomalyTypeEnum, type PatrolRecordRow, PatrolRecordSchema, patrolRecordJson, SeverityEnum } from "./shapes";

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

export interface PatrolRecordQuery extends PageRequest {
  status?: PatrolRecordStatus;
  type?: AnomalyType;
  severity?: Severity;
  source?: PatrolSource;
  sub_task_id?: string;
  agent_id?: string;
}

/** One page of patrol records, newest first; shared by the agent and the admin lists. */
export function listPatrolRecords(db: Db, q: PatrolRecordQuery) {
  const where = and(
    q.status ? eq(patrolRecord.status, q.status) : undefined,
    q.type ? eq(patrolRecord.type, q.type) : undefined,
    q.severity ? eq(patrolRecord.severity, q.severity) : undefined,
    q.source ? eq(patrolRecord.source, q.source) : undefined,
    q.sub_task_id ? eq(patrolRecord.subTaskId, q.sub_task_id) : undefined,
    q.agent_id ? eq(patrolRecord.agentId, q.agent_id) : undefined,
  );
  return selectPage(db, patrolRecord, where, [desc(patrolRecord.createdAt), sql`rowid desc`], q, patrolRecordJson);
}

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
        throw badRequest(
          "target_required",
          "give sub_task_id, agent_id, or both",
          `Name what it is about: \`${CLI_COMMAND} patrol report … --sub-task-id <id>\` (or --agent-id <id>).`,
        );
      }
      const checks: Promise<unknown[]>[] = [];
      if (body.sub_task_id)
        checks.push(db.select({ id: subTask.id }).from(subTask).where(eq(subTask.id, body.sub_task_id)).limit(1));
      if (body.agent_id)
        checks.push(db.select({ id: agent.id }).from(agent).where(eq(agent.id, body.agent_id)).limit(1));
      const found = await Promise.all(checks);
      if (body.sub_task_id && found[0]!.length === 0) throw notFound("sub_task_not_found", "sub-task does not exist");
      if (body.agent_id && found[found.length - 1]!.length === 0)
        throw notFound("agent_not_found", "agent does not exist");

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
      const landed: SQL = sql`exists (select 1 from ${patrolRecord} where id = ${row.id})`;
      const [inserted] = await atomicWrite(db, [
        // Only while its sub-task and agent still exist (a delete may commit after the checks above).
        sql`${guardedInsert(
          patrolRecord,
          row,
          and(
            row.subTaskId ? sql`exists (select 1 from ${subTask} where ${subTask.id} = ${row.subTaskId})` : undefined,
            row.agentId ? sql`exists (select 1 from ${agent} where ${agent.id} = ${row.agentId})` : undefined,
          ) ?? sql`1`,
        )} on conflict do nothing`,
        enqueueEvent(
          "patrol_alert",
          {
            patrol: { type: row.type, severity: row.severity, description: row.description, target: row.target },
            actor: { kind: "agent", id: c.var.agent.id, name: c.var.agent.name },
          },
          now,
          landed,
        ),
      ]);
      if (inserted?.meta.changes !== 1) {
        const [open] = await db
          .select({ id: patrolRecord.id })
          .from(patrolRecord)
          .where(
            and(eq(patrolRecord.type, row.type), eq(patrolRecord.target, row.target), eq(patrolRecord.status, "open")),
          )
          .limit(1);
        if (!open) throw notFound("target_not_found", "the sub-task or agent was deleted while this request ran");
        throw conflict("record_open", `an open ${row.type} record for ${row.target} already exists`);
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
      // The cron's records reopen while their condition holds; only the cron (or an admin) closes them.
      const [row] = await c.var.db
        .update(patrolRecord)
        .set({ status: "resolved", resolvedAt: nowIso(), resolutionNote: c.req.valid("json").note })
        .where(and(eq(patrolRecord.id, id), eq(patrolRecord.status, "open"), ne(patrolRecord.source, "cron")))
        .returning();
      if (row) return c.json(patrolRecordJson(row), 200);
      const [found] = await c.var.db
        .select({ status: patrolRecord.status, subTaskId: patrolRecord.subTaskId })
        .from(patrolRecord)
        .where(eq(patrolRecord.id, id));
      if (!found) throw notFound("patrol_record_not_found", "patrol record does not exist");
      if (found.status === "open") {
        const look = found.subTaskId ? `; its sub-task: \`${CLI_COMMAND} st get ${found.subTaskId}\`` : "";
        throw conflict(
          "cron_record",
          "the server opened this record; agents cannot resolve it",
          `Leave it: the server closes it when the condition clears${look}.`,
        );
      }
      throw conflict("record_not_open", `the record is already ${found.status}`);
    },
  );
}
