import { z } from "@hono/zod-openapi";
import { and, asc, count, desc, eq, sql } from "drizzle-orm";
import { TASK_STATUSES, TASK_TYPES } from "../../contract/vocabulary";
import type { App } from "../app";
import { agentActor } from "../auth/agent";
import { atomicWrite, guardedInsert } from "../db/client";
import { selectPage } from "../db/page";
import { module, subTask, task } from "../db/schema";
import { cancelTask, getTask, subTaskIsOpen, type TaskRow, taskIsOpen } from "../db/tasks";
import {
  checkTaskEditable,
  checkTaskOpen,
  checkTaskStatusChange,
  needsNoOpenWork,
  SETTABLE_TASK_STATUSES,
} from "../domain/task-lifecycle";
import { conflict } from "../lib/errors";
import { envelopeSchema, optionalPageQuery, PLAIN_LIST_LIMIT } from "../lib/pagination";
import { nowIso } from "../lib/time";
import { defineRoute, idParam, lineOrEmpty, longText, name } from "./define";
import { ModuleSchema, moduleJson, TaskSchema, taskJson } from "./shapes";

const TaskId = idParam("task_id");

/** A task's shared workspace: one line naming a path or a repository; "" means none (rules fall back to the workspace root). */
export const workspace = lineOrEmpty(1000).openapi({
  description: "Where work that spans sub-tasks lives: a path or repository URL ('' for none)",
});

export function registerTaskRoutes(app: App) {
  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/tasks",
      tag: "Tasks",
      auth: ["planner"],
      summary: "Create a task (status planning)",
      body: z.object({
        name,
        description: longText.default(""),
        type: z.enum(TASK_TYPES).default("once"),
        workspace: workspace.default(""),
      }),
      response: TaskSchema,
    }),
    async (c) => {
      const now = nowIso();
      const row: TaskRow = {
        id: crypto.randomUUID(),
        ...c.req.valid("json"),
        status: "planning",
        createdAt: now,
        updatedAt: now,
      };
      await c.var.db.insert(task).values(row);
      return c.json(taskJson(row), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/tasks",
      tag: "Tasks",
      auth: "agent",
      summary: "List tasks, newest first",
      query: z.object({ status: z.enum(TASK_STATUSES).optional(), ...optionalPageQuery }),
      response: envelopeSchema(TaskSchema),
    }),
    async (c) => {
      const query = c.req.valid("query");
      const where = query.status ? eq(task.status, query.status) : undefined;
      return c.json(
        await selectPage(c.var.db, task, where, [desc(task.createdAt), desc(task.id)], query, taskJson),
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/tasks/{task_id}",
      tag: "Tasks",
      auth: "agent",
      summary: "Task detail",
      params: TaskId,
      response: TaskSchema,
    }),
    async (c) => c.json(taskJson(await getTask(c.var.db, c.req.valid("param").task_id)), 200),
  );

  app.openapi(
    defineRoute({
      method: "put",
      path: "/api/tasks/{task_id}/status",
      tag: "Tasks",
      auth: ["planner"],
      summary:
        "Set a task's status (completed/archived only with no open sub-task; cancelled tasks restart or archive)",
      params: TaskId,
      body: z.object({ status: z.enum(SETTABLE_TASK_STATUSES) }),
      response: TaskSchema,
    }),
    async (c) => {
      const db = c.var.db;
      const id = c.req.valid("param").task_id;
      const to = c.req.valid("json").status;
      const current = await getTask(db, id);
      const [open] = await db
        .select({ n: count() })
        .from(subTask)
        .where(and(eq(subTask.taskId, id), subTaskIsOpen));
      checkTaskStatusChange(current.status, to, open?.n ?? 0);
      const now = nowIso();
      // Conditional on the status we checked, and on no sub-task having opened since.
      const noneOpen = sql`not exists (select 1 from ${subTask} where ${subTask.taskId} = ${id} and ${subTaskIsOpen})`;
      const result = await db
        .update(task)
        .set({ status: to, updatedAt: now })
        .where(and(eq(task.id, id), eq(task.status, current.status), needsNoOpenWork(to) ? noneOpen : undefined));
      if (result.meta.changes !== 1)
        throw conflict("concurrent_change", "the task changed while this request ran; retry");
      return c.json(taskJson({ ...current, status: to, updatedAt: now }), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "put",
      path: "/api/tasks/{task_id}",
      tag: "Tasks",
      auth: ["planner"],
      summary:
        "Edit name, description or workspace (planning or active only; absent or null leaves a field unchanged, workspace '' clears it)",
      params: TaskId,
      body: z.object({ name: name.nullish(), description: longText.nullish(), workspace: workspace.nullish() }),
      response: TaskSchema,
    }),
    async (c) => {
      const db = c.var.db;
      const id = c.req.valid("param").task_id;
      const body = c.req.valid("json");
      const current = await getTask(db, id);
      checkTaskEditable(current.status);
      const changes = {
        ...(body.name != null ? { name: body.name } : {}),
        ...(body.description != null ? { description: body.description } : {}),
        ...(body.workspace != null ? { workspace: body.workspace } : {}),
        updatedAt: nowIso(),
      };
      const result = await db
        .update(task)
        .set(changes)
        .where(and(eq(task.id, id), eq(task.status, current.status)));
      if (result.meta.changes !== 1)
        throw conflict("concurrent_change", "the task changed while this request ran; retry");
      return c.json(taskJson({ ...current, ...changes }), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/tasks/{task_id}/cancel",
      tag: "Tasks",
      auth: ["planner"],
      summary: "Cancel a task and every open sub-task under it",
      params: TaskId,
      response: TaskSchema,
    }),
    async (c) => {
      const row = await cancelTask(c.var.db, c.req.valid("param").task_id, agentActor(c.var.agent), nowIso());
      return c.json(taskJson(row), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/tasks/{task_id}/modules",
      tag: "Tasks",
      auth: ["planner"],
      summary: "Create a module in an open task",
      params: TaskId,
      body: z.object({ name, description: longText.default("") }),
      response: ModuleSchema,
    }),
    async (c) => {
      const db = c.var.db;
      const taskId = c.req.valid("param").task_id;
      checkTaskOpen((await getTask(db, taskId)).status, taskId);
      const row = { id: crypto.randomUUID(), taskId, ...c.req.valid("json"), createdAt: nowIso() };
      // Inserted only while the task is still open (it may be closed meanwhile).
      const [inserted] = await atomicWrite(db, [guardedInsert(module, row, taskIsOpen(taskId))]);
      if (inserted?.meta.changes !== 1) throw conflict("task_closed", "the task was closed while this request ran");
      return c.json(moduleJson(row), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/tasks/{task_id}/modules",
      tag: "Tasks",
      auth: "agent",
      summary: "Modules of a task (none for an unknown task)",
      params: TaskId,
      response: z.array(ModuleSchema),
    }),
    async (c) => {
      const taskId = c.req.valid("param").task_id;
      // An unknown task has no modules (upstream answered [] too; the CLI prints nothing).
      const rows = await c.var.db
        .select()
        .from(module)
        .where(eq(module.taskId, taskId))
        .orderBy(asc(module.createdAt))
        .limit(PLAIN_LIST_LIMIT);
      return c.json(rows.map(moduleJson), 200);
    },
  );
}
