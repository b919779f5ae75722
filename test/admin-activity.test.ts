import { describe, expect, it } from "vitest";
import { call, env, initialize, register } from "./helpers";

async function requestLogRows(minimum: number) {
  for (let i = 0; i < 50; i++) {
    const n = (await env.DB.prepare("select count(*) n from request_log").first<{ n: number }>())!.n;
    if (n >= minimum) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("admin activity endpoints", () => {
  it("lists patrol records with filters, for admins only", async () => {
    const admin = await initialize();
    const [planner, exec, patrol] = await Promise.all([register("planner"), register("executor"), register("patrol")]);
    const task = (await call("POST", "/api/tasks", { key: planner.key, body: { name: "T" } })).body.id;
    const st = (
      await call("POST", "/api/sub-tasks", {
        key: planner.key,
        body: { task_id: task, name: "S", assigned_agent: exec.id },
      })
    ).body.id;
    await call("POST", "/api/patrol/records", {
      key: patrol.key,
      body: { type: "stuck", severity: "warning", sub_task_id: st, description: "slow" },
    });
    await call("POST", "/api/patrol/records", {
      key: patrol.key,
      body: { type: "score_drop", severity: "critical", agent_id: exec.id, description: "losing" },
    });
    const all = await call("GET", "/api/admin/patrol-records", { admin });
    expect(all.body).toMatchObject({ total: 2, page: 1, page_size: 20 });
    expect(all.body.items.map((r: { type: string }) => r.type)).toEqual(["score_drop", "stuck"]);
    const critical = await call("GET", "/api/admin/patrol-records", {
      admin,
      query: { severity: "critical", status: "open" },
    });
    expect(critical.body.items).toHaveLength(1);
    expect((await call("GET", "/api/admin/patrol-records", { admin, query: { severity: "fatal" } })).status).toBe(400);
    expect((await call("GET", "/api/admin/patrol-records", { key: planner.key })).status).toBe(401);
  });

  it("streams the request log to admins even while the public feed is off", async () => {
    const admin = await initialize();
    const planner = await register("planner");
    expect((await call("GET", "/api/feed/logs")).status).toBe(403);
    await call("GET", "/api/tasks", { key: planner.key });
    await requestLogRows(1);
    const first = await call("GET", "/api/admin/request-logs", { admin });
    expect(first.body).toHaveLength(1);
    expect(first.body[0]).toMatchObject({
      method: "GET",
      path: "/api/tasks",
      agent_id: planner.id,
      agent_name: planner.name,
    });
    await call("POST", "/api/tasks", { key: planner.key, body: { name: "later" } });
    await requestLogRows(2);
    const newer = await call("GET", "/api/admin/request-logs", { admin, query: { after: first.body[0].timestamp } });
    expect(newer.body.map((r: { method: string }) => r.method)).toEqual(["POST"]);
    expect((await call("GET", "/api/admin/request-logs", { admin, query: { after: "yesterday" } })).status).toBe(400);
  });

  it("shows the audit log of admin writes", async () => {
    const admin = await initialize();
    await call("PUT", "/api/admin/config", { admin, body: { project: { name: "Renamed" } } });
    await call("POST", "/api/admin/agents", { admin, body: { name: "made-by-admin", role: "executor" } });
    const log = await call("GET", "/api/admin/audit-log", { admin });
    expect(log.body.items.map((e: { action: string }) => e.action)).toEqual(["agent.create", "settings.update"]);
    expect(JSON.stringify(log.body)).not.toMatch(/ak_[0-9a-f]{32}/);
    const filtered = await call("GET", "/api/admin/audit-log", { admin, query: { action: "settings.update" } });
    expect(filtered.body.total).toBe(1);
    expect((await call("GET", "/api/admin/audit-log")).status).toBe(401);
  });
});
