// The vocabulary every deployable shares (Worker, dashboard, CLI, tests). Values match upstream OpenMOSS exactly.

/**
 * Whether `value` is one of `list`, narrowing it to the list's type. Array.prototype.includes on a
 * readonly tuple only accepts its own members, so without this every caller casts (`as never`).
 */
export const isOneOf = <T extends string>(list: readonly T[], value: unknown): value is T =>
  (list as readonly unknown[]).includes(value);
export const ROLES = ["planner", "executor", "reviewer", "patrol"] as const;
export type Role = (typeof ROLES)[number];

export const AGENT_STATUSES = ["active", "disabled"] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

export const TASK_STATUSES = ["planning", "active", "in_progress", "completed", "archived", "cancelled"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
/** A task in one of these states takes no new claims. */
export const CLOSED_TASK_STATUSES: readonly TaskStatus[] = ["completed", "archived", "cancelled"];

export const TASK_TYPES = ["once", "recurring"] as const;
export type TaskType = (typeof TASK_TYPES)[number];

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
export const TERMINAL_SUB_TASK_STATUSES: readonly SubTaskStatus[] = ["done", "cancelled"];

export const PRIORITIES = ["high", "medium", "low"] as const;
export type Priority = (typeof PRIORITIES)[number];

export const REVIEW_RESULTS = ["approved", "rejected"] as const;
export type ReviewResult = (typeof REVIEW_RESULTS)[number];

// `retro` is ours: an agent's reflection on a retrospective (upstream has the first seven).
export const ACTIVITY_ACTIONS = [
  "coding",
  "delivery",
  "blocked",
  "reflection",
  "plan",
  "review",
  "patrol",
  "retro",
] as const;
export type ActivityAction = (typeof ACTIVITY_ACTIONS)[number];

export const RULE_SCOPES = ["global", "task", "sub_task"] as const;
export type RuleScope = (typeof RULE_SCOPES)[number];

export const ACTOR_KINDS = ["agent", "admin", "system"] as const;
/** Who performs an action: an agent (with its role), an admin on the dashboard, or the server itself. */
export type Actor =
  | { kind: "agent"; id: string; role: Role; name: string }
  | { kind: "admin"; id: null; name: string }
  | { kind: "system"; id: null; name: string };

export const ANOMALY_TYPES = ["timeout", "stuck", "orphan", "rework_overflow", "score_drop"] as const;
export type AnomalyType = (typeof ANOMALY_TYPES)[number];
export const SEVERITIES = ["warning", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];
export const PATROL_RECORD_STATUSES = ["open", "resolved", "ignored"] as const;
export type PatrolRecordStatus = (typeof PATROL_RECORD_STATUSES)[number];
/** `cron`: found by the server, resolved automatically; `agent`: filed by a patrol agent. */
export const PATROL_SOURCES = ["cron", "agent"] as const;
export type PatrolSource = (typeof PATROL_SOURCES)[number];

/** A recurring task's schedule: `active` creates rounds, `paused` does not, `ended` never will again. */
export const SCHEDULE_STATUSES = ["active", "paused", "ended"] as const;
export type ScheduleStatus = (typeof SCHEDULE_STATUSES)[number];
/** Why a schedule ended. */
export const SCHEDULE_END_REASONS = ["ends_at", "max_rounds", "manual", "task_closed"] as const;
export type ScheduleEndReason = (typeof SCHEDULE_END_REASONS)[number];
/** A round: `open` while any of its sub-tasks is; `skipped` is a slot the policy passed over (no sub-tasks). */
export const ROUND_STATUSES = ["open", "done", "cancelled", "skipped"] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];
/** Why a slot was skipped: `skip` with a round still open, or `stack` at its maximum of open rounds. */
export const ROUND_SKIP_REASONS = ["previous_unfinished", "max_open_rounds"] as const;
export type RoundSkipReason = (typeof ROUND_SKIP_REASONS)[number];

/** How often retrospectives are generated (`off`: only on demand). */
export const RETRO_SCHEDULES = ["daily", "weekly", "off"] as const;
export type RetroSchedule = (typeof RETRO_SCHEDULES)[number];
export const RETRO_PERIOD_KINDS = ["daily", "weekly"] as const;
export type RetroPeriodKind = (typeof RETRO_PERIOD_KINDS)[number];
/** A retrospective covers the whole team, or one agent's own items. */
export const RETRO_SCOPES = ["team", "agent"] as const;
export type RetroScope = (typeof RETRO_SCOPES)[number];

/** A deliverable file's row: `uploading` while its bytes stream to R2, `stored` once they all arrived. */
export const FILE_STATES = ["uploading", "stored"] as const;
export type FileState = (typeof FILE_STATES)[number];

/**
 * What the team memory search indexes (docs/search.md): five activity-log actions, review records
 * (issues and comment), rules, and sub-tasks (name, description, deliverable, acceptance).
 */
export const SEARCH_KINDS = [
  "reflection",
  "delivery",
  "blocked",
  "plan",
  "retro",
  "review",
  "rule",
  "sub_task",
] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];
/** The activity-log actions the index holds (the others, e.g. `coding`, are progress chatter). */
export const SEARCHED_LOG_ACTIONS = [
  "reflection",
  "delivery",
  "blocked",
  "plan",
  "retro",
] as const satisfies readonly ActivityAction[] & readonly SearchKind[];
