// A retrospective reaches each briefing it is meant for exactly once: the planner the team's (with its
// findings and the `retro rule` step), each executor its own (with the `log create retro` step), nobody
// else; concurrent briefings show it once; a newer one replaces an unseen older one.
import { beforeEach, describe, expect, it } from "vitest";
import { briefingText } from "../worker/mcp/briefing-text";
import { call, env, initialize, register, type TestAgent } from "./helpers";
import { insertRetro, pattern, pendingOf, pointAt } from "./retro-rows";

let planner: TestAgent, a: TestAgent, b: TestAgent, c: TestAgent, reviewer: TestAgent;
let teamId: string, aId: string, bId: string;

async function brief(agent: TestAgent, headers: Record<string, string> = {}) {
  const res = await call("GET", "/api/agents/me/briefing", { key: agent.key, headers });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

beforeEach(async () => {
  await initialize();
  [planner, a, b, c, reviewer] = await Promise.all([
    register("planner"),
    register("executor"),
    register("executor"),
    register("executor"),
    register("reviewer"),
  ]);
  const task = await call("POST", "/api/tasks", { key: planner.key, body: { name: "News" } });
  const patterns = [pattern("the summary misses sources", 3, task.body.id), pattern("no tests", 2, task.body.id)];
  teamId = await insertRetro({ periodKey: "day:2026-11-04", scope: "team", patterns, text: "Team: 7 done." });
  aId = await insertRetro({ periodKey: "day:2026-11-04", scope: "agent", agentId: a.id, text: "A: 2 rejections." });
  bId = await insertRetro({ periodKey: "day:2026-11-04", scope: "agent", agentId: b.id, text: "B: 1 reflection." });
  // What the generator's batch sets: planners → the team row, executors with items → their own.
  await Promise.all([pointAt(planner.id, teamId), pointAt(a.id, aId), pointAt(b.id, bId)]);
});

describe("the briefing's retrospective", () => {
  it("shows the planner the team's once, with findings and the step to turn one into a rule", async () => {
    const first = await brief(planner);
    expect(first.retrospective).toMatchObject({
      id: teamId,
      scope: "team",
      period_key: "day:2026-11-04",
      period_kind: "daily",
      from: "2026-11-04T00:00:00.000Z",
      to: "2026-11-05T00:00:00.000Z",
      text: "Team: 7 done.",
      counts: { sub_tasks_done: 7, rejections: 5 },
    });
    expect(first.retrospective.findings).toEqual([
      { id: "f1", kind: "issue", sample: "the summary misses sources", count: 3, again: false, rule_id: null },
      { id: "f2", kind: "issue", sample: "no tests", count: 2, again: false, rule_id: null },
    ]);
    expect(first.next_steps[0]).toBe(
      `The team retrospective of 2026-11-04 is in this briefing (retrospective, shown once) with 2 repeated problem(s) (f1, f2). Turn one into a task rule: \`node task-cli.mjs retro rule ${teamId} f1\`.`,
    );
    expect(await pendingOf(planner.id)).toBeNull();
    const second = await brief(planner);
    expect(second.retrospective).toBeNull();
    expect(second.next_steps.join("\n")).not.toContain("retro rule");
  });

  it("shows executors A and B their own once, without findings; C and the reviewer none", async () => {
    for (const [agent, id, text] of [
      [a, aId, "A: 2 rejections."],
      [b, bId, "B: 1 reflection."],
    ] as const) {
      const first = await brief(agent);
      expect(first.retrospective).toMatchObject({ id, scope: "agent", text });
      expect(first.retrospective.findings).toBeUndefined();
      expect(first.next_steps[0]).toContain(
        `\`node task-cli.mjs log create retro "<what you take from it>" --retro ${id}\``,
      );
      expect((await brief(agent)).retrospective).toBeNull();
    }
    expect((await brief(c)).retrospective).toBeNull();
    expect((await brief(reviewer)).retrospective).toBeNull();
  });

  it("in Chinese, the step says the same command", async () => {
    const zh = await brief(a, { "accept-language": "zh-CN" });
    expect(zh.next_steps[0]).toBe(
      `你 2026-11-04 的复盘在本次简报里（retrospective，只出现一次）：读完后写下你的收获：\`node task-cli.mjs log create retro "<what you take from it>" --retro ${aId}\`。`,
    );
  });

  it("goes to exactly one of two concurrent briefings", async () => {
    for (let round = 0; round < 3; round++) {
      await pointAt(a.id, aId);
      const both = await Promise.all([brief(a), brief(a)]);
      const carrying = both.filter((x) => x.retrospective !== null);
      expect(carrying.length, `round ${round}`).toBe(1);
      expect(carrying[0]!.retrospective.id).toBe(aId);
    }
  });

  it("is replaced by a newer one the agent has not seen; the older stays listed", async () => {
    const newer = await insertRetro({
      periodKey: "day:2026-11-05",
      scope: "agent",
      agentId: a.id,
      text: "A, next day",
    });
    await pointAt(a.id, newer);
    const first = await brief(a);
    expect(first.retrospective.id).toBe(newer);
    expect((await brief(a)).retrospective).toBeNull();
    const listed = await call("GET", "/api/retrospectives", { key: a.key, query: { scope: "agent" } });
    expect(listed.body.items.map((r: { id: string }) => r.id)).toEqual([newer, aId]);
  });

  it("costs no query when nothing is pending, and one batch of two statements when something is", async () => {
    const queries = async (agent: TestAgent) => {
      const res = await call("GET", "/api/agents/me/briefing", { key: agent.key });
      expect(res.status).toBe(200);
      return Number(res.headers.get("x-d1-queries"));
    };
    await env.DB.prepare("update agent set pending_retro_id = null where id = ?").bind(a.id).run();
    await queries(a); // the first briefing also records the rules' revision
    const plain = await queries(a);
    await pointAt(a.id, aId);
    const carrying = await queries(a);
    expect(carrying - plain).toBe(2);
    expect(await queries(a)).toBe(plain);
  });

  it("survives its row being deleted before the briefing: nothing shown, the pointer cleared", async () => {
    await call("GET", "/api/agents/me/briefing", { key: c.key });
    const gone = await insertRetro({ periodKey: "day:2026-11-06", scope: "agent", agentId: c.id });
    await pointAt(c.id, gone);
    await env.DB.prepare("delete from retrospective where id = ?").bind(gone).run();
    expect((await brief(c)).retrospective).toBeNull();
    expect(await pendingOf(c.id)).toBeNull();
  });

  it("reaches the planner from a real generation, which replaces the one not yet seen", async () => {
    const made = await call("POST", "/api/retrospectives", { key: planner.key, body: { period: "daily" } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(await pendingOf(planner.id)).toBe(made.body.id);
    const first = await brief(planner);
    expect(first.retrospective).toMatchObject({ id: made.body.id, scope: "team", text: made.body.text });
    expect(first.retrospective.text.length).toBeGreaterThan(0);
    expect((await brief(planner)).retrospective).toBeNull();
    // An executor with no items in the period gets no row, so nothing new to show.
    expect((await brief(c)).retrospective).toBeNull();
  });
});

describe("the MCP briefing prompt", () => {
  it("shows the retrospective's text, then a planner's findings with their rules", () => {
    const text = briefingText(
      {
        agent: { name: "P", role: "planner", status: "active" },
        rules: { content: "", truncated: false, revision: "r1", unchanged: true },
        score: { total_score: 0, rank: 1 },
        retrospective: {
          id: "R1",
          period_key: "week:2026-W49",
          text: "Team: 7 done.",
          findings: [
            { id: "f1", sample: "no sources", count: 3, rule_id: null },
            { id: "f2", sample: "no tests", count: 2, rule_id: "rule-9" },
          ],
        },
        my_sub_tasks: [],
        queue: {},
        next_steps: ["step"],
        truncated: false,
      },
      "en",
    );
    expect(text).toContain(
      'Retrospective of 2026-W49 (shown once) · ID:R1:\nTeam: 7 done.\nRepeated problems (findings):\n  - f1 ×3: "no sources"\n  - f2 ×2: "no tests" · rule rule-9\n',
    );
  });
});
