// What the pages read from the admin API: the types inferred from the Worker's response schemas
// (contract/api) and the vocabulary lists the filters offer. `export type` only for the schemas, so
// no zod reaches the bundle; the lists are plain arrays.

export type {
  AdminAgent,
  AdminAgentCreated,
  AdminAgentDetail,
  AgentKeyReset,
  AgentRelatedCounts,
} from "../../../../contract/api/agents";
export type { AgentSummary, FeedStatus } from "../../../../contract/api/feed";
export type {
  AgentPrompt,
  AgentPromptMeta,
  AgentPromptRef,
  ComposedPrompt,
  ComposedWithToken,
  Onboarding,
  PromptTemplate,
} from "../../../../contract/api/prompts";
export type {
  AdminLog,
  AdminReview,
  AdminReviewDetail,
  FeedLog,
  PatrolRecord,
  Rule,
} from "../../../../contract/api/records";
export type { RecurringConfig, RecurringSchedule, TaskSchedule } from "../../../../contract/api/recurring";
export type {
  RetroAnomaly,
  RetroLongest,
  RetroMover,
  RetroPattern,
  RetroReflection,
  RetroRejection,
  RetroRework,
  RetrospectiveBody,
} from "../../../../contract/api/retrospective-body";
export type {
  FindingRuleResult,
  Retrospective,
  RetrospectiveSummary,
} from "../../../../contract/api/retrospectives";
export type { TaskRound } from "../../../../contract/api/rounds";
export type {
  AdminAdjustment,
  AdminLeaderboardEntry,
  AdminRewardLog,
  AdminScoreSummary,
  RewardLog,
} from "../../../../contract/api/scores";
export type { AdminSubTask, AdminSubTaskDetail } from "../../../../contract/api/sub-tasks";
export type { AdminModule, AdminTask, Task } from "../../../../contract/api/tasks";
export {
  ACTIVITY_ACTIONS,
  AGENT_STATUSES,
  isOneOf,
  PRIORITIES,
  RETRO_PERIOD_KINDS,
  RETRO_SCOPES,
  REVIEW_RESULTS,
  ROLES,
  SUB_TASK_STATUSES,
  TASK_STATUSES,
  TASK_TYPES,
} from "../../../../contract/vocabulary";
