// Response shapes of sub-tasks: the agents' views, their event history, and the admin's list and detail.
import { z } from "@hono/zod-openapi";
import {
  ActivityActionEnum,
  ActorKindEnum,
  AnomalyTypeEnum,
  PatrolRecordStatusEnum,
  PatrolSourceEnum,
  PriorityEnum,
  ReviewResultEnum,
  SeverityEnum,
  SubTaskStatusEnum,
  TaskTypeEnum,
} from "./enums.js";

const int = z.number().int();
const nullableText = z.string().nullable();

export const SubTaskSchema = z
  .object({
    id: z.string(),
    task_id: z.string(),
    module_id: nullableText,
    name: z.string(),
    description: z.string(),
    deliverable: z.string(),
    acceptance: z.string(),
    type: TaskTypeEnum,
    status: SubTaskStatusEnum,
    priority: PriorityEnum,
    assigned_agent: nullableText,
    current_session_id: nullableText,
    rework_count: int,
    created_at: z.string(),
    updated_at: z.string(),
    completed_at: nullableText,
  })
  .openapi("SubTask");
export type SubTask = z.infer<typeof SubTaskSchema>;

/** Paginated lists carry the raw row, as upstream does (adds `recurring_config`), and the assignee's name. */
export const SubTaskListItemSchema = SubTaskSchema.extend({
  recurring_config: z.unknown().nullable(),
  assigned_agent_name: z
    .string()
    .nullable()
    .openapi({ description: "The assignee's name; null when none (or it was deleted)" }),
}).openapi("SubTaskListItem");
export type SubTaskListItem = z.infer<typeof SubTaskListItemSchema>;

export const SubTaskDetailSchema = SubTaskSchema.extend({ depends_on: z.array(z.string()) }).openapi("SubTaskDetail");
export type SubTaskDetail = z.infer<typeof SubTaskDetailSchema>;

export const SubTaskEventSchema = z
  .object({
    id: z.string(),
    sub_task_id: z.string(),
    op: z.string(),
    from_status: SubTaskStatusEnum.nullable(),
    to_status: SubTaskStatusEnum,
    actor_kind: ActorKindEnum,
    actor_id: nullableText,
    actor_name: z
      .string()
      .nullable()
      .openapi({ description: "The acting agent's name; null for the admin, the server, or a deleted agent" }),
    detail: z.string(),
    created_at: z.string(),
  })
  .openapi("SubTaskEvent");
export type SubTaskEvent = z.infer<typeof SubTaskEventSchema>;

export const AdminSubTaskSchema = z
  .object({
    id: z.string(),
    task_id: z.string(),
    task_name: nullableText,
    module_id: nullableText,
    module_name: nullableText,
    name: z.string(),
    description: z.string(),
    type: TaskTypeEnum,
    status: SubTaskStatusEnum,
    priority: PriorityEnum,
    assigned_agent: nullableText,
    assigned_agent_name: nullableText,
    current_session_id: nullableText,
    rework_count: int,
    created_at: z.string(),
    updated_at: z.string(),
    completed_at: nullableText,
  })
  .openapi("AdminSubTask");
export type AdminSubTask = z.infer<typeof AdminSubTaskSchema>;

/** One sub-task with its whole timeline: each list holds its most recent entries, oldest first. */
export const AdminSubTaskDetailSchema = AdminSubTaskSchema.extend({
  deliverable: z.string(),
  acceptance: z.string(),
  events: z.array(
    z.object({
      id: z.string(),
      op: z.string(),
      from_status: SubTaskStatusEnum.nullable(),
      to_status: SubTaskStatusEnum,
      actor_kind: ActorKindEnum,
      actor_id: nullableText,
      actor_name: nullableText,
      detail: z.string(),
      created_at: z.string(),
    }),
  ),
  reviews: z.array(
    z.object({
      id: z.string(),
      round: int,
      result: ReviewResultEnum,
      score: int.nullable(),
      issues: z.string(),
      comment: z.string(),
      reviewer_agent: z.string(),
      reviewer_agent_name: nullableText,
      rework_agent: nullableText,
      rework_agent_name: nullableText,
      created_at: z.string(),
    }),
  ),
  score_changes: z.array(
    z.object({
      id: z.string(),
      agent_id: z.string(),
      agent_name: nullableText,
      reason: z.string(),
      score_delta: int,
      created_at: z.string(),
    }),
  ),
  patrol_records: z.array(
    z.object({
      id: z.string(),
      type: AnomalyTypeEnum,
      severity: SeverityEnum,
      agent_id: nullableText,
      description: z.string(),
      action_taken: z.string(),
      status: PatrolRecordStatusEnum,
      source: PatrolSourceEnum,
      created_at: z.string(),
      last_seen_at: z.string(),
      resolved_at: nullableText,
      resolution_note: z.string(),
    }),
  ),
  activity_logs: z.array(
    z.object({
      id: z.string(),
      agent_id: z.string(),
      agent_name: nullableText,
      action: ActivityActionEnum,
      summary: z.string(),
      session_id: nullableText,
      created_at: z.string(),
    }),
  ),
}).openapi("AdminSubTaskDetail");
export type AdminSubTaskDetail = z.infer<typeof AdminSubTaskDetailSchema>;
