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

export const ACTIVITY_ACTIONS = ["coding", "delivery", "blocked", "reflection", "plan", "review", "patrol"] as const;
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
