// Unit tests for the pure sub-task state machine. The expected tables below are written out by hand
// (not imported from the module) so that a wrong table in the module makes these tests fail.
import { describe, expect, it } from "vitest";
import {
  type Actor,
  type Role,
  SUB_TASK_STATUSES,
  type SubTaskStatus,
  type TaskStatus,
} from "../../contract/vocabulary";
import {
  ALLOWED_FROM,
  authorize,
  isLegalEdge,
  LEGAL_EDGES,
  OP_ROLE,
  type Plan,
  planTransition,
  type Snapshot,
  type SubTaskCommand,
  type SubTaskOp,
  type TargetAgent,
} from "../../worker/domain/sub-task-machine";
import { ApiError } from "../../worker/lib/errors";

// ---------------------------------------------------------------------------------------------
// Fixtures

const NOW = "2025-03-04T05:06:07.000Z";
const EXEC_ID = "exec-1";
const OTHER_EXEC_ID = "exec-2";
const REVIEWER_ID = "rev-1";

const executor: Actor = { kind: "agent", id: EXEC_ID, role: "executor", name: "Executor One" };
const otherExecutor: Actor = { kind: "agent", id: OTHER_EXEC_ID, role: "executor", name: "Executor Two" };
const reviewer: Actor = { kind: "agent", id: REVIEWER_ID, role: "reviewer", name: "Reviewer" };
const planner: Actor = { kind: "agent", id: "plan-1", role: "planner", name: "Planner" };
const patrol: Actor = { kind: "agent", id: "patrol-1", role: "patrol", name: "Patrol" };
const admin: Actor = { kind: "admin", id: null, name: "admin" };
const system: Actor = { kind: "system", id: null, name: "system" };

const activeTarget: TargetAgent = { id: OTHER_EXEC_ID, role: "executor", status: "active" };

const ALL_OPS: readonly SubTaskOp[] = [
  "claim",
  "start",
  "session",
  "submit",
  "review",
  "complete",
  "rework",
  "block",
  "reassign",
  "edit",
  "cancel",
];

/** The rules, spelled out independently of the module. */
const EXPECTED_ALLOWED_FROM: Record<SubTaskOp, readonly SubTaskStatus[]> = {
  claim: ["pending"],
  start: ["assigned", "rework"],
  session: ["in_progress"],
  submit: ["in_progress"],
  review: ["review"],
  complete: ["review"],
  rework: ["review"],
  block: ["assigned", "in_progress", "rework"],
  reassign: ["assigned", "blocked"],
  edit: ["pending", "assigned"],
  cancel: ["pending", "assigned", "in_progress", "review", "rework", "blocked"],
};

const EXPECTED_OP_ROLE: Record<SubTaskOp, Role> = {
  claim: "executor",
  start: "executor",
  session: "executor",
  submit: "executor",
  review: "reviewer",
  complete: "reviewer",
  rework: "reviewer",
  block: "patrol",
  reassign: "planner",
  edit: "planner",
  cancel: "planner",
};
const EXPECTED_ADMIN_OPS: readonly SubTaskOp[] = ["reassign", "edit", "cancel", "block"];
const EXPECTED_SYSTEM_OPS: readonly SubTaskOp[] = ["block"];

const EXPECTED_EDGES = [
  "pending->assigned",
  "assigned->in_progress",
  "rework->in_progress",
  "in_progress->review",
  "review->done",
  "review->rework",
  "assigned->blocked",
  "in_progress->blocked",
  "rework->blocked",
  "blocked->assigned",
  "assigned->assigned",
  "pending->cancelled",
  "assigned->cancelled",
  "in_progress->cancelled",
  "review->cancelled",
  "rework->cancelled",
  "blocked->cancelled",
];

type CmdOf<K extends SubTaskOp> = Extract<SubTaskCommand, { op: K }>;

/** A valid command for each op (the one that succeeds when status, role and target are right). */
const CMD: { [K in SubTaskOp]: CmdOf<K> } = {
  claim: { op: "claim", sessionId: "sess-claim" },
  start: { op: "start", sessionId: "sess-start" },
  session: { op: "session", sessionId: "sess-new" },
  submit: { op: "submit" },
  review: { op: "review", result: "approved", score: 4, issues: "", comment: "nice", reworkAgent: null },
  complete: { op: "complete" },
  rework: { op: "rework", reworkAgent: null },
  block: { op: "block", reason: "stuck" },
  reassign: { op: "reassign", agentId: OTHER_EXEC_ID },
  edit: { op: "edit", changes: { name: "renamed" } },
  cancel: { op: "cancel" },
};

/** The agent actor of the op's own role. */
const ROLE_ACTOR: Record<Role, Actor> = { executor, reviewer, planner, patrol };
const actorFor = (op: SubTaskOp): Actor => ROLE_ACTOR[EXPECTED_OP_ROLE[op]];

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

interface SnapOptions {
  assignedAgent?: string | null;
  reworkCount?: number;
  taskStatus?: TaskStatus;
  reviewRounds?: number;
  workedOnBy?: readonly string[];
  targetAgent?: TargetAgent | null;
  openDependencies?: Snapshot["openDependencies"];
  holderName?: string | null;
}

/** A snapshot in which every check except the one under test passes; frozen to prove purity. */
function snap(status: SubTaskStatus, opts: SnapOptions = {}): Snapshot {
  const s: Snapshot = {
    subTask: {
      id: "st-1",
      status,
      assignedAgent: "assignedAgent" in opts ? (opts.assignedAgent ?? null) : EXEC_ID,
      reworkCount: opts.reworkCount ?? 0,
    },
    taskId: "task-1",
    taskStatus: opts.taskStatus ?? "in_progress",
    holderName: "holderName" in opts ? (opts.holderName ?? null) : "Executor One",
    reviewRounds: opts.reviewRounds ?? 0,
    workedOnBy: opts.workedOnBy ?? [EXEC_ID],
    openDependencies: opts.openDependencies ?? [],
    targetAgent: "targetAgent" in opts ? opts.targetAgent : { ...activeTarget },
  };
  return deepFreeze(s);
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to throw, but it returned");
}

function expectApiError(fn: () => unknown, status: number, code: string): ApiError {
  const err = catchError(fn);
  expect(err).toBeInstanceOf(ApiError);
  const api = err as ApiError;
  expect({ status: api.status, code: api.code }).toEqual({ status, code });
  expect(api.detail.length).toBeGreaterThan(0);
  return api;
}

const plan = (s: Snapshot, cmd: SubTaskCommand, actor: Actor): Plan => planTransition(s, cmd, actor, NOW);

// ---------------------------------------------------------------------------------------------

describe("tables", () => {
  it("ALLOWED_FROM matches the rules exactly", () => {
    expect(Object.keys(ALLOWED_FROM).sort()).toEqual([...ALL_OPS].sort());
    for (const op of ALL_OPS) {
      expect([...ALLOWED_FROM[op]].sort(), op).toEqual([...EXPECTED_ALLOWED_FROM[op]].sort());
    }
  });

  it("OP_ROLE matches the rules exactly", () => {
    expect(OP_ROLE).toEqual(EXPECTED_OP_ROLE);
  });

  it("no operation may start from a terminal status", () => {
    for (const op of ALL_OPS) {
      expect(ALLOWED_FROM[op], op).not.toContain("done");
      expect(ALLOWED_FROM[op], op).not.toContain("cancelled");
    }
  });
});

describe("status gate: allowed iff the status is in ALLOWED_FROM[op]", () => {
  for (const op of ALL_OPS) {
    describe(op, () => {
      for (const status of SUB_TASK_STATUSES) {
        const allowed = EXPECTED_ALLOWED_FROM[op].includes(status);
        it(`${allowed ? "allows" : "refuses"} ${op} from ${status}`, () => {
          const s = snap(status);
          if (allowed) {
            const p = plan(s, CMD[op], actorFor(op));
            expect(p.to).toBeDefined();
          } else {
            const err = expectApiError(() => plan(s, CMD[op], actorFor(op)), 409, "illegal_transition");
            expect(err.detail).toContain(status);
          }
        });
      }
    });
  }

  it("every successful plan either keeps the state (session, edit) or follows a legal edge", () => {
    for (const op of ALL_OPS) {
      for (const from of EXPECTED_ALLOWED_FROM[op]) {
        const p = plan(snap(from), CMD[op], actorFor(op));
        if (op === "session" || op === "edit") expect(p.to, `${op} from ${from}`).toBe(from);
        else expect(isLegalEdge(from, p.to), `${op}: ${from}->${p.to}`).toBe(true);
      }
    }
  });
});

describe("role authorization", () => {
  const ACTORS: Record<string, Actor> = { planner, executor, reviewer, patrol, admin, system };

  const permitted = (op: SubTaskOp, actor: Actor): boolean => {
    switch (actor.kind) {
      case "agent":
        return actor.role === EXPECTED_OP_ROLE[op];
      case "admin":
        return EXPECTED_ADMIN_OPS.includes(op);
      case "system":
        return EXPECTED_SYSTEM_OPS.includes(op);
    }
  };

  for (const op of ALL_OPS) {
    for (const [label, actor] of Object.entries(ACTORS)) {
      const ok = permitted(op, actor);
      it(`${ok ? "allows" : "refuses"} ${op} by ${label}`, () => {
        const from = EXPECTED_ALLOWED_FROM[op][0]!;
        const s = snap(from);
        if (ok) {
          expect(() => authorize(op, actor)).not.toThrow();
          expect(() => plan(s, CMD[op], actor)).not.toThrow();
        } else {
          expectApiError(() => authorize(op, actor), 403, "wrong_role");
          expectApiError(() => plan(s, CMD[op], actor), 403, "wrong_role");
        }
      });
    }
  }

  it("admin may run exactly reassign, edit, cancel and block", () => {
    const allowed = ALL_OPS.filter((op) => {
      try {
        authorize(op, admin);
        return true;
      } catch {
        return false;
      }
    });
    expect(allowed.sort()).toEqual(["block", "cancel", "edit", "reassign"]);
  });

  it("system may run only block", () => {
    const allowed = ALL_OPS.filter((op) => {
      try {
        authorize(op, system);
        return true;
      } catch {
        return false;
      }
    });
    expect(allowed).toEqual(["block"]);
  });
});

describe("ownership", () => {
  const ownedOps = ["start", "session", "submit"] as const;
  for (const op of ownedOps) {
    const from = EXPECTED_ALLOWED_FROM[op][0]!;
    it(`${op} by an executor that is not the assigned agent is refused with not_owner`, () => {
      expectApiError(() => plan(snap(from), CMD[op], otherExecutor), 403, "not_owner");
    });
    it(`${op} on a sub-task with no assigned agent is refused with not_owner`, () => {
      expectApiError(() => plan(snap(from, { assignedAgent: null }), CMD[op], executor), 403, "not_owner");
    });
    it(`${op} by the assigned executor passes`, () => {
      expect(() => plan(snap(from), CMD[op], executor)).not.toThrow();
    });
  }

  it("claim does not require ownership (a pending sub-task may carry a stale agent)", () => {
    const p = plan(snap("pending", { assignedAgent: EXEC_ID }), CMD.claim, otherExecutor);
    expect(p.set.assignedAgent).toBe(OTHER_EXEC_ID);
  });
});

describe("claim", () => {
  it("assigns the sub-task to the claiming executor with the given session", () => {
    const p = plan(snap("pending", { assignedAgent: null }), { op: "claim", sessionId: "sess-9" }, executor);
    expect(p.to).toBe("assigned");
    expect(p.set).toEqual({ assignedAgent: EXEC_ID, currentSessionId: "sess-9" });
    expect(p.review).toBeUndefined();
    expect(p.reward).toBeUndefined();
  });

  it("sets currentSessionId to null when no session is given", () => {
    for (const cmd of [{ op: "claim" } as const, { op: "claim", sessionId: null } as const]) {
      const p = plan(snap("pending", { assignedAgent: null }), cmd, otherExecutor);
      expect(p.set).toEqual({ assignedAgent: OTHER_EXEC_ID, currentSessionId: null });
      expect("currentSessionId" in p.set).toBe(true);
    }
  });

  for (const taskStatus of ["completed", "archived", "cancelled"] as const) {
    it(`is refused with task_closed when the parent task is ${taskStatus}`, () => {
      expectApiError(
        () => plan(snap("pending", { assignedAgent: null, taskStatus }), CMD.claim, executor),
        409,
        "task_closed",
      );
    });
  }

  for (const taskStatus of ["planning", "active", "in_progress"] as const) {
    it(`is allowed when the parent task is ${taskStatus}`, () => {
      const p = plan(snap("pending", { assignedAgent: null, taskStatus }), CMD.claim, executor);
      expect(p.to).toBe("assigned");
      expect(p.set.assignedAgent).toBe(EXEC_ID);
    });
  }

  it("is refused with dependencies_pending while a dependency is not done, and re-checked on write", () => {
    expectApiError(
      () => plan(snap("pending", { assignedAgent: null, openDependencies: [...TWO_OPEN_DEPS] }), CMD.claim, executor),
      409,
      "dependencies_pending",
    );
    expect(
      plan(snap("pending", { assignedAgent: null, openDependencies: [] }), CMD.claim, executor)
        .requiresDependenciesDone,
    ).toBe(true);
  });
});

describe("start", () => {
  for (const from of ["assigned", "rework"] as const) {
    it(`moves ${from} to in_progress with the given session, the start time and taskEffect started`, () => {
      const p = plan(snap(from), { op: "start", sessionId: "sess-s" }, executor);
      expect(p.to).toBe("in_progress");
      expect(p.set).toEqual({ currentSessionId: "sess-s", startedAt: NOW });
      expect(p.taskEffect).toBe("started");
      expect(p.review).toBeUndefined();
      expect(p.reward).toBeUndefined();
    });

    it(`from ${from} records the start time and leaves currentSessionId untouched when no session is given`, () => {
      for (const cmd of [{ op: "start" } as const, { op: "start", sessionId: null } as const]) {
        const p = plan(snap(from), cmd, executor);
        expect(p.to).toBe("in_progress");
        expect(p.set).toEqual({ startedAt: NOW });
        expect("currentSessionId" in p.set).toBe(false);
        expect(p.taskEffect).toBe("started");
      }
    });
  }

  it("does not reassign the sub-task", () => {
    const p = plan(snap("assigned"), CMD.start, executor);
    expect("assignedAgent" in p.set).toBe(false);
  });

  it("is refused with task_closed when the parent task is closed", () => {
    expectApiError(() => plan(snap("assigned", { taskStatus: "cancelled" }), CMD.start, executor), 409, "task_closed");
  });
});

describe("session and submit", () => {
  it("session replaces currentSessionId and keeps in_progress", () => {
    const p = plan(snap("in_progress"), { op: "session", sessionId: "sess-2" }, executor);
    expect(p.to).toBe("in_progress");
    expect(p.set).toEqual({ currentSessionId: "sess-2" });
    expect(p.taskEffect).toBeUndefined();
  });

  it("submit moves in_progress to review and changes nothing else", () => {
    const p = plan(snap("in_progress"), CMD.submit, executor);
    expect(p.to).toBe("review");
    expect(p.set).toEqual({});
    expect(p.review).toBeUndefined();
    expect(p.reward).toBeUndefined();
    expect(p.taskEffect).toBeUndefined();
  });
});

type ReviewCmd = CmdOf<"review">;
const reviewCmd = (over: Partial<ReviewCmd>): ReviewCmd => ({
  op: "review",
  result: "approved",
  score: 5,
  issues: "",
  comment: "looks good",
  reworkAgent: null,
  ...over,
});

describe("review approved", () => {
  const expectedDelta: Record<number, number | undefined> = { 1: -5, 2: -5, 3: undefined, 4: 5, 5: 5 };

  for (const score of [1, 2, 3, 4, 5]) {
    it(`with score ${score}: done, completedAt, next round, ${expectedDelta[score] ?? "no"} reward, settled`, () => {
      const s = snap("review", { reviewRounds: 2, reworkCount: 1 });
      const p = plan(s, reviewCmd({ score, comment: "c", issues: "minor nit" }), reviewer);
      expect(p.to).toBe("done");
      expect(p.set).toEqual({ completedAt: NOW });
      expect(p.review).toEqual({
        round: 3,
        result: "approved",
        score,
        issues: "minor nit",
        comment: "c",
        reworkAgent: null,
      });
      const delta = expectedDelta[score];
      if (delta === undefined) {
        expect(p.reward).toBeUndefined();
        expect("reward" in p).toBe(false);
      } else {
        expect(p.reward).toEqual({ agentId: EXEC_ID, delta, reason: `review score ${score}` });
      }
      expect(p.taskEffect).toBe("settled");
    });
  }

  it("the review round is always reviewRounds + 1", () => {
    for (const reviewRounds of [0, 1, 7]) {
      const p = plan(snap("review", { reviewRounds }), reviewCmd({}), reviewer);
      expect(p.review?.round).toBe(reviewRounds + 1);
    }
  });

  it("accepts blank issues when approving", () => {
    expect(() => plan(snap("review"), reviewCmd({ issues: "   " }), reviewer)).not.toThrow();
  });

  it("does not reassign even when a rework agent is named", () => {
    const p = plan(snap("review"), reviewCmd({ reworkAgent: OTHER_EXEC_ID }), reviewer);
    expect(p.to).toBe("done");
    expect("assignedAgent" in p.set).toBe(false);
    expect("currentSessionId" in p.set).toBe(false);
  });

  it("gives no reward when the sub-task has no assigned agent", () => {
    const p = plan(snap("review", { assignedAgent: null }), reviewCmd({ score: 5 }), reviewer);
    expect(p.reward).toBeUndefined();
  });
});

describe("review rejected", () => {
  const expectedDelta: Record<number, number | undefined> = { 1: -5, 2: -5, 3: undefined, 4: 5, 5: 5 };

  for (const score of [1, 2, 3, 4, 5]) {
    it(`with score ${score}: rework, reworkCount+1, ${expectedDelta[score] ?? "no"} reward, not settled`, () => {
      const s = snap("review", { reworkCount: 2, reviewRounds: 4 });
      const p = plan(s, reviewCmd({ result: "rejected", score, issues: "broken", comment: "fix it" }), reviewer);
      expect(p.to).toBe("rework");
      expect(p.set).toEqual({ reworkCount: 3 });
      expect("completedAt" in p.set).toBe(false);
      expect(p.review).toEqual({
        round: 5,
        result: "rejected",
        score,
        issues: "broken",
        comment: "fix it",
        reworkAgent: null,
      });
      const delta = expectedDelta[score];
      if (delta === undefined) expect(p.reward).toBeUndefined();
      else expect(p.reward).toEqual({ agentId: EXEC_ID, delta, reason: `review score ${score}` });
      expect(p.taskEffect).toBeUndefined();
    });
  }

  for (const issues of ["", " ", "   ", "\n\t  "]) {
    it(`requires issues (refuses ${JSON.stringify(issues)} with issues_required)`, () => {
      expectApiError(
        () => plan(snap("review"), reviewCmd({ result: "rejected", score: 2, issues }), reviewer),
        400,
        "issues_required",
      );
    });
  }
});

describe("rework agent reassignment (review rejected and rework)", () => {
  const rejecting: Record<"review" | "rework", (reworkAgent: string | null) => SubTaskCommand> = {
    review: (reworkAgent) => reviewCmd({ result: "rejected", score: 2, issues: "bad", reworkAgent }),
    rework: (reworkAgent) => ({ op: "rework", reworkAgent }),
  };

  for (const [op, make] of Object.entries(rejecting)) {
    describe(op, () => {
      it("reassigns to an active executor and clears the session; the old executor keeps the reward", () => {
        const p = plan(snap("review", { reworkCount: 0 }), make(OTHER_EXEC_ID), reviewer);
        expect(p.to).toBe("rework");
        expect(p.set).toEqual({ reworkCount: 1, assignedAgent: OTHER_EXEC_ID, currentSessionId: null });
        expect(p.review?.reworkAgent).toBe(OTHER_EXEC_ID);
        if (op === "review") expect(p.reward).toEqual({ agentId: EXEC_ID, delta: -5, reason: "review score 2" });
        else expect(p.reward).toBeUndefined();
      });

      it("without a rework agent keeps the assignment and the session", () => {
        const p = plan(snap("review"), make(null), reviewer);
        expect(p.set).toEqual({ reworkCount: 1 });
        expect("assignedAgent" in p.set).toBe(false);
        expect("currentSessionId" in p.set).toBe(false);
      });

      it("naming the current assignee is not a reassignment", () => {
        const p = plan(
          snap("review", { targetAgent: { id: EXEC_ID, role: "executor", status: "active" } }),
          make(EXEC_ID),
          reviewer,
        );
        expect(p.set).toEqual({ reworkCount: 1 });
      });

      it("refuses a rework agent that does not exist with agent_not_found", () => {
        expectApiError(
          () => plan(snap("review", { targetAgent: null }), make("ghost"), reviewer),
          404,
          "agent_not_found",
        );
        expectApiError(
          () => plan(snap("review", { targetAgent: undefined }), make("ghost"), reviewer),
          404,
          "agent_not_found",
        );
      });

      it("refuses when the looked-up target is a different agent (agent_not_found)", () => {
        expectApiError(
          () =>
            plan(
              snap("review", { targetAgent: { id: "someone-else", role: "executor", status: "active" } }),
              make("ghost"),
              reviewer,
            ),
          404,
          "agent_not_found",
        );
      });

      for (const role of ["planner", "reviewer", "patrol"] as const) {
        it(`refuses a ${role} as rework agent with invalid_agent`, () => {
          expectApiError(
            () =>
              plan(
                snap("review", { targetAgent: { id: OTHER_EXEC_ID, role, status: "active" } }),
                make(OTHER_EXEC_ID),
                reviewer,
              ),
            400,
            "invalid_agent",
          );
        });
      }

      it("refuses a disabled executor as rework agent with invalid_agent", () => {
        expectApiError(
          () =>
            plan(
              snap("review", { targetAgent: { id: OTHER_EXEC_ID, role: "executor", status: "disabled" } }),
              make(OTHER_EXEC_ID),
              reviewer,
            ),
          400,
          "invalid_agent",
        );
      });
    });
  }
});

describe("own work", () => {
  for (const op of ["review", "complete", "rework"] as const) {
    it(`${op} by a reviewer that is the assigned agent is refused with own_work`, () => {
      const s = snap("review", { assignedAgent: REVIEWER_ID, workedOnBy: [] });
      expectApiError(() => plan(s, CMD[op], reviewer), 403, "own_work");
    });

    it(`${op} by a reviewer that worked on the sub-task earlier is refused with own_work`, () => {
      const s = snap("review", { assignedAgent: EXEC_ID, workedOnBy: [OTHER_EXEC_ID, REVIEWER_ID, EXEC_ID] });
      expectApiError(() => plan(s, CMD[op], reviewer), 403, "own_work");
    });

    it(`${op} by an uninvolved reviewer passes`, () => {
      const s = snap("review", { assignedAgent: EXEC_ID, workedOnBy: [EXEC_ID, OTHER_EXEC_ID] });
      expect(() => plan(s, CMD[op], reviewer)).not.toThrow();
    });
  }
});

describe("complete", () => {
  it("moves review to done with an approved, unscored review record and no reward", () => {
    const p = plan(snap("review", { reviewRounds: 1, reworkCount: 1 }), CMD.complete, reviewer);
    expect(p.to).toBe("done");
    expect(p.set).toEqual({ completedAt: NOW });
    expect(p.review).toMatchObject({ round: 2, result: "approved", score: null, issues: "", reworkAgent: null });
    expect(typeof p.review?.comment).toBe("string");
    expect(p.reward).toBeUndefined();
    expect(p.taskEffect).toBe("settled");
  });
});

describe("rework", () => {
  it("moves review to rework with a rejected, unscored review record, no reward, reworkCount+1", () => {
    const p = plan(snap("review", { reviewRounds: 0, reworkCount: 4 }), { op: "rework", reworkAgent: null }, reviewer);
    expect(p.to).toBe("rework");
    expect(p.set).toEqual({ reworkCount: 5 });
    expect(p.review).toMatchObject({ round: 1, result: "rejected", score: null, issues: "", reworkAgent: null });
    expect(typeof p.review?.comment).toBe("string");
    expect(p.reward).toBeUndefined();
    expect(p.taskEffect).toBeUndefined();
  });
});

describe("block", () => {
  for (const from of ["assigned", "in_progress", "rework"] as const) {
    for (const [label, actor] of [
      ["patrol", patrol],
      ["admin", admin],
      ["system", system],
    ] as const) {
      it(`${label} blocks ${from}: session cleared, assigned agent kept`, () => {
        const p = plan(snap(from, { assignedAgent: EXEC_ID }), { op: "block", reason: "stuck" }, actor);
        expect(p.to).toBe("blocked");
        expect(p.set).toEqual({ currentSessionId: null });
        expect("assignedAgent" in p.set).toBe(false);
        expect(p.review).toBeUndefined();
        expect(p.reward).toBeUndefined();
      });
    }
  }

  it("works without a reason", () => {
    expect(plan(snap("assigned"), { op: "block" }, patrol).to).toBe("blocked");
  });
});

describe("reassign", () => {
  for (const [label, actor] of [
    ["planner", planner],
    ["admin", admin],
  ] as const) {
    it(`${label} reassigns a blocked sub-task to an active executor`, () => {
      const p = plan(snap("blocked", { assignedAgent: EXEC_ID }), { op: "reassign", agentId: OTHER_EXEC_ID }, actor);
      expect(p.to).toBe("assigned");
      expect(p.set).toEqual({ assignedAgent: OTHER_EXEC_ID, currentSessionId: null });
      expect(p.reward).toBeUndefined();
      expect(p.review).toBeUndefined();
    });
  }

  it("reassigns an assigned (claimed, not started) sub-task, as upstream does", () => {
    const p = plan(snap("assigned", { assignedAgent: EXEC_ID }), { op: "reassign", agentId: OTHER_EXEC_ID }, planner);
    expect(p.to).toBe("assigned");
    expect(p.set).toEqual({ assignedAgent: OTHER_EXEC_ID, currentSessionId: null });
  });

  it("may reassign to the same executor", () => {
    const s = snap("blocked", { targetAgent: { id: EXEC_ID, role: "executor", status: "active" } });
    const p = plan(s, { op: "reassign", agentId: EXEC_ID }, planner);
    expect(p.set).toEqual({ assignedAgent: EXEC_ID, currentSessionId: null });
  });

  it("refuses a missing target with agent_not_found", () => {
    expectApiError(
      () => plan(snap("blocked", { targetAgent: null }), { op: "reassign", agentId: "ghost" }, planner),
      404,
      "agent_not_found",
    );
    expectApiError(
      () => plan(snap("blocked", { targetAgent: undefined }), { op: "reassign", agentId: "ghost" }, planner),
      404,
      "agent_not_found",
    );
    expectApiError(() => plan(snap("blocked"), { op: "reassign", agentId: "ghost" }, planner), 404, "agent_not_found");
  });

  for (const role of ["planner", "reviewer", "patrol"] as const) {
    it(`refuses a ${role} target with invalid_agent`, () => {
      expectApiError(
        () =>
          plan(
            snap("blocked", { targetAgent: { id: "x", role, status: "active" } }),
            { op: "reassign", agentId: "x" },
            planner,
          ),
        400,
        "invalid_agent",
      );
    });
  }

  it("refuses a disabled executor with invalid_agent", () => {
    expectApiError(
      () =>
        plan(
          snap("blocked", { targetAgent: { id: "x", role: "executor", status: "disabled" } }),
          { op: "reassign", agentId: "x" },
          admin,
        ),
      400,
      "invalid_agent",
    );
  });
});

describe("edit", () => {
  for (const from of ["pending", "assigned"] as const) {
    it(`keeps ${from} and applies the changes`, () => {
      const changes = { name: "n", description: "d", deliverable: "del", acceptance: "acc", priority: "high" as const };
      const p = plan(snap(from), { op: "edit", changes }, planner);
      expect(p.to).toBe(from);
      expect(p.set).toEqual(changes);
      expect(p.taskEffect).toBeUndefined();
    });
  }

  it("applies only the given fields", () => {
    const p = plan(snap("pending"), { op: "edit", changes: { priority: "low" } }, admin);
    expect(p.set).toEqual({ priority: "low" });
  });

  it("with no changes sets nothing", () => {
    expect(plan(snap("assigned"), { op: "edit", changes: {} }, planner).set).toEqual({});
  });
});

describe("cancel", () => {
  for (const from of ["pending", "assigned", "in_progress", "review", "rework", "blocked"] as const) {
    for (const [label, actor] of [
      ["planner", planner],
      ["admin", admin],
    ] as const) {
      it(`${label} cancels ${from}: cancelled, session cleared, settled`, () => {
        const p = plan(snap(from), CMD.cancel, actor);
        expect(p.to).toBe("cancelled");
        expect(p.set).toEqual({ currentSessionId: null });
        expect(p.taskEffect).toBe("settled");
        expect(p.reward).toBeUndefined();
        expect(p.review).toBeUndefined();
      });
    }
  }
});

describe("LEGAL_EDGES / isLegalEdge", () => {
  it("contains exactly the expected edges", () => {
    expect([...LEGAL_EDGES].sort()).toEqual([...EXPECTED_EDGES].sort());
    expect(LEGAL_EDGES.size).toBe(17);
  });

  for (const from of SUB_TASK_STATUSES) {
    for (const to of SUB_TASK_STATUSES) {
      const legal = EXPECTED_EDGES.includes(`${from}->${to}`);
      it(`${from}->${to} is ${legal ? "legal" : "illegal"}`, () => {
        expect(isLegalEdge(from, to)).toBe(legal);
      });
    }
  }

  it("has no edge out of done or cancelled, and no self-loop but reassign's assigned->assigned", () => {
    for (const to of SUB_TASK_STATUSES) {
      expect(isLegalEdge("done", to)).toBe(false);
      expect(isLegalEdge("cancelled", to)).toBe(false);
      expect(isLegalEdge(to, to)).toBe(to === "assigned");
    }
  });

  it("every non-terminal state can be cancelled", () => {
    for (const from of SUB_TASK_STATUSES) {
      const terminal = from === "done" || from === "cancelled";
      expect(isLegalEdge(from, "cancelled"), from).toBe(!terminal);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Refusals that teach: each names what blocks the command and hints the next one.

const TWO_OPEN_DEPS = [
  { id: "dep-a", name: "Write the parser", status: "in_progress" as const },
  { id: "dep-b", name: "Design the API", status: "pending" as const },
];
const SEVEN_OPEN_DEPS = Array.from({ length: 7 }, (_, i) => ({
  id: `dep-${i}`,
  name: `Step ${i}`,
  status: "pending" as const,
}));

describe("refusals name the blocker and hint the next command", () => {
  for (const [status, next] of [
    ["assigned", "st start st-1"],
    ["in_progress", "st submit st-1"],
    ["review", "briefing"],
    ["rework", "st start st-1"],
  ] as const) {
    it(`the holder claiming its own ${status} sub-task is told it is already theirs, and ${next}`, () => {
      const err = expectApiError(() => plan(snap(status), CMD.claim, executor), 409, "illegal_transition");
      expect(err.detail).toBe(`this sub-task is already yours (status ${status})`);
      expect(err.hint).toContain(`node task-cli.mjs ${next}`);
    });
  }

  it("a claim of another agent's sub-task names the holder and hints st available", () => {
    const err = expectApiError(
      () => plan(snap("in_progress", { holderName: "Executor One" }), CMD.claim, otherExecutor),
      409,
      "illegal_transition",
    );
    expect(err.detail).toContain('"Executor One" holds this sub-task (status in_progress)');
    expect(err.hint).toContain("st available");
  });

  it("submit or session before start hints st start; start while in progress hints a delivery log and st submit", () => {
    for (const cmd of [CMD.submit, CMD.session]) {
      expect(expectApiError(() => plan(snap("assigned"), cmd, executor), 409, "illegal_transition").hint).toContain(
        "st start st-1",
      );
    }
    const started = expectApiError(() => plan(snap("in_progress"), CMD.start, executor), 409, "illegal_transition");
    expect(started.hint).toContain("log create delivery");
    expect(started.hint).toContain("st submit st-1");
  });

  it("start of a pending sub-task hints st claim", () => {
    expect(
      expectApiError(
        () => plan(snap("pending", { assignedAgent: null }), CMD.start, executor),
        409,
        "illegal_transition",
      ).hint,
    ).toContain("st claim st-1");
  });

  it("not_owner names the holder and hints st mine and st available", () => {
    const err = expectApiError(
      () => plan(snap("in_progress", { holderName: "Executor One" }), CMD.submit, otherExecutor),
      403,
      "not_owner",
    );
    expect(err.detail).toBe('this sub-task is assigned to "Executor One", not to you');
    expect(err.hint).toContain("st mine");
    expect(err.hint).toContain("st available");
  });

  it("dependencies_pending names each open dependency (id, status) and hints st available", () => {
    const err = expectApiError(
      () => plan(snap("pending", { assignedAgent: null, openDependencies: TWO_OPEN_DEPS }), CMD.claim, executor),
      409,
      "dependencies_pending",
    );
    expect(err.detail).toBe(
      'waits for 2 sub-task(s) that are not done: "Write the parser" (dep-a, in_progress), "Design the API" (dep-b, pending)',
    );
    expect(err.hint).toContain("st available");
  });

  it("dependencies_pending lists five and counts the rest", () => {
    const err = expectApiError(
      () => plan(snap("assigned", { openDependencies: SEVEN_OPEN_DEPS }), CMD.start, executor),
      409,
      "dependencies_pending",
    );
    expect(err.detail).toContain('"Step 4" (dep-4, pending) and 2 more');
    expect(err.detail).not.toContain("dep-5");
  });

  it("task_closed on claim says how a planner reopens the task", () => {
    const err = expectApiError(
      () => plan(snap("pending", { assignedAgent: null, taskStatus: "completed" }), CMD.claim, executor),
      409,
      "task_closed",
    );
    expect(err.hint).toContain("task status task-1 active");
  });

  it("issues_required hints the review command with --issues, for this sub-task and score", () => {
    const cmd: SubTaskCommand = {
      op: "review",
      result: "rejected",
      score: 2,
      issues: " ",
      comment: "c",
      reworkAgent: null,
    };
    const err = expectApiError(
      () => plan(snap("review", { workedOnBy: [EXEC_ID] }), cmd, reviewer),
      400,
      "issues_required",
    );
    expect(err.hint).toContain('review create st-1 rejected 2 --issues "<what to fix>"');
  });

  it("a planner reassigning work in progress is told which statuses reassign takes", () => {
    const err = expectApiError(() => plan(snap("in_progress"), CMD.reassign, planner), 409, "illegal_transition");
    expect(err.hint).toContain("assigned or blocked");
  });
});
