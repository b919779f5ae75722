// Who may write which activity log. Reviewers read a sub-task's `delivery` logs as the executor's
// hand-over and executors read `plan` logs as guidance, so those texts must come from the agent they
// claim to come from. Pure: no I/O.

import { ACTIVITY_ACTIONS, type Role } from "../../contract/vocabulary";
import { text } from "../i18n";
import { badRequest, forbidden } from "../lib/errors";
import type { SubTaskOp } from "./sub-task-machine";

export type LogKind = (typeof ACTIVITY_ACTIONS)[number];

/**
 * Reports of work: on a sub-task only by its current or a past assignee. Without a sub-task any role
 * may write them, as before (a planner's closing `delivery` log, anyone's help request).
 */
export const WORK_LOG_KINDS: readonly LogKind[] = ["coding", "delivery", "blocked"];

/**
 * Operations only the sub-task's assignee runs (claim makes it the assignee). An agent with one of
 * these in the sub-task's history is a past assignee: this covers whoever worked on it before a
 * reassign or a rework hand-over.
 */
export const HOLDER_OPS: readonly SubTaskOp[] = ["claim", "start", "session", "submit"];

/** Kinds that speak for a role, written only by that role; `reflection` (a lesson for oneself) is anyone's. */
const ROLE_OF_KIND: Partial<Record<LogKind, Role>> = { plan: "planner", review: "reviewer", patrol: "patrol" };

export const mayWriteKind = (role: Role, kind: LogKind): boolean => (ROLE_OF_KIND[kind] ?? role) === role;

/** Whether writing `kind` on a sub-task needs the writer to hold or have held it. */
export const needsAssignee = (kind: LogKind, subTaskId: string | null): boolean =>
  subTaskId !== null && WORK_LOG_KINDS.includes(kind);

/** The kinds a role may write, on a sub-task it does not hold (`onOthers`) or anywhere else. */
export function kindsFor(role: Role, onOthers: boolean): LogKind[] {
  return ACTIVITY_ACTIONS.filter((k) => mayWriteKind(role, k) && !(onOthers && WORK_LOG_KINDS.includes(k)));
}

/** 403 unless the role may write this kind at all. */
export function checkKind(role: Role, kind: LogKind): void {
  if (mayWriteKind(role, kind)) return;
  throw forbidden(
    "log_kind_not_allowed",
    text("logKindNotAllowed", {
      kind,
      role: ROLE_OF_KIND[kind] ?? role,
      yours: role,
      allowed: kindsFor(role, false).join(", "),
    }),
  );
}

/** The 403 for a work log on a sub-task the writer never held. */
export const notAssignee = (role: Role, kind: LogKind, subTaskId: string) =>
  forbidden(
    "not_assignee",
    text("logNeedsAssignee", { kind, id: subTaskId, allowed: kindsFor(role, true).join(", ") }),
  );

/**
 * A `retro` log answers a retrospective (named by `retrospective_id`, or none), not a piece of work:
 * it names no sub-task or task, so it never passes for a report on a sub-task that reviewers read
 * there. And `retrospective_id` goes with `retro` only. 400 otherwise.
 */
export function checkRetroLink(
  kind: LogKind,
  retrospectiveId: string | null,
  subTaskId: string | null,
  taskId: string | null,
): void {
  if (retrospectiveId !== null && kind !== "retro") {
    throw badRequest("retrospective_id_needs_retro", text("retrospectiveIdNeedsRetro", { action: kind }));
  }
  if (kind === "retro" && (subTaskId !== null || taskId !== null)) {
    throw badRequest("retro_log_target", text("retroLogTarget"));
  }
}
