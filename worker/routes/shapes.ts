// JSON shapes of the API (upstream's field names) and the functions that build them from rows.
import { z } from "@hono/zod-openapi";
import {
  ACTIVITY_ACTIONS,
  ACTOR_KINDS,
  AGENT_STATUSES,
  ANOMALY_TYPES,
  PATROL_RECORD_STATUSES,
  PATROL_SOURCES,
  PRIORITIES,
  REVIEW_RESULTS,
  ROLES,
  RULE_SCOPES,
  SEVERITIES,
  SUB_TASK_STATUSES,
  TASK_STATUSES,
  TASK_TYPES,
} from "../../contract/vocabulary";
import type { AgentRow } from "../app-types";
import type { ReviewRow, SubTaskRow } from "../db/execute-transition";
import type { activityLog, module, patrolRecord, requestLog, rewardLog, rule, task } from "../db/schema";

// The domain's vocabulary as response fields: the OpenAPI document, and so the MCP tool output schemas,
// list the values each state can take. Responses are not validated at run time; the typed columns
// (db/schema.ts) are what keep the rows within these lists.
export const RoleEnum = z.enum(ROLES);
export const AgentStatusEnum = z.enum(AGENT_STATUSES);
export const TaskStatusEnum = z.enum(TASK_STATUSES);
export const TaskTypeEnum = z.enum(TASK_TYPES);
export const SubTaskStatusEnum = z.enum(SUB_TASK_STATUSES);
export const PriorityEnum = z.enum(PRIORITIES);
export const ReviewResultEnum = z.enum(REVIEW_RESULTS);
export const ActivityActionEnum = z.enum(ACTIVITY_ACTIONS);
export const RuleScopeEnum = z.enum(RULE_SCOPES);
export const AnomalyTypeEnum = z.enum(ANOMALY_TYPES);
export const SeverityEnum = z.enum(SEVERITIES);
export const PatrolRecordStatusEnum = z.enum(PATROL_RECORD_STATUSES);
export const PatrolSourceEnum = z.enum(PATROL_SOURCES);
export const ActorKindEnum = z.enum(ACTOR_KINDS);

export const ErrorSchema = z
  .object({
    detail: z.string(),
    code: z.string().openapi({ example: "illegal_transition" }),
    hint: z.string().optional().openapi({ description: "What to do next, usually a CLI command" }),
  })
  .openapi("Error");

export const AgentPublicSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: RoleEnum,
    description: z.string(),
    status: AgentStatusEnum,
    total_score: z.number().int(),
  })
  .openapi("AgentPublic");
export const agentPublic = (a: AgentRow) => ({
  id: a.id,
  name: a.name,
  role: a.role,
  description: a.description,
  status: a.status,
  total_score: a.totalScore,
});

export const TaskSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    type: TaskTypeEnum,
    status: TaskStatusEnum,
    workspace: z.string().openapi({
      description: "Where work that spans sub-tasks lives (a path or repository URL); '' when none is set",
    }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Task");
export const taskJson = (t: typeof task.$inferSelect) => ({
  id: t.id,
  name: t.name,
  description: t.description,
  type: t.type,
  status: t.status,
  workspace: t.workspace,
  created_at: t.createdAt,
  updated_at: t.updatedAt,
});

export const ModuleSchema = z
  .object({ id: z.string(), task_id: z.string(), name: z.string(), description: z.string() })
  .openapi("Module");
export const moduleJson = (m: typeof module.$inferSelect) => ({
  id: m.id,
  task_id: m.taskId,
  name: m.name,
  description: m.description,
});

export const SubTaskSchema = z
  .object({
    id: z.string(),
    task_id: z.string(),
    module_id: z.string().nullable(),
    name: z.string(),
    description: z.string(),
    deliverable: z.string(),
    acceptance: z.string(),
    type: TaskTypeEnum,
    status: SubTaskStatusEnum,
    priority: PriorityEnum,
    assigned_agent: z.string().nullable(),
    current_session_id: z.string().nullable(),
    rework_count: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
    completed_at: z.string().nullable(),
  })
  .openapi("SubTask");
export const subTaskJson = (s: SubTaskRow) => ({
  id: s.id,
  task_id: s.taskId,
  module_id: s.moduleId,
  name: s.name,
  description: s.description,
  deliverable: s.deliverable,
  acceptance: s.acceptance,
  type: s.type,
  status: s.status,
  priority: s.priority,
  assigned_agent: s.assignedAgent,
  current_session_id: s.currentSessionId,
  rework_count: s.reworkCount,
  created_at: s.createdAt,
  updated_at: s.updatedAt,
  completed_at: s.completedAt,
});
/** Paginated lists carry the raw row, as upstream does (adds `recurring_config`), and the assignee's name. */
export const SubTaskListItemSchema = SubTaskSchema.extend({
  recurring_config: z.unknown().nullable(),
  assigned_agent_name: z
    .string()
    .nullable()
    .openapi({ description: "The assignee's name; null when none (or it was deleted)" }),
}).openapi("SubTaskListItem");
export const subTaskListItem = (s: SubTaskRow & { assignedAgentName: string | null }) => ({
  ...subTaskJson(s),
  recurring_config: s.recurringConfig ?? null,
  assigned_agent_name: s.assignedAgentName,
});

export const ReviewSchema = z
  .object({
    id: z.string(),
    sub_task_id: z.string(),
    reviewer_agent: z.string(),
    round: z.number().int(),
    result: ReviewResultEnum,
    score: z.number().int().nullable(),
    issues: z.string(),
    comment: z.string(),
    rework_agent: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("Review");
export const reviewJson = (r: ReviewRow) => ({
  id: r.id,
  sub_task_id: r.subTaskId,
  reviewer_agent: r.reviewerAgent,
  round: r.round,
  result: r.result,
  score: r.score,
  issues: r.issues,
  comment: r.comment,
  rework_agent: r.reworkAgent,
  created_at: r.createdAt,
});

export const RewardLogSchema = z
  .object({
    id: z.string(),
    agent_id: z.string(),
    sub_task_id: z.string().nullable(),
    reason: z.string(),
    score_delta: z.number().int(),
    created_at: z.string(),
  })
  .openapi("RewardLog");
export const rewardJson = (r: typeof rewardLog.$inferSelect) => ({
  id: r.id,
  agent_id: r.agentId,
  sub_task_id: r.subTaskId,
  reason: r.reason,
  score_delta: r.scoreDelta,
  created_at: r.createdAt,
});

export const ActivityLogSchema = z
  .object({
    id: z.string(),
    agent_id: z.string(),
    sub_task_id: z.string().nullable(),
    task_id: z
      .string()
      .nullable()
      .openapi({ description: "The task it is about: its sub-task's task, or the task named alone" }),
    action: ActivityActionEnum,
    summary: z.string(),
    session_id: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("ActivityLog");
export const activityJson = (l: typeof activityLog.$inferSelect) => ({
  id: l.id,
  agent_id: l.agentId,
  sub_task_id: l.subTaskId,
  task_id: l.taskId,
  action: l.action,
  summary: l.summary,
  session_id: l.sessionId,
  created_at: l.createdAt,
});
/** In lists, each log names its author (null once the agent is deleted), so no text passes as another's. */
export const NamedActivityLogSchema = ActivityLogSchema.extend({
  agent_name: z.string().nullable().openapi({ description: "The author's name; null if the agent was deleted" }),
}).openapi("NamedActivityLog");
export const namedActivityJson = (l: typeof activityLog.$inferSelect & { agentName: string | null }) => ({
  ...activityJson(l),
  agent_name: l.agentName,
});
/** The agents' lists also name each log's sub-task and task, so an agent reads names, not ids. */
export const ListedActivityLogSchema = NamedActivityLogSchema.extend({
  sub_task_name: z.string().nullable(),
  task_name: z.string().nullable(),
}).openapi("ListedActivityLog");
export const listedActivityJson = (
  l: typeof activityLog.$inferSelect & {
    agentName: string | null;
    subTaskName: string | null;
    taskName: string | null;
  },
) => ({
  ...namedActivityJson(l),
  sub_task_name: l.subTaskName,
  task_name: l.taskName,
});

export const RuleSchema = z
  .object({
    id: z.string(),
    scope: RuleScopeEnum,
    task_id: z.string().nullable(),
    sub_task_id: z.string().nullable(),
    content: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Rule");
export const ruleJson = (r: typeof rule.$inferSelect) => ({
  id: r.id,
  scope: r.scope,
  task_id: r.taskId,
  sub_task_id: r.subTaskId,
  content: r.content,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});

export const MessageSchema = z.object({ message: z.string() }).openapi("Message");

export const PatrolRecordSchema = z
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
  .openapi("PatrolRecord");

export type PatrolRecordRow = typeof patrolRecord.$inferSelect;
export const patrolRecordJson = (r: PatrolRecordRow) => ({
  id: r.id,
  type: r.type,
  severity: r.severity,
  sub_task_id: r.subTaskId,
  agent_id: r.agentId,
  description: r.description,
  action_taken: r.actionTaken,
  status: r.status,
  created_at: r.createdAt,
  resolved_at: r.resolvedAt,
  target: r.target,
  source: r.source,
  last_seen_at: r.lastSeenAt,
  resolution_note: r.resolutionNote,
});

export const FeedLogSchema = z
  .object({
    id: z.string(),
    timestamp: z.string(),
    method: z.string(),
    path: z.string(),
    agent_id: z.string().nullable(),
    agent_name: z.string().nullable(),
    agent_role: RoleEnum.nullable(),
    request_body: z.string().nullable(),
    response_status: z.number().int().nullable(),
  })
  .openapi("FeedLog");
export const requestLogJson = (r: typeof requestLog.$inferSelect) => ({
  id: r.id,
  timestamp: r.timestamp,
  method: r.method,
  path: r.path,
  agent_id: r.agentId,
  agent_name: r.agentName,
  agent_role: r.agentRole,
  request_body: r.requestBody,
  response_status: r.responseStatus,
});
