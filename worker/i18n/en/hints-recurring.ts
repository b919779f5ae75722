// Default hints of the error codes about recurring tasks (schedules, rounds), merged into hints.ts.
import { cli } from "../../domain/cli-command";

export const recurringHints = {
  invalid_schedule: `Fix the schedule and send it again, e.g. ${cli('task schedule <task_id> --cron "0 9 * * *" --tz Asia/Shanghai --from-sub-tasks')}.`,
  invalid_template: `Fix the template named in detail, or plan one round by hand and use ${cli("task schedule <task_id> --cron EXPR --from-sub-tasks")}.`,
  schedule_not_found: `Set one with ${cli("task schedule <task_id> --cron EXPR --from-sub-tasks")}.`,
  schedule_no_run_left: `Set the schedule again with a later --ends-at or a higher --max-rounds: ${cli("task schedule <task_id> --cron EXPR --from-sub-tasks")}.`,
};
