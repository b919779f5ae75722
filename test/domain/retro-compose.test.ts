// Rows → retrospective bodies (team and per agent) and their stored texts: counts, lists in order,
// caps, patterns with "again", which agents get a row, and the text in both languages.
import { describe, expect, it } from "vitest";
import { RETRO_CAPS, RetrospectiveBodySchema } from "../../contract/api/retrospective-body";
import { composeRetros, type RetroRows } from "../../worker/domain/retro-compose";
import { issueItems } from "../../worker/domain/retro-patterns";
import { periodContaining } from "../../worker/domain/retro-period";
import { renderRetroText, TEXT_LIMIT } from "../../worker/domain/retro-text";

const period = periodContaining("daily", "2026-12-04", "UTC");
const at = (hh: number, mm = 0) => `2026-12-04T${String(hh).padStart(2, "0")}:${String(mm).padStart(2, "0")}:00.000Z`;

const review = (
  id: string,
  subTaskId: string,
  executor: string | null,
  result: string,
  issues = "",
  score: number | null = 2,
) => ({
  id,
  subTaskId,
  round: 1,
  result,
  score,
  issues,
  reviewerAgent: "R",
  executorAgent: executor,
  createdAt: at(10, Number(id.slice(1))),
  subTaskName: result === "rejected" ? `Section ${subTaskId}` : "",
  taskId: result === "rejected" ? "t1" : "",
  templateKey: null,
});

const rows: RetroRows = {
  reviews: [
    review("r1", "s1", "A", "rejected", "The summary misses 3 sources"),
    review("r2", "s2", "B", "rejected", "the summary misses 12 SOURCES."),
    review("r3", "s1", "A", "rejected", "Wrong output format entirely"),
    review("r4", "s3", "C", "approved"),
  ],
  reflections: [
    {
      id: "l1",
      agentId: "A",
      action: "reflection",
      summary: "I skipped the checklist",
      subTaskId: "s1",
      createdAt: at(11),
    },
    { id: "l2", agentId: "B", action: "retro", summary: "Will cite sources", subTaskId: null, createdAt: at(12) },
  ],
  anomalies: [
    { type: "timeout", severity: "warning", agentId: "A", n: 1 },
    { type: "timeout", severity: "warning", agentId: "B", n: 1 },
    { type: "stuck", severity: "warning", agentId: null, n: 1 },
  ],
  scores: [
    { agentId: "A", net: -4, lost: -6, n: 3 },
    { agentId: "C", net: 7, lost: 0, n: 2 },
    { agentId: "B", net: 2, lost: -1, n: 2 },
  ],
  done: [
    {
      id: "s3",
      name: "Quick",
      taskId: "t1",
      assignedAgent: "C",
      createdAt: at(9),
      startedAt: at(9, 30),
      completedAt: at(10),
      reworkCount: 0,
    },
    {
      id: "s4",
      name: "Slow",
      taskId: "t1",
      assignedAgent: "C",
      createdAt: at(1),
      startedAt: null,
      completedAt: at(20),
      reworkCount: 2,
    },
    {
      id: "s5",
      name: "Middle",
      taskId: "t1",
      assignedAgent: "B",
      createdAt: at(5),
      startedAt: at(6),
      completedAt: at(15),
      reworkCount: 1,
    },
  ],
};

describe("composeRetros", () => {
  const repeated = issueItems("The summary misses 3 sources")[0]!.key;
  const { team, agents } = composeRetros(period, rows, [
    { periodKey: "day:2026-12-03", keys: { issue: { [repeated]: 1 }, type: {} } },
  ]);

  it("the team body counts the period exactly and validates against the contract", () => {
    expect(RetrospectiveBodySchema.parse(team)).toEqual(team);
    expect(team.counts).toEqual({
      sub_tasks_done: 3,
      reviews: 4,
      rejections: 3,
      reworked_sub_tasks: 2,
      reflections: 1,
      retro_logs: 1,
      anomalies: 3,
      score_net: 5,
    });
    expect(team.rework).toEqual([
      { agent_id: "A", rejections: 2, sub_tasks: 1 },
      { agent_id: "B", rejections: 1, sub_tasks: 1 },
    ]);
    expect(team.anomalies).toEqual([
      { type: "timeout", severity: "warning", count: 2, agents: ["A", "B"] },
      { type: "stuck", severity: "warning", count: 1, agents: [] },
    ]);
    expect(team.score_movers.up.map((m) => [m.agent_id, m.net])).toEqual([
      ["C", 7],
      ["B", 2],
    ]);
    expect(team.score_movers.down.map((m) => [m.agent_id, m.net, m.lost])).toEqual([["A", -4, -6]]);
  });

  it("longest: by time from creation to done, with work time when the start is known", () => {
    expect(team.longest.map((l) => [l.sub_task_id, l.lead_seconds, l.work_seconds])).toEqual([
      ["s4", 19 * 3600, null],
      ["s5", 10 * 3600, 9 * 3600],
      ["s3", 3600, 1800],
    ]);
  });

  it("one issue pattern of count 2, seen again; one finding per pattern; the keys kept for later", () => {
    const issues = team.patterns.filter((p) => p.kind === "issue");
    expect(issues.map((p) => [p.key, p.count, p.again])).toEqual([[repeated, 2, true]]);
    expect(team.findings.map((f) => [f.id, team.patterns[f.pattern]!.key])).toEqual(
      team.patterns.map((p, i) => [`f${i + 1}`, p.key]),
    );
    expect(team.keys.issue[repeated]).toBe(2);
  });

  it("agent rows only for agents with a rejection, a reflection or an anomaly; each sees its own", () => {
    expect([...agents.keys()]).toEqual(["A", "B"]);
    const a = agents.get("A")!;
    expect(a.counts).toMatchObject({
      rejections: 2,
      reworked_sub_tasks: 1,
      reflections: 1,
      anomalies: 1,
      score_net: -4,
    });
    expect(a.rejections.every((r) => r.executor_agent === "A")).toBe(true);
    expect(a.findings).toEqual([]);
    expect(a.keys).toEqual({ issue: {}, type: {} });
    expect(agents.get("B")!.longest.map((l) => l.sub_task_id)).toEqual(["s5"]);
  });

  it("lists are cut at their caps and the body says so", () => {
    const many: RetroRows = {
      ...rows,
      reviews: Array.from({ length: 120 }, (_, i) => ({
        ...review(`r${i}`, `s${i}`, "A", "rejected", `issue number ${i} with distinct words ${"x".repeat(i % 7)}`),
        createdAt: at(10),
      })),
    };
    const big = composeRetros(period, many, []);
    expect(big.team.rejections).toHaveLength(RETRO_CAPS.team.rejections);
    expect(big.team.counts.rejections).toBe(120);
    expect(big.team.truncated).toBe(true);
    expect(big.agents.get("A")!.rejections).toHaveLength(RETRO_CAPS.agent.rejections);
    expect(team.truncated).toBe(false);
  });
});

describe("renderRetroText", () => {
  const { team, agents } = composeRetros(period, rows, []);
  const names = new Map([
    ["A", "alice"],
    ["B", "bob"],
    ["C", "carol"],
  ]);

  it("English: the title, the summary line, names instead of ids", () => {
    const text = renderRetroText({ body: team, language: "en", names, agentId: null, partial: false });
    expect(text.split("\n")[0]).toBe("Daily team retrospective, 2026-12-04 (UTC)");
    expect(text).toContain("3 sub-tasks done; 4 reviews, 3 rejections on 2 sub-tasks; 3 anomalies; score +5.");
    expect(text).toContain("- alice: 2 rejections on 1 sub-tasks");
    expect(text).toContain("- up: carol +7, bob +2");
    expect(text.length).toBeLessThanOrEqual(TEXT_LIMIT.team);
  });

  it("Chinese: the same facts in Chinese, with full-width punctuation", () => {
    const text = renderRetroText({ body: agents.get("A")!, language: "zh-CN", names, agentId: "A", partial: true });
    expect(text.split("\n")[0]).toBe("alice 的每日复盘：2026-12-04（UTC）");
    expect(text).toContain("本周期尚未结束");
    expect(text).toContain("驳回 2 次，涉及 1 个子任务");
    expect(text).not.toMatch(/rejections|sub-tasks done/);
  });

  it("a quiet period says so in one line", () => {
    const quiet = composeRetros(period, { reviews: [], reflections: [], anomalies: [], scores: [], done: [] }, []).team;
    const text = renderRetroText({ body: quiet, language: "en", names, agentId: null, partial: false });
    expect(text.split("\n")).toEqual([
      "Daily team retrospective, 2026-12-04 (UTC)",
      "Nothing was done, reviewed or reported in this period.",
    ]);
  });
});
