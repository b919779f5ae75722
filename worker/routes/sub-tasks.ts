import { z } from "@hono/zod-openapi";
import {
  SubTaskDetailSchema,
  SubTaskEventSchema,
  SubTaskListItemSchema,
  SubTaskSchema,
} from "../../contract/api/sub-tasks";
import { PRIORITIES, SUB_TASK_STATUSES, TASK_TYPES } from "../../contract/vocabulary";
import type { App } from "../app";
import { agentActor } from "../auth/agent";
import { dependenciesOf, replaceDependencies } from "../db/dependencies";
import {
  findLatestSubTaskOf,
  findSubTask,
  listClaimableSubTasks,
  listSubTaskEvents,
  listSubTasks,
} from "../db/sub-task-reads";
import { createSubTask } from "../db/sub-tasks";
import { idHint } from "../domain/hints";
import { OP_ROLE, type SubTaskCommand, type SubTaskEdit } from "../domain/sub-task-machine";
import { transitionSubTask } from "../durable/run-in-coordinator";
import { text as message } from "../i18n";
import { notFound } from "../lib/errors";
import { envelopeSchema, optionalPageQuery, PLAIN_LIST_LIMIT } from "../lib/pagination";
import { nowIso } from "../lib/time";
import { defineRoute, id, idParam, longText, name, refusal, text } from "./define";
import { subTaskJson, subTaskListItem } from "./shapes";

const SubTaskId = idParam("id");
const sessionId = text(200);
export const MAX_DEPENDENCIES = 20;

/** Ids of sub-tasks of the same task that must be done first (unique, at most 20). */
const DependsOn = z
  .array(id)
  .max(MAX_DEPENDENCIES)
  .refine((ids) => new Set(ids).size === ids.length, refusal("repeatedDependency"));

/** The create body, shared with POST /api/admin/sub-tasks. */
export const CreateSubTaskBody = z.object({
  task_id: id,
  name,
  description: longText.default(""),
  deliverable: longText.default(""),
  acceptance: longText.default(""),
  priority: z.enum(PRIORITIES).default("medium"),
  module_id: id.nullish(),
  assigned_agent: id.nullish(),
  type: z.enum(TASK_TYPES).default("once"),
  depends_on: DependsOn.optional(),
});

/** The edit body, shared with PUT /api/admin/sub-tasks/{id}. */
export const EditSubTaskBody = z.object({
  name: name.nullish(),
  description: longText.nullish(),
  deliverable: longText.nullish(),
  acceptance: longText.nullish(),
  priority: z.enum(PRIORITIES).nullish(),
});

/** Only the fields given (null and absent leave a field unchanged). */
export const editChanges = (body: z.infer<typeof EditSubTaskBody>): SubTaskEdit =>
  Object.fromEntries(Object.entries(body).filter(([, v]) => v != null));

/** The state-changing endpoints: path suffix, body schema, and how a valid body becomes a command. */
export const SUB_TASK_TRANSITIONS = {
  claim: {
    body: z.object({ session_id: sessionId.nullish() }),
    command: (b: { session_id?: string | null }): SubTaskCommand => ({ op: "claim", sessionId: b.session_id ?? null }),
  },
  start: {
    body: z.object({ session_id: sessionId.nullish() }),
    command: (b: { session_id?: string | null }): SubTaskCommand => ({ op: "start", sessionId: b.session_id ?? null }),
  },
  session: {
    body: z.object({ session_id: sessionId.min(1) }),
    command: (b: { session_id: string }): SubTaskCommand => ({ op: "session", sessionId: b.session_id }),
  },
  submit: { body: z.object({}), command: (): SubTaskCommand => ({ op: "submit" }) },
  complete: { body: z.object({}), command: (): SubTaskCommand => ({ op: "complete" }) },
  rework: {
    body: z.object({ rework_agent: id.nullish() }),
    command: (b: { rework_agent?: string | null }): SubTaskCommand => ({
      op: "rework",
      reworkAgent: b.rework_agent ?? null,
    }),
  },
  block: {
    body: z.object({ reason: text(2000).nullish() }),
    command: (b: { reason?: string | null }): SubTaskCommand => ({ op: "block", reason: b.reason ?? undefined }),
  },
  reassign: {
    body: z.object({ agent_id: id }),
    command: (b: { agent_id: string }): SubTaskCommand => ({ op: "reassign", agentId: b.agent_id }),
  },
  cancel: { body: z.object({}), command: (): SubTaskCommand => ({ op: "cancel" }) },
} as const;

export function registerSubTaskRoutes(app: App) {
  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/sub-tasks",
      tag: "Sub-tasks",
      auth: ["planner"],
      summary: "Create a sub-task (assigned when assigned_agent is given, else pending)",
      body: CreateSubTaskBody,
      response: SubTaskSchema,
    }),
    async (c) => {
      const row = await createSubTask(c.var.db, c.req.valid("json"), agentActor(c.var.agent), nowIso());
      return c.json(subTaskJson(row), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/sub-tasks",
      tag: "Sub-tasks",
      auth: "agent",
      summary: "List and filter sub-tasks, newest first",
      query: z.object({
        task_id: id.optional(),
        module_id: id.optional(),
        round_id: id
          .optional()
          .openapi({ description: "A round of a recurring task (GET /api/tasks/{task_id}/rounds)" }),
        status: z.enum(SUB_TASK_STATUSES).optional(),
        ...optionalPageQuery,
      }),
      response: envelopeSchema(SubTaskListItemSchema),
    }),
    async (c) => {
      const q = c.req.valid("query");
      const filter = { taskId: q.task_id, moduleId: q.module_id, roundId: q.round_id, status: q.status };
      return c.json(await listSubTasks(c.var.db, filter, q, subTaskListItem), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/sub-tasks/mine",
      tag: "Sub-tasks",
      auth: "agent",
      summary: "Sub-tasks assigned to the caller",
      query: z.object({ status: z.enum(SUB_TASK_STATUSES).optional(), ...optionalPageQuery }),
      response: envelopeSchema(SubTaskListItemSchema),
    }),
    async (c) => {
      const q = c.req.valid("query");
      const filter = { assignedAgent: c.var.agent.id, status: q.status };
      return c.json(await listSubTasks(c.var.db, filter, q, subTaskListItem), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/sub-tasks/available",
      tag: "Sub-tasks",
      auth: "agent",
      summary: "Pending sub-tasks that can be claimed now (their task is not closed)",
      query: z.object({ ...optionalPageQuery }),
      response: envelopeSchema(SubTaskListItemSchema),
    }),
    async (c) => {
      return c.json(await listClaimableSubTasks(c.var.db, c.req.valid("query"), subTaskListItem), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/sub-tasks/latest",
      tag: "Sub-tasks",
      auth: "agent",
      summary: "The caller's most recently updated sub-task in a task",
      query: z.object({ task_id: id }),
      response: SubTaskSchema,
    }),
    async (c) => {
      const row = await findLatestSubTaskOf(c.var.db, c.req.valid("query").task_id, c.var.agent.id);
      if (!row) throw notFound("no_sub_task", message("noSubTaskOfYours"));
      return c.json(subTaskJson(row), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/sub-tasks/{id}",
      tag: "Sub-tasks",
      auth: "agent",
      summary: "Sub-task detail, with the ids it depends on",
      params: SubTaskId,
      response: SubTaskDetailSchema,
    }),
    async (c) => {
      const subTaskId = c.req.valid("param").id;
      const row = await findSubTask(c.var.db, subTaskId);
      if (!row)
        throw notFound(
          "sub_task_not_found",
          message("subTaskNotFound", { id: subTaskId }),
          idHint("sub_task", subTaskId),
        );
      return c.json({ ...subTaskJson(row), depends_on: await dependenciesOf(c.var.db, subTaskId) }, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "put",
      path: "/api/sub-tasks/{id}/dependencies",
      tag: "Sub-tasks",
      auth: ["planner"],
      summary:
        "Replace the sub-tasks this one depends on (same task only; 409 dependency_cycle when they would form a cycle)",
      params: SubTaskId,
      body: z.object({ depends_on: DependsOn }),
      response: SubTaskDetailSchema,
    }),
    async (c) => {
      const subTaskId = c.req.valid("param").id;
      const dependsOn = await replaceDependencies(c.var.db, subTaskId, c.req.valid("json").depends_on);
      const row = await findSubTask(c.var.db, subTaskId);
      if (!row)
        throw notFound(
          "sub_task_not_found",
          message("subTaskNotFound", { id: subTaskId }),
          idHint("sub_task", subTaskId),
        );
      return c.json({ ...subTaskJson(row), depends_on: dependsOn }, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/sub-tasks/{id}/events",
      tag: "Sub-tasks",
      auth: "agent",
      summary: "Every state change of a sub-task, oldest first (not in upstream)",
      params: SubTaskId,
      response: z.array(SubTaskEventSchema),
    }),
    async (c) => {
      const rows = await listSubTaskEvents(c.var.db, c.req.valid("param").id, PLAIN_LIST_LIMIT);
      return c.json(
        rows.map((e) => ({
          id: e.id,
          sub_task_id: e.subTaskId,
          op: e.op,
          from_status: e.fromStatus,
          to_status: e.toStatus,
          actor_kind: e.actorKind,
          actor_id: e.actorId,
          actor_name: e.actorName,
          detail: e.detail,
          created_at: e.createdAt,
        })),
        200,
      );
    },
  );

  for (const [op, spec] of Object.entries(SUB_TASK_TRANSITIONS) as [
    keyof typeof SUB_TASK_TRANSITIONS,
    (typeof SUB_TASK_TRANSITIONS)[keyof typeof SUB_TASK_TRANSITIONS],
  ][]) {
    app.openapi(
      defineRoute({
        method: "post",
        path: `/api/sub-tasks/{id}/${op}`,
        tag: "Sub-task transitions",
        auth: [OP_ROLE[op]],
        summary: `${op} (runs through the sub-task's Durable Object)`,
        params: SubTaskId,
        body: spec.body as z.ZodObject,
        response: SubTaskSchema,
      }),
      async (c) => {
        const command = (spec.command as (b: unknown) => SubTaskCommand)(c.req.valid("json"));
        const { subTask: row } = await transitionSubTask(c, c.req.valid("param").id, command, agentActor(c.var.agent));
        return c.json(subTaskJson(row), 200);
      },
    );
  }

  app.openapi(
    defineRoute({
      method: "put",
      path: "/api/sub-tasks/{id}",
      tag: "Sub-task transitions",
      auth: [OP_ROLE.edit],
      summary: "Edit a pending or assigned sub-task",
      params: SubTaskId,
      body: EditSubTaskBody,
      response: SubTaskSchema,
    }),
    async (c) => {
      const command: SubTaskCommand = { op: "edit", changes: editChanges(c.req.valid("json")) };
      const { subTask: row } = await transitionSubTask(c, c.req.valid("param").id, command, agentActor(c.var.agent));
      return c.json(subTaskJson(row), 200);
    },
  );
}
