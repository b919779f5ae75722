// The recurring-task invariants (worker/domain/integrity-recurring.ts): each
// corruption of a clean recurring setup is reported under its invariant, and the clean one passes.
import { describe, expect, it } from "vitest";
import { checkIntegrity, type IntegrityRows } from "../../worker/domain/integrity";

const ev = (subTaskId: string, n: number, op: string, from: string | null, to: string) => ({
  id: `${subTaskId}-e${n}`,
  subTaskId,
  op,
  fromStatus: from,
  toStatus: to,
});

/** Task tr with an active schedule: round 1 cancelled (s1), a skipped slot, round 2 open (s2 pending). */
function clean(): IntegrityRows {
  return {
    tasks: [{ id: "tr", status: "in_progress" }],
    modules: [],
    subTasks: [
      {
        id: "s1",
        taskId: "tr",
        moduleId: null,
        status: "cancelled",
        assignedAgent: null,
        reworkCount: 0,
        roundId: "rd1",
      },
      {
        id: "s2",
        taskId: "tr",
        moduleId: null,
        status: "pending",
        assignedAgent: null,
        reworkCount: 0,
        roundId: "rd2",
      },
    ],
    events: [
      ev("s1", 1, "create", null, "pending"),
      ev("s1", 2, "cancel", "pending", "cancelled"),
      ev("s2", 1, "create", null, "pending"),
    ],
    dependencies: [],
    agents: [{ id: "a1", totalScore: 0 }],
    ledger: [],
    reviews: [],
    rules: [],
    patrolRecords: [],
    activityLogs: [],
    outbox: [],
    deliveries: [],
    attempts: [],
    schedules: [{ taskId: "tr", status: "active", nextRunAt: "2026-12-06T09:00:00.000Z", roundsCreated: 2 }],
    rounds: [
      { id: "rd1", taskId: "tr", roundNo: 1, status: "cancelled" },
      { id: "rd-skip", taskId: "tr", roundNo: null, status: "skipped" },
      { id: "rd2", taskId: "tr", roundNo: 2, status: "open" },
    ],
    files: [],
    searchEntries: [],
  };
}

function violationsOf(corrupt: (rows: IntegrityRows) => void): string[] {
  const rows = clean();
  corrupt(rows);
  return checkIntegrity(rows).violations.map((v) => `${v.invariant} ${v.table} ${v.id}: ${v.detail}`);
}

describe("recurring-task invariants", () => {
  it("a clean recurring setup passes and is counted", () => {
    const report = checkIntegrity(clean());
    expect(report.violations).toEqual([]);
    expect(report.checked).toMatchObject({ schedules: 1, rounds: 3 });
  });

  it("schedule_state: a next run exactly while active; a closed task's schedule has ended", () => {
    expect(
      violationsOf((r) => {
        r.schedules[0]!.nextRunAt = null;
      }),
    ).toEqual(["schedule_state task_schedule tr: status active with next_run_at null"]);
    expect(
      violationsOf((r) => {
        r.schedules[0]!.status = "paused";
      }),
    ).toEqual(["schedule_state task_schedule tr: status paused with next_run_at 2026-12-06T09:00:00.000Z"]);
    expect(
      violationsOf((r) => {
        r.tasks[0]!.status = "cancelled";
        r.schedules[0]!.status = "paused";
        r.schedules[0]!.nextRunAt = null;
      }),
    ).toEqual(["schedule_state task_schedule tr: the task is cancelled but its schedule is paused"]);
  });

  it("round_numbers: numbered rounds are 1..rounds_created, skips take no number", () => {
    expect(
      violationsOf((r) => {
        r.schedules[0]!.roundsCreated = 3;
      }),
    ).toEqual(["round_numbers task_schedule tr: rounds numbered 1, 2; expected 1..3 (rounds_created)"]);
    expect(
      violationsOf((r) => {
        r.rounds[2]!.roundNo = 3;
      }),
    ).toEqual(["round_numbers task_schedule tr: rounds numbered 1, 3; expected 1..2 (rounds_created)"]);
    expect(
      violationsOf((r) => {
        r.rounds[1]!.roundNo = 3;
      }),
    ).toEqual([
      "round_numbers task_round rd-skip: a skipped round numbered 3",
      "round_numbers task_schedule tr: rounds numbered 1, 2, 3; expected 1..2 (rounds_created)",
    ]);
  });

  it("round_state: finished rounds hold no open work, a done round has done work, a skip has none", () => {
    expect(
      violationsOf((r) => {
        r.rounds[2]!.status = "done";
      }),
    ).toEqual([
      "round_state task_round rd2: the round is done but 1 of its sub-tasks are open",
      "round_state task_round rd2: the round is done but none of its sub-tasks is",
    ]);
    expect(
      violationsOf((r) => {
        r.subTasks[1]!.roundId = "rd-skip";
      }),
    ).toEqual(["round_state task_round rd-skip: a skipped slot has 1 sub-task(s)"]);
  });

  it("reference: rounds, schedules and round sub-tasks name rows that exist", () => {
    expect(
      violationsOf((r) => {
        r.tasks.push({ id: "other", status: "active" });
        r.subTasks[1]!.taskId = "other";
        r.subTasks[1]!.roundId = "rd2";
      }),
    ).toEqual(["reference sub_task s2: round_id → a round of task tr, not of its task other"]);
    expect(
      violationsOf((r) => {
        r.subTasks[1]!.roundId = "gone";
      }),
    ).toEqual(["reference sub_task s2: round_id → task_round gone, which does not exist"]);
    expect(
      violationsOf((r) => {
        r.tasks = [];
      }),
    ).toContain("reference task_round rd1: task_id → task tr, which does not exist");
  });
});
