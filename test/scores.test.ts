import { describe, expect, it } from "vitest";
import { call, dbSnapshot, env, initialize, insertSubTask, ok, register, type TestAgent } from "./helpers";

async function setScore(a: TestAgent, score: number, createdAt?: string) {
  if (createdAt)
    await env.DB.prepare("update agent set total_score = ?, created_at = ? where id = ?")
      .bind(score, createdAt, a.id)
      .run();
  else await env.DB.prepare("update agent set total_score = ? where id = ?").bind(score, a.id).run();
}

async function ledgerSum(agentId: string) {
  const row = await env.DB.prepare(
    "select (select total_score from agent where id = ?1) as total, (select coalesce(sum(score_delta), 0) from reward_log where agent_id = ?1) as sum, (select count(*) from reward_log where agent_id = ?1) as n",
  )
    .bind(agentId)
    .first<{ total: number; sum: number; n: number }>();
  return row!;
}

const adjust = (caller: TestAgent, body: Record<string, unknown>) =>
  call("POST", "/api/scores/adjust", { key: caller.key, body });

describe("leaderboard", () => {
  it("lists every agent by score with row-position ranks; ties go to the older agent", async () => {
    await initialize();
    const a = await register("executor");
    const b = await register("planner");
    const c = await register("reviewer");
    const d = await register("patrol");
    await setScore(a, 10, "2026-01-01T00:00:03.000Z");
    await setScore(b, 30, "2026-01-01T00:00:04.000Z");
    await setScore(c, 10, "2026-01-01T00:00:01.000Z");
    await setScore(d, -5, "2026-01-01T00:00:02.000Z");
    await env.DB.prepare("update agent set status = 'disabled' where id = ?").bind(d.id).run();
    const res = await call("GET", "/api/scores/leaderboard", { key: a.key });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { rank: 1, agent_id: b.id, agent_name: b.name, role: "planner", total_score: 30 },
      { rank: 2, agent_id: c.id, agent_name: c.name, role: "reviewer", total_score: 10 },
      { rank: 3, agent_id: a.id, agent_name: a.name, role: "executor", total_score: 10 },
      { rank: 4, agent_id: d.id, agent_name: d.name, role: "patrol", total_score: -5 },
    ]);
  });

  it("needs an agent key", async () => {
    await initialize();
    const res = await call("GET", "/api/scores/leaderboard");
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("missing_credentials");
  });
});

describe("score summaries", () => {
  it("/me uses competition ranking (1, 1, 3) and counts rewards, penalties and records", async () => {
    await initialize();
    const planner = await register("planner");
    const x = await register("executor");
    const y = await register("executor");
    const z = await register("executor");
    for (const [delta, reason] of [
      [5, "good"],
      [3, "more"],
      [-2, "oops"],
    ] as const) {
      expect((await adjust(planner, { agent_id: x.id, score_delta: delta, reason })).status).toBe(200);
    }
    await setScore(y, 6);
    await setScore(z, 1);
    // x = 6, y = 6, z = 1, planner = 0
    const mx = await call("GET", "/api/scores/me", { key: x.key });
    expect(mx.status).toBe(200);
    expect(mx.body).toEqual({
      agent_id: x.id,
      agent_name: x.name,
      total_score: 6,
      rank: 1,
      total_agents: 4,
      reward_count: 2,
      penalty_count: 1,
      total_records: 3,
    });
    expect((await call("GET", "/api/scores/me", { key: y.key })).body).toMatchObject({
      rank: 1,
      total_score: 6,
      total_records: 0,
      reward_count: 0,
      penalty_count: 0,
    });
    expect((await call("GET", "/api/scores/me", { key: z.key })).body).toMatchObject({ rank: 3, total_score: 1 });
    expect((await call("GET", "/api/scores/me", { key: planner.key })).body).toMatchObject({
      rank: 4,
      total_agents: 4,
    });
    expect((await call("GET", "/api/scores/me")).status).toBe(401);
  });

  it("/{agent_id} is admin-only and 404s on an unknown agent", async () => {
    const admin = await initialize();
    const x = await register("executor");
    const res = await call("GET", `/api/scores/${x.id}`, { admin });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      agent_id: x.id,
      agent_name: x.name,
      total_score: 0,
      rank: 1,
      total_agents: 1,
      reward_count: 0,
      penalty_count: 0,
      total_records: 0,
    });
    const withKey = await call("GET", `/api/scores/${x.id}`, { key: x.key });
    expect(withKey.status).toBe(401);
    const missing = await call("GET", `/api/scores/${crypto.randomUUID()}`, { admin });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe("agent_not_found");
    const tooLong = await call("GET", `/api/scores/${"x".repeat(65)}`, { admin });
    expect(tooLong.status).toBe(400);
  });
});

describe("ledgers", () => {
  it("pages the caller's ledger newest first, with the envelope fields", async () => {
    await initialize();
    const planner = await register("planner");
    const x = await register("executor");
    for (let i = 1; i <= 5; i++) {
      expect((await adjust(planner, { agent_id: x.id, score_delta: i, reason: `r${i}` })).status).toBe(200);
    }
    const all = await call("GET", "/api/scores/me/logs", { key: x.key });
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 5, page: 1, page_size: 0, total_pages: 1, has_more: false });
    expect(all.body.items.map((r: { score_delta: number }) => r.score_delta)).toEqual([5, 4, 3, 2, 1]);
    expect(Object.keys(all.body.items[0]).sort()).toEqual([
      "agent_id",
      "created_at",
      "id",
      "reason",
      "score_delta",
      "sub_task_id",
    ]);

    const page2 = await call("GET", "/api/scores/me/logs", { key: x.key, query: { page: 2, page_size: 2 } });
    expect(page2.body).toMatchObject({ total: 5, page: 2, page_size: 2, total_pages: 3, has_more: true });
    expect(page2.body.items.map((r: { score_delta: number }) => r.score_delta)).toEqual([3, 2]);
    const beyond = await call("GET", "/api/scores/me/logs", { key: x.key, query: { page: 9, page_size: 2 } });
    expect(beyond.body).toMatchObject({ items: [], total: 5, has_more: false });

    const other = await call("GET", `/api/scores/${x.id}/logs`, { key: planner.key, query: { page_size: 3 } });
    expect(other.status).toBe(200);
    expect(other.body).toMatchObject({ total: 5, page: 1, page_size: 3, total_pages: 2, has_more: true });
    expect(other.body.items).toHaveLength(3);
    expect(other.body.items[0].agent_id).toBe(x.id);
  });

  it("gives an empty envelope for an unknown agent, 400 on a bad page, 401 without a key", async () => {
    await initialize();
    const x = await register("executor");
    const empty = await call("GET", `/api/scores/${crypto.randomUUID()}/logs`, { key: x.key });
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ items: [], total: 0, page: 1, page_size: 0, total_pages: 1, has_more: false });
    const bad = await call("GET", "/api/scores/me/logs", { key: x.key, query: { page: "abc" } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("invalid_input");
    expect((await call("GET", `/api/scores/${x.id}/logs`)).status).toBe(401);
    expect((await call("GET", "/api/scores/me/logs")).status).toBe(401);
  });
});

describe("POST /api/scores/adjust", () => {
  it("records the adjustment with the operator in the reason and moves the total", async () => {
    await initialize();
    const reviewer = await register("reviewer");
    const x = await register("executor");
    const subTaskId = await insertSubTask();
    const res = await adjust(reviewer, {
      agent_id: x.id,
      score_delta: -7,
      reason: "  测试 ✅ 🚀 日本語  ",
      sub_task_id: subTaskId,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      agent_id: x.id,
      sub_task_id: subTaskId,
      score_delta: -7,
      reason: `[manual adjustment] 测试 ✅ 🚀 日本語 (operator: ${reviewer.name})`,
    });
    expect(res.body.created_at).toMatch(/Z$/);
    const stored = await env.DB.prepare("select reason from reward_log where id = ?")
      .bind(res.body.id)
      .first<{ reason: string }>();
    expect(stored!.reason).toBe(res.body.reason);
    expect((await call("GET", "/api/scores/me", { key: x.key })).body.total_score).toBe(-7);
    const ledger = await call("GET", "/api/scores/me/logs", { key: x.key });
    expect(ledger.body.items[0]).toEqual(res.body);
    const nullSub = await adjust(reviewer, { agent_id: x.id, score_delta: 10, reason: "max", sub_task_id: null });
    expect(nullSub.status).toBe(200);
    expect(nullSub.body.sub_task_id).toBeNull();
  });

  it("refuses to adjust your own score and changes nothing", async () => {
    await initialize();
    const planner = await register("planner");
    const before = await dbSnapshot();
    const res = await adjust(planner, { agent_id: planner.id, score_delta: 100, reason: "me" });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("self_adjustment");
    expect(await dbSnapshot()).toEqual(before);
  });

  it("answers 401, 403 wrong role, 404 agent and sub-task, 400 bad input, without writing", async () => {
    await initialize();
    const planner = await register("planner");
    const executor = await register("executor");
    const patrol = await register("patrol");
    const before = await dbSnapshot();
    expect(
      (await call("POST", "/api/scores/adjust", { body: { agent_id: executor.id, score_delta: 1, reason: "r" } }))
        .status,
    ).toBe(401);
    for (const caller of [executor, patrol]) {
      const wrong = await adjust(caller, { agent_id: planner.id, score_delta: 1, reason: "r" });
      expect(wrong.status).toBe(403);
      expect(wrong.body.code).toBe("wrong_role");
    }
    const noAgent = await adjust(planner, { agent_id: crypto.randomUUID(), score_delta: 1, reason: "r" });
    expect(noAgent.status).toBe(404);
    expect(noAgent.body.code).toBe("agent_not_found");
    const noSub = await adjust(planner, {
      agent_id: executor.id,
      score_delta: 1,
      reason: "r",
      sub_task_id: crypto.randomUUID(),
    });
    expect(noSub.status).toBe(404);
    expect(noSub.body.code).toBe("sub_task_not_found");
    const badBodies = [
      { agent_id: executor.id, score_delta: 0, reason: "r" },
      { agent_id: executor.id, score_delta: 1001, reason: "r" },
      { agent_id: executor.id, score_delta: -1001, reason: "r" },
      { agent_id: executor.id, score_delta: 1.5, reason: "r" },
      { agent_id: executor.id, score_delta: "5.5", reason: "r" },
      { agent_id: executor.id, score_delta: 1, reason: "   " },
      { agent_id: executor.id, score_delta: 1, reason: "x".repeat(201) },
      { agent_id: executor.id, score_delta: 1 },
      { score_delta: 1, reason: "r" },
    ];
    for (const body of badBodies) {
      const res = await adjust(planner, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe("invalid_input");
    }
    expect(await dbSnapshot()).toEqual(before);
  });

  it("keeps total_score equal to the ledger sum, also under 20 concurrent adjustments", async () => {
    const admin = await initialize();
    // Caps high enough that every adjustment here fits: this test is about the ledger, not the caps.
    await ok(
      call("PUT", "/api/admin/config", {
        admin,
        body: { score: { adjust_max_per_call: 1000, adjust_max_per_day: 1_000_000 } },
      }),
    );
    const planner = await register("planner");
    const reviewer = await register("reviewer");
    const x = await register("executor");
    for (const delta of [5, -3, 12, -1])
      expect((await adjust(planner, { agent_id: x.id, score_delta: delta, reason: "seq" })).status).toBe(200);
    expect(await ledgerSum(x.id)).toEqual({ total: 13, sum: 13, n: 4 });

    const deltas = Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? -(i + 1) : i + 1));
    const results = await Promise.all(
      deltas.map((delta, i) =>
        adjust(i % 2 ? planner : reviewer, { agent_id: x.id, score_delta: delta, reason: `concurrent ${i}` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(deltas.map(() => 200));
    const expected = 13 + deltas.reduce((s, d) => s + d, 0);
    expect(await ledgerSum(x.id)).toEqual({ total: expected, sum: expected, n: 24 });
    expect((await call("GET", "/api/scores/me", { key: x.key })).body).toMatchObject({
      total_score: expected,
      total_records: 24,
    });
  });
});
