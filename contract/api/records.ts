// Response shapes of the records: reviews, activity logs, rules, patrol records and the request log.
import { z } from "@hono/zod-openapi";
import {
  ActivityActionEnum,
  AnomalyTypeEnum,
  PatrolRecordStatusEnum,
  PatrolSourceEnum,
  ReviewResultEnum,
  RoleEnum,
  RuleScopeEnum,
  SeverityEnum,
} from "./enums.js";

const int = z.number().int();
const nullableText = z.string().nullable();

/** What a review decided, in the agents' and the admin's views alike. */
const reviewVerdictFields = {
  round: int,
  result: ReviewResultEnum,
  score: int.nullable(),
  issues: z.string(),
  comment: z.string(),
  rework_agent: nullableText,
};

export const ReviewSchema = z
  .object({
    id: z.string(),
    sub_task_id: z.string(),
    reviewer_agent: z.string(),
    ...reviewVerdictFields,
    created_at: z.string(),
  })
  .openapi("Review");
export type Review = z.infer<typeof ReviewSchema>;

/** A review as the admin lists it: the task, module, sub-task and agents named. */
const adminReviewShape = {
  id: z.string(),
  task_id: nullableText,
  task_name: nullableText,
  module_id: nullableText,
  module_name: nullableText,
  sub_task_id: z.string(),
  sub_task_name: nullableText,
  reviewer_agent: z.string(),
  reviewer_agent_name: nullableText,
  ...reviewVerdictFields,
  rework_agent_name: nullableText,
  created_at: z.string(),
};
export const AdminReviewSchema = z.object(adminReviewShape).openapi("AdminReview");
export type AdminReview = z.infer<typeof AdminReviewSchema>;
export const AdminReviewDetailSchema = z
  .object({
    ...adminReviewShape,
    sub_task_description: nullableText,
    sub_task_deliverable: nullableText,
    sub_task_acceptance: nullableText,
  })
  .openapi("AdminReviewDetail");
export type AdminReviewDetail = z.infer<typeof AdminReviewDetailSchema>;

export const ActivityLogSchema = z
  .object({
    id: z.string(),
    agent_id: z.string(),
    sub_task_id: nullableText,
    task_id: z
      .string()
      .nullable()
      .openapi({ description: "The task it is about: its sub-task's task, or the task named alone" }),
    action: ActivityActionEnum,
    summary: z.string(),
    session_id: nullableText,
    created_at: z.string(),
  })
  .openapi("ActivityLog");
export type ActivityLog = z.infer<typeof ActivityLogSchema>;
/** In lists, each log names its author (null once the agent is deleted), so no text passes as another's. */
export const NamedActivityLogSchema = ActivityLogSchema.extend({
  agent_name: z.string().nullable().openapi({ description: "The author's name; null if the agent was deleted" }),
}).openapi("NamedActivityLog");
export type NamedActivityLog = z.infer<typeof NamedActivityLogSchema>;
/** The agents' lists also name each log's sub-task and task, so an agent reads names, not ids. */
export const ListedActivityLogSchema = NamedActivityLogSchema.extend({
  sub_task_name: nullableText,
  task_name: nullableText,
}).openapi("ListedActivityLog");
export type ListedActivityLog = z.infer<typeof ListedActivityLogSchema>;

/** An activity log as the admin lists it, with its author's name and role. */
export const AdminLogSchema = z
  .object({
    id: z.string(),
    agent_id: z.string(),
    agent_name: nullableText,
    agent_role: RoleEnum.nullable(),
    sub_task_id: nullableText,
    action: ActivityActionEnum,
    summary: z.string(),
    session_id: nullableText,
    created_at: z.string(),
  })
  .openapi("AdminActivityLog");
export type AdminLog = z.infer<typeof AdminLogSchema>;

export const RuleSchema = z
  .object({
    id: z.string(),
    scope: RuleScopeEnum,
    task_id: nullableText,
    sub_task_id: nullableText,
    content: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Rule");
export type Rule = z.infer<typeof RuleSchema>;

export const PatrolRecordSchema = z
  .object({
    id: z.string(),
    type: AnomalyTypeEnum,
    severity: SeverityEnum,
    sub_task_id: nullableText,
    agent_id: nullableText,
    description: z.string(),
    action_taken: z.string(),
    status: PatrolRecordStatusEnum,
    created_at: z.string(),
    resolved_at: nullableText,
    target: z.string(),
    source: PatrolSourceEnum,
    last_seen_at: z.string(),
    resolution_note: z.string(),
  })
  .openapi("PatrolRecord");
export type PatrolRecord = z.infer<typeof PatrolRecordSchema>;

/** One agent API call, as the request log recorded it (the feed and the admin's live log). */
export const FeedLogSchema = z
  .object({
    id: z.string(),
    timestamp: z.string(),
    method: z.string(),
    path: z.string(),
    agent_id: nullableText,
    agent_name: nullableText,
    agent_role: RoleEnum.nullable(),
    request_body: nullableText,
    response_status: int.nullable(),
  })
  .openapi("FeedLog");
export type FeedLog = z.infer<typeof FeedLogSchema>;
