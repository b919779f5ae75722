// The human rendering of `briefing`: generic over the queue's lists.
import { describe, expect, it } from "vitest";
import { type Briefing, renderBriefing } from "../../skills/cli/commands/briefing";

const base: Briefing = {
  agent: { name: "ada", role: "executor", status: "active" },
  generated_at: "2026-01-01T00:00:00.000Z",
  cli: { update_available: false, latest_version: null, update_instructions: "" },
  rules: { content: "Be kind.", truncated: false },
  score: { total_score: 5, rank: 1, reward_count: 1, penalty_count: 0 },
  recent_score_changes: [{ score_delta: 5, reason: "approved" }],
  reflections: [],
  my_sub_tasks: [],
  queue: {},
  next_steps: [],
  truncated: false,
};

describe("renderBriefing", () => {
  it("renders every non-empty queue list with a heading from its key, rules last", () => {
    const text = renderBriefing({
      ...base,
      queue: {
        awaiting_review: [{ id: "s1", name: "Write docs", status: "review", priority: "high" }],
        open_anomalies: [{ id: "p1", type: "timeout", severity: "critical", description: "no progress" }],
        blocked: [],
      },
      next_steps: ["Review s1"],
    }).join("\n");
    expect(text).toContain("Awaiting review (1):\n  [review, high] Write docs (ID:s1)");
    expect(text).toContain("Open anomalies (1):\n  [critical] timeout: no progress (ID:p1)");
    expect(text).not.toContain("Blocked");
    expect(text).toContain("Next steps:\n  1. Review s1");
    expect(text).toContain("Score 5 · rank #1 · 1 reward, 0 penalties");
    expect(text.endsWith("── Rules ──\nBe kind.")).toBe(true);
  });

  it("shows my sub-tasks with the latest review, the update notice, and says when lists are empty", () => {
    const text = renderBriefing({
      ...base,
      cli: { update_available: true, latest_version: 4, update_instructions: "run update" },
      my_sub_tasks: [{
        id: "s1", name: "Write docs", status: "rework", priority: "medium", rework_count: 1,
        latest_review: { round: 1, result: "rejected", score: 2, comment: "", issues: "typos\nbroken link" },
      }],
    }).join("\n");
    expect(text).toContain("Tool update available (v3 → v4)");
    expect(text).toContain("[rework, medium] Write docs (ID:s1) · reworked 1 time");
    expect(text).toContain("Latest review: round 1 ❌ rejected, score 2/5");
    expect(text).toContain("Issues: typos\n      broken link");
    expect(text).toContain("Queue: nothing waiting");
    expect(text).toContain("Nothing to do right now.");
    expect(renderBriefing({ ...base, score: { total_score: 0, rank: 2, total_agents: 4 } })[1]).toBe("🏆 Score 0 · rank #2 of 4");
  });
});
