// The per-agent rate limit (worker/auth/rate-limit.ts): a token bucket in D1 per agent, its size and
// rate from the admin config, checked right after authentication on every agent request.
import { beforeEach, describe, expect, it } from "vitest";
import { type CallResult, call, dbSnapshot, env, initialize, ok, register, type TestAgent } from "./helpers";
import { expectInvariants } from "./invariants";

let admin: string;
let planner: TestAgent;

beforeEach(async () => {
  admin = await initialize();
  planner = await register("planner");
});

/** Sets this test's limits through the admin config API, as an admin would. */
const setLimit = (perMinute: number, burst: number) =>
  ok(
    call("PUT", "/api/admin/config", {
      admin,
      body: { agent: { rate_limit_per_minute: perMinute, rate_limit_burst: burst } },
    }),
  );
const createTask = (agent: TestAgent, name = "T") => call("POST", "/api/tasks", { key: agent.key, body: { name } });
const taskCount = async () => (await env.DB.prepare("select count(*) as n from task").first<{ n: number }>())!.n;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function expectRateLimited(res: CallResult, maxWaitS: number) {
  expect(res.status).toBe(429);
  expect(res.body).toEqual({
    code: "rate_limited",
    detail: expect.stringMatching(/per minute.*retry in \d+ s$/),
    hint: expect.any(String),
  });
  const retryAfter = Number(res.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(maxWaitS);
  expect(res.body.detail).toContain(`retry in ${retryAfter} s`);
}

describe("per-agent rate limit", () => {
  it("refuses the call after a burst with 429 and Retry-After, changes nothing, and leaves other agents alone", async () => {
    await setLimit(1, 5);
    for (let i = 0; i < 5; i++) expect((await createTask(planner, `T${i}`)).status).toBe(200);
    const before = await dbSnapshot();
    const refused = await createTask(planner, "one too many");
    expectRateLimited(refused, 60);
    expect(refused.body.detail).toBe(
      `too many requests: this agent may send 1 per minute, 5 at once; retry in ${refused.headers.get("retry-after")} s`,
    );
    expect(await dbSnapshot()).toEqual(before);
    // Reads are counted too; another agent has its own bucket; an admin session is not limited.
    expectRateLimited(await call("GET", "/api/tasks", { key: planner.key }), 60);
    const other = await register("planner");
    expect((await createTask(other, "other")).status).toBe(200);
    for (let i = 0; i < 8; i++) expect((await call("GET", "/api/admin/config", { admin })).status).toBe(200);
    expect(await taskCount()).toBe(6);
  });

  it("lets calls through again once the bucket has refilled for the Retry-After", async () => {
    await setLimit(60, 1);
    expect((await call("GET", "/api/tasks", { key: planner.key })).status).toBe(200);
    const refused = await call("GET", "/api/tasks", { key: planner.key });
    expectRateLimited(refused, 1);
    await sleep(1000 * Number(refused.headers.get("retry-after")) + 50);
    expect((await call("GET", "/api/tasks", { key: planner.key })).status).toBe(200);
  });

  it("applies a raised limit at once: an admin's change is read by the next request", async () => {
    await setLimit(1, 1);
    expect((await createTask(planner)).status).toBe(200);
    expect((await createTask(planner)).status).toBe(429);
    // A larger burst refills a drained bucket at the new rate: 60,000 per minute is one per millisecond.
    await setLimit(60_000, 50);
    await sleep(20);
    expect((await createTask(planner)).status).toBe(200);
  });

  it("never lets more than the burst through under concurrency, and the refused calls write nothing", async () => {
    await setLimit(1, 10);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => createTask(planner, `C${i}`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
    expect(await taskCount()).toBe(10);
    const bucket = await env.DB.prepare("select tokens from rate_bucket where key = ?")
      .bind(`agent:${planner.id}`)
      .first<{ tokens: number }>();
    expect(bucket!.tokens).toBeGreaterThanOrEqual(0);
    expect(bucket!.tokens).toBeLessThan(1);
    await expectInvariants({ admin });
  });

  it("is generous by default: 600 a minute, and a burst of 120 calls at once from one agent all pass", async () => {
    expect((await call("GET", "/api/admin/config", { admin })).body.agent).toMatchObject({
      rate_limit_per_minute: 600,
      rate_limit_burst: 120,
    });
    const results = await Promise.all(
      Array.from({ length: 120 }, () => call("GET", "/api/tasks", { key: planner.key })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(120).fill(200));
  });
});
