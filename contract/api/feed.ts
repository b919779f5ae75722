// Response shapes of the public activity feed: whether it is on, its agents and their day in summary.
import { z } from "@hono/zod-openapi";
import { AgentStatusEnum, RoleEnum } from "./enums.js";

/** Whether the public feed is on (GET /api/feed/status). */
export const FeedStatusSchema = z.object({ enabled: z.boolean() });
export type FeedStatus = z.infer<typeof FeedStatusSchema>;

export const FeedAgentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: RoleEnum,
    status: AgentStatusEnum,
    total_score: z.number().int(),
    created_at: z.string(),
  })
  .openapi("FeedAgent");
export type FeedAgent = z.infer<typeof FeedAgentSchema>;

export const RecentActionSchema = z.object({
  method: z.string(),
  path: z.string(),
  request_body: z.string().nullable(),
  response_status: z.number().int().nullable(),
  timestamp: z.string(),
});
export type RecentAction = z.infer<typeof RecentActionSchema>;

export const AgentSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: RoleEnum,
    total_score: z.number().int(),
    today_request_count: z.number().int(),
    today_submit_count: z.number().int(),
    today_review_count: z.number().int(),
    current_sub_task: z.object({ id: z.string(), name: z.string(), module_name: z.string().nullable() }).nullable(),
    recent_actions: z.array(RecentActionSchema),
  })
  .openapi("FeedAgentSummary");
export type AgentSummary = z.infer<typeof AgentSummarySchema>;
