// Admin API for tasks, modules, sub-tasks, patrol records and the registration token. Reads follow
// upstream §6.15; writes are ours (users asked for them: upstream PR #32 and issue 4). Every write
// leaves one audit row: in the write's own batch, or right after a Durable Object transition (which
// commits its own batch). A refused write leaves none.
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { AnomalyTypeEnum, PatrolRecordStatusEnum, PatrolSourceEnum, SeverityEnum } from "../../contract/api/enums";
import { RegistrationTokenSchema } from "../../contract/api/setup";
import { AdminSubTaskDetailSchema, AdminSubTaskSchema, SubTaskSchema } from "../../contract/api/sub-tasks";
import { AdminModuleDetailSchema, AdminModuleSchema, AdminTaskSchema, TaskSchema } from "../../contract/api/tasks";
import { type Actor, PRIORITIES, SUB_TASK_STATUSES, TASK_STATUSES, TASK_TYPES } from "../../contract/vocabulary";
import type { App } from "../app";
import type { AppEnv } from "../app-types";
import { randomHex } from "../auth/crypto";
import {
  assertTaskExists,
  getAdminModule,
  getAdminSubTask,
  getAdminTask,
  listAdminModules,
  listAdminSubTasks,
  listAdminTasks,
  MODULE_SORTS,
  SUB_TASK_SORTS,
  type SubTaskFilters,
  TASK_SORTS,
} from "../db/admin-task-queries";
import { auditAlongside, auditStatement } from "../db/audit";
import { atomicWrite } from "../db/client";
import { resolvePatrolRecord } from "../db/patrol-resolution";
import { settingWrites } from "../db/settings";
import { createSubTask } from "../db/sub-tasks";
import { deleteTask } from "../db/task-deletion";
import { cancelTask, createTask, editTask, restartTask } from "../db/tasks";
import type { SubTaskCommand } from "../domain/sub-task-machine";
import { transitionSubTask } from "../durable/run-in-coordinator";
import { text as message, render } from "../i18n";
import { badRequest, conflict, notFound } from "../lib/errors";
import { envelopeSchema, strictPageQuery } from "../lib/pagination";
import { nowIso } from "../lib/time";
import { defineRoute, id, idParam, longText, name, text } from "./define";
import { patrolRecordJson, subTaskJson, taskJson } from "./shapes";
import { CreateSubTaskBody, EditSubTaskBody, editChanges, SUB_TASK_TRANSITIONS } from "./sub-tasks";
import { workspace } from "./tasks";

const TAG = "Admin: tasks";
const ADMIN: Actor = { kind: "admin", id: null, name: "admin" };
const Id = idParam("id");
const sortOrder = z.enum(["asc", "desc"]).default("desc");
const keyword = text(200).optional().openapi({ description: "case-insensitive substring of name or description" });

const subTaskFilters = {
  round_id: id.optional().openapi({ description: "one round of a recurring task" }),
  status: z.enum(SUB_TASK_STATUSES).optional(),
  assigned_agent: id.optional(),
  priority: z.enum(PRIORITIES).optional(),
  type: z.enum(TASK_TYPES).optional(),
  keyword,
  sort_by: z
    .enum(SUB_TASK_SORTS)
    .default("created_at")
    .openapi({ description: "priority sorts high > medium > low; status in lifecycle order" }),
  sort_order: sortOrder,
  ...strictPageQuery,
};

const PatrolRecordSchema = z
  .object({
    id: z.string(),
    type: AnomalyTypeEnum,
    severity: SeverityEnum,
    sub_task_id: z.string().nullable(),
    agent_id: z.string().nullable(),
    description: z.string(),
    action_taken: z.string(),
    status: PatrolRecordStatusEnum,
    created_at: z.string(),
    resolved_at: z.string().nullable(),
    target: z.string(),
    source: PatrolSourceEnum,
    last_seen_at: z.string(),
    resolution_note: z.string(),
  })
  .openapi("AdminPatrolRecord");

const TaskDeletedSchema = z
  .object({
    message: z.string(),
    task_id: z.string(),
    task_name: z.string(),
    module_count: z.number().int(),
    sub_task_count: z.number().int(),
    event_count: z.number().int(),
    rule_count: z.number().int(),
    activity_count: z.number().int(),
    review_count: z.number().int(),
    reward_count: z.number().int(),
    patrol_count: z.number().int(),
    score_reversals: z
      .array(z.object({ agent_id: z.string(), score_delta: z.number().int() }))
      .openapi({ description: "what each agent's total_score changed by as the task's ledger rows were removed" }),
  })
  .openapi("AdminTaskDeleted");

/** Runs an admin command through the sub-task's Durable Object, then records it. */
async function adminTransition(
  c: Context<AppEnv>,
  subTaskId: string,
  command: SubTaskCommand,
  detail: Record<string, unknown>,
) {
  const { subTask } = await transitionSubTask(c, subTaskId, command, ADMIN);
  const action = command.op === "edit" ? "sub_task.update" : `sub_task.${command.op}`;
  await atomicWrite(c.var.db, [
    auditStatement(
      c,
      { action, targetType: "sub_task", targetId: subTaskId, detail: { ...detail, status: subTask.status } },
      nowIso(),
    ),
  ]);
  return c.json(subTaskJson(subTask), 200);
}

export function registerAdminTaskRoutes(app: App) {
  // ------------------------------------------------------------------ reads (upstream §6.15)

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/tasks",
      tag: TAG,
      auth: "admin",
      summary: "Tasks with module and per-status sub-task counts",
      query: z.object({
        status: z.enum(TASK_STATUSES).optional(),
        type: z.enum(TASK_TYPES).optional(),
        keyword,
        sort_by: z.enum(TASK_SORTS).default("created_at").openapi({ description: "status sorts in lifecycle order" }),
        sort_order: sortOrder,
        ...strictPageQuery,
      }),
      response: envelopeSchema(AdminTaskSchema),
    }),
    async (c) => {
      const { sort_by, sort_order, page, page_size, ...filters } = c.req.valid("query");
      return c.json(await listAdminTasks(c.var.db, filters, sort_by, sort_order, { page, page_size }), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/tasks/{id}",
      tag: TAG,
      auth: "admin",
      summary: "One task with its counts",
      params: Id,
      response: AdminTaskSchema,
    }),
    async (c) => c.json(await getAdminTask(c.var.db, c.req.valid("param").id), 200),
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/tasks/{id}/modules",
      tag: TAG,
      auth: "admin",
      summary: "A task's modules with per-status sub-task counts",
      params: Id,
      query: z.object({
        sort_by: z.enum(MODULE_SORTS).default("created_at"),
        sort_order: sortOrder,
        ...strictPageQuery,
      }),
      response: envelopeSchema(AdminModuleSchema),
    }),
    async (c) => {
      const { sort_by, sort_order, ...page } = c.req.valid("query");
      return c.json(await listAdminModules(c.var.db, c.req.valid("param").id, sort_by, sort_order, page), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/modules/{id}",
      tag: TAG,
      auth: "admin",
      summary: "One module with its counts and task name",
      params: Id,
      response: AdminModuleDetailSchema,
    }),
    async (c) => c.json(await getAdminModule(c.var.db, c.req.valid("param").id), 200),
  );

  const subTaskList = (path: string, summary: string, scope: "task" | "module" | null) =>
    app.openapi(
      defineRoute({
        method: "get",
        path,
        tag: TAG,
        auth: "admin",
        summary,
        ...(scope ? { params: Id } : {}),
        query: z.object({
          ...(scope === null ? { task_id: id.optional() } : {}),
          ...(scope !== "module"
            ? { module_id: id.optional().openapi({ description: "must exist (404) and belong to the task (400)" }) }
            : {}),
          ...subTaskFilters,
        }),
        response: envelopeSchema(AdminSubTaskSchema),
      }),
      async (c) => {
        const { sort_by, sort_order, page, page_size, ...filters } = c.req.valid("query") as SubTaskFilters & {
          sort_by: string;
          sort_order: "asc" | "desc";
          page: number;
          page_size: number;
        };
        const pathId = scope ? (c.req.param() as { id: string }).id : undefined;
        if (scope === "task") await assertTaskExists(c.var.db, pathId!);
        const scoped =
          scope === "task"
            ? { ...filters, task_id: pathId }
            : scope === "module"
              ? { ...filters, module_id: pathId }
              : filters;
        return c.json(await listAdminSubTasks(c.var.db, scoped, sort_by, sort_order, { page, page_size }), 200);
      },
    );
  subTaskList("/api/admin/tasks/{id}/sub-tasks", "A task's sub-tasks (the task must exist)", "task");
  subTaskList("/api/admin/modules/{id}/sub-tasks", "A module's sub-tasks (the module must exist)", "module");
  subTaskList("/api/admin/sub-tasks", "Search every sub-task", null);

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/sub-tasks/{id}",
      tag: TAG,
      auth: "admin",
      summary: `A sub-task with deliverable, acceptance and its timeline: state changes, review rounds, score changes, patrol records, activity logs (each its latest 200)`,
      params: Id,
      response: AdminSubTaskDetailSchema,
    }),
    async (c) => c.json(await getAdminSubTask(c.var.db, c.req.valid("param").id), 200),
  );

  // ------------------------------------------------------------------ task writes

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/admin/tasks",
      tag: TAG,
      auth: "admin",
      summary: "Create a task (planning unless status active is given)",
      body: z.object({
        name,
        description: longText.default(""),
        type: z.enum(TASK_TYPES).default("once"),
        status: z.enum(["planning", "active"]).default("planning"),
        workspace: workspace.default(""),
      }),
      response: TaskSchema,
    }),
    async (c) => {
      const body = c.req.valid("json");
      const now = nowIso();
      const row = await createTask(c.var.db, body, now, (guard, row) => [
        auditStatement(
          c,
          {
            action: "task.create",
            targetType: "task",
            targetId: row.id,
            detail: { name: row.name, type: row.type, status: row.status },
          },
          now,
          guard,
        ),
      ]);
      return c.json(taskJson(row), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "put",
      path: "/api/admin/tasks/{id}",
      tag: TAG,
      auth: "admin",
      summary:
        "Edit name, description or workspace (any state but completed, archived, cancelled; workspace '' clears it)",
      params: Id,
      body: z.object({ name: name.nullish(), description: longText.nullish(), workspace: workspace.nullish() }),
      response: TaskSchema,
    }),
    async (c) => {
      const taskId = c.req.valid("param").id;
      const body = c.req.valid("json");
      const fields = Object.keys(body).filter((k) => body[k as keyof typeof body] != null);
      if (fields.length === 0) throw badRequest("nothing_to_update", message("giveTaskFields"));
      const now = nowIso();
      const detail = { fields, ...(body.name != null ? { name: body.name } : {}) };
      const row = await editTask(
        c.var.db,
        taskId,
        body,
        now,
        auditAlongside(c, { action: "task.update", targetType: "task", targetId: taskId, detail }, now),
      );
      return c.json(taskJson(row), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/admin/tasks/{id}/cancel",
      tag: TAG,
      auth: "admin",
      summary: "Cancel a task and every open sub-task under it",
      params: Id,
      response: TaskSchema,
    }),
    async (c) => {
      const taskId = c.req.valid("param").id;
      const now = nowIso();
      const row = await cancelTask(
        c.var.db,
        taskId,
        ADMIN,
        now,
        auditAlongside(c, { action: "task.cancel", targetType: "task", targetId: taskId, detail: {} }, now),
      );
      return c.json(taskJson(row), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/admin/tasks/{id}/restart",
      tag: TAG,
      auth: "admin",
      summary: "Restart a cancelled task (→ active; its cancelled sub-tasks stay cancelled). 409 in any other state",
      params: Id,
      response: TaskSchema,
    }),
    async (c) => {
      const taskId = c.req.valid("param").id;
      const now = nowIso();
      const row = await restartTask(
        c.var.db,
        taskId,
        now,
        auditAlongside(c, { action: "task.restart", targetType: "task", targetId: taskId, detail: {} }, now),
      );
      return c.json(taskJson(row), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "delete",
      path: "/api/admin/tasks/{id}",
      tag: TAG,
      auth: "admin",
      summary:
        "Delete a task and everything under it (scores earned on it are reversed). confirm_name must equal the task name; 409 while agents hold its sub-tasks",
      params: Id,
      body: z.object({ confirm_name: text(200) }),
      response: TaskDeletedSchema,
    }),
    async (c) => {
      const taskId = c.req.valid("param").id;
      const db = c.var.db;
      const now = nowIso();
      // The audit detail is what the pre-read found; the row is written under the deletion's own guard.
      const deletion = await deleteTask(db, taskId, c.req.valid("json").confirm_name, (guard, d) => [
        auditStatement(
          c,
          {
            action: "task.delete",
            targetType: "task",
            targetId: taskId,
            detail: { name: d.task.name, counts: d.counts, score_reversals: d.scoreReversals },
          },
          now,
          guard,
        ),
      ]);
      const k = deletion.counts;
      return c.json(
        {
          message: render(message("taskDeleted"), c.var.lang),
          task_id: taskId,
          task_name: deletion.task.name,
          module_count: k.module,
          sub_task_count: k.sub_task,
          event_count: k.sub_task_event,
          rule_count: k.rule,
          activity_count: k.activity_log,
          review_count: k.review_record,
          reward_count: k.reward_log,
          patrol_count: k.patrol_record,
          score_reversals: deletion.scoreReversals,
        },
        200,
      );
    },
  );

  // ------------------------------------------------------------------ sub-task writes

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/admin/sub-tasks",
      tag: TAG,
      auth: "admin",
      summary: "Create a sub-task (same rules as the planner's POST /api/sub-tasks)",
      body: CreateSubTaskBody,
      response: SubTaskSchema,
    }),
    async (c) => {
      const now = nowIso();
      const row = await createSubTask(c.var.db, c.req.valid("json"), ADMIN, now, (guard, row) => [
        auditStatement(
          c,
          {
            action: "sub_task.create",
            targetType: "sub_task",
            targetId: row.id,
            detail: { task_id: row.taskId, name: row.name, status: row.status, assigned_agent: row.assignedAgent },
          },
          now,
          guard,
        ),
      ]);
      return c.json(subTaskJson(row), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "put",
      path: "/api/admin/sub-tasks/{id}",
      tag: TAG,
      auth: "admin",
      summary: "Edit a pending or assigned sub-task (through its Durable Object)",
      params: Id,
      body: EditSubTaskBody,
      response: SubTaskSchema,
    }),
    async (c) => {
      const changes = editChanges(c.req.valid("json"));
      if (Object.keys(changes).length === 0) throw badRequest("nothing_to_update", message("giveSubTaskFields"));
      return adminTransition(c, c.req.valid("param").id, { op: "edit", changes }, { fields: Object.keys(changes) });
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/admin/sub-tasks/{id}/cancel",
      tag: TAG,
      auth: "admin",
      summary: "Cancel a sub-task that is not done or cancelled (through its Durable Object)",
      params: Id,
      response: SubTaskSchema,
    }),
    async (c) => adminTransition(c, c.req.valid("param").id, { op: "cancel" }, {}),
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/admin/sub-tasks/{id}/reassign",
      tag: TAG,
      auth: "admin",
      summary: "Give a blocked sub-task to an active executor (through its Durable Object)",
      params: Id,
      body: SUB_TASK_TRANSITIONS.reassign.body,
      response: SubTaskSchema,
    }),
    async (c) => {
      const agentId = c.req.valid("json").agent_id;
      return adminTransition(c, c.req.valid("param").id, { op: "reassign", agentId }, { agent_id: agentId });
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/admin/sub-tasks/{id}/block",
      tag: TAG,
      auth: "admin",
      summary: "Block an assigned, in-progress or rework sub-task (through its Durable Object)",
      params: Id,
      body: SUB_TASK_TRANSITIONS.block.body,
      response: SubTaskSchema,
    }),
    async (c) => {
      const reason = c.req.valid("json").reason ?? undefined;
      return adminTransition(c, c.req.valid("param").id, { op: "block", reason }, { reason: reason ?? "" });
    },
  );

  // ------------------------------------------------------------------ patrol records, registration token

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/admin/patrol-records/{id}/resolve",
      tag: TAG,
      auth: "admin",
      summary: "Resolve an open patrol record with a note",
      params: Id,
      body: z.object({ note: text(2000).default("") }),
      response: PatrolRecordSchema,
    }),
    async (c) => {
      const recordId = c.req.valid("param").id;
      const note = c.req.valid("json").note;
      const now = nowIso();
      const audit = auditAlongside(
        c,
        { action: "patrol_record.resolve", targetType: "patrol_record", targetId: recordId, detail: { note } },
        now,
      );
      const { resolved, record: r } = await resolvePatrolRecord(c.var.db, recordId, note, now, audit);
      if (!r) throw notFound("patrol_record_not_found", message("patrolRecordNotFound"));
      if (!resolved) throw conflict("record_not_open", message("recordNotOpen", { status: r.status }));
      return c.json(patrolRecordJson(r), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/admin/registration-token/rotate",
      tag: TAG,
      auth: "admin",
      summary: "Replace the registration token with a new random one; the old one stops working at once",
      response: RegistrationTokenSchema,
    }),
    async (c) => {
      const token = randomHex(16);
      const now = nowIso();
      await atomicWrite(c.var.db, [
        auditStatement(
          c,
          {
            action: "registration_token.rotate",
            targetType: "setting",
            targetId: "agent.registration_token",
            detail: {},
          },
          now,
        ),
        ...settingWrites({ "agent.registration_token": token }, now),
      ]);
      return c.json({ registration_token: token }, 200);
    },
  );
}
