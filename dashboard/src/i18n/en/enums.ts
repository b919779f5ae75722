// Labels for the API's enum values. Typed as complete records over the contract's vocabularies, so a
// value added there fails the type check until it has a label here (and in zh-CN/enums.ts).
import type { NotificationEvent } from "../../../../contract/notification-events";
import type { SubTaskOp } from "../../../../contract/sub-task-transitions";
import type {
  ActivityAction,
  AgentStatus,
  AnomalyType,
  PatrolRecordStatus,
  PatrolSource,
  Priority,
  RetroPeriodKind,
  RetroSchedule,
  RetroScope,
  ReviewResult,
  Role,
  RoundSkipReason,
  RoundStatus,
  RuleScope,
  ScheduleEndReason,
  ScheduleStatus,
  SearchKind,
  Severity,
  SubTaskStatus,
  TaskStatus,
  TaskType,
} from "../../../../contract/vocabulary";
import { i18n } from "../index";

export const roleLabels = i18n("enums/role", {
  planner: "Planner",
  executor: "Executor",
  reviewer: "Reviewer",
  patrol: "Patrol",
} satisfies Record<Role, string>);

/**
 * Every state a pill shows (task, sub-task, agent, review, patrol record, severity, priority) in one
 * map: the values the vocabularies share ("active", "in_progress", "cancelled") mean the same thing
 * wherever they appear.
 */
export const stateLabels = i18n("enums/state", {
  // sub-task
  pending: "Pending",
  assigned: "Assigned",
  in_progress: "In progress",
  review: "In review",
  rework: "Rework",
  blocked: "Blocked",
  done: "Done",
  cancelled: "Cancelled",
  // task (planning, active, in_progress, completed, archived, cancelled)
  planning: "Planning",
  active: "Active",
  completed: "Completed",
  archived: "Archived",
  // agent (active, disabled)
  disabled: "Disabled",
  // review
  approved: "Approved",
  rejected: "Rejected",
  // patrol record
  open: "Open",
  resolved: "Resolved",
  ignored: "Ignored",
  // schedule (active, paused, ended) and round (open, done, cancelled, skipped)
  paused: "Paused",
  ended: "Ended",
  skipped: "Skipped",
  // severity
  warning: "Warning",
  critical: "Critical",
  // priority
  high: "High",
  medium: "Medium",
  low: "Low",
} satisfies Record<
  | SubTaskStatus
  | TaskStatus
  | AgentStatus
  | ReviewResult
  | PatrolRecordStatus
  | Severity
  | Priority
  | ScheduleStatus
  | RoundStatus,
  string
>);

export const taskTypeLabels = i18n("enums/taskType", {
  once: "One-off",
  recurring: "Recurring",
} satisfies Record<TaskType, string>);

export const actionLabels = i18n("enums/action", {
  coding: "Coding",
  delivery: "Delivery",
  blocked: "Blocked",
  reflection: "Reflection",
  plan: "Plan",
  review: "Review",
  patrol: "Patrol",
  retro: "Retro",
} satisfies Record<ActivityAction, string>);

export const ruleScopeLabels = i18n("enums/ruleScope", {
  global: "Global",
  task: "Task",
  sub_task: "Sub-task",
} satisfies Record<RuleScope, string>);

export const searchKindLabels = i18n("enums/searchKind", {
  reflection: "Reflection",
  delivery: "Delivery",
  blocked: "Blocked",
  plan: "Plan",
  retro: "Retro note",
  review: "Review",
  rule: "Rule",
  sub_task: "Sub-task",
} satisfies Record<SearchKind, string>);

export const anomalyLabels = i18n("enums/anomaly", {
  timeout: "Timeout",
  stuck: "Stuck",
  orphan: "Orphan",
  rework_overflow: "Rework overflow",
  score_drop: "Score drop",
} satisfies Record<AnomalyType, string>);

export const patrolSourceLabels = i18n("enums/patrolSource", {
  cron: "Cron",
  agent: "Agent",
} satisfies Record<PatrolSource, string>);

export const notificationEventLabels = i18n("enums/notificationEvent", {
  task_completed: "Task completed",
  review_rejected: "Review rejected",
  all_done: "All done",
  patrol_alert: "Patrol alert",
  sub_task_submitted: "Sub-task submitted",
  sub_task_blocked: "Sub-task blocked",
  round_completed: "Round completed",
  retrospective_ready: "Retrospective ready",
} satisfies Record<NotificationEvent, string>);

export const roundSkipReasonLabels = i18n("enums/roundSkipReason", {
  previous_unfinished: "Previous round unfinished",
  max_open_rounds: "Too many open rounds",
} satisfies Record<RoundSkipReason, string>);

export const scheduleEndReasonLabels = i18n("enums/scheduleEndReason", {
  ends_at: "End date reached",
  max_rounds: "All rounds created",
  manual: "Ended by hand",
  task_closed: "Task closed",
} satisfies Record<ScheduleEndReason, string>);

export const retroScheduleLabels = i18n("enums/retroSchedule", {
  daily: "Daily",
  weekly: "Weekly",
  off: "Off (on demand only)",
} satisfies Record<RetroSchedule, string>);

export const retroPeriodKindLabels = i18n("enums/retroPeriodKind", {
  daily: "Daily",
  weekly: "Weekly",
} satisfies Record<RetroPeriodKind, string>);

export const retroScopeLabels = i18n("enums/retroScope", {
  team: "Team",
  agent: "Agent",
} satisfies Record<RetroScope, string>);

export const subTaskOpLabels = i18n("enums/subTaskOp", {
  claim: "Claim",
  start: "Start",
  session: "Session",
  submit: "Submit",
  review: "Review",
  complete: "Complete",
  rework: "Rework",
  block: "Block",
  reassign: "Reassign",
  edit: "Edit",
  cancel: "Cancel",
} satisfies Record<SubTaskOp, string>);
