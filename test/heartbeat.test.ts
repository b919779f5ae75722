import { beforeEach, describe, expect, it } from "vitest";
import { call, env, initialize, register, type TestAgent } from "./helpers";

const MIN = 60_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

let admin: string;
let exec: TestAgent;

beforeEach(async () => {
  admin = await initialize();
  exec = await register("executor");
});

const heartbeat = (headers: Record<string, string> = {}, key = exec.key) =>
  call("POST", "/api/agents/me/heartbeat", { key, headers });
const stored = () =>
  env.DB.prepare("select last_heartbeat_at as at, last_heartbeat_ip as ip from agent where id = ?")
    .bind(exec.id)
    .first<{ at: string | null; ip: string | null }>();
const listed = async () => {
  const res = await call("GET", "/api/admin/agents", { admin });
  expect(res.status).toBe(200);
  return res.body.items.find((i: { id: string }) => i.id === exec.id);
};

describe("heartbeat", () => {
  it("records the time and the caller's IP and answers upstream dev's shape", async () => {
    const res = await heartbeat({
      "cf-connecting-ip": "203.0.113.7",
      "x-forwarded-for": "198.51.100.1",
      "x-real-ip": "192.0.2.9",
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["agent_id", "heartbeat_at", "heartbeat_ip", "message"]);
    expect(res.body).toMatchObject({ agent_id: exec.id, heartbeat_ip: "203.0.113.7" });
    expect(res.body.heartbeat_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(await stored()).toEqual({ at: res.body.heartbeat_at, ip: "203.0.113.7" });
  });

  it("falls back to the first X-Forwarded-For entry, then X-Real-IP, then none", async () => {
    expect(
      (await heartbeat({ "x-forwarded-for": " 198.51.100.1 , 10.0.0.1", "x-real-ip": "192.0.2.9" })).body.heartbeat_ip,
    ).toBe("198.51.100.1");
    expect((await stored())?.ip).toBe("198.51.100.1");
    expect((await heartbeat({ "x-real-ip": "192.0.2.9" })).body.heartbeat_ip).toBe("192.0.2.9");
    const none = await heartbeat();
    expect(none.body.heartbeat_ip).toBeNull();
    expect(await stored()).toEqual({ at: none.body.heartbeat_at, ip: null });
  });

  it("is open to every role and needs a valid key", async () => {
    for (const role of ["planner", "reviewer", "patrol"] as const) {
      const a = await register(role);
      expect((await heartbeat({}, a.key)).body.agent_id).toBe(a.id);
    }
    expect((await call("POST", "/api/agents/me/heartbeat")).status).toBe(401);
    expect((await heartbeat({}, "ak_wrong")).status).toBe(401);
  });

  it("makes the admin list and detail show the later of the last heartbeat and the last request", async () => {
    expect(await listed()).toMatchObject({ online: false, last_seen_at: null, last_request_at: null });

    const beat = ago(2 * MIN);
    await env.DB.prepare("update agent set last_heartbeat_at = ? where id = ?").bind(beat, exec.id).run();
    expect(await listed()).toMatchObject({ online: true, last_seen_at: beat, last_request_at: null });

    const request = ago(1 * MIN);
    await env.DB.prepare(
      "insert into request_log (id, timestamp, method, path, agent_id) values (?, ?, 'GET', '/api/tasks', ?)",
    )
      .bind(crypto.randomUUID(), request, exec.id)
      .run();
    expect(await listed()).toMatchObject({ online: true, last_seen_at: request, last_request_at: request });

    const later = ago(0);
    await env.DB.prepare("update agent set last_heartbeat_at = ? where id = ?").bind(later, exec.id).run();
    const detail = await call("GET", `/api/admin/agents/${exec.id}`, { admin });
    expect(detail.body).toMatchObject({ online: true, last_seen_at: later, last_request_at: request });

    // A stale heartbeat and an older request: offline, last seen at the heartbeat.
    const stale = ago(30 * MIN);
    await env.DB.batch([
      env.DB.prepare("update agent set last_heartbeat_at = ? where id = ?").bind(stale, exec.id),
      env.DB.prepare("update request_log set timestamp = ? where agent_id = ?").bind(ago(60 * MIN), exec.id),
    ]);
    expect(await listed()).toMatchObject({ online: false, last_seen_at: stale });
  });
});
