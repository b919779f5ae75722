import { describe, expect, it } from "vitest";
import { BRIEFING_LIMITS, type BriefSubTask, type NextStepInput, nextSteps } from "../../worker/domain/briefing";
import { clip } from "../../worker/domain/text-rules";

const codePoints = (s: string) => [...s].length;
/** True when a UTF-16 string holds a lone surrogate (half of an emoji). */
const hasLoneSurrogate = (s: string) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe("clip", () => {
  it("keeps text of exactly max code points whole, and cuts one more to max with an ellipsis", () => {
    expect(clip("abcde", 5)).toEqual({ text: "abcde", cut: false });
    expect(clip("abcdef", 5)).toEqual({ text: "abcd…", cut: true });
    expect(clip("", 5)).toEqual({ text: "", cut: false });
    const long = "x".repeat(BRIEFING_LIMITS.text + 1);
    const cut = clip(long, BRIEFING_LIMITS.text);
    expect(cut.cut).toBe(true);
    expect(codePoints(cut.text)).toBe(BRIEFING_LIMITS.text);
    expect(cut.text.endsWith("…")).toBe(true);
    expect(clip("x".repeat(BRIEFING_LIMITS.text), BRIEFING_LIMITS.text).cut).toBe(false);
  });

  it("counts code points: emoji are never split, and a string whose UTF-16 length exceeds max is kept", () => {
    // Four emoji are eight UTF-16 units but only four code points.
    expect(clip("😀😀😀😀", 4)).toEqual({ text: "😀😀😀😀", cut: false });
    const cut = clip("😀😀😀😀😀", 4);
    expect(cut).toEqual({ text: "😀😀😀…", cut: true });
    expect(hasLoneSurrogate(cut.text)).toBe(false);
    // A cut landing right after a one-unit character, before an emoji.
    const mixed = clip("a🚀b🚀c🚀", 4);
    expect(mixed.text).toBe("a🚀b…");
    expect(hasLoneSurrogate(mixed.text)).toBe(false);
    // CJK: one code point each.
    expect(clip("测试日本語", 3)).toEqual({ text: "测试…", cut: true });
    for (let max = 1; max <= 12; max++) {
      const c = clip("🚀a😀测✅🎉b🚀c😀d🚀", max);
      expect(hasLoneSurrogate(c.text), `max ${max}`).toBe(false);
      expect(codePoints(c.text), `max ${max}`).toBeLessThanOrEqual(max);
    }
  });
});

const st = (over: Partial<BriefSubTask> & { id: string; status: string }): BriefSubTask => ({
  name: `name-${over.id}`, rework_count: 0, latest_review: null, ...over,
});

const base = (over: Partial<NextStepInput> = {}): NextStepInput => ({
  role: "executor", updateAvailable: false, mySubTasks: [], scoreChanges: [], lastReflectionAt: null, queue: {}, ...over,
});

const penalty = (created_at: string, sub_task_id: string | null = "st-p", delta = -5) =>
  ({ score_delta: delta, reason: "review score 1", sub_task_id, created_at });

describe("nextSteps", () => {
  it("is empty for every role when there is nothing to do", () => {
    for (const role of ["planner", "executor", "reviewer", "patrol"] as const) {
      expect(nextSteps(base({ role }))).toEqual([]);
      expect(nextSteps(base({
        role,
        queue: { available: [], awaiting_review: [], blocked: [], tasks_to_decompose: [], recently_completed: [], open_anomalies: [] },
      }))).toEqual([]);
    }
  });

  it("puts the CLI update first, naming the update command", () => {
    const steps = nextSteps(base({ updateAvailable: true, queue: { available: [st({ id: "a1", status: "pending" })] } }));
    expect(steps).toHaveLength(2);
    expect(steps[0]).toContain("`node task-cli.mjs update`");
    expect(steps[1]).toContain("st claim a1");
  });

  it("asks for a reflection after a penalty newer than the last reflection, and only then", () => {
    const withPenalty = nextSteps(base({ scoreChanges: [penalty("2026-01-02T00:00:00.000Z")] }));
    expect(withPenalty).toHaveLength(1);
    expect(withPenalty[0]).toContain("5 points");
    expect(withPenalty[0]).toContain("review score 1");
    expect(withPenalty[0]).toContain("`node task-cli.mjs log create reflection \"<what went wrong, what you will do differently>\" --sub-task-id st-p`");

    // Reflected afterwards (or at the same instant): nothing to do.
    expect(nextSteps(base({ scoreChanges: [penalty("2026-01-02T00:00:00.000Z")], lastReflectionAt: "2026-01-02T00:00:00.001Z" }))).toEqual([]);
    expect(nextSteps(base({ scoreChanges: [penalty("2026-01-02T00:00:00.000Z")], lastReflectionAt: "2026-01-02T00:00:00.000Z" }))).toEqual([]);
    // A newer penalty after an old reflection counts again.
    expect(nextSteps(base({ scoreChanges: [penalty("2026-01-03T00:00:00.000Z")], lastReflectionAt: "2026-01-02T00:00:00.000Z" }))).toHaveLength(1);
    // Gains and zero changes need no reflection.
    expect(nextSteps(base({ scoreChanges: [penalty("2026-01-02T00:00:00.000Z", "x", 5), penalty("2026-01-02T00:00:00.000Z", "x", 0)] }))).toEqual([]);
    // No sub-task: no --sub-task-id. Several penalties: one step, about the newest (first) one.
    const two = nextSteps(base({ scoreChanges: [penalty("2026-01-05T00:00:00.000Z", null, -3), penalty("2026-01-04T00:00:00.000Z", "older")] }));
    expect(two).toHaveLength(1);
    expect(two[0]).toContain("3 points");
    expect(two[0]).not.toContain("--sub-task-id");
  });

  it("orders the executor's own work: rework, in progress, assigned, blocked; then claiming only when idle", () => {
    const mine = [
      st({ id: "b1", status: "blocked" }),
      st({ id: "a1", status: "assigned" }),
      st({ id: "p1", status: "in_progress" }),
      st({ id: "r1", status: "rework", rework_count: 2, latest_review: { round: 2, result: "rejected", issues: "No tests for the edge case" } }),
      st({ id: "v1", status: "review" }),
    ];
    const steps = nextSteps(base({
      updateAvailable: true, mySubTasks: mine, scoreChanges: [penalty("2026-01-02T00:00:00.000Z", "r1")],
      queue: { available: [st({ id: "q1", status: "pending" })] },
    }));
    expect(steps).toHaveLength(6);
    expect(steps[0]).toContain("`node task-cli.mjs update`");
    expect(steps[1]).toContain("log create reflection");
    expect(steps[2]).toContain("\"name-r1\"");
    expect(steps[2]).toContain("`node task-cli.mjs st start r1`");
    expect(steps[2]).toContain("`node task-cli.mjs st submit r1`");
    expect(steps[2]).toContain("No tests for the edge case");
    expect(steps[3]).toContain("\"name-p1\"");
    expect(steps[3]).toContain("`node task-cli.mjs st submit p1`");
    expect(steps[3]).not.toContain("st start");
    expect(steps[4]).toContain("`node task-cli.mjs st start a1`");
    expect(steps[5]).toContain("log create blocked \"<details>\" --sub-task-id b1");
    // Busy: no claim step, and nothing about the sub-task waiting for review.
    expect(steps.join("\n")).not.toContain("st claim");
    expect(steps.join("\n")).not.toContain("v1");

    // A rework without a stored review names no issues.
    const bare = nextSteps(base({ mySubTasks: [st({ id: "r2", status: "rework", rework_count: 1 })] }));
    expect(bare).toHaveLength(1);
    expect(bare[0]).toContain("`node task-cli.mjs st start r2`");
    expect(bare[0]).not.toContain("issues:");
  });

  it("offers the newest available sub-task to an executor with nothing open (sub-tasks in review do not count)", () => {
    const available = [st({ id: "q1", status: "pending" }), st({ id: "q2", status: "pending" })];
    const idle = nextSteps(base({ mySubTasks: [st({ id: "v1", status: "review" })], queue: { available } }));
    expect(idle).toHaveLength(1);
    expect(idle[0]).toContain("`node task-cli.mjs st claim q1`");
    expect(idle[0]).toContain("`node task-cli.mjs st start q1`");
    expect(idle[0]).not.toContain("q2");
    expect(nextSteps(base({ queue: { available } }))).toEqual(idle);
    // Only executors claim, whatever the queue says.
    expect(nextSteps(base({ role: "reviewer", queue: { available } }))).toEqual([]);
  });

  it("gives the reviewer one step per submission in queue order", () => {
    const steps = nextSteps(base({ role: "reviewer", queue: { awaiting_review: [st({ id: "s1", status: "review" }), st({ id: "s2", status: "review" })] } }));
    expect(steps).toHaveLength(2);
    expect(steps[0]).toContain("\"name-s1\"");
    expect(steps[0]).toContain("`node task-cli.mjs st get s1`");
    expect(steps[0]).toContain("`node task-cli.mjs log list --sub-task-id s1 --action delivery`");
    expect(steps[0]).toContain("`node task-cli.mjs review create s1 approved|rejected <1-5> --comment \"…\"`");
    expect(steps[1]).toContain("`node task-cli.mjs review create s2 ");
  });

  it("gives the planner blocked work, then tasks to split, then completed tasks", () => {
    const steps = nextSteps(base({
      role: "planner",
      queue: {
        recently_completed: [{ id: "c1", name: "Done task" }],
        tasks_to_decompose: [{ id: "t1", name: "New task" }],
        blocked: [st({ id: "k1", status: "blocked" })],
      },
    }));
    expect(steps).toHaveLength(3);
    expect(steps[0]).toContain("\"name-k1\"");
    expect(steps[0]).toContain("`node task-cli.mjs log list --sub-task-id k1`");
    expect(steps[0]).toContain("`node task-cli.mjs st reassign k1 <agent_id>`");
    expect(steps[1]).toContain("\"New task\"");
    expect(steps[1]).toContain("`node task-cli.mjs st create t1 ");
    expect(steps[1]).toContain("`node task-cli.mjs task status t1 active`");
    expect(steps[2]).toContain("\"Done task\" is complete");
  });

  it("gives patrol one step per open anomaly; only agent-filed records are resolved by hand", () => {
    const steps = nextSteps(base({
      role: "patrol",
      queue: {
        open_anomalies: [
          { id: "an1", type: "timeout", severity: "critical", sub_task_id: "st9", source: "agent" },
          { id: "an2", type: "score_drop", severity: "warning", sub_task_id: null, source: "cron" },
        ],
      },
    }));
    expect(steps).toHaveLength(2);
    expect(steps[0]).toContain("critical timeout anomaly on st9");
    expect(steps[0]).toContain("`node task-cli.mjs patrol resolve an1`");
    expect(steps[1]).toContain("warning score_drop anomaly");
    expect(steps[1]).not.toContain(" on ");
    expect(steps[1]).not.toContain("patrol resolve");
  });

  it("returns at most 8 steps, keeping the most urgent", () => {
    const many = Array.from({ length: 30 }, (_, i) => st({ id: `s${i}`, status: "review" }));
    const steps = nextSteps(base({ role: "reviewer", updateAvailable: true, queue: { awaiting_review: many } }));
    expect(steps).toHaveLength(8);
    expect(steps[0]).toContain("update");
    expect(steps.slice(1).map((s) => /review create (s\d+) /.exec(s)?.[1])).toEqual(["s0", "s1", "s2", "s3", "s4", "s5", "s6"]);

    const mine = Array.from({ length: 12 }, (_, i) => st({ id: `m${i}`, status: "assigned" }));
    expect(nextSteps(base({ mySubTasks: mine }))).toHaveLength(8);
  });
});
