import { describe, expect, it } from "vitest";
import { call, env, initialize, register } from "./helpers";

async function enableFeed(on = true) {
  await env.DB.prepare(
    "insert into setting (key, value, updated_at) values ('webui.public_feed', ?, ?) on conflict(key) do update set value = excluded.value",
  )
    .bind(JSON.stringify(on), new Date().toISOString())
    .run();
}

interface LogRow {
  agentId: string;
  method?: string;
  path?: string;
  timestamp: string;
  body?: string | null;
  status?: number;
}

async function insertRequestLogs(rows: LogRow[]) {
  const names = new Map<string, { name: string; role: string }>();
  for (const r of rows) {
    if (!names.has(r.agentId)) {
      const a = await env.DB.prepare("select name, role from agent where id = ?")
        .bind(r.agentId)
        .first<{ name: string; role: string }>();
      names.set(r.agentId, a!);
    }
  }
  await env.DB.batch(
    rows.map((r) =>
      env.DB.prepare(
        "insert into request_log (id, timestamp, method, path, agent_id, agent_name, agent_role, request_body, response_status) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      ).bind(
        crypto.randomUUID(),
        r.timestamp,
        r.method ?? "GET",
        r.path ?? "/api/agents",
        r.agentId,
        names.get(r.agentId)!.name,
        names.get(r.agentId)!.role,
        r.body ?? null,
        r.status ?? 200,
      ),
    ),
  );
}

/** The request log is written after the response (waitUntil); wait until `n` rows exist. */
async function waitForRequestLogs(n: number) {
  for (let i = 0; i < 100; i++) {
    const row = await env.DB.prepare("select count(*) as n from request_log").first<{ n: number }>();
    if (row!.n >= n) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`request_log never reached ${n} rows`);
}

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

describe("feed switch", () => {
  it("reports the setting and answers 403 feed_disabled while off", async () => {
    await initialize();
    expect((await call("GET", "/api/feed/status")).body).toEqual({ enabled: false });
    for (const path of ["/api/feed/logs", "/api/feed/agents", "/api/feed/agent-summary"]) {
      const res = await call("GET", path);
      expect(res.status, path).toBe(403);
      expect(res.body.code).toBe("feed_disabled");
    }
    await enableFeed();
    expect((await call("GET", "/api/feed/status")).body).toEqual({ enabled: true });
    for (const path of ["/api/feed/logs", "/api/feed/agents", "/api/feed/agent-summary"]) {
      expect((await call("GET", path)).status, path).toBe(200);
    }
    await enableFeed(false);
    expect((await call("GET", "/api/feed/agents")).status).toBe(403);
  });
});

describe("GET /api/feed/logs", () => {
  it("shows agent calls recorded by the middleware, newest first, with every field", async () => {
    await initialize();
    await enableFeed();
    const a = await register("executor");
    await call("GET", "/api/agents", { key: a.key, query: { role: "executor" } });
    await call("POST", "/api/logs", { key: a.key, body: { action: "coding", summary: "测试 ✅ 🚀 日本語" } });
    await waitForRequestLogs(2);
    const res = await call("GET", "/api/feed/logs");
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(2);
    const [post, get] = res.body;
    expect(Object.keys(post).sort()).toEqual([
      "agent_id",
      "agent_name",
      "agent_role",
      "id",
      "method",
      "path",
      "request_body",
      "response_status",
      "timestamp",
    ]);
    expect(post).toMatchObject({
      method: "POST",
      path: "/api/logs",
      agent_id: a.id,
      agent_name: a.name,
      agent_role: "executor",
      response_status: 200,
    });
    expect(JSON.parse(post.request_body)).toEqual({ action: "coding", summary: "测试 ✅ 🚀 日本語" });
    expect(get).toMatchObject({
      method: "GET",
      path: "/api/agents",
      request_body: JSON.stringify({ role: "executor" }),
    });
    expect(post.timestamp >= get.timestamp).toBe(true);
  });

  it("never shows an API key, whatever field or text it was pasted into", async () => {
    await initialize();
    await enableFeed();
    const a = await register("executor");
    const other = await register("planner");
    await call("POST", "/api/logs", {
      key: a.key,
      body: { action: "coding", summary: `tried the key ${other.key} by mistake`, apiKey: other.key, key: "x" },
    });
    await call("GET", "/api/logs", { key: a.key, query: { action: other.key } });
    await waitForRequestLogs(2);
    const rows = (await call("GET", "/api/feed/logs")).body as { request_body: string }[];
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.request_body).not.toContain(other.key);
      expect(row.request_body).toContain("[redacted]");
    }
    expect(JSON.parse(rows.find((r) => r.request_body.includes("summary"))!.request_body)).toEqual({
      action: "coding",
      summary: "tried the key [redacted] by mistake",
      apiKey: "[redacted]",
      key: "[redacted]",
    });
  });

  it("filters by after (strictly newer), agent_id and limit", async () => {
    await initialize();
    await enableFeed();
    const a = await register("executor");
    const b = await register("planner");
    const t1 = "2026-01-01T10:00:00.000Z";
    const t2 = "2026-01-01T10:00:01.000Z";
    const t3 = "2026-01-01T10:00:02.000Z";
    await insertRequestLogs([
      { agentId: a.id, timestamp: t1, path: "/one" },
      { agentId: b.id, timestamp: t2, path: "/two" },
      { agentId: a.id, timestamp: t3, path: "/three" },
    ]);
    const paths = async (query: Record<string, string | number>) =>
      ((await call("GET", "/api/feed/logs", { query })).body as { path: string }[]).map((r) => r.path);
    expect(await paths({})).toEqual(["/three", "/two", "/one"]);
    expect(await paths({ after: t1 })).toEqual(["/three", "/two"]);
    expect(await paths({ after: t2 })).toEqual(["/three"]);
    expect(await paths({ after: t3 })).toEqual([]);
    // An offset or no zone at all (read as UTC) are accepted.
    expect(await paths({ after: "2026-01-01T11:00:00.500+01:00" })).toEqual(["/three", "/two"]);
    expect(await paths({ after: "2026-01-01T10:00:01" })).toEqual(["/three"]);
    expect(await paths({ agent_id: a.id })).toEqual(["/three", "/one"]);
    expect(await paths({ agent_id: a.id, after: t1 })).toEqual(["/three"]);
    expect(await paths({ limit: 2 })).toEqual(["/three", "/two"]);
  });

  it("defaults to 50 rows and answers 400 for a bad after or an out-of-range limit", async () => {
    await initialize();
    await enableFeed();
    const a = await register("executor");
    await insertRequestLogs(Array.from({ length: 60 }, (_, i) => ({ agentId: a.id, timestamp: ago(i * 1000) })));
    expect((await call("GET", "/api/feed/logs")).body).toHaveLength(50);
    expect((await call("GET", "/api/feed/logs", { query: { limit: 200 } })).body).toHaveLength(60);
    for (const query of [
      { after: "yesterday" },
      { after: "2026-13-01T00:00:00Z" },
      { after: `2026-01-01T00:00:00.${"1".repeat(70)}Z` },
      { limit: 0 },
      { limit: 201 },
      { limit: "x" },
      { agent_id: "a".repeat(65) },
    ]) {
      const res = await call("GET", "/api/feed/logs", { query });
      expect(res.status, JSON.stringify(query).slice(0, 60)).toBe(400);
      expect(res.body.code).toBe("invalid_input");
    }
  });
});

describe("a date alone as the after cursor (upstream clients send after=2020-01-01)", () => {
  it("means midnight UTC of that day on the public feed and the admin's request log", async () => {
    const admin = await initialize();
    await enableFeed();
    const a = await register("executor");
    await insertRequestLogs([
      { agentId: a.id, timestamp: "2019-12-31T23:59:59.999Z", path: "/before" },
      { agentId: a.id, timestamp: "2020-01-01T00:00:00.000Z", path: "/midnight" },
      { agentId: a.id, timestamp: "2020-01-01T00:00:00.001Z", path: "/just-after" },
      { agentId: a.id, timestamp: "2020-01-02T12:00:00.000Z", path: "/next-day" },
    ]);
    for (const [path, admin_] of [
      ["/api/feed/logs", undefined],
      ["/api/admin/request-logs", admin],
    ] as const) {
      const paths = async (after: string) => {
        const res = await call("GET", path, { admin: admin_, query: { after } });
        expect(res.status, `${path}?after=${after}`).toBe(200);
        return (res.body as { path: string }[]).map((r) => r.path);
      };
      // Strictly newer than midnight, exactly as the full timestamp of that midnight.
      expect(await paths("2020-01-01")).toEqual(["/next-day", "/just-after"]);
      expect(await paths("2020-01-01")).toEqual(await paths("2020-01-01T00:00:00Z"));
      expect(await paths("2020-01-02")).toEqual(["/next-day"]);
      expect(await paths("2019-12-31")).toEqual(["/next-day", "/just-after", "/midnight", "/before"]);
      for (const junk of ["yesterday", "2020-13-45", "2020-02-30", "2020-1-1", "20200101", "2020-01-01T"]) {
        const res = await call("GET", path, { admin: admin_, query: { after: junk } });
        expect(res.status, `${path}?after=${junk}`).toBe(400);
        expect(res.body.code).toBe("invalid_input");
      }
    }
  });
});

describe("GET /api/feed/agents", () => {
  it("lists agents by score with public fields only", async () => {
    await initialize();
    await enableFeed();
    const a = await register("executor");
    const b = await register("reviewer");
    await env.DB.prepare("update agent set total_score = 42 where id = ?").bind(b.id).run();
    const res = await call("GET", "/api/feed/agents");
    expect(res.status).toBe(200);
    expect(res.body.map((r: { id: string }) => r.id)).toEqual([b.id, a.id]);
    expect(Object.keys(res.body[0]).sort()).toEqual(["created_at", "id", "name", "role", "status", "total_score"]);
    expect(res.body[0]).toMatchObject({ name: b.name, role: "reviewer", status: "active", total_score: 42 });
    expect(JSON.stringify(res.body)).not.toContain("api_key");
  });
});

describe("GET /api/feed/agent-summary", () => {
  it("counts today's requests, submits and reviews, and shows the current sub-task", async () => {
    await initialize();
    await enableFeed();
    const exec = await register("executor");
    const rev = await register("reviewer");
    await env.DB.prepare("update agent set total_score = 9 where id = ?").bind(rev.id).run();
    const now = Date.now();
    const today = (ms: number) =>
      new Date(Math.max(now - ms, Date.parse(new Date(now).toISOString().slice(0, 10)))).toISOString();
    await insertRequestLogs([
      { agentId: exec.id, method: "POST", path: "/api/sub-tasks/s1/submit", timestamp: today(1), status: 200 },
      { agentId: exec.id, method: "POST", path: "/api/sub-tasks/s2/submit", timestamp: today(2), status: 409 },
      { agentId: exec.id, method: "GET", path: "/api/sub-tasks/s2/submit", timestamp: today(3) },
      { agentId: exec.id, method: "POST", path: "/api/sub-tasks/s3/submit", timestamp: ago(2 * 86_400_000) },
      { agentId: rev.id, method: "POST", path: "/api/review-records", timestamp: today(4) },
      { agentId: rev.id, method: "POST", path: "/api/review-records/extra", timestamp: today(5) },
    ]);
    const t = new Date(now).toISOString();
    await env.DB.batch([
      env.DB.prepare("insert into task (id, name, created_at, updated_at) values ('t1', 'Task', ?, ?)").bind(t, t),
      env.DB.prepare("insert into module (id, task_id, name, created_at) values ('m1', 't1', '模块 🚀', ?)").bind(t),
      env.DB.prepare(
        "insert into sub_task (id, task_id, module_id, name, status, assigned_agent, created_at, updated_at) values ('old', 't1', null, 'Older', 'in_progress', ?, ?, '2026-01-01T00:00:00.000Z')",
      ).bind(exec.id, t),
      env.DB.prepare(
        "insert into sub_task (id, task_id, module_id, name, status, assigned_agent, created_at, updated_at) values ('cur', 't1', 'm1', 'Current', 'in_progress', ?, ?, ?)",
      ).bind(exec.id, t, t),
      env.DB.prepare(
        "insert into sub_task (id, task_id, module_id, name, status, assigned_agent, created_at, updated_at) values ('rv', 't1', 'm1', 'Waiting', 'review', ?, ?, ?)",
      ).bind(rev.id, t, ago(-1000)),
    ]);
    const res = await call("GET", "/api/feed/agent-summary");
    expect(res.status).toBe(200);
    expect(res.body.map((r: { id: string }) => r.id)).toEqual([rev.id, exec.id]);
    const [r, e] = res.body;
    expect(e).toMatchObject({
      id: exec.id,
      name: exec.name,
      role: "executor",
      total_score: 0,
      today_request_count: 3,
      today_submit_count: 2,
      today_review_count: 0,
      current_sub_task: { id: "cur", name: "Current", module_name: "模块 🚀" },
    });
    expect(e.recent_actions).toHaveLength(4);
    expect(e.recent_actions[0]).toEqual({
      method: "POST",
      path: "/api/sub-tasks/s1/submit",
      request_body: null,
      response_status: 200,
      timestamp: today(1),
    });
    expect(r).toMatchObject({
      total_score: 9,
      today_request_count: 2,
      today_submit_count: 0,
      today_review_count: 1,
      current_sub_task: null,
    });
  });

  it("gives each agent its own five latest actions, however busy the others are", async () => {
    await initialize();
    await enableFeed();
    const busy = await register("executor");
    const quiet = await register("planner");
    const idle = await register("patrol");
    await insertRequestLogs([
      ...Array.from({ length: 40 }, (_, i) => ({ agentId: busy.id, timestamp: ago(i * 1000), path: `/busy/${i}` })),
      ...Array.from({ length: 3 }, (_, i) => ({
        agentId: quiet.id,
        timestamp: ago(3_600_000 + i * 1000),
        path: `/quiet/${i}`,
      })),
    ]);
    const res = await call("GET", "/api/feed/agent-summary");
    const by = new Map<string, { recent_actions: { path: string }[]; current_sub_task: unknown }>(
      res.body.map((a: { id: string }) => [a.id, a]),
    );
    expect(by.get(busy.id)!.recent_actions.map((a) => a.path)).toEqual([
      "/busy/0",
      "/busy/1",
      "/busy/2",
      "/busy/3",
      "/busy/4",
    ]);
    expect(by.get(quiet.id)!.recent_actions.map((a) => a.path)).toEqual(["/quiet/0", "/quiet/1", "/quiet/2"]);
    expect(by.get(idle.id)).toMatchObject({ recent_actions: [], current_sub_task: null, today_request_count: 0 });
  });

  it("is an empty array when there are no agents", async () => {
    await initialize();
    await enableFeed();
    expect((await call("GET", "/api/feed/agent-summary")).body).toEqual([]);
    expect((await call("GET", "/api/feed/agents")).body).toEqual([]);
    expect((await call("GET", "/api/feed/logs")).body).toEqual([]);
  });
});
