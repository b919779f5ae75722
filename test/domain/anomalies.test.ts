import { describe, expect, it } from "vitest";
import { detectAnomalies, type OpenSubTask, type PatrolThresholds } from "../../worker/domain/anomalies";

const NOW = "2026-11-28T12:00:00.000Z";
const MIN = 60_000;
const ago = (ms: number) => new Date(Date.parse(NOW) - ms).toISOString();
const T: PatrolThresholds = {
  timeoutWarningMinutes: 60,
  timeoutCriticalMinutes: 120,
  stuckMinutes: 120,
  orphanMinutes: 60,
  reworkOverflowCount: 3,
  scoreDropStreak: 3,
};
const st = (over: Partial<OpenSubTask> = {}): OpenSubTask => ({
  id: "s1",
  name: "S",
  status: "assigned",
  taskStatus: "active",
  assignedAgent: "a1",
  agentStatus: "active",
  reworkCount: 0,
  createdAt: ago(MIN),
  updatedAt: ago(MIN),
  startedAt: null,
  pendingDependencies: 0,
  dependenciesDoneAt: null,
  ...over,
});
const detect = (subTasks: OpenSubTask[], deltas: number[][] = []) =>
  detectAnomalies(
    subTasks,
    deltas.map((d, i) => ({ agentId: `a${i}`, name: `A${i}`, recentDeltas: d })),
    T,
    NOW,
  );
const types = (subTasks: OpenSubTask[]) => detect(subTasks).map((a) => `${a.type}:${a.severity}`);

describe("detectAnomalies", () => {
  it("finds nothing in healthy work", () => {
    expect(
      detect([
        st(),
        st({ status: "in_progress", startedAt: ago(10 * MIN) }),
        st({ status: "pending", assignedAgent: null, agentStatus: null }),
      ]),
    ).toEqual([]);
  });

  it("timeout: strictly past each threshold, measured from the start (or the last update)", () => {
    expect(types([st({ status: "in_progress", startedAt: ago(60 * MIN) })])).toEqual([]);
    expect(types([st({ status: "in_progress", startedAt: ago(60 * MIN + 1) })])).toEqual(["timeout:warning"]);
    expect(types([st({ status: "in_progress", startedAt: ago(120 * MIN) })])).toEqual(["timeout:warning"]);
    const critical = detect([st({ status: "in_progress", startedAt: ago(120 * MIN + 1) })]);
    expect(critical.map((a) => [a.type, a.severity, a.block])).toEqual([["timeout", "critical", true]]);
    expect(types([st({ status: "in_progress", startedAt: null, updatedAt: ago(61 * MIN) })])).toEqual([
      "timeout:warning",
    ]);
    expect(types([st({ status: "review", startedAt: ago(500 * MIN) })])).toEqual([]);
  });

  it("stuck: any open status idle past the threshold", () => {
    expect(types([st({ status: "review", updatedAt: ago(120 * MIN) })])).toEqual([]);
    expect(types([st({ status: "review", updatedAt: ago(120 * MIN + 1) })])).toEqual(["stuck:warning"]);
  });

  it("orphan: pending too long in a working task, or held by a disabled or deleted agent", () => {
    const pending = (over: Partial<OpenSubTask>) =>
      st({ status: "pending", assignedAgent: null, agentStatus: null, ...over });
    expect(types([pending({ createdAt: ago(60 * MIN) })])).toEqual([]);
    expect(types([pending({ createdAt: ago(60 * MIN + 1) })])).toEqual(["orphan:warning"]);
    expect(types([pending({ createdAt: ago(600 * MIN), taskStatus: "planning" })])).toEqual([]);
    expect(types([pending({ createdAt: ago(600 * MIN), taskStatus: "in_progress" })])).toEqual(["orphan:warning"]);
    expect(detect([st({ agentStatus: "disabled" })])[0]!.description).toContain("disabled");
    expect(detect([st({ agentStatus: null })])[0]!.description).toContain("deleted");
  });

  it("orphan: not while a dependency is unfinished; measured from when the last dependency was done", () => {
    const pending = (over: Partial<OpenSubTask>) =>
      st({ status: "pending", assignedAgent: null, agentStatus: null, createdAt: ago(600 * MIN), ...over });
    expect(types([pending({ pendingDependencies: 1, dependenciesDoneAt: ago(300 * MIN) })])).toEqual([]);
    expect(types([pending({ dependenciesDoneAt: ago(60 * MIN) })])).toEqual([]);
    const [orphan] = detect([pending({ dependenciesDoneAt: ago(75 * MIN) })]);
    expect(orphan!.description).toBe('"S" has been claimable for 75 min; no executor claimed it');
    // A dependency done before the sub-task was created: claimable since its creation.
    expect(
      detect([pending({ createdAt: ago(90 * MIN), dependenciesDoneAt: ago(500 * MIN) })])[0]!.description,
    ).toContain("for 90 min");
  });

  it("rework_overflow at the count", () => {
    expect(types([st({ reworkCount: 2 })])).toEqual([]);
    expect(types([st({ reworkCount: 3 })])).toEqual(["rework_overflow:warning"]);
  });

  it("score_drop: the latest N deltas all negative, with at least N of them", () => {
    expect(detect([], [[-5, -5]])).toEqual([]);
    expect(detect([], [[5, -5, -5, -5]])).toEqual([]);
    const [a] = detect([], [[-5, -1, -5, 5]]);
    expect(a).toMatchObject({ type: "score_drop", target: "agent:a0", agentId: "a0", subTaskId: null, block: false });
  });

  it("targets sub-tasks as sub_task:<id> and never asks to block on a warning", () => {
    const found = detect([
      st({ status: "in_progress", startedAt: ago(70 * MIN), updatedAt: ago(200 * MIN), reworkCount: 4 }),
    ]);
    expect(found.map((a) => a.type).sort()).toEqual(["rework_overflow", "stuck", "timeout"]);
    expect(found.every((a) => a.target === "sub_task:s1" && !a.block)).toBe(true);
  });
});
