// Manual score adjustments by agents are bounded per call (score.adjust_max_per_call, default 10) and
// per actor over a rolling 24 hours (score.adjust_max_per_day, default 50, sum of |score_delta|);
// admin adjustments are not. Every refusal changes nothing.
import { describe, expect, it } from "vitest";
import { call, dbSnapshot, env, initialize, ok, register, type TestAgent } from "./helpers";
import { expectInvariants } from "./invariants";

const adjust = (caller: TestAgent, agentId: string, scoreDelta: number, reason = "cap test") =>
  call("POST", "/api/scores/adjust", { key: caller.key, body: { agent_id: agentId, score_delta: scoreDelta, reason } });

/** Points the actor spent on adjustments, and the targets' totals next to their ledgers. */
async function spentBy(actorId: string): Promise<number> {
  const row = await env.DB.prepare(
    "select coalesce(sum(abs(score_delta)), 0) as n from reward_log where actor_agent_id = ?",
  )
    .bind(actorId)
    .first<{ n: number }>();
  return row!.n;
}

const total = async (agentId: string) =>
  (await env.DB.prepare("select total_score from agent where id = ?").bind(agentId).first<{ total_score: number }>())!
    .total_score;

/** Moves every adjustment of the actor back in time by `ms`. */
const age = (actorId: string, ms: number) =>
  env.DB.prepare(
    "update reward_log set created_at = strftime('%Y-%m-%dT%H:%M:%fZ', created_at, ?) where actor_agent_id = ?",
  )
    .bind(`-${ms / 1000} seconds`, actorId)
    .run();

describe("per-call cap", () => {
  it("refuses |score_delta| above 10 with 400 adjustment_too_large naming the limit, and changes nothing", async () => {
    await initialize();
    const planner = await register("planner");
    const x = await register("executor");
    const before = await dbSnapshot();
    for (const delta of [11, -11, 1000, -1000]) {
      const res = await adjust(planner, x.id, delta);
      expect(res.status, String(delta)).toBe(400);
      expect(res.body.code).toBe("adjustment_too_large");
      expect(res.body.detail).toContain("±10");
      expect(res.body.detail).toContain("score.adjust_max_per_call");
    }
    expect(await dbSnapshot()).toEqual(before);
    expect((await adjust(planner, x.id, 10)).status).toBe(200);
    expect((await adjust(planner, x.id, -10)).status).toBe(200);
  });

  it("refuses the escalation from the issue: a self-registered reviewer's score_delta 1000 for an accomplice", async () => {
    await initialize();
    const executor = await register("executor");
    const accomplice = await register("reviewer");
    const before = await dbSnapshot();
    const selfRaise = await adjust(accomplice, accomplice.id, 1000);
    expect(selfRaise.status).toBe(403);
    expect(selfRaise.body.code).toBe("self_adjustment");
    const raise = await adjust(accomplice, executor.id, 1000, "rank 1 please");
    expect(raise.status).toBe(400);
    expect(raise.body.code).toBe("adjustment_too_large");
    expect(await dbSnapshot()).toEqual(before);
    expect(await total(executor.id)).toBe(0);
  });

  it("follows the setting; a per-call cap above the daily cap is bounded by the daily cap", async () => {
    const admin = await initialize();
    const reviewer = await register("reviewer");
    const x = await register("executor");
    await ok(call("PUT", "/api/admin/config", { admin, body: { score: { adjust_max_per_call: 30 } } }));
    expect((await adjust(reviewer, x.id, 30)).status).toBe(200);
    expect((await adjust(reviewer, x.id, 31)).body.code).toBe("adjustment_too_large");
    await ok(
      call("PUT", "/api/admin/config", {
        admin,
        body: { score: { adjust_max_per_call: 100, adjust_max_per_day: 40 } },
      }),
    );
    const over = await adjust(reviewer, x.id, 41);
    expect(over.status).toBe(400);
    expect(over.body.detail).toContain("±40 per call (setting score.adjust_max_per_day)");
  });
});

describe("daily cap (rolling 24 h per actor)", () => {
  it("counts |score_delta| of both signs; over the cap: 429 with what is left and when it frees up; changes nothing", async () => {
    await initialize();
    const planner = await register("planner");
    const other = await register("reviewer");
    const x = await register("executor");
    const y = await register("executor");
    for (const [target, delta] of [
      [x, 10],
      [y, -10],
      [x, 10],
      [y, 10],
      [x, -7],
    ] as const) {
      expect((await adjust(planner, target.id, delta)).status).toBe(200);
    }
    expect(await spentBy(planner.id)).toBe(47);
    const before = await dbSnapshot();
    const refused = await adjust(planner, y.id, -4);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe("adjustment_quota_exceeded");
    expect(refused.body.detail).toContain("50 points");
    expect(refused.body.detail).toContain("3 left now");
    // The oldest adjustment (10 points) is the one whose ageing makes room for 4: 24 h after it.
    const [oldest] = (
      await env.DB.prepare("select created_at from reward_log where actor_agent_id = ? order by created_at limit 1")
        .bind(planner.id)
        .all<{ created_at: string }>()
    ).results;
    const freesAt = new Date(Date.parse(oldest!.created_at) + 86_400_000).toISOString();
    expect(refused.body.detail).toContain(freesAt);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(86_000);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    expect(await dbSnapshot()).toEqual(before);
    // What is left still fits; the cap is per actor, so another reviewer is unaffected.
    expect((await adjust(planner, y.id, 3)).status).toBe(200);
    expect((await adjust(planner, y.id, 1)).status).toBe(429);
    expect((await adjust(other, y.id, 10)).status).toBe(200);
  });

  it("frees points as adjustments age past 24 hours (a rolling window, not the UTC day)", async () => {
    await initialize();
    const planner = await register("planner");
    const x = await register("executor");
    for (let i = 0; i < 5; i++) expect((await adjust(planner, x.id, 10)).status).toBe(200);
    expect((await adjust(planner, x.id, 1)).status).toBe(429);
    // 23 h old: still counted; the answer says about one hour.
    await age(planner.id, 23 * 3_600_000);
    const stillCounted = await adjust(planner, x.id, 1);
    expect(stillCounted.status).toBe(429);
    const retryAfter = Number(stillCounted.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(3_500);
    expect(retryAfter).toBeLessThanOrEqual(3_600);
    // Past 24 h: out of the window, the full cap is back.
    await age(planner.id, 3_600_000 + 1_000);
    for (let i = 0; i < 5; i++) expect((await adjust(planner, x.id, -10)).status).toBe(200);
    expect((await adjust(planner, x.id, 1)).status).toBe(429);
  });

  it("lets only the adjustments that fit land when a burst together exceeds the cap", async () => {
    const admin = await initialize();
    const planner = await register("planner");
    const x = await register("executor");
    const y = await register("executor");
    const deltas = [10, -9, 8, 7, -10, 6, 9, -5, 10, 4, -8, 10, 3, 7, -6, 10];
    const results = await Promise.all(deltas.map((d, i) => adjust(planner, i % 2 ? x.id : y.id, d, `burst ${i}`)));
    const statuses = results.map((r) => r.status);
    expect(
      statuses.every((s) => s === 200 || s === 429),
      statuses.join(","),
    ).toBe(true);
    const landed = deltas.filter((_, i) => statuses[i] === 200);
    const spent = await spentBy(planner.id);
    expect(spent).toBe(landed.reduce((s, d) => s + Math.abs(d), 0));
    expect(spent).toBeLessThanOrEqual(50);
    // Each refusal really did not fit: the window only fills up, so it does not fit at the end either.
    for (const [i, d] of deltas.entries())
      if (statuses[i] === 429) expect(spent + Math.abs(d), `delta ${d}`).toBeGreaterThan(50);
    expect(landed.length).toBeGreaterThan(0);
    expect(statuses).toContain(429);
    expect((await total(x.id)) + (await total(y.id))).toBe(landed.reduce((s, d) => s + d, 0));
    await expectInvariants({ admin });
  });
});

describe("admin adjustments", () => {
  it("stay unbounded and use no agent's quota", async () => {
    const admin = await initialize();
    const planner = await register("planner");
    const x = await register("executor");
    for (const delta of [1000, -1000, 1000, 500]) {
      expect(
        (
          await call("POST", "/api/admin/scores/adjust", {
            admin,
            body: { agent_id: x.id, score_delta: delta, reason: "admin" },
          })
        ).status,
      ).toBe(200);
    }
    expect(await total(x.id)).toBe(1500);
    for (let i = 0; i < 5; i++) expect((await adjust(planner, x.id, 10)).status).toBe(200);
    expect(await total(x.id)).toBe(1550);
    await expectInvariants({ admin });
  });
});
