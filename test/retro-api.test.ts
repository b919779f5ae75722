// The retrospective routes: who reads which rows, on-demand generation (201, then 200 with the same
// row), and a finding turned into a task rule exactly once — a rule that then reaches the executors
// working on that task.
import { beforeEach, describe, expect, it } from "vitest";
import { call, dbSnapshot, env, initialize, ok, register, type TestAgent } from "./helpers";
import { insertRetro, pattern } from "./retro-rows";

let admin: string;
let planner: TestAgent, a: TestAgent, b: TestAgent;
let taskId: string, teamId: string, aId: string, bId: string;

beforeEach(async () => {
  admin = await initialize();
  [planner, a, b] = await Promise.all([register("planner"), register("executor"), register("executor")]);
  taskId = (await ok(call("POST", "/api/tasks", { key: planner.key, body: { name: "News" } }))).id;
  // The second was also rejected in an earlier period: the list counts it as repeated.
  const patterns = [
    pattern("the summary misses sources", 3, taskId),
    { ...pattern("no tests", 2, taskId), again: true },
  ];
  teamId = await insertRetro({ periodKey: "day:2026-12-04", scope: "team", patterns });
  aId = await insertRetro({ periodKey: "day:2026-12-04", scope: "agent", agentId: a.id });
  bId = await insertRetro({ periodKey: "day:2026-12-04", scope: "agent", agentId: b.id });
});

const ids = (page: { items: { id: string }[] }) => page.items.map((r) => r.id).sort();

describe("reading retrospectives", () => {
  it("gives admins every row and agents the team's and their own", async () => {
    const all = await ok(call("GET", "/api/retrospectives", { admin }));
    expect(ids(all)).toEqual([teamId, aId, bId].sort());
    expect(all.total).toBe(3);
    // The team row leads its period; items carry counts, not the body.
    expect(all.items[0]).toMatchObject({ id: teamId, scope: "team", counts: { sub_tasks_done: 7, rejections: 5 } });
    expect(all.items[0].body).toBeUndefined();
    // Then the agents' rows of the period, by agent id.
    const byAgent = [
      [a.id, aId],
      [b.id, bId],
    ].sort(([x], [y]) => x!.localeCompare(y!));
    expect(all.items.map((r: { id: string; repeated: number }) => [r.id, r.repeated])).toEqual([
      [teamId, 1],
      ...byAgent.map(([, id]) => [id, 0]),
    ]);
    expect(ids(await ok(call("GET", "/api/retrospectives", { key: a.key })))).toEqual([teamId, aId].sort());
    expect(ids(await ok(call("GET", "/api/retrospectives", { key: planner.key })))).toEqual([teamId]);
    // Asking for another agent's rows finds nothing rather than them.
    const foreign = await ok(call("GET", "/api/retrospectives", { key: a.key, query: { agent_id: b.id } }));
    expect(foreign.items).toEqual([]);
    const agentRows = await ok(call("GET", "/api/retrospectives", { admin, query: { scope: "agent" } }));
    expect(ids(agentRows)).toEqual([aId, bId].sort());
  });

  it("reads one row with its text and body, and hides another agent's own", async () => {
    const mine = await ok(call("GET", `/api/retrospectives/${aId}`, { key: a.key }));
    expect(mine).toMatchObject({ id: aId, scope: "agent", agent_id: a.id, period_key: "day:2026-12-04" });
    expect(mine.body.counts.sub_tasks_done).toBe(7);
    const hidden = await call("GET", `/api/retrospectives/${bId}`, { key: a.key });
    expect(hidden.status).toBe(404);
    expect(hidden.body.code).toBe("retrospective_not_found");
    expect(hidden.body.hint).toContain("retro list");
    expect((await call("GET", `/api/retrospectives/${bId}`, { admin })).status).toBe(200);
  });
});

describe("generating on demand", () => {
  it("makes the period's retrospective (201), then answers the same row (200)", async () => {
    const first = await call("POST", "/api/retrospectives", {
      key: planner.key,
      body: { period: "daily", date: "2026-11-20" },
    });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ period_key: "day:2026-11-20", scope: "team", trigger: "manual" });
    expect(first.body.generated_by).toBe(planner.id);
    const again = await call("POST", "/api/retrospectives", { admin, body: { period: "daily", date: "2026-11-20" } });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
  });

  it("throttles new generations to one per 5 minutes per kind", async () => {
    await ok(call("POST", "/api/retrospectives", { key: planner.key, body: { period: "daily", date: "2026-11-20" } }));
    const next = await call("POST", "/api/retrospectives", {
      key: planner.key,
      body: { period: "daily", date: "2026-11-21" },
    });
    expect(next.status).toBe(429);
    expect(next.body.code).toBe("rate_limited");
    expect(Number(next.headers.get("retry-after"))).toBeGreaterThan(200);
  });

  it("refuses executors, impossible dates and periods not begun, changing nothing", async () => {
    const before = await dbSnapshot();
    const asExecutor = await call("POST", "/api/retrospectives", { key: a.key, body: { period: "daily" } });
    expect(asExecutor.status).toBe(403);
    for (const date of ["2026-02-31", "26-12-01", "2999-01-01"]) {
      const res = await call("POST", "/api/retrospectives", { key: planner.key, body: { period: "weekly", date } });
      expect(res.status, date).toBe(400);
    }
    const future = await call("POST", "/api/retrospectives", {
      key: planner.key,
      body: { period: "daily", date: "2999-01-01" },
    });
    expect(future.body.code).toBe("retro_period_not_started");
    expect(await dbSnapshot()).toEqual(before);
  });
});

const rulePath = (retro: string, finding: string) => `/api/retrospectives/${retro}/findings/${finding}/rule`;

describe("a finding turned into a task rule", () => {
  it("makes one rule on the pattern's task (201), then 409 naming that rule", async () => {
    const made = await call("POST", rulePath(teamId, "f1"), { key: planner.key });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ retrospective_id: teamId, finding_id: "f1" });
    expect(made.body.rule).toMatchObject({
      scope: "task",
      task_id: taskId,
      content:
        'Recurring review issue (seen 3× in 2026-12-04): "the summary misses sources". Check this before you submit.',
    });
    const repeat = await call("POST", rulePath(teamId, "f1"), { admin });
    expect(repeat.status).toBe(409);
    expect(repeat.body.code).toBe("finding_already_ruled");
    expect(repeat.body.detail).toContain(made.body.rule.id);
    const stored = await ok(call("GET", `/api/retrospectives/${teamId}`, { admin }));
    expect(stored.body.findings.map((f: { rule_id: string | null }) => f.rule_id)).toEqual([made.body.rule.id, null]);
  });

  it("makes exactly one rule of two concurrent calls", async () => {
    const both = await Promise.all([
      call("POST", rulePath(teamId, "f2"), { key: planner.key }),
      call("POST", rulePath(teamId, "f2"), { admin }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    const rules = await env.DB.prepare("select id from rule where scope = 'task' and task_id = ?").bind(taskId).all();
    expect(rules.results).toHaveLength(1);
  });

  it("takes another task and text when given; a missing task is 404 and leaves the finding open", async () => {
    const gone = await call("POST", rulePath(teamId, "f1"), { key: planner.key, body: { task_id: "no-such-task" } });
    expect(gone.status).toBe(404);
    expect(gone.body.code).toBe("task_not_found");
    const other = (await ok(call("POST", "/api/tasks", { key: planner.key, body: { name: "Other" } }))).id;
    const made = await ok(
      call("POST", rulePath(teamId, "f1"), {
        key: planner.key,
        body: { task_id: other, content: "Cite every source." },
      }),
    );
    expect(made.rule).toMatchObject({ task_id: other, content: "Cite every source." });
  });

  it("refuses executors (403), unknown findings and rows the planner cannot read (404)", async () => {
    expect((await call("POST", rulePath(teamId, "f1"), { key: a.key })).status).toBe(403);
    const unknown = await call("POST", rulePath(teamId, "f9"), { key: planner.key });
    expect([unknown.status, unknown.body.code]).toEqual([404, "finding_not_found"]);
    const foreign = await call("POST", rulePath(aId, "f1"), { key: planner.key });
    expect([foreign.status, foreign.body.code]).toEqual([404, "retrospective_not_found"]);
  });

  it("writes the suggested text in the project's language", async () => {
    await ok(call("PUT", "/api/admin/config", { admin, body: { project: { language: "zh-CN" } } }));
    const made = await ok(call("POST", rulePath(teamId, "f2"), { key: planner.key }));
    expect(made.rule.content).toBe("反复出现的审查问题（2026-12-04 内 2 次）：“no tests”。提交前先检查这一点。");
  });

  it("reaches the briefing rules of an executor working on that task", async () => {
    await ok(
      call("POST", "/api/sub-tasks", {
        key: planner.key,
        body: { task_id: taskId, name: "Write", assigned_agent: a.id },
      }),
    );
    const before = await ok(call("GET", "/api/agents/me/briefing", { key: a.key }));
    expect(before.rules.content).not.toContain("the summary misses sources");
    await ok(call("POST", rulePath(teamId, "f1"), { key: planner.key }));
    const after = await ok(call("GET", "/api/agents/me/briefing", { key: a.key }));
    expect(after.rules.revision).not.toBe(before.rules.revision);
    expect(after.rules.content).toContain('"the summary misses sources". Check this before you submit.');
  });
});
