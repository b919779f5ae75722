// Response shapes of the score ledger: its rows, the leaderboard and an agent's standing (the agents' and the admin's).
import { z } from "@hono/zod-openapi";
import { AgentStatusEnum, RoleEnum } from "./enums.js";

const int = z.number().int();

/** One ledger row: who gained or lost how much, for what. */
const rewardLogFields = {
  id: z.string(),
  agent_id: z.string(),
  sub_task_id: z.string().nullable(),
  reason: z.string(),
  score_delta: int,
  created_at: z.string(),
};
export const RewardLogSchema = z.object(rewardLogFields).openapi("RewardLog");
export type RewardLog = z.infer<typeof RewardLogSchema>;

/** The answer to an admin's score adjustment: the ledger row written and the agent's new total. */
export const AdminAdjustmentSchema = z
  .object({ ...rewardLogFields, current_total_score: int })
  .openapi("AdminAdjustment");
export type AdminAdjustment = z.infer<typeof AdminAdjustmentSchema>;

/** A ledger row as the admin lists it, with its agent's name (null once deleted). */
export const AdminRewardLogSchema = z
  .object({
    id: z.string(),
    agent_id: z.string(),
    agent_name: z.string().nullable(),
    sub_task_id: z.string().nullable(),
    reason: z.string(),
    score_delta: int,
    created_at: z.string(),
  })
  .openapi("AdminRewardLog");
export type AdminRewardLog = z.infer<typeof AdminRewardLogSchema>;

export const AdminLeaderboardEntrySchema = z
  .object({
    rank: z.number().int().openapi({ description: "Dense rank over all agents (1, 1, 2)" }),
    agent_id: z.string(),
    agent_name: z.string(),
    role: RoleEnum,
    status: AgentStatusEnum,
    total_score: int,
    reward_count: int,
    penalty_count: int,
    total_records: int,
    last_score_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("AdminLeaderboardEntry");
export type AdminLeaderboardEntry = z.infer<typeof AdminLeaderboardEntrySchema>;

export const AdminScoreSummarySchema = z
  .object({
    total_agents: int,
    positive_score_agents: int,
    zero_score_agents: int,
    negative_score_agents: int,
    top_score: int,
    average_score: z.number(),
    last_score_at: z.string().nullable(),
  })
  .openapi("AdminScoreSummary");
export type AdminScoreSummary = z.infer<typeof AdminScoreSummarySchema>;

export const LeaderboardEntrySchema = z
  .object({
    rank: int,
    agent_id: z.string(),
    agent_name: z.string(),
    role: RoleEnum,
    total_score: int,
  })
  .openapi("LeaderboardEntry");
export type LeaderboardEntry = z.infer<typeof LeaderboardEntrySchema>;

/** The caller's standing (GET /api/scores/me, /api/scores/{agent_id}). */
export const ScoreSummarySchema = z
  .object({
    agent_id: z.string(),
    agent_name: z.string(),
    total_score: int,
    rank: z.number().int().openapi({ description: "1 + the number of agents with a strictly higher score" }),
    total_agents: int,
    reward_count: int,
    penalty_count: int,
    total_records: int,
  })
  .openapi("ScoreSummary");
export type ScoreSummary = z.infer<typeof ScoreSummarySchema>;
