// Response shapes of agents: the public card, and the admin's list and detail with rank, workload and presence.
import { z } from "@hono/zod-openapi";
import { AgentStatusEnum, RoleEnum } from "./enums.js";

const int = z.number().int();

/** An agent's card: what anyone sees of it, and what the admin's writes answer. */
const agentCardFields = {
  id: z.string(),
  name: z.string(),
  role: RoleEnum,
  description: z.string(),
  status: AgentStatusEnum,
  total_score: int,
};

export const AgentPublicSchema = z.object(agentCardFields).openapi("AgentPublic");
export type AgentPublic = z.infer<typeof AgentPublicSchema>;

// The same fields under the admin API's own name (AdminAgent extends it), not a reference to AgentPublic.
export const AgentWriteSchema = z.object(agentCardFields).openapi("AdminAgentWrite");

export const AdminAgentSchema = AgentWriteSchema.extend({
  created_at: z.string(),
  rank: z.number().int().openapi({ description: "Dense rank by total_score over all agents (1, 1, 2)" }),
  open_sub_task_count: int,
  assigned_count: int,
  in_progress_count: int,
  review_count: z.number().int().openapi({ description: "Its sub-tasks now in review" }),
  rework_count: int,
  blocked_count: int,
  last_request_at: z.string().nullable(),
  last_activity_at: z.string().nullable(),
  last_seen_at: z
    .string()
    .nullable()
    .openapi({ description: "Last sign of life (the later of its last API call and its last heartbeat)" }),
  online: z.boolean().openapi({ description: "Seen within the last 10 minutes" }),
}).openapi("AdminAgent");
export type AdminAgent = z.infer<typeof AdminAgentSchema>;

export const AdminAgentDetailSchema = AdminAgentSchema.extend({
  total_agents: int,
  done_count: int,
  cancelled_count: int,
  reward_count: int,
  penalty_count: int,
  total_reward_records: int,
}).openapi("AdminAgentDetail");
export type AdminAgentDetail = z.infer<typeof AdminAgentDetailSchema>;

/** The rows that belong to an agent: shown before a delete, and what the delete removed. */
export const agentRowCounts = {
  sub_task_count: int,
  review_count: int,
  reward_count: int,
  activity_count: int,
  patrol_count: int,
  request_count: int,
};
export const AgentRelatedCountsSchema = z
  .object({ agent_id: z.string(), agent_name: z.string(), ...agentRowCounts, open_sub_task_count: int })
  .openapi("AgentRelatedCounts");
export type AgentRelatedCounts = z.infer<typeof AgentRelatedCountsSchema>;

/** A new agent with its API key, shown this once: registered by itself or created by the admin. */
const newAgentFields = {
  id: z.string(),
  name: z.string(),
  role: RoleEnum,
  api_key: z.string(),
  message: z.string(),
};
export const AgentRegisteredSchema = z.object(newAgentFields).openapi("AgentRegistered");
export type AgentRegistered = z.infer<typeof AgentRegisteredSchema>;
export const AdminAgentCreatedSchema = z.object(newAgentFields).openapi("AdminAgentCreated");
export type AdminAgentCreated = z.infer<typeof AdminAgentCreatedSchema>;

export const AgentKeyResetSchema = z
  .object({ agent_id: z.string(), new_api_key: z.string(), message: z.string() })
  .openapi("AgentKeyReset");
export type AgentKeyReset = z.infer<typeof AgentKeyResetSchema>;
