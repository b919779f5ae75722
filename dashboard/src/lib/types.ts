// Shapes of the admin API responses the dashboard reads (spec: upstream-server.md §6.14–6.21;
// the Worker's /api/openapi.json is the reference).

export interface SetupStatus {
  initialized: boolean;
  has_external_url: boolean;
}

export type { Page } from "../../../contract/api/page";

export type Counts = Record<string, number>;

export interface Overview {
  generated_at: string;
  review_window_days: number;
  core_cards: {
    open_task_count: number;
    active_sub_task_count: number;
    review_queue_count: number;
    blocked_sub_task_count: number;
    active_agent_count: number;
    today_completed_sub_task_count: number;
  };
  secondary_cards: {
    disabled_agent_count: number;
    today_review_count: number;
    today_rejected_review_count: number;
    today_reject_rate: number;
    today_net_score_delta: number;
  };
  distributions: {
    task_status_distribution: Counts;
    sub_task_status_distribution: Counts;
    agent_status_distribution: Counts;
    agent_role_distribution: Counts;
    review_result_distribution_7d: Counts;
  };
  /** Added by OpenMOSS Edge: open patrol records. */
  patrol?: { open_record_count: number; open_by_severity: Counts };
}

export interface HighlightSubTask {
  id: string;
  task_id: string;
  task_name: string | null;
  name: string;
  status: string;
  assigned_agent: string | null;
  assigned_agent_name: string | null;
  updated_at: string;
  rework_count: number;
}

export interface HighlightAgent {
  id: string;
  name: string;
  role: string;
  status: string;
  total_score: number;
  open_sub_task_count: number;
  last_request_at: string | null;
  last_activity_at: string | null;
}

export interface HighlightReview {
  id: string;
  task_id: string | null;
  task_name: string | null;
  sub_task_id: string;
  sub_task_name: string | null;
  reviewer_agent: string;
  reviewer_agent_name: string | null;
  result: string;
  score: number | null;
  created_at: string;
}

export interface Highlights {
  generated_at: string;
  limit: number;
  inactive_hours: number;
  blocked_sub_tasks: HighlightSubTask[];
  pending_review_sub_tasks: HighlightSubTask[];
  busy_agents: HighlightAgent[];
  low_activity_agents: HighlightAgent[];
  recent_reviews: HighlightReview[];
}

export interface CountPoint {
  date: string;
  count: number;
}

export interface Trends {
  generated_at: string;
  days: number;
  start_date: string;
  end_date: string;
  sub_task_created_trend: CountPoint[];
  sub_task_completed_trend: CountPoint[];
  review_trend: { date: string; total: number; approved: number; rejected: number }[];
  score_delta_trend: {
    date: string;
    positive_score_delta: number;
    negative_score_delta: number;
    net_score_delta: number;
  }[];
  request_trend: CountPoint[];
  activity_trend: CountPoint[];
}

export { NOTIFICATION_EVENTS } from "../../../contract/notification-events";

export type WebhookType = "feishu" | "slack" | "webhook";

export interface Webhook {
  id?: string;
  name: string;
  type: WebhookType;
  url: string;
  secret: string;
  events: string[];
  enabled: boolean;
}

export interface PatrolThresholds {
  timeout_warning_minutes: number;
  timeout_critical_minutes: number;
  stuck_minutes: number;
  orphan_minutes: number;
  rework_overflow_count: number;
  score_drop_streak: number;
}

export interface AdminConfig {
  project: { name: string };
  agent: {
    registration_token: string;
    allow_registration: boolean;
    registration_roles: string[];
    enrollment_ttl_days: number;
  };
  notification: { enabled: boolean; channels: string[]; events: string[]; webhooks: Webhook[]; retention_days: number };
  webui: { public_feed: boolean; feed_retention_days: number };
  workspace: { root: string };
  server: { external_url: string };
  patrol: PatrolThresholds;
}

/** Enrollment tokens as GET /api/admin/enrollment-tokens lists them, and the answer to an issue. */
export type { EnrollmentToken, IssuedEnrollmentToken } from "../../../contract/api/enrollment";
