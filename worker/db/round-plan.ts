// Turns a decision about a recurring task's slot (domain/rounds.ts) into the plan createRounds writes
// (round-batch.ts): fresh ids for the round, its sub-tasks and logs, the template's keys mapped to
// those ids, names with {round} and {date} filled in (domain/round-template.ts), and the logs in the
// project's language.
import type { RecurringConfig } from "../../contract/api/recurring";
import type { Language } from "../../contract/languages";
import type { EventData } from "../domain/notifications";
import { roundSubTasks } from "../domain/round-template";
import { roundCapacity, type SlotDecision } from "../domain/rounds";
import { render, text } from "../i18n";
import { localDate, localParts } from "../lib/zoned-time";
import type { PlannedRound, RoundPlan, RoundSubTaskPlan } from "./round-batch";

export interface RoundPlanInput {
  taskId: string;
  taskName: string;
  config: RecurringConfig;
  /** The schedule's updated_at as read. */
  scheduleVersion: string;
  /** next_run_at as read by the cron; null for a round started by hand. */
  expected: string | null;
  /** Rounds open when the schedule was read (for the "too many open" log). */
  openRounds: number;
  decision: SlotDecision;
  language: Language;
}

/** Who completes a task whose schedule ended, in its all_done notification. */
const SCHEDULE_ACTOR = { kind: "system", id: null, name: "schedule (server)" } as const;

const pad = (n: number) => String(n).padStart(2, "0");

/** "2026-12-05 09:00 Asia/Shanghai": a slot as the team's clock shows it. */
export function slotLabel(at: string, tz: string): string {
  const p = localParts(new Date(at), tz);
  return `${localDate(new Date(at), tz)} ${pad(p.hour)}:${pad(p.minute)} ${tz}`;
}

export function planRound(input: RoundPlanInput): RoundPlan {
  const { config, decision, taskName: task, taskId } = input;
  const slot = decision.round;
  let round: PlannedRound | null = null;
  if (slot) {
    const tz = config.schedule.tz;
    const label = slotLabel(slot.scheduledFor, tz);
    const date = localDate(new Date(slot.scheduledFor), tz);
    const made =
      slot.roundNo !== null
        ? roundSubTasks(config.template, { roundNo: slot.roundNo, slot: new Date(slot.scheduledFor), tz })
        : [];
    // Names go in the plan; the long texts stay in the stored template and are filled in SQL.
    const subTasks: RoundSubTaskPlan[] = made.map((st, index) => ({
      id: crypto.randomUUID(),
      eventId: crypto.randomUUID(),
      key: st.key,
      index,
      name: st.name,
      moduleId: st.moduleId,
      agent: st.assignedAgent,
    }));
    const idOf = new Map(subTasks.map((s) => [s.key, s.id]));
    const dependencies = made.flatMap((st) =>
      st.dependsOn.flatMap((dep): [string, string][] => {
        const from = idOf.get(st.key);
        const to = idOf.get(dep);
        return from && to ? [[from, to]] : [];
      }),
    );
    const summary =
      slot.roundNo !== null
        ? text("roundStartedLog", { no: slot.roundNo, task, slot: label, missed: slot.missed })
        : slot.skipReason === "max_open_rounds"
          ? text("roundSkippedMaxOpenLog", { task, slot: label, open: input.openRounds, taskId })
          : text("roundSkippedUnfinishedLog", { task, slot: label, taskId });
    round = {
      ...slot,
      id: crypto.randomUUID(),
      date,
      maxOpen: roundCapacity(config.policy),
      subTasks,
      dependencies,
      logId: crypto.randomUUID(),
      summary: render(summary, input.language),
    };
  }
  return {
    taskId,
    scheduleVersion: input.scheduleVersion,
    expected: input.expected,
    next: decision.next,
    ended: decision.ended,
    round,
    end: decision.ended ? endOf(input, decision.ended, round) : null,
  };
}

function endOf(input: RoundPlanInput, reason: NonNullable<SlotDecision["ended"]>, round: PlannedRound | null) {
  const task = input.taskName;
  const summary =
    reason === "max_rounds"
      ? text("scheduleEndedMaxRoundsLog", { task, rounds: input.config.policy.max_rounds ?? round?.roundNo ?? 0 })
      : reason === "task_closed"
        ? text("scheduleEndedTaskClosedLog", { task })
        : text("scheduleEndedAtLog", { task });
  const payload: EventData = { task: { id: input.taskId, name: task }, actor: SCHEDULE_ACTOR };
  return {
    logId: crypto.randomUUID(),
    summary: render(summary, input.language),
    eventId: crypto.randomUUID(),
    payload,
  };
}
