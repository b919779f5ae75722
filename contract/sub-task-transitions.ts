// Which sub-task states each operation may start from: the Worker's state machine
// (worker/domain/sub-task-machine.ts) enforces it, the dashboard shows only the actions it allows.
import type { SubTaskStatus } from "./vocabulary";

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

/** Which states each operation may start from. */
export const ALLOWED_FROM: Record<SubTaskOp, readonly SubTaskStatus[]> = {
  claim: ["pending"],
  start: ["assigned", "rework"],
  session: ["in_progress"],
  submit: ["in_progress"],
  review: ["review"],
  complete: ["review"],
  rework: ["review"],
  block: ["assigned", "in_progress", "rework"],
  // As upstream: a planner may take back work that was claimed but not started.
  reassign: ["assigned", "blocked"],
  edit: ["pending", "assigned"],
  cancel: ["pending", "assigned", "in_progress", "review", "rework", "blocked"],
};

/** Whether `op` may run on a sub-task in state `status`. */
export const allows = (op: SubTaskOp, status: SubTaskStatus): boolean => ALLOWED_FROM[op].includes(status);
