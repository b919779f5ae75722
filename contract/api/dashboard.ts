// Response shapes of the admin dashboard (spec §6.19): cards and distributions, attention lists, daily trends.
import { z } from "@hono/zod-openapi";
import { AGENT_STATUSES, REVIEW_RESULTS, ROLES, SEVERITIES, SUB_TASK_STATUSES, TASK_STATUSES } from "../vocabulary.js";
import { AgentStatusEnum, ReviewResultEnum, RoleEnum, SubTaskStatusEnum } from "./enums.js";

const int = z.number().int();

/** An object with a count for every value of a vocabulary (zero-filled). */
const countsOf = <const K extends readonly string[]>(keys: K) =>
  z.object(Object.fromEntries(keys.map((k) => [k, int])) as { [P in K[number]]: typeof int });

export const OverviewSchema = z
  .object({
    generated_at: z.string(),
    review_window_days: int,
    core_cards: z.object({
      open_task_count: int.openapi({ description: "tasks planning, active or in_progress" }),
      active_sub_task_count: int.openapi({ description: "sub-tasks assigned, in_progress, review, rework or blocked" }),
      review_queue_count: int,
      blocked_sub_task_count: int,
      active_agent_count: int,
      today_completed_sub_task_count: int.openapi({ description: "completed since 00:00 UTC" }),
    }),
    secondary_cards: z.object({
      disabled_agent_count: int,
      today_review_count: int,
      today_rejected_review_count: int,
      today_reject_rate: z.number().openapi({ description: "percent, two decimals; 0 without reviews" }),
      today_net_score_delta: int,
    }),
    distributions: z.object({
      task_status_distribution: countsOf(TASK_STATUSES),
      sub_task_status_distribution: countsOf(SUB_TASK_STATUSES),
      agent_status_distribution: countsOf(AGENT_STATUSES),
      agent_role_distribution: countsOf(ROLES),
      review_result_distribution_7d: countsOf(REVIEW_RESULTS).openapi({ description: "reviews in the last 7×24 h" }),
    }),
    patrol: z
      .object({ open_record_count: int, open_by_severity: countsOf(SEVERITIES) })
      .openapi({ description: "added: open patrol records" }),
  })
  .openapi("DashboardOverview");
export type Overview = z.infer<typeof OverviewSchema>;

export const HighlightSubTaskSchema = z.object({
  id: z.string(),
  task_id: z.string(),
  task_name: z.string().nullable(),
  name: z.string(),
  status: SubTaskStatusEnum,
  assigned_agent: z.string().nullable(),
  assigned_agent_name: z.string().nullable(),
  updated_at: z.string(),
  rework_count: int,
});
export type HighlightSubTask = z.infer<typeof HighlightSubTaskSchema>;

export const HighlightAgentSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: RoleEnum,
  status: AgentStatusEnum,
  total_score: int,
  open_sub_task_count: int,
  last_request_at: z.string().nullable(),
  last_activity_at: z.string().nullable(),
});
export type HighlightAgent = z.infer<typeof HighlightAgentSchema>;

export const HighlightReviewSchema = z.object({
  id: z.string(),
  task_id: z.string().nullable(),
  task_name: z.string().nullable(),
  sub_task_id: z.string(),
  sub_task_name: z.string().nullable(),
  reviewer_agent: z.string(),
  reviewer_agent_name: z.string().nullable(),
  result: ReviewResultEnum,
  score: int.nullable(),
  created_at: z.string(),
});
export type HighlightReview = z.infer<typeof HighlightReviewSchema>;

export const HighlightsSchema = z
  .object({
    generated_at: z.string(),
    limit: int,
    inactive_hours: int,
    blocked_sub_tasks: z.array(HighlightSubTaskSchema).openapi({ description: "newest update first" }),
    pending_review_sub_tasks: z.array(HighlightSubTaskSchema).openapi({ description: "newest update first" }),
    busy_agents: z.array(HighlightAgentSchema).openapi({
      description: "open work desc, active first, last request desc, last activity desc, oldest agent first",
    }),
    low_activity_agents: z.array(HighlightAgentSchema).openapi({
      description: "not seen (request or activity) within inactive_hours; never seen first, then longest silent",
    }),
    recent_reviews: z.array(HighlightReviewSchema),
  })
  .openapi("DashboardHighlights");
export type Highlights = z.infer<typeof HighlightsSchema>;

const DayCountSchema = z.object({ date: z.string(), count: int });
export const TrendsSchema = z
  .object({
    generated_at: z.string(),
    days: int,
    start_date: z.string(),
    end_date: z.string(),
    sub_task_created_trend: z.array(DayCountSchema),
    sub_task_completed_trend: z.array(DayCountSchema),
    review_trend: z.array(z.object({ date: z.string(), total: int, approved: int, rejected: int })),
    score_delta_trend: z.array(
      z.object({
        date: z.string(),
        positive_score_delta: int,
        negative_score_delta: int.openapi({ description: "≤ 0" }),
        net_score_delta: int,
      }),
    ),
    request_trend: z.array(DayCountSchema),
    activity_trend: z.array(DayCountSchema),
  })
  .openapi("DashboardTrends");
export type Trends = z.infer<typeof TrendsSchema>;
