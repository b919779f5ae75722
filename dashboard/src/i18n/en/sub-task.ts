// The sub-task page's texts, and the sub-task form fields it shares with the task page's "New sub-task".
import { params } from "@nanostores/i18n";
import { i18n } from "../index";

export const subTaskForm = i18n("sub-task/form", {
  name: "Name",
  description: "Description",
  deliverable: "Deliverable",
  acceptance: "Acceptance criteria",
  priority: "Priority",
  type: "Type",
  save: "Save",
  nameEmpty: "The name cannot be empty.",
  loadingExecutors: "Loading executors…",
});

export const subTaskPage = i18n("sub-task", {
  tasks: "Tasks",
  task: "Task",
  loadFailed: "This sub-task could not be loaded",
  loading: "Loading the sub-task…",
  fallbackTitle: "Sub-task",
  reassign: "Reassign",
  edit: "Edit",
  block: "Block",
  cancelSubTask: "Cancel sub-task",
  /** The priority pill: `{priority}` is the priority's label ("High"). */
  priorityPill: params("{priority} priority"),
  /** `{time}` is a relative time. */
  updated: "· updated {time}",
  fields: "Fields",
  module: "Module",
  assignee: "Assignee",
  session: "Session",
  reworkRounds: "Rework rounds",
  created: "Created",
  completed: "Completed",
  notYet: "not yet",
  none: "none",
  unassigned: "unassigned",
  notGiven: "Not given.",
  cancelTitle: "Cancel this sub-task?",
  cancelBody: params("“{name}” stops here; its agent is released. This cannot be undone."),
});

export const subTaskHistory = i18n("sub-task/history", {
  timeline: "Timeline",
  /** The timeline's first event: the sub-task was created (not one of the admin/agent operations). */
  opCreate: "Create",
  timelineEmpty: "No state changes yet.",
  /** `{actor}` is the agent (a link) or "admin"/"system"; `{time}` a relative time. */
  by: "by {actor} · {time}",
  activityLogs: "Activity logs",
  activityLogsEmpty: "The agents wrote no log for this sub-task.",
  reviewRounds: "Review rounds",
  reviewRoundsEmpty: "Not reviewed yet.",
  round: params("Round {round}"),
  /** `{reviewer}` is a link to the reviewer agent. */
  reviewedBy: "by {reviewer}",
  /** `{agent}` is a link to the agent that reworks it. */
  reworkBy: " · rework by {agent}",
  issues: "Issues:",
  scoreChanges: "Score changes",
  scoreChangesEmpty: "No score changed for this sub-task.",
  patrolRecords: "Patrol records",
  patrolRecordsEmpty: "The patrol found nothing here.",
  actionTaken: params("Action taken: {action}"),
  /** `{time}` is a relative time. */
  resolved: "Resolved {time}",
  /** `{note}` is the admin's resolution note. */
  resolvedWithNote: "Resolved {time}: {note}",
  resolveOnPatrol: "Resolve on the patrol page",
});

/** Who changed a sub-task's state, when it was not an agent with a name. */
export const actorKindLabels = i18n("sub-task/actor", {
  agent: "agent",
  admin: "admin",
  system: "system",
});

export const subTaskDialogs = i18n("sub-task/dialogs", {
  editTitle: "Edit sub-task",
  editHint: "Only pending or assigned sub-tasks can be edited.",
  reassignTitle: "Reassign sub-task",
  reassignBody: "The blocked sub-task goes back to “assigned” with the executor you pick.",
  executor: "Executor",
  chooseExecutor: "Choose an executor",
  noOtherExecutor: "No other active executor",
  /** An executor option: `{online}` is " (online)" or nothing. */
  executorOption: params("{name}{online} · {open} open"),
  online: " (online)",
  pickExecutor: "Pick the executor to hand it to.",
  reassign: "Reassign",
  reassigning: "Reassigning…",
  blockTitle: "Block sub-task",
  blockBody: "Its agent stops working on it; a planner or you can then reassign it.",
  reason: "Reason (optional)",
  block: "Block",
  blocking: "Blocking…",
});
