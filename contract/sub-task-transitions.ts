// Which sub-task states each operation may start from: the Worker's state machine
// (worker/domain/sub-task-machine.ts) enforces it, the dashboard shows only the actions it allows.
import type { SubTaskStatus } from "./vocabulary.js";

/** Every operation on a sub-task (the state machine's commands, worker/domain/sub-task-machine.ts). */
export type SubTaskOp =
  | "claim"
  | "start"
  | "session"
  | "submit"
  | "review"
  | "complete"
  | "rework"
  | "block"
  | "reassign"
  | "edit"
  | "cancel";

/** The operations an admin may run from the dashboard (the planner's, and block). */
export type AdminSubTaskOp = Extract<SubTaskOp, "edit" | "block" | "reassign" | "cancel">;

/** Which states each admin operation may start from. Its own table, so the dashboard bundles only this part. */
export const ADMIN_ALLOWED_FROM: Record<AdminSubTaskOp, readonly SubTaskStatus[]> = {
  block: ["assigned", "in_progress", "rework"],
  // As upstream: a planner may take back work that was claimed but not started.
  reassign: ["assigned", "blocked"],
  edit: ["pending", "assigned"],
  cancel: ["pending", "assigned", "in_progress", "review", "rework", "blocked"],
};

/** Which states each operation may start from. */
export const ALLOWED_FROM: Record<SubTaskOp, readonly SubTaskStatus[]> = {
  claim: ["pending"],
  start: ["assigned", "rework"],
  session: ["in_progress"],
  submit: ["in_progress"],
  review: ["review"],
  complete: ["review"],
  rework: ["review"],
  ...ADMIN_ALLOWED_FROM,
};

/** Whether the admin may run `op` on a sub-task in state `status`. */
export const adminMayRun = (op: AdminSubTaskOp, status: SubTaskStatus): boolean =>
  ADMIN_ALLOWED_FROM[op].includes(status);
