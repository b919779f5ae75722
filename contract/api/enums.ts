// The vocabulary as response fields: the OpenAPI document, and so the MCP tool output schemas, list
// the values each state can take. Responses are not validated at run time; the typed columns
// (worker/db/schema.ts) are what keep the rows within these lists.
//
// Imports inside contract/ name the .js file: the benchmark scripts type-check these files under Node's
// module resolution, which wants extensions; tsc, Vite and esbuild map `.js` to the `.ts` source.
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
} from "../vocabulary.js";

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
