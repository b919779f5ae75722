// Shapes of the admin API responses the task, agent, record, feed, patrol and prompt pages read
// (the Worker's /api/openapi.json is the reference). Types only: nothing here reaches a bundle.

export const SUB_TASK_STATUSES = [
  "pending",
  "assigned",
  "in_progress",
  "review",
  "rework",
  "blocked",
  "done",
  "cancelled",
] as const;
export type SubTaskStatus = (typeof SUB_TASK_STATUSES)[number];
export const TASK_STATUSES = ["planning", "active", "in_progress", "completed", "archived", "cancelled"] as const;
export const TASK_TYPES = ["once", "recurring"] as const;
export const PRIORITIES = ["high", "medium", "low"] as const;
export const ROLES = ["planner", "executor", "reviewer", "patrol"] as const;
export type Role = (typeof ROLES)[number];
export const AGENT_STATUSES = ["active", "disabled"] as const;
export const ACTIVITY_ACTIONS = ["plan", "coding", "delivery", "review", "patrol", "reflection", "blocked"] as const;
export const REVIEW_RESULTS = ["approved", "rejected"] as const;

type StatusCounts = { sub_task_count: number } & { [K in `${SubTaskStatus}_count`]: number };

export type AdminTask = {
  id: string;
  name: string;
  description: string;
  type: string;
  status: string;
  /** Where work that spans sub-tasks lives; "" when none is set. */
  workspace: string;
  created_at: string;
  updated_at: string;
  module_count: number;
} & StatusCounts;

export type AdminModule = {
  id: string;
  task_id: string;
  name: string;
  description: string;
  created_at: string;
} & StatusCounts;

export interface AdminSubTask {
  id: string;
  task_id: string;
  task_name: string | null;
  module_id: string | null;
  module_name: string | null;
  name: string;
  description: string;
  type: string;
  status: SubTaskStatus;
  priority: string;
  assigned_agent: string | null;
  assigned_agent_name: string | null;
  current_session_id: string | null;
  rework_count: number;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

export interface SubTaskEvent {
  id: string;
  op: string;
  from_status: string | null;
  to_status: string;
  actor_kind: string;
  actor_id: string | null;
  actor_name: string | null;
  detail: string;
  created_at: string;
}

export interface SubTaskReview {
  id: string;
  round: number;
  result: string;
  score: number | null;
  issues: string;
  comment: string;
  reviewer_agent: string;
  reviewer_agent_name: string | null;
  rework_agent: string | null;
  rework_agent_name: string | null;
  created_at: string;
}

export interface ScoreChange {
  id: string;
  agent_id: string;
  agent_name: string | null;
  reason: string;
  score_delta: number;
  created_at: string;
}

export interface PatrolRecord {
  id: string;
  type: string;
  severity: string;
  sub_task_id?: string | null;
  agent_id: string | null;
  description: string;
  action_taken: string;
  status: string;
  source: string;
  target?: string;
  created_at: string;
  last_seen_at: string;
  resolved_at: string | null;
  resolution_note: string;
}

export interface SubTaskActivity {
  id: string;
  agent_id: string;
  agent_name: string | null;
  action: string;
  summary: string;
  session_id: string | null;
  created_at: string;
}

export interface AdminSubTaskDetail extends AdminSubTask {
  deliverable: string;
  acceptance: string;
  events: SubTaskEvent[];
  reviews: SubTaskReview[];
  score_changes: ScoreChange[];
  patrol_records: PatrolRecord[];
  activity_logs: SubTaskActivity[];
}

export interface AdminAgent {
  id: string;
  name: string;
  role: string;
  description: string;
  status: string;
  total_score: number;
  created_at: string;
  rank: number;
  open_sub_task_count: number;
  assigned_count: number;
  in_progress_count: number;
  review_count: number;
  rework_count: number;
  blocked_count: number;
  last_request_at: string | null;
  last_activity_at: string | null;
  last_seen_at: string | null;
  online: boolean;
}

export interface AdminAgentDetail extends AdminAgent {
  total_agents: number;
  done_count: number;
  cancelled_count: number;
  reward_count: number;
  penalty_count: number;
  total_reward_records: number;
}

export interface RelatedCounts {
  agent_id: string;
  agent_name: string;
  sub_task_count: number;
  review_count: number;
  reward_count: number;
  activity_count: number;
  patrol_count: number;
  request_count: number;
  open_sub_task_count: number;
}

export interface RewardLog {
  id: string;
  agent_id: string;
  agent_name?: string | null;
  sub_task_id: string | null;
  reason: string;
  score_delta: number;
  created_at: string;
}

export interface LeaderboardEntry {
  rank: number;
  agent_id: string;
  agent_name: string;
  role: string;
  status: string;
  total_score: number;
  reward_count: number;
  penalty_count: number;
  total_records: number;
  last_score_at: string | null;
  created_at: string;
}

export interface ScoreSummary {
  total_agents: number;
  positive_score_agents: number;
  zero_score_agents: number;
  negative_score_agents: number;
  top_score: number;
  average_score: number;
  last_score_at: string | null;
}

export interface AdminReview {
  id: string;
  task_id: string | null;
  task_name: string | null;
  module_id: string | null;
  module_name: string | null;
  sub_task_id: string;
  sub_task_name: string | null;
  reviewer_agent: string;
  reviewer_agent_name: string | null;
  round: number;
  result: string;
  score: number | null;
  issues: string;
  comment: string;
  rework_agent: string | null;
  rework_agent_name: string | null;
  created_at: string;
}

export interface AdminReviewDetail extends AdminReview {
  sub_task_description: string | null;
  sub_task_deliverable: string | null;
  sub_task_acceptance: string | null;
}

export interface AdminLog {
  id: string;
  agent_id: string;
  agent_name: string | null;
  agent_role: string | null;
  sub_task_id: string | null;
  action: string;
  summary: string;
  session_id: string | null;
  created_at: string;
}

export interface FeedLog {
  id: string;
  timestamp: string;
  method: string;
  path: string;
  agent_id: string | null;
  agent_name: string | null;
  agent_role: string | null;
  request_body: string | null;
  response_status: number | null;
}

export interface PromptTemplate {
  role: string;
  filename: string;
  content: string;
  updated_at: string;
}

export interface AgentPromptMeta {
  slug: string;
  filename: string;
  name: string;
  role: string;
  description: string;
  created_at: string;
  updated_at: string;
  example: boolean;
  status: string;
}

export interface AgentPrompt extends AgentPromptMeta {
  content: string;
}

export interface ComposedPrompt {
  slug: string;
  role: string;
  /** The standing prompt (upstream's field name). */
  prompt: string;
  standing_prompt: string;
  /** GET: with a token placeholder; POST: with a fresh single-use token. */
  enrollment_prompt: string;
  variables: { name: string; value: string | null }[];
}

export interface Rule {
  id: string;
  scope: string;
  task_id: string | null;
  sub_task_id: string | null;
  content: string;
  created_at: string;
  updated_at: string;
}
