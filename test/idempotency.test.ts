import { createScheduledController } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import worker from "../worker/index";
import { call, dbSnapshot, env, initialize, register, type TestAgent } from "./helpers";
import { expectInvariants } from "./invariants";

let planner: TestAgent;
let exec: TestAgent;

beforeEach(async () => {
  await initialize();
  [planner, exec] = await Promise.all([register("planner"), register("executor")]);
});

const withKey = (key: string) => ({ "idempotency-key": key });
const createTask = (key: string | undefined, name = "T", agent = planner) =>
  call("POST", "/api/tasks", { key: agent.key, body: { name }, headers: key === undefined ? {} : withKey(key) });
const taskCount = async () => (await env.DB.prepare("select count(*) as n from task").first<{ n: number }>())!.n;

describe("Idempotency-Key", () => {
  it("replays the first response to a retry and changes nothing", async () => {
    const first = await createTask("k-1");
    expect(first.status).toBe(200);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const again = await createTask("k-1");
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("content-type")).toMatch(/application\/json/);
    expect(await taskCount()).toBe(1);
  });

  it("lets exactly one of ten concurrent identical requests run", async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => createTask("k-race")));
    expect(await taskCount()).toBe(1);
    const ok = results.filter((r) => r.status === 200);
    const busy = results.filter((r) => r.status !== 200);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const r of busy) expect(r).toMatchObject({ status: 409, body: { code: "request_in_progress" } });
    const firstBody = ok[0]!.body;
    for (const r of ok) expect(r.body).toEqual(firstBody);
    expect(ok.filter((r) => r.headers.get("idempotent-replayed") === null)).toHaveLength(1);
    const later = await createTask("k-race");
    expect(later).toMatchObject({ status: 200, body: firstBody });
    expect(later.headers.get("idempotent-replayed")).toBe("true");
    expect(await taskCount()).toBe(1);
    await expectInvariants();
  });

  it("replays a successful claim instead of answering illegal_transition", async () => {
    const taskId = (await createTask(undefined)).body.id;
    const sub = await call("POST", "/api/sub-tasks", { key: planner.key, body: { task_id: taskId, name: "S" } });
    expect(sub.status).toBe(200);
    const claim = () =>
      call("POST", `/api/sub-tasks/${sub.body.id}/claim`, { key: exec.key, headers: withKey("claim-1") });
    const first = await claim();
    expect(first.status).toBe(200);
    const retry = await claim();
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    // Without the key the same call is a real second claim, and illegal.
    const plain = await call("POST", `/api/sub-tasks/${sub.body.id}/claim`, { key: exec.key });
    expect(plain.status).toBe(409);
  });

  it("stores and replays error responses too (non-5xx)", async () => {
    const bad = await call("POST", "/api/tasks", {
      key: planner.key,
      body: { name: "x", type: "weekly" },
      headers: withKey("k-bad"),
    });
    expect(bad.status).toBe(400);
    const again = await call("POST", "/api/tasks", {
      key: planner.key,
      body: { name: "x", type: "weekly" },
      headers: withKey("k-bad"),
    });
    expect(again).toMatchObject({ status: 400, body: bad.body });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
  });

  it("runs again for a different key, and keys belong to one agent", async () => {
    await createTask("k-a", "A");
    await createTask("k-b", "B");
    expect(await taskCount()).toBe(2);
    const otherPlanner = await register("planner");
    const other = await createTask("k-a", "A", otherPlanner);
    expect(other.status).toBe(200);
    expect(other.headers.get("idempotent-replayed")).toBeNull();
    expect(await taskCount()).toBe(3);
  });

  it("refuses a key reused on another path or method", async () => {
    const first = await createTask("k-reuse");
    const otherPath = await call("POST", `/api/tasks/${first.body.id}/modules`, {
      key: planner.key,
      body: { name: "M" },
      headers: withKey("k-reuse"),
    });
    expect(otherPath).toMatchObject({ status: 409, body: { code: "idempotency_key_reused" } });
    const otherMethod = await call("PUT", `/api/tasks/${first.body.id}`, {
      key: planner.key,
      body: { name: "N" },
      headers: withKey("k-reuse"),
    });
    expect(otherMethod).toMatchObject({ status: 409, body: { code: "idempotency_key_reused" } });
    expect((await env.DB.prepare("select count(*) as n from module").first<{ n: number }>())!.n).toBe(0);
    expect((await env.DB.prepare("select name from task").first<{ name: string }>())!.name).toBe("T");
  });

  it("refuses a key reused with a different body and changes nothing; the same body replays", async () => {
    const first = await createTask("k-body", "A");
    expect(first.status).toBe(200);
    const before = await dbSnapshot();
    const otherBody = await createTask("k-body", "B");
    expect(otherBody).toMatchObject({
      status: 409,
      body: { code: "idempotency_key_reused", detail: expect.stringContaining("different body") },
    });
    expect(otherBody.headers.get("idempotent-replayed")).toBeNull();
    expect(await dbSnapshot()).toEqual(before);
    // Same JSON, other bytes: a retry sends the bytes it sent the first time, so this is another request.
    const respaced = await call("POST", "/api/tasks", {
      key: planner.key,
      rawBody: '{ "name": "A" }',
      headers: withKey("k-body"),
    });
    expect(respaced).toMatchObject({ status: 409, body: { code: "idempotency_key_reused" } });
    const same = await createTask("k-body", "A");
    expect(same).toMatchObject({ status: 200, body: first.body });
    expect(same.headers.get("idempotent-replayed")).toBe("true");
    expect(await taskCount()).toBe(1);
  });

  it("refuses a different body even while the first request is in flight", async () => {
    await env.DB.prepare(
      "insert into idempotency_key (agent_id, key, method, path, request_hash, status, body, created_at) values (?, 'k-flight', 'POST', '/api/tasks', 'not-this-body', null, null, ?)",
    )
      .bind(planner.id, new Date().toISOString())
      .run();
    expect(await createTask("k-flight")).toMatchObject({ status: 409, body: { code: "idempotency_key_reused" } });
    expect(await taskCount()).toBe(0);
  });

  it("replays a key stored before bodies were hashed (no hash) whatever the body, for retries across the deploy", async () => {
    await env.DB.prepare(
      "insert into idempotency_key (agent_id, key, method, path, request_hash, status, body, created_at) values (?, 'k-old', 'POST', '/api/tasks', null, 200, ?, ?)",
    )
      .bind(planner.id, JSON.stringify({ id: "from-before" }), new Date().toISOString())
      .run();
    const retry = await createTask("k-old", "anything");
    expect(retry).toMatchObject({ status: 200, body: { id: "from-before" } });
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(await taskCount()).toBe(0);
  });

  it("refuses a key longer than 200 characters and accepts 200", async () => {
    const long = await createTask("x".repeat(201));
    expect(long).toMatchObject({ status: 400, body: { code: "invalid_idempotency_key" } });
    expect(await taskCount()).toBe(0);
    expect((await createTask("x".repeat(200))).status).toBe(200);
  });

  it("ignores the header on GET", async () => {
    await createTask(undefined);
    const a = await call("GET", "/api/tasks", { key: planner.key, headers: withKey("k-get") });
    const b = await call("GET", "/api/tasks", { key: planner.key, headers: withKey("k-get") });
    expect(a.status).toBe(200);
    expect(b.headers.get("idempotent-replayed")).toBeNull();
    expect((await env.DB.prepare("select count(*) as n from idempotency_key").first<{ n: number }>())!.n).toBe(0);
  });

  it("housekeeping drops keys older than a day", async () => {
    const now = Date.parse("2026-11-28T12:00:00.000Z");
    const at = (ms: number) => new Date(now - ms).toISOString();
    const insert = env.DB.prepare(
      "insert into idempotency_key (agent_id, key, method, path, status, body, created_at) values (?, ?, 'POST', '/api/tasks', 200, '{}', ?)",
    );
    await env.DB.batch([
      insert.bind(planner.id, "old", at(25 * 3_600_000)),
      insert.bind(planner.id, "fresh", at(23 * 3_600_000)),
    ]);
    await worker.scheduled(createScheduledController({ scheduledTime: now, cron: "* * * * *" }), env);
    const keys = (
      await env.DB.prepare("select key from idempotency_key order by key").all<{ key: string }>()
    ).results.map((r) => r.key);
    expect(keys).toEqual(["fresh"]);
  });
});
