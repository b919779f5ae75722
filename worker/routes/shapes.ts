// JSON shapes of the API (upstream's field names): the functions that build them from rows. Their schemas
// are in contract/api (shared with the dashboard and the CLI), where the routes import them from.
import type { AgentRow } from "../app-types";
import type { ReviewRow, SubTaskRow } from "../db/execute-transition";
import type { activityLog, module, patrolRecord, requestLog, rewardLog, rule, task } from "../db/schema";

export const agentPublic = (a: AgentRow) => ({
  id: a.id,
  name: a.name,
  role: a.role,
  description: a.description,
  status: a.status,
  total_score: a.totalScore,
});

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

export const moduleJson = (m: typeof module.$inferSelect) => ({
  id: m.id,
  task_id: m.taskId,
  name: m.name,
  description: m.description,
});

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
export const subTaskListItem = (s: SubTaskRow & { assignedAgentName: string | null }) => ({
  ...subTaskJson(s),
  recurring_config: s.recurringConfig ?? null,
  assigned_agent_name: s.assignedAgentName,
});

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

export const rewardJson = (r: typeof rewardLog.$inferSelect) => ({
  id: r.id,
  agent_id: r.agentId,
  sub_task_id: r.subTaskId,
  reason: r.reason,
  score_delta: r.scoreDelta,
  created_at: r.createdAt,
});

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
export const namedActivityJson = (l: typeof activityLog.$inferSelect & { agentName: string | null }) => ({
  ...activityJson(l),
  agent_name: l.agentName,
});
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

export const ruleJson = (r: typeof rule.$inferSelect) => ({
  id: r.id,
  scope: r.scope,
  task_id: r.taskId,
  sub_task_id: r.subTaskId,
  content: r.content,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});

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
