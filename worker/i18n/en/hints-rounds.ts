// Default hints of the error codes about a recurring task's rounds, merged into hints.ts.
import { cli } from "../../domain/cli-command";

export const roundHints = {
  task_not_started: `Activate the task first: ${cli("task status <task_id> active")}; its rounds then start on schedule.`,
  round_limit: `See the open rounds with ${cli("task rounds <task_id> --status open")}; the next slot starts one once there is room.`,
};
