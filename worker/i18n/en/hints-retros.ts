// Default hints of the error codes about retrospectives, merged into hints.ts.
import { cli } from "../../domain/cli-command";

export const retroHints = {
  retrospective_not_found: `${cli("retro list")} lists the retrospectives you can read.`,
  retro_period_not_started: `Pick a day that has begun: ${cli("retro run --date <YYYY-MM-DD>")}.`,
  finding_not_found: `${cli("retro show <id>")} lists its findings and their ids.`,
  finding_already_ruled: `Nothing more to do; ${cli("rules --task-id <task_id>")} shows the rules in force.`,
  retro_log_target: `Name the retrospective alone: ${cli('log create retro "<what you take from it>" --retro <id>')}.`,
  retrospective_id_needs_retro: `Write it as a retro log: ${cli('log create retro "<what you take from it>" --retro <id>')}.`,
};
