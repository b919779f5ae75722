// Unit tests for the pure invariant checks: clean data passes, and each hand-made violation is found
// as exactly that violation.
import { describe, expect, it } from "vitest";
import {
  checkIntegrity,
  type IntegrityRows,
  illegalStep,
  MAX_LISTED_VIOLATIONS,
  type Violation,
} from "../../worker/domain/integrity";

type Rows = IntegrityRows;

let seq = 0;
const ev = (subTaskId: string, op: string, from: string | null, to: string) => ({
  id: `e${++seq}`,
  subTaskId,
  op,
  fromStatus: from,
  toStatus: to,
});

/**
 * A clean database: task t1 (module m1, a task rule and a sub-task rule) with
 *   s1 done after a rejection (reject → rework → start → submit → approve), its executor later deleted,
 *   s2 in progress, created assigned, with an edit and a session, depending on s1,
 *   s3 cancelled after the patrol blocked it and a planner reassigned it;
 * plus a deleted agent's ledger row, the server's patrol log and a delivered notification.
 */
function clean(): Rows {
  seq = 0;
  return {
    tasks: [
      { id: "t1", status: "in_progress" },
      { id: "tr", status: "in_progress" },
    ],
    modules: [{ id: "m1", taskId: "t1" }],
    subTasks: [
      {
        id: "s1",
        taskId: "t1",
        moduleId: "m1",
        status: "done",
        assignedAgent: "gone-exec",
        reworkCount: 1,
        roundId: null,
      },
      {
        id: "s2",
        taskId: "t1",
        moduleId: null,
        status: "in_progress",
        assignedAgent: "a-exec",
        reworkCount: 0,
        roundId: null,
      },
      {
        id: "s3",
        taskId: "t1",
        moduleId: null,
        status: "cancelled",
        assignedAgent: "a-exec",
        reworkCount: 0,
        roundId: null,
      },
      {
        id: "s5",
        taskId: "tr",
        moduleId: null,
        status: "cancelled",
        assignedAgent: null,
        reworkCount: 0,
        roundId: "rd1",
      },
      {
        id: "s6",
        taskId: "tr",
        moduleId: null,
        status: "pending",
        assignedAgent: null,
        reworkCount: 0,
        roundId: "rd2",
      },
    ],
    events: [
      ev("s1", "create", null, "pending"),
      ev("s2", "create", null, "assigned"),
      ev("s1", "claim", "pending", "assigned"),
      ev("s2", "edit", "assigned", "assigned"),
      ev("s1", "start", "assigned", "in_progress"),
      ev("s1", "session", "in_progress", "in_progress"),
      ev("s1", "submit", "in_progress", "review"),
      ev("s1", "review", "review", "rework"),
      ev("s1", "start", "rework", "in_progress"),
      ev("s1", "submit", "in_progress", "review"),
      ev("s1", "review", "review", "done"),
      ev("s2", "start", "assigned", "in_progress"),
      ev("s2", "session", "in_progress", "in_progress"),
      ev("s3", "create", null, "pending"),
      ev("s3", "claim", "pending", "assigned"),
      ev("s3", "start", "assigned", "in_progress"),
      ev("s3", "block", "in_progress", "blocked"),
      ev("s3", "reassign", "blocked", "assigned"),
      ev("s3", "cancel", "assigned", "cancelled"),
      ev("s5", "create", null, "pending"),
      ev("s5", "cancel", "pending", "cancelled"),
      ev("s6", "create", null, "pending"),
    ],
    dependencies: [{ subTaskId: "s2", dependsOn: "s1" }],
    agents: [
      { id: "a-exec", totalScore: 7 },
      { id: "a-rev", totalScore: 0 },
    ],
    ledger: [
      { id: "l1", agentId: "a-exec", subTaskId: "s2", scoreDelta: 10 },
      { id: "l2", agentId: "a-exec", subTaskId: null, scoreDelta: -3 },
      // The deleted executor's history stays, and counts for nobody.
      { id: "l3", agentId: "gone-exec", subTaskId: "s1", scoreDelta: -5 },
    ],
    reviews: [
      { id: "r1", subTaskId: "s1", round: 1, result: "rejected" },
      { id: "r2", subTaskId: "s1", round: 2, result: "approved" },
    ],
    rules: [
      { id: "ru1", taskId: "t1", subTaskId: null },
      { id: "ru2", taskId: "t1", subTaskId: "s2" },
      { id: "ru3", taskId: null, subTaskId: null },
    ],
    patrolRecords: [
      { id: "p1", subTaskId: "s3" },
      { id: "p2", subTaskId: null },
    ],
    // A log on a sub-task carries its task; a task's closing delivery names the task alone.
    activityLogs: [
      { id: "log1", subTaskId: "s1", taskId: "t1" },
      { id: "log2", subTaskId: "s3", taskId: "t1" },
      { id: "log3", subTaskId: null, taskId: "t1" },
    ],
    outbox: [{ id: "o1" }],
    deliveries: [{ id: "d1", outboxId: "o1" }],
    attempts: [{ id: "at1", deliveryId: "d1" }],
    // Recurring task tr: round 1 cancelled, a slot skipped, round 2 open.
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

/** Applies a corruption to clean rows and returns the violations found. */
function violationsOf(corrupt: (rows: Rows) => void): Violation[] {
  const rows = clean();
  corrupt(rows);
  return checkIntegrity(rows).violations;
}

const eventId = (rows: Rows, subTaskId: string, op: string, nth = 0) =>
  rows.events.filter((e) => e.subTaskId === subTaskId && e.op === op)[nth]!.id;

describe("clean data", () => {
  it("passes, and every table is counted", () => {
    const report = checkIntegrity(clean());
    expect(report).toEqual({
      ok: true,
      checked: {
        tasks: 2,
        modules: 1,
        sub_tasks: 5,
        events: 22,
        dependencies: 1,
        agents: 2,
        ledger_rows: 3,
        review_records: 2,
        rules: 3,
        patrol_records: 2,
        activity_logs: 3,
        notification_outbox: 1,
        notification_deliveries: 1,
        notification_attempts: 1,
        schedules: 1,
        rounds: 3,
      },
      violations: [],
      total_violations: 0,
    });
  });

  it("an empty database passes", () => {
    const empty = Object.fromEntries(Object.keys(clean()).map((k) => [k, []])) as unknown as Rows;
    expect(checkIntegrity(empty)).toMatchObject({ ok: true, violations: [], total_violations: 0 });
  });

  it("task-cancel cascades from every open status are legal steps", () => {
    for (const from of ["pending", "assigned", "in_progress", "review", "rework", "blocked"]) {
      expect(illegalStep("cancel", from, "cancelled"), from).toBeNull();
    }
  });
});

describe("1. each sub-task's history is a legal path ending in its status", () => {
  it("an illegal edge", () => {
    const v = violationsOf((r) => {
      // s2 jumps from assigned straight to done, and its status follows, so only the edge is wrong.
      r.events = r.events.filter((e) => e.id !== eventId(r, "s2", "session"));
      r.events.find((e) => e.id === eventId(r, "s2", "start"))!.toStatus = "done";
      r.subTasks[1]!.status = "done";
    });
    expect(v).toEqual([
      {
        invariant: "legal_edge",
        table: "sub_task_event",
        id: "e12",
        detail: "sub-task s2, event 3: start assigned → done is not an edge of the state machine",
      },
    ]);
  });

  it("an op from a status it is not allowed from, even along a legal edge", () => {
    // pending → assigned is an edge (claim), but reassign only starts from assigned or blocked.
    const v = violationsOf((r) => {
      r.events.find((e) => e.id === eventId(r, "s3", "claim"))!.op = "reassign";
    });
    expect(v).toEqual([
      {
        invariant: "legal_edge",
        table: "sub_task_event",
        id: "e15",
        detail: expect.stringContaining("reassign is not allowed from pending"),
      },
    ]);
  });

  it("a session or edit that changes the status, an unknown op, a second creation", () => {
    expect(illegalStep("session", "in_progress", "review")).toContain("must keep the status");
    expect(illegalStep("edit", "pending", "assigned")).toContain("must keep the status");
    expect(illegalStep("teleport", "pending", "done")).toContain('unknown op "teleport"');
    expect(illegalStep("create", null, "pending")).toContain("creation event after the first");
    expect(illegalStep("claim", null, "assigned")).toContain("without a from_status");
    expect(illegalStep("claim", "pending", "assigned")).toBeNull();
    expect(illegalStep("edit", "assigned", "assigned")).toBeNull();
  });

  it("a broken chain (a missing event)", () => {
    const v = violationsOf((r) => {
      r.events = r.events.filter((e) => e.id !== eventId(r, "s3", "block"));
    });
    expect(v).toEqual([
      {
        invariant: "history_continuity",
        table: "sub_task_event",
        id: "e18",
        detail: "sub-task s3, event 4 (reassign) starts from blocked but event 3 ended in in_progress",
      },
    ]);
  });

  it("a wrong final status", () => {
    const v = violationsOf((r) => {
      r.subTasks[1]!.status = "review";
    });
    expect(v).toEqual([
      {
        invariant: "history_end",
        table: "sub_task",
        id: "s2",
        detail: "the last event (session) ends in in_progress but the status is review",
      },
    ]);
  });

  it("a history without its creation, and a sub-task without events", () => {
    const v = violationsOf((r) => {
      r.events = r.events.filter((e) => e.id !== eventId(r, "s3", "create") && e.subTaskId !== "s2");
    });
    expect(v).toEqual([
      {
        invariant: "history_start",
        table: "sub_task",
        id: "s2",
        detail: "the sub-task has no events, not even its creation",
      },
      {
        invariant: "history_start",
        table: "sub_task_event",
        id: "e15",
        detail: expect.stringContaining("starts with claim pending → assigned, not a creation"),
      },
    ]);
  });

  it("a creation into a status a sub-task is never created in", () => {
    const v = violationsOf((r) => {
      r.events.find((e) => e.id === eventId(r, "s2", "create"))!.toStatus = "in_progress";
      r.events.find((e) => e.id === eventId(r, "s2", "edit"))!.fromStatus = "in_progress";
      r.events.find((e) => e.id === eventId(r, "s2", "edit"))!.toStatus = "in_progress";
      r.events.find((e) => e.id === eventId(r, "s2", "start"))!.fromStatus = "in_progress";
    });
    expect(v.map((x) => x.invariant)).toEqual(["history_start", "legal_edge", "legal_edge"]);
  });

  it("follows the rows' commit order per sub-task, however sub-tasks interleave", () => {
    const rows = clean();
    // All of s6's events first, …, s3's, then s2's, then s1's, each in its own order: still clean.
    rows.events = ["s6", "s5", "s3", "s2", "s1"].flatMap((id) => rows.events.filter((e) => e.subTaskId === id));
    expect(checkIntegrity(rows).ok).toBe(true);
    // Two events of one sub-task in the wrong order break its chain twice.
    const swapped = clean();
    const i = swapped.events.findIndex((e) => e.id === eventId(swapped, "s1", "start"));
    const j = swapped.events.findIndex((e) => e.id === eventId(swapped, "s1", "session"));
    [swapped.events[i], swapped.events[j]] = [swapped.events[j]!, swapped.events[i]!];
    expect(checkIntegrity(swapped).violations.map((x) => [x.invariant, x.id])).toEqual([
      ["history_continuity", "e6"],
      ["history_continuity", "e5"],
    ]);
  });
});

describe("2. total_score equals the ledger", () => {
  it("a ledger row without the total moving", () => {
    const v = violationsOf((r) => {
      r.ledger.push({ id: "l9", agentId: "a-rev", subTaskId: null, scoreDelta: 4 });
    });
    expect(v).toEqual([
      {
        invariant: "score_equals_ledger",
        table: "agent",
        id: "a-rev",
        detail: "total_score is 0 but its 1 ledger row(s) sum to 4",
      },
    ]);
  });

  it("a total moved without a ledger row", () => {
    const v = violationsOf((r) => {
      r.agents[0]!.totalScore = 8;
    });
    expect(v).toEqual([
      {
        invariant: "score_equals_ledger",
        table: "agent",
        id: "a-exec",
        detail: "total_score is 8 but its 2 ledger row(s) sum to 7",
      },
    ]);
  });

  it("an agent without ledger rows must be at 0", () => {
    const v = violationsOf((r) => {
      r.agents.push({ id: "a-new", totalScore: 1 });
    });
    expect(v).toEqual([
      {
        invariant: "score_equals_ledger",
        table: "agent",
        id: "a-new",
        detail: "total_score is 1 but its 0 ledger row(s) sum to 0",
      },
    ]);
  });
});

describe("3. review rounds are 1..n; rework_count counts the rejections", () => {
  it("a gap", () => {
    const v = violationsOf((r) => {
      r.reviews[1]!.round = 3;
    });
    expect(v).toEqual([
      { invariant: "review_rounds", table: "sub_task", id: "s1", detail: "review rounds are 1, 3; expected 1..2" },
    ]);
  });

  it("a duplicate, and rounds not starting at 1", () => {
    expect(
      violationsOf((r) => {
        r.reviews[1]!.round = 1;
      })[0],
    ).toMatchObject({ invariant: "review_rounds", detail: "review rounds are 1, 1; expected 1..2" });
    expect(
      violationsOf((r) => {
        r.reviews[0]!.round = 3;
      })[0],
    ).toMatchObject({ invariant: "review_rounds", detail: "review rounds are 2, 3; expected 1..2" });
  });

  it("a missing first round is a gap and a lost rejection", () => {
    const v = violationsOf((r) => {
      r.reviews.shift();
    });
    expect(v).toEqual([
      { invariant: "review_rounds", table: "sub_task", id: "s1", detail: "review rounds are 2; expected 1..1" },
      {
        invariant: "rework_count",
        table: "sub_task",
        id: "s1",
        detail: "rework_count is 1 but 0 review round(s) rejected it",
      },
    ]);
  });

  it("rework_count off by one", () => {
    const v = violationsOf((r) => {
      r.subTasks[1]!.reworkCount = 1;
    });
    expect(v).toEqual([
      {
        invariant: "rework_count",
        table: "sub_task",
        id: "s2",
        detail: "rework_count is 1 but 0 review round(s) rejected it",
      },
    ]);
  });
});

describe("4. no row points at a missing row", () => {
  it("a deleted task leaves its sub-tasks, modules, logs and rules dangling", () => {
    const v = violationsOf((r) => {
      r.tasks = r.tasks.filter((t) => t.id !== "t1");
    });
    expect(v.map((x) => `${x.table} ${x.id}: ${x.detail}`)).toEqual([
      "sub_task s1: task_id → task t1, which does not exist",
      "sub_task s2: task_id → task t1, which does not exist",
      "sub_task s3: task_id → task t1, which does not exist",
      "module m1: task_id → task t1, which does not exist",
      "activity_log log1: task_id → task t1, which does not exist",
      "activity_log log2: task_id → task t1, which does not exist",
      "activity_log log3: task_id → task t1, which does not exist",
      "rule ru1: task_id → task t1, which does not exist",
      "rule ru2: task_id → task t1, which does not exist",
    ]);
    expect(new Set(v.map((x) => x.invariant))).toEqual(new Set(["reference"]));
  });

  it("a deleted sub-task leaves every row that names it dangling", () => {
    const v = violationsOf((r) => {
      r.subTasks = r.subTasks.filter((s) => s.id !== "s1");
    });
    const s1Events = clean()
      .events.filter((e) => e.subTaskId === "s1")
      .map((e) => `sub_task_event ${e.id}`);
    expect(v.map((x) => `${x.table} ${x.id}`).sort()).toEqual(
      [
        ...s1Events,
        "review_record r1",
        "review_record r2",
        "reward_log l3",
        "activity_log log1",
        "sub_task_dependency s2->s1",
      ].sort(),
    );
    expect(
      v.every((x) => x.invariant === "reference" && x.detail.includes("→ sub_task s1, which does not exist")),
    ).toBe(true);
  });

  it("each nullable reference, one at a time", () => {
    const cases: [string, (r: Rows) => void, string][] = [
      [
        "sub_task s2",
        (r) => {
          r.subTasks[1]!.moduleId = "m-gone";
        },
        "module_id → module m-gone, which does not exist",
      ],
      [
        "rule ru2",
        (r) => {
          r.rules[1]!.subTaskId = "s-gone";
        },
        "sub_task_id → sub_task s-gone, which does not exist",
      ],
      [
        "patrol_record p1",
        (r) => {
          r.patrolRecords[0]!.subTaskId = "s-gone";
        },
        "sub_task_id → sub_task s-gone, which does not exist",
      ],
      [
        "reward_log l2",
        (r) => {
          r.ledger[1]!.subTaskId = "s-gone";
        },
        "sub_task_id → sub_task s-gone, which does not exist",
      ],
      [
        "activity_log log2",
        (r) => {
          r.activityLogs[1]!.subTaskId = "s-gone";
        },
        "sub_task_id → sub_task s-gone, which does not exist",
      ],
      [
        "activity_log log3",
        (r) => {
          r.activityLogs[2]!.taskId = "t-gone";
        },
        "task_id → task t-gone, which does not exist",
      ],
      [
        "activity_log log2",
        (r) => {
          r.tasks.push({ id: "t2", status: "active" });
          r.activityLogs[1]!.taskId = "t2";
        },
        "task_id → task t2, not the task t1 of its sub-task s3",
      ],
      [
        "sub_task_dependency s2->s-gone",
        (r) => {
          r.dependencies[0]!.dependsOn = "s-gone";
        },
        "depends_on → sub_task s-gone, which does not exist",
      ],
      [
        "notification_delivery d1",
        (r) => {
          r.outbox = [];
        },
        "outbox_id → notification_outbox o1, which does not exist",
      ],
      [
        "notification_attempt at1",
        (r) => {
          r.deliveries = [];
        },
        "delivery_id → notification_delivery d1, which does not exist",
      ],
    ];
    for (const [where, corrupt, detail] of cases) {
      expect(violationsOf(corrupt), where).toEqual([
        { invariant: "reference", table: where.split(" ")[0], id: where.split(" ")[1], detail },
      ]);
    }
  });

  it("a module of another task", () => {
    const v = violationsOf((r) => {
      r.tasks.push({ id: "t2", status: "active" });
      r.modules.push({ id: "m2", taskId: "t2" });
      r.subTasks[1]!.moduleId = "m2";
    });
    expect(v).toEqual([
      {
        invariant: "reference",
        table: "sub_task",
        id: "s2",
        detail: "module_id → module m2 of task t2, not of the sub-task's task t1",
      },
    ]);
  });

  it("held work must name an existing agent; closed work may name a deleted one", () => {
    // Its ledger rows and the cancelled s3 may name it; the in-progress s2 may not.
    expect(
      violationsOf((r) => {
        r.agents = r.agents.filter((a) => a.id !== "a-exec");
      }),
    ).toEqual([
      {
        invariant: "reference",
        table: "sub_task",
        id: "s2",
        detail: "assigned_agent → agent a-exec, which does not exist, while the sub-task is in_progress",
      },
    ]);
    // s1 (done) names the deleted gone-exec in clean(): no violation (checked by the clean test).
  });

  it("held work without an agent, pending work with one", () => {
    expect(
      violationsOf((r) => {
        r.subTasks[1]!.assignedAgent = null;
      }),
    ).toEqual([
      {
        invariant: "assignment",
        table: "sub_task",
        id: "s2",
        detail: "the sub-task is in_progress but assigned to nobody",
      },
    ]);
    const v = violationsOf((r) => {
      r.subTasks.push({
        id: "s4",
        taskId: "t1",
        moduleId: null,
        status: "pending",
        assignedAgent: "a-exec",
        reworkCount: 0,
        roundId: null,
      });
      r.events.push(ev("s4", "create", null, "pending"));
    });
    expect(v).toEqual([
      {
        invariant: "assignment",
        table: "sub_task",
        id: "s4",
        detail: "the sub-task is pending but assigned to a-exec",
      },
    ]);
  });
});

describe("the report", () => {
  it("lists at most the cap and counts every violation", () => {
    const rows = clean();
    for (let i = 0; i < MAX_LISTED_VIOLATIONS + 20; i++)
      rows.events.push(ev(`ghost-${i}`, "claim", "pending", "assigned"));
    const report = checkIntegrity(rows);
    expect(report.ok).toBe(false);
    expect(report.violations).toHaveLength(MAX_LISTED_VIOLATIONS);
    expect(report.total_violations).toBe(MAX_LISTED_VIOLATIONS + 20);
    expect(checkIntegrity(rows, 5).violations).toHaveLength(5);
  });
});
