import { z } from "@hono/zod-openapi";
import { ModuleSchema, TaskSchema } from "../../contract/api/tasks";
import { TASK_STATUSES, TASK_TYPES } from "../../contract/vocabulary";
import type { App } from "../app";
import { agentActor } from "../auth/agent";
import { createModule, listModules } from "../db/modules";
import { cancelTask, createTask, editTaskAsPlanner, getTask, listTasks, setTaskStatus } from "../db/tasks";
import { SETTABLE_TASK_STATUSES } from "../domain/task-lifecycle";
import { envelopeSchema, optionalPageQuery, PLAIN_LIST_LIMIT } from "../lib/pagination";
import { nowIso } from "../lib/time";
import { defineRoute, idParam, lineOrEmpty, longText, name } from "./define";
import { moduleJson, taskJson } from "./shapes";

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
      const row = await createTask(c.var.db, { ...c.req.valid("json"), status: "planning" }, nowIso());
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
      return c.json(await listTasks(c.var.db, query.status, query, taskJson), 200);
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
      const row = await setTaskStatus(c.var.db, c.req.valid("param").task_id, c.req.valid("json").status, nowIso());
      return c.json(taskJson(row), 200);
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
      const row = await editTaskAsPlanner(c.var.db, c.req.valid("param").task_id, c.req.valid("json"), nowIso());
      return c.json(taskJson(row), 200);
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
      const row = await createModule(c.var.db, c.req.valid("param").task_id, c.req.valid("json"), nowIso());
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
      // An unknown task has no modules (upstream answered [] too; the CLI prints nothing).
      const rows = await listModules(c.var.db, c.req.valid("param").task_id, PLAIN_LIST_LIMIT);
      return c.json(rows.map(moduleJson), 200);
    },
  );
}
