// Texts about a recurring task's rounds: the activity logs the cron writes when it starts or skips a
// round or ends a schedule (worker/patrol/recurring.ts), stored in the project's language; and the
// refusals of starting a round by hand (worker/db/round-start.ts).
import { cli } from "../../../domain/cli-command";

export const rounds = {
  /** `slot` is the slot's local time and zone, e.g. "2026-12-05 09:00 Asia/Shanghai". */
  roundStartedLog: (p: { no: number; task: string; slot: string; missed: number }) =>
    `Round ${p.no} of "${p.task}" started for ${p.slot}.` +
    (p.missed > 0 ? ` The cron ran late: ${p.missed} earlier slot(s) got no round of their own.` : ""),
  roundSkippedUnfinishedLog: (p: { task: string; slot: string; taskId: string }) =>
    `Slot ${p.slot} of "${p.task}" skipped: the previous round is unfinished. ` +
    `See what is open: ${cli(`task rounds ${p.taskId} --status open`)}`,
  roundSkippedMaxOpenLog: (p: { task: string; slot: string; open: number; taskId: string }) =>
    `Slot ${p.slot} of "${p.task}" skipped: ${p.open} rounds are still open, the most the schedule allows. ` +
    `See them: ${cli(`task rounds ${p.taskId} --status open`)}`,
  scheduleEndedAtLog: (p: { task: string }) =>
    `The schedule of "${p.task}" ended: its end date has passed. The task completes once its open rounds are done.`,
  scheduleEndedMaxRoundsLog: (p: { task: string; rounds: number }) =>
    `The schedule of "${p.task}" ended after ${p.rounds} rounds, its maximum. The task completes once its open rounds are done.`,
  scheduleEndedTaskClosedLog: (p: { task: string }) => `The schedule of "${p.task}" ended: the task is closed.`,
  roundTaskNotStarted: "rounds start once the task is active; it is still planning",
  roundLimitReached: (p: { open: number; max: number; taskId: string }) =>
    `${p.open} rounds are open, the most the schedule's policy allows (${p.max}). ` +
    `Finish or cancel one first: ${cli(`task rounds ${p.taskId} --status open`)}`,
};
