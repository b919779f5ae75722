// Routes of a recurring task's schedule: set, read, pause, resume, end (docs/recurring.md).
import { recurringRequestSchemas, TaskScheduleSchema } from "../../contract/api/recurring";
import { ROLES } from "../../contract/vocabulary";
import type { App } from "../app";
import { endSchedule, pauseSchedule, readSchedule, resumeSchedule, setSchedule } from "../db/schedules";
import { defineRoute, id, idParam, isoDateTime, line, longText, name } from "./define";

// The body of PUT, with the Worker's text rules on every name and text of the template.
const { body: SetScheduleBody } = recurringRequestSchemas({
  name,
  text: longText,
  iso: isoDateTime,
  id,
  line,
});
const TaskIdParam = idParam("task_id");
const PATH = "/api/tasks/{task_id}/schedule";
const TAG = "Recurring tasks";

export function registerScheduleRoutes(app: App): void {
  app.openapi(
    defineRoute({
      method: "put",
      path: PATH,
      tag: TAG,
      auth: ["admin", "planner"],
      summary:
        "Make the task recurring: set its schedule, round template and policies (or take the template from its current sub-tasks)",
      params: TaskIdParam,
      body: SetScheduleBody,
      response: TaskScheduleSchema,
    }),
    async (c) =>
      c.json(await setSchedule(c.var.db, c.req.valid("param").task_id, c.req.valid("json"), new Date()), 200),
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: PATH,
      tag: TAG,
      auth: ["admin", ...ROLES],
      summary: "The task's schedule: next run, rounds created and open, the recurring_config",
      params: TaskIdParam,
      response: TaskScheduleSchema,
    }),
    async (c) => c.json(await readSchedule(c.var.db, c.req.valid("param").task_id), 200),
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: `${PATH}/pause`,
      tag: TAG,
      auth: ["admin", "planner"],
      summary: "Pause the schedule: no rounds start until it is resumed",
      params: TaskIdParam,
      response: TaskScheduleSchema,
    }),
    async (c) => c.json(await pauseSchedule(c.var.db, c.req.valid("param").task_id, new Date()), 200),
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: `${PATH}/resume`,
      tag: TAG,
      auth: ["admin", "planner"],
      summary: "Resume a paused schedule from now (slots missed while paused are not caught up)",
      params: TaskIdParam,
      response: TaskScheduleSchema,
    }),
    async (c) => c.json(await resumeSchedule(c.var.db, c.req.valid("param").task_id, new Date()), 200),
  );

  app.openapi(
    defineRoute({
      method: "delete",
      path: PATH,
      tag: TAG,
      auth: ["admin", "planner"],
      summary: "End the schedule (its rounds stay); the task completes once nothing in it is open",
      params: TaskIdParam,
      response: TaskScheduleSchema,
    }),
    async (c) => c.json(await endSchedule(c.var.db, c.req.valid("param").task_id, new Date()), 200),
  );
}
