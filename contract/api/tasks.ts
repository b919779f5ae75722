// Response shapes of tasks and modules: the agents' (/api/tasks) and the admin's lists with counts.
import { z } from "@hono/zod-openapi";
import { SUB_TASK_STATUSES, type SubTaskStatus } from "../vocabulary.js";
import { TaskStatusEnum, TaskTypeEnum } from "./enums.js";

const int = z.number().int();

/** A task's own fields, in the order both the agents' and the admin's views list them. */
const taskFields = {
  id: z.string(),
  name: z.string(),
  description: z.string(),
  type: TaskTypeEnum,
  status: TaskStatusEnum,
  workspace: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
};

export const TaskSchema = z
  .object({
    ...taskFields,
    // Replacing a spread key keeps its place: workspace stays sixth.
    workspace: z.string().openapi({
      description: "Where work that spans sub-tasks lives (a path or repository URL); '' when none is set",
    }),
  })
  .openapi("Task");
export type Task = z.infer<typeof TaskSchema>;

export const ModuleSchema = z
  .object({ id: z.string(), task_id: z.string(), name: z.string(), description: z.string() })
  .openapi("Module");
export type Module = z.infer<typeof ModuleSchema>;

/** `sub_task_count` and one `<status>_count` per sub-task status, for the admin's task and module lists. */
const StatusCounts = z.object({
  sub_task_count: int,
  ...(Object.fromEntries(SUB_TASK_STATUSES.map((s) => [`${s}_count`, int])) as Record<
    `${SubTaskStatus}_count`,
    typeof int
  >),
});

// The task fields spread in rather than extending TaskSchema, so the OpenAPI document keeps it a flat object.
export const AdminTaskSchema = z
  .object({ ...taskFields, module_count: int })
  .extend(StatusCounts.shape)
  .openapi("AdminTask");
export type AdminTask = z.infer<typeof AdminTaskSchema>;

export const AdminModuleSchema = z
  .object({ id: z.string(), task_id: z.string(), name: z.string(), description: z.string(), created_at: z.string() })
  .extend(StatusCounts.shape)
  .openapi("AdminModule");
export type AdminModule = z.infer<typeof AdminModuleSchema>;
export const AdminModuleDetailSchema = AdminModuleSchema.extend({ task_name: z.string().nullable() }).openapi(
  "AdminModuleDetail",
);
