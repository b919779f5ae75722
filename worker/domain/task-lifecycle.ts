// Task status rules. The server moves a task to in_progress when work starts and to completed when
// its sub-tasks are settled (see db/execute-transition.ts); planners set the rest by hand within these rules.

import { CLOSED_TASK_STATUSES, type TaskStatus } from "../../contract/vocabulary";
import { text } from "../i18n";
import { conflict } from "../lib/errors";
import { reopenTaskHint } from "./hints";

/** Statuses a planner may set with PUT /tasks/{id}/status (cancel has its own endpoint). */
export const SETTABLE_TASK_STATUSES = ["planning", "active", "in_progress", "completed", "archived"] as const;
export type SettableTaskStatus = (typeof SETTABLE_TASK_STATUSES)[number];

/** Upstream let any status follow any other; we keep that freedom except where it breaks invariants. */
export function checkTaskStatusChange(from: TaskStatus, to: SettableTaskStatus, openSubTasks: number): void {
  if (from === "cancelled" && !["planning", "active", "archived"].includes(to)) {
    throw conflict("illegal_transition", text("cancelledTaskMoves"));
  }
  // Closing a task with open work would strand it: nobody could claim or start it any more.
  if (needsNoOpenWork(to) && openSubTasks > 0) {
    throw conflict("open_sub_tasks", text("taskHasOpenSubTasks", { count: openSubTasks }));
  }
}

export const needsNoOpenWork = (to: SettableTaskStatus): boolean => to === "completed" || to === "archived";

export function checkTaskEditable(status: TaskStatus): void {
  if (status !== "planning" && status !== "active") {
    throw conflict("task_not_editable", text("taskNotEditable", { status }));
  }
}

/** Work is added to a task only while it is open; the refusal says how to reopen it. */
export function checkTaskOpen(status: TaskStatus, taskId: string): void {
  if (CLOSED_TASK_STATUSES.includes(status))
    throw conflict("task_closed", text("taskIsClosed", { status }), reopenTaskHint(taskId));
}

export function checkTaskCancellable(status: TaskStatus): void {
  if (CLOSED_TASK_STATUSES.includes(status))
    throw conflict("illegal_transition", text("taskNotCancellable", { status }));
}
