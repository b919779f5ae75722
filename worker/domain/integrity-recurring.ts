// The invariants of recurring tasks, as pure checks over plain rows (read by
// db/integrity.ts with the rest; domain/integrity.ts runs them).
import { CLOSED_TASK_STATUSES, isOneOf, TERMINAL_SUB_TASK_STATUSES } from "../../contract/vocabulary";
import type { IntegrityRows, Violations } from "./integrity";

export interface RecurringRows {
  schedules: { taskId: string; status: string; nextRunAt: string | null; roundsCreated: number }[];
  rounds: { id: string; taskId: string; roundNo: number | null; status: string }[];
}

/**
 * - A schedule's next_run_at is set exactly while it is active, and a closed task's schedule has ended
 *   (closing a task ends it in the same batch).
 * - A task's numbered rounds are exactly 1..rounds_created; a skipped slot takes no number and no sub-task.
 * - A finished round (done or cancelled) has no open sub-task; a done one has at least one done sub-task.
 * - A round sub-task belongs to a round of its own task.
 */
export function checkRecurring(rows: IntegrityRows, out: Violations): void {
  const taskStatus = new Map(rows.tasks.map((t) => [t.id, t.status]));
  for (const s of rows.schedules) {
    if ((s.status === "active") !== (s.nextRunAt !== null)) {
      out.add(
        "schedule_state",
        "task_schedule",
        s.taskId,
        `status ${s.status} with next_run_at ${s.nextRunAt ?? "null"}`,
      );
    }
    const status = taskStatus.get(s.taskId);
    if (status === undefined)
      out.add("reference", "task_schedule", s.taskId, `task_id → task ${s.taskId}, which does not exist`);
    else if (isOneOf(CLOSED_TASK_STATUSES, status) && s.status !== "ended") {
      out.add("schedule_state", "task_schedule", s.taskId, `the task is ${status} but its schedule is ${s.status}`);
    }
  }

  const roundsByTask = new Map<string, RecurringRows["rounds"]>();
  for (const r of rows.rounds) {
    if (!taskStatus.has(r.taskId))
      out.add("reference", "task_round", r.id, `task_id → task ${r.taskId}, which does not exist`);
    if ((r.status === "skipped") !== (r.roundNo === null)) {
      out.add("round_numbers", "task_round", r.id, `a ${r.status} round numbered ${r.roundNo ?? "null"}`);
    }
    roundsByTask.set(r.taskId, [...(roundsByTask.get(r.taskId) ?? []), r]);
  }
  for (const s of rows.schedules) {
    const numbers = (roundsByTask.get(s.taskId) ?? [])
      .flatMap((r) => (r.roundNo === null ? [] : [r.roundNo]))
      .sort((a, b) => a - b);
    if (numbers.length !== s.roundsCreated || numbers.some((n, i) => n !== i + 1)) {
      out.add(
        "round_numbers",
        "task_schedule",
        s.taskId,
        `rounds numbered ${numbers.join(", ") || "none"}; expected 1..${s.roundsCreated} (rounds_created)`,
      );
    }
  }

  const round = new Map(rows.rounds.map((r) => [r.id, r]));
  const subTasksOf = new Map<string, { status: string }[]>();
  for (const st of rows.subTasks) {
    if (st.roundId === null) continue;
    const r = round.get(st.roundId);
    if (!r) out.add("reference", "sub_task", st.id, `round_id → task_round ${st.roundId}, which does not exist`);
    else if (r.taskId !== st.taskId) {
      out.add("reference", "sub_task", st.id, `round_id → a round of task ${r.taskId}, not of its task ${st.taskId}`);
    }
    subTasksOf.set(st.roundId, [...(subTasksOf.get(st.roundId) ?? []), st]);
  }
  for (const r of rows.rounds) {
    const subs = subTasksOf.get(r.id) ?? [];
    const open = subs.filter((s) => !isOneOf(TERMINAL_SUB_TASK_STATUSES, s.status)).length;
    if (r.status === "skipped" && subs.length > 0) {
      out.add("round_state", "task_round", r.id, `a skipped slot has ${subs.length} sub-task(s)`);
    }
    if ((r.status === "done" || r.status === "cancelled") && open > 0) {
      out.add("round_state", "task_round", r.id, `the round is ${r.status} but ${open} of its sub-tasks are open`);
    }
    if (r.status === "done" && !subs.some((s) => s.status === "done")) {
      out.add("round_state", "task_round", r.id, "the round is done but none of its sub-tasks is");
    }
  }
}
