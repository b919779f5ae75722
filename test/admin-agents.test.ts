import { describe, expect, it } from "vitest";
import { denseRanks } from "../worker/domain/ranking";
import { type CallOptions, call, dbSnapshot, env, initialize, register, type TestAgent } from "./helpers";

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

async function setScore(a: TestAgent, score: number) {
  await env.DB.prepare("update agent set total_score = ? where id = ?").bind(score, a.id).run();
}

async function insertRequestLog(agentId: string, timestamp: string, method = "GET", path = "/api/sub-tasks/mine") {
  await env.DB.prepare(
    "insert into request_log (id, timestamp, method, path, agent_id, agent_name, agent_role, request_body, response_status) values (?, ?, ?, ?, ?, 'n', 'executor', null, 200)",
  )
    .bind(crypto.randomUUID(), timestamp, method, path, agentId)
    .run();
}

async function insertActivity(agentId: string, createdAt: string, action = "coding", subTaskId: string | null = null) {
  await env.DB.prepare(
    "insert into activity_log (id, agent_id, sub_task_id, action, summary, created_at) values (?, ?, ?, ?, 's', ?)",
  )
    .bind(crypto.randomUUID(), agentId, subTaskId, action, createdAt)
    .run();
}

let taskSeq = 0;
/** Sub-tasks in the given statuses, assigned to the agent, under one fresh task. */
async function insertSubTasks(agentId: string, statuses: string[]): Promise<string[]> {
  const now = new Date().toISOString();
  const taskId = `task-${++taskSeq}-${crypto.randomUUID().slice(0, 8)}`;
  const ids = statuses.map(() => crypto.randomUUID());
  await env.DB.batch([
    env.DB.prepare("insert into task (id, name, status, created_at, updated_at) values (?, 'T', 'active', ?, ?)").bind(
      taskId,
      now,
      now,
    ),
    ...statuses.map((status, i) =>
      env.DB.prepare(
        "insert into sub_task (id, task_id, name, status, assigned_agent, created_at, updated_at) values (?, ?, 'S', ?, ?, ?, ?)",
      ).bind(ids[i], taskId, status, agentId, now, now),
    ),
  ]);
  return ids;
}

async function insertReward(
  agentId: string,
  delta: number,
  createdAt = new Date().toISOString(),
  subTaskId: string | null = null,
) {
  await env.DB.prepare(
    "insert into reward_log (id, agent_id, sub_task_id, reason, score_delta, created_at) values (?, ?, ?, 'r', ?, ?)",
  )
    .bind(crypto.randomUUID(), agentId, subTaskId, delta, createdAt)
    .run();
}

const auditRows = async () =>
  (
    await env.DB.prepare("select action, target_type, target_id, detail from audit_log order by rowid").all<{
      action: string;
      target_type: string;
      target_id: string | null;
      detail: string;
    }>()
  ).results;

const expireSessions = () => env.DB.prepare("update admin_session set expires_at = '2000-01-01T00:00:00.000Z'").run();

const get = (admin: string, path: string, query?: CallOptions["query"]) => call("GET", path, { admin, query });

describe("admin agent endpoints need an admin session", () => {
  it("answer 401 without a token, with an agent key, and with an expired session; unknown ids are 404", async () => {
    const admin = await initialize();
    const a = await register("executor");
    const endpoints: [string, string, unknown?][] = [
      ["GET", "/api/admin/agents"],
      ["POST", "/api/admin/agents", { name: "n", role: "executor" }],
      ["GET", `/api/admin/agents/${a.id}`],
      ["PUT", `/api/admin/agents/${a.id}`, { name: "m" }],
      ["PUT", `/api/admin/agents/${a.id}/status`, { status: "disabled" }],
      ["POST", `/api/admin/agents/${a.id}/reset-key`],
      ["GET", `/api/admin/agents/${a.id}/related-counts`],
      ["DELETE", `/api/admin/agents/${a.id}`, { confirm_name: a.name }],
      ["GET", `/api/admin/agents/${a.id}/score-logs`],
      ["GET", `/api/admin/agents/${a.id}/activity-logs`],
      ["GET", `/api/admin/agents/${a.id}/request-logs`],
    ];
    const before = await dbSnapshot();
    for (const [method, path, body] of endpoints) {
      const none = await call(method, path, { body });
      expect([path, none.status, none.body.code]).toEqual([path, 401, "missing_credentials"]);
      expect((await call(method, path, { body, key: a.key })).status).toBe(401);
    }
    for (const [method, path, body] of endpoints.filter(([, path]) => path.includes(a.id))) {
      const unknown = await call(method, path.replace(a.id, "no-such-agent"), {
        admin,
        body: body && { ...(body as object), confirm_name: "x" },
      });
      expect([path, unknown.status, unknown.body.code]).toEqual([path, 404, "agent_not_found"]);
    }
    await expireSessions();
    for (const [method, path, body] of endpoints) {
      const expired = await call(method, path, { body, admin });
      expect([path, expired.status, expired.body.code]).toEqual([path, 401, "invalid_session"]);
    }
    expect(await dbSnapshot()).toEqual({ ...before, admin_session: (await dbSnapshot()).admin_session });
    expect(await auditRows()).toEqual([]);
  });
});

describe("GET /api/admin/agents", () => {
  it("ranks densely over all agents, counts open work, and reports last request, activity and presence", async () => {
    const admin = await initialize();
    const [a, b, c, d] = [
      await register("executor"),
      await register("planner"),
      await register("executor"),
      await register("reviewer"),
    ];
    await setScore(a, 10);
    await setScore(b, 30);
    await setScore(c, 10);
    await setScore(d, -5);
    await insertSubTasks(a.id, [
      "assigned",
      "in_progress",
      "in_progress",
      "review",
      "rework",
      "blocked",
      "done",
      "cancelled",
      "pending",
    ]);
    await insertRequestLog(a.id, ago(5 * MIN));
    await insertRequestLog(a.id, ago(3 * DAY));
    await insertRequestLog(c.id, ago(20 * MIN));
    await insertActivity(a.id, ago(2 * DAY));
    await insertActivity(a.id, ago(1 * MIN));

    const res = await get(admin, "/api/admin/agents", { sort_by: "total_score" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 4, page: 1, page_size: 20, total_pages: 1, has_more: false });
    const byId = Object.fromEntries(res.body.items.map((i: { id: string }) => [i.id, i]));
    expect(res.body.items.map((i: { rank: number }) => i.rank)).toEqual([1, 2, 2, 3]);
    expect(denseRanks([30, 10, 10, -5])).toEqual([1, 2, 2, 3]);
    // Ties on the sort key break by id ascending.
    expect(res.body.items.slice(1, 3).map((i: { id: string }) => i.id)).toEqual([a.id, c.id].sort());
    expect(Object.keys(byId[a.id]).sort()).toEqual(
      [
        "assigned_count",
        "blocked_count",
        "created_at",
        "description",
        "id",
        "in_progress_count",
        "last_activity_at",
        "last_request_at",
        "last_seen_at",
        "name",
        "online",
        "open_sub_task_count",
        "rank",
        "review_count",
        "role",
        "rework_count",
        "status",
        "total_score",
      ].sort(),
    );
    expect(byId[a.id]).toMatchObject({
      name: a.name,
      role: "executor",
      status: "active",
      total_score: 10,
      rank: 2,
      open_sub_task_count: 6,
      assigned_count: 1,
      in_progress_count: 2,
      review_count: 1,
      rework_count: 1,
      blocked_count: 1,
      online: true,
    });
    expect(byId[a.id].last_request_at).toBe(byId[a.id].last_seen_at);
    expect(Date.now() - Date.parse(byId[a.id].last_request_at)).toBeLessThan(6 * MIN);
    expect(Date.now() - Date.parse(byId[a.id].last_activity_at)).toBeLessThan(2 * MIN);
    expect(byId[c.id]).toMatchObject({ online: false, open_sub_task_count: 0, last_activity_at: null });
    expect(byId[d.id]).toMatchObject({ online: false, last_request_at: null, last_seen_at: null, rank: 3 });

    // Filters narrow the list but the rank stays the one over all agents.
    const reviewers = await get(admin, "/api/admin/agents", { role: "reviewer" });
    expect(reviewers.body.items.map((i: { id: string; rank: number }) => [i.id, i.rank])).toEqual([[d.id, 3]]);
    expect(reviewers.body.total).toBe(1);
    const ids = async (query: CallOptions["query"]) =>
      (await get(admin, "/api/admin/agents", query)).body.items.map((i: { id: string }) => i.id);
    expect((await ids({ last_request_within_days: 1 })).sort()).toEqual([a.id, c.id].sort());
    expect(await ids({ last_activity_within_days: 1 })).toEqual([a.id]);
    expect(await ids({ last_activity_within_days: 3 })).toEqual([a.id]);
    expect(await ids({ sort_by: "last_request_at", sort_order: "desc", role: "executor" })).toEqual([a.id, c.id]);
    expect(await ids({ sort_by: "last_activity_at", sort_order: "desc", last_activity_within_days: 5 })).toEqual([
      a.id,
    ]);
  });

  it("filters by status and keyword (case-insensitive, name or description), sorts and pages", async () => {
    const admin = await initialize();
    const names = ["Alpha-Builder", "beta", "Gamma", "delta", "Epsilon"];
    const agents: TestAgent[] = [];
    for (const n of names) agents.push(await register("executor", n));
    await env.DB.prepare("update agent set description = 'Speaks 中文 and BUILDS things' where name = 'Gamma'").run();
    await env.DB.prepare("update agent set status = 'disabled' where name = 'delta'").run();
    const list = (query: CallOptions["query"]) => get(admin, "/api/admin/agents", query);
    const namesOf = (res: { body: { items: { name: string }[] } }) => res.body.items.map((i) => i.name);

    expect(namesOf(await list({ keyword: "builder" }))).toEqual(["Alpha-Builder"]);
    expect(namesOf(await list({ keyword: "BUILD", sort_by: "name", sort_order: "asc" }))).toEqual([
      "Alpha-Builder",
      "Gamma",
    ]);
    expect(namesOf(await list({ keyword: "中文" }))).toEqual(["Gamma"]);
    expect(namesOf(await list({ status: "disabled" }))).toEqual(["delta"]);
    expect((await list({ keyword: "   " })).body.total).toBe(5);

    const page1 = await list({ sort_by: "name", sort_order: "asc", page_size: 2 });
    expect(namesOf(page1)).toEqual(["Alpha-Builder", "Epsilon"]);
    expect(page1.body).toMatchObject({ total: 5, page: 1, page_size: 2, total_pages: 3, has_more: true });
    const page3 = await list({ sort_by: "name", sort_order: "asc", page_size: 2, page: 3 });
    expect(namesOf(page3)).toEqual(["delta"]);
    expect(page3.body).toMatchObject({ total: 5, has_more: false });
    const beyond = await list({ page_size: 2, page: 9 });
    expect(beyond.body).toMatchObject({ items: [], total: 5, page: 9, total_pages: 3, has_more: false });
    const filteredBeyond = await list({ status: "disabled", page: 4 });
    expect(filteredBeyond.body).toMatchObject({ items: [], total: 1 });
    // Default sort: newest first.
    expect(namesOf(await list({}))[0]).toBe("Epsilon");
  });

  it("refuses bad filters with 400", async () => {
    const admin = await initialize();
    const bad: Record<string, string | number>[] = [
      { role: "ceo" },
      { status: "sleeping" },
      { sort_by: "nope" },
      { sort_order: "up" },
      { page_size: 0 },
      { page_size: 101 },
      { page: 0 },
      { page: "x" },
      { last_request_within_days: 0 },
      { last_activity_within_days: -1 },
      { keyword: "k".repeat(101) },
    ];
    for (const query of bad) {
      const res = await get(admin, "/api/admin/agents", query);
      expect([query, res.status, res.body.code]).toEqual([query, 400, "invalid_input"]);
    }
  });
});

describe("creating, editing and enabling agents", () => {
  it("creates an agent whose key is shown once and stored only as a hash, with one audit row", async () => {
    const admin = await initialize();
    const res = await call("POST", "/api/admin/agents", {
      admin,
      body: { name: "ops-bot", role: "patrol", description: "watches" },
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["api_key", "id", "message", "name", "role"]);
    expect(res.body.api_key).toMatch(/^ak_[0-9a-f]{32}$/);
    const stored = await env.DB.prepare("select * from agent where id = ?")
      .bind(res.body.id)
      .first<Record<string, unknown>>();
    expect(JSON.stringify(stored)).not.toContain(res.body.api_key);
    expect((await call("GET", "/api/agents", { key: res.body.api_key })).status).toBe(200);
    const audit = await auditRows();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "agent.create", target_type: "agent", target_id: res.body.id });
    expect(JSON.parse(audit[0]!.detail)).toEqual({ name: "ops-bot", role: "patrol" });
    expect(audit[0]!.detail).not.toContain(res.body.api_key);
    // Shown once: nothing else returns it.
    expect(JSON.stringify((await get(admin, `/api/admin/agents/${res.body.id}`)).body)).not.toContain(res.body.api_key);

    const before = await dbSnapshot();
    const dup = await call("POST", "/api/admin/agents", { admin, body: { name: "ops-bot", role: "executor" } });
    expect([dup.status, dup.body.code]).toEqual([409, "name_taken"]);
    expect((await call("POST", "/api/admin/agents", { admin, body: { name: "x", role: "ceo" } })).status).toBe(400);
    expect(await dbSnapshot()).toEqual(before);
    expect(await auditRows()).toHaveLength(1);
  });

  it("the legacy admin paths write audit rows too", async () => {
    const admin = await initialize();
    const created = await call("POST", "/api/agents", { admin, body: { name: "legacy", role: "executor" } });
    expect(created.status).toBe(200);
    const status = await call("PUT", `/api/agents/${created.body.id}/status`, { admin, body: { status: "disabled" } });
    expect(status.body).toMatchObject({ id: created.body.id, status: "disabled", total_score: 0 });
    expect((await call("PUT", "/api/agents/nope/status", { admin, body: { status: "active" } })).status).toBe(404);
    expect((await call("POST", "/api/agents", { admin, body: { name: "legacy", role: "executor" } })).status).toBe(409);
    expect((await auditRows()).map((r) => r.action)).toEqual(["agent.create", "agent.status"]);
  });

  it("renames, changes role and description; duplicate names are 409 and leave nothing", async () => {
    const admin = await initialize();
    const a = await register("executor");
    const b = await register("executor");
    const put = (id: string, body: unknown) => call("PUT", `/api/admin/agents/${id}`, { admin, body });

    const renamed = await put(a.id, { name: "  Renamed  ", role: "reviewer", description: "now reviews" });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toEqual({
      id: a.id,
      name: "Renamed",
      role: "reviewer",
      description: "now reviews",
      status: "active",
      total_score: 0,
    });
    // The key stays the same and the new role applies at once.
    expect((await call("POST", "/api/tasks", { key: a.key, body: { name: "t" } })).status).toBe(403);
    // Empty or null name/role are ignored.
    expect((await put(a.id, { name: "", role: null, description: "d2" })).body).toMatchObject({
      name: "Renamed",
      role: "reviewer",
      description: "d2",
    });
    // Renaming to its own name is fine.
    expect((await put(a.id, { name: "Renamed" })).status).toBe(200);
    expect((await auditRows()).map((r) => r.action)).toEqual(["agent.update", "agent.update", "agent.update"]);
    expect(JSON.parse((await auditRows())[0]!.detail)).toEqual({
      name: { from: a.name, to: "Renamed" },
      role: "reviewer",
      description_changed: true,
    });

    const before = await dbSnapshot();
    const dup = await put(b.id, { name: "Renamed" });
    expect([dup.status, dup.body.code]).toEqual([409, "name_taken"]);
    expect((await put("nope", { name: "z" })).status).toBe(404);
    expect((await put(b.id, {})).body.code).toBe("nothing_to_update");
    expect((await put(b.id, { role: "ceo" })).status).toBe(400);
    expect((await put(b.id, { name: "n".repeat(101) })).status).toBe(400);
    expect(await dbSnapshot()).toEqual(before);
    expect(await auditRows()).toHaveLength(3);
  });

  it("disables and re-enables an agent; a disabled agent is refused at once", async () => {
    const admin = await initialize();
    const a = await register("executor");
    const off = await call("PUT", `/api/admin/agents/${a.id}/status`, { admin, body: { status: "disabled" } });
    expect(off.body).toEqual({
      id: a.id,
      name: a.name,
      role: "executor",
      description: "executor for tests",
      status: "disabled",
      total_score: 0,
    });
    expect((await call("GET", "/api/agents", { key: a.key })).status).toBe(403);
    expect(
      (await call("PUT", `/api/admin/agents/${a.id}/status`, { admin, body: { status: "active" } })).body.status,
    ).toBe("active");
    expect((await call("GET", "/api/agents", { key: a.key })).status).toBe(200);
    expect((await call("PUT", `/api/admin/agents/${a.id}/status`, { admin, body: { status: "offline" } })).status).toBe(
      400,
    );
    expect((await call("PUT", "/api/admin/agents/nope/status", { admin, body: { status: "active" } })).status).toBe(
      404,
    );
    const audit = await auditRows();
    expect(audit.map((r) => [r.action, JSON.parse(r.detail).status])).toEqual([
      ["agent.status", "disabled"],
      ["agent.status", "active"],
    ]);
  });

  it("reset-key: the new key works, the old one stops at once, and no key reaches the audit log", async () => {
    const admin = await initialize();
    const a = await register("executor");
    expect((await call("GET", "/api/agents", { key: a.key })).status).toBe(200);
    const res = await call("POST", `/api/admin/agents/${a.id}/reset-key`, { admin });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["agent_id", "message", "new_api_key"]);
    expect(res.body.agent_id).toBe(a.id);
    expect(res.body.new_api_key).toMatch(/^ak_[0-9a-f]{32}$/);
    const old = await call("GET", "/api/agents", { key: a.key });
    expect([old.status, old.body.code]).toEqual([401, "invalid_api_key"]);
    expect((await call("GET", "/api/agents", { key: res.body.new_api_key })).status).toBe(200);
    const stored = await env.DB.prepare("select api_key_hash from agent where id = ?")
      .bind(a.id)
      .first<{ api_key_hash: string }>();
    expect(stored!.api_key_hash).not.toContain(res.body.new_api_key);
    const audit = await auditRows();
    expect(audit.map((r) => r.action)).toEqual(["agent.reset_key"]);
    expect(JSON.stringify(audit)).not.toContain(res.body.new_api_key);
    expect(JSON.stringify(audit)).not.toContain(stored!.api_key_hash);
  });
});

describe("agent detail, related counts and deletion", () => {
  it("shows the list item plus totals", async () => {
    const admin = await initialize();
    const a = await register("executor");
    await register("planner");
    await insertSubTasks(a.id, ["done", "done", "cancelled", "in_progress"]);
    await insertReward(a.id, 5);
    await insertReward(a.id, 5);
    await insertReward(a.id, -5);
    await setScore(a, 5);
    const res = await get(admin, `/api/admin/agents/${a.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: a.id,
      name: a.name,
      rank: 1,
      total_score: 5,
      open_sub_task_count: 1,
      in_progress_count: 1,
      online: false,
      total_agents: 2,
      done_count: 2,
      cancelled_count: 1,
      reward_count: 2,
      penalty_count: 1,
      total_reward_records: 3,
    });
    expect((await get(admin, "/api/admin/agents/nope")).status).toBe(404);
  });

  it("counts related rows; refuses to delete while work is open, then deletes and keeps history", async () => {
    const admin = await initialize();
    const a = await register("executor");
    const rev = await register("reviewer");
    const [open] = await insertSubTasks(a.id, ["in_progress", "done"]);
    await insertReward(a.id, 5, undefined, open!);
    await insertActivity(a.id, ago(MIN));
    await insertRequestLog(a.id, ago(MIN));
    await insertRequestLog(a.id, ago(2 * MIN));
    await insertRequestLog(rev.id, ago(MIN));
    await env.DB.prepare(
      "insert into review_record (id, sub_task_id, reviewer_agent, round, result, score, created_at) values ('rv1', ?, ?, 1, 'approved', 5, ?)",
    )
      .bind(open!, rev.id, ago(MIN))
      .run();
    await env.DB.prepare(
      "insert into patrol_record (id, type, severity, sub_task_id, agent_id, description, created_at) values ('p1', 'stuck', 'warning', ?, ?, 'd', ?)",
    )
      .bind(open!, a.id, ago(MIN))
      .run();

    const counts = await get(admin, `/api/admin/agents/${a.id}/related-counts`);
    expect(counts.body).toEqual({
      agent_id: a.id,
      agent_name: a.name,
      sub_task_count: 2,
      open_sub_task_count: 1,
      review_count: 0,
      reward_count: 1,
      activity_count: 1,
      patrol_count: 1,
      request_count: 2,
    });
    expect((await get(admin, `/api/admin/agents/${rev.id}/related-counts`)).body).toMatchObject({
      review_count: 1,
      request_count: 1,
    });

    const del = (id: string, confirm_name: unknown) =>
      call("DELETE", `/api/admin/agents/${id}`, { admin, body: { confirm_name } });
    const before = await dbSnapshot();
    const refused = await del(a.id, a.name);
    expect([refused.status, refused.body.code]).toEqual([409, "agent_has_open_work"]);
    expect((await del(a.id, "wrong")).body.code).toBe("confirm_name_mismatch");
    expect((await del(a.id, a.name.toUpperCase())).status).toBe(400);
    expect((await call("DELETE", `/api/admin/agents/${a.id}`, { admin })).status).toBe(400);
    expect((await del("nope", "x")).status).toBe(404);
    expect(await dbSnapshot()).toEqual(before);
    expect(await auditRows()).toEqual([]);

    // Once the work is closed the delete goes through.
    await env.DB.prepare("update sub_task set status = 'cancelled' where id = ?").bind(open!).run();
    const done = await del(a.id, a.name);
    expect(done.status).toBe(200);
    expect(done.body).toEqual({
      message: expect.stringContaining("deleted"),
      agent_name: a.name,
      sub_task_count: 2,
      review_count: 0,
      reward_count: 1,
      activity_count: 1,
      patrol_count: 1,
      request_count: 2,
    });
    const left = async (sql: string) => (await env.DB.prepare(sql).bind(a.id).first<{ n: number }>())!.n;
    expect(await left("select count(*) n from agent where id = ?")).toBe(0);
    expect(await left("select count(*) n from request_log where agent_id = ?")).toBe(0);
    expect(await left("select count(*) n from reward_log where agent_id = ?")).toBe(1);
    expect(await left("select count(*) n from activity_log where agent_id = ?")).toBe(1);
    expect(await left("select count(*) n from patrol_record where agent_id = ?")).toBe(1);
    expect(await left("select count(*) n from sub_task where assigned_agent = ?")).toBe(2);
    expect((await env.DB.prepare("select count(*) n from request_log").first<{ n: number }>())!.n).toBe(1);
    expect((await env.DB.prepare("select count(*) n from review_record").first<{ n: number }>())!.n).toBe(1);
    expect((await call("GET", "/api/agents", { key: a.key })).status).toBe(401);
    expect((await get(admin, `/api/admin/agents/${a.id}`)).status).toBe(404);
    const audit = await auditRows();
    expect(audit.map((r) => [r.action, r.target_id])).toEqual([["agent.delete", a.id]]);
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ name: a.name, request_count: 2 });
    expect((await del(a.id, a.name)).status).toBe(404);
  });
});

describe("an agent's ledger, activity and requests", () => {
  it("pages the score ledger with filters and order", async () => {
    const admin = await initialize();
    const a = await register("executor");
    const other = await register("executor");
    for (let i = 0; i < 5; i++)
      await insertReward(a.id, i % 2 ? -5 : 5, `2026-01-0${i + 1}T00:00:00.000Z`, i === 0 ? "st-1" : null);
    await insertReward(other.id, 5);
    const path = `/api/admin/agents/${a.id}/score-logs`;
    const res = await get(admin, path, { page_size: 2 });
    expect(res.body).toMatchObject({ total: 5, page_size: 2, total_pages: 3, has_more: true });
    expect(res.body.items.map((r: { created_at: string }) => r.created_at)).toEqual([
      "2026-01-05T00:00:00.000Z",
      "2026-01-04T00:00:00.000Z",
    ]);
    expect(Object.keys(res.body.items[0]).sort()).toEqual([
      "agent_id",
      "created_at",
      "id",
      "reason",
      "score_delta",
      "sub_task_id",
    ]);
    expect((await get(admin, path, { sort_order: "asc" })).body.items[0].created_at).toBe("2026-01-01T00:00:00.000Z");
    expect((await get(admin, path, { sub_task_id: "st-1" })).body.total).toBe(1);
    expect((await get(admin, path, { sort_order: "sideways" })).status).toBe(400);
    expect((await get(admin, path, { page_size: 101 })).status).toBe(400);
  });

  it("pages activity, newest first, by action, sub-task and days", async () => {
    const admin = await initialize();
    const a = await register("executor");
    await insertActivity(a.id, ago(10 * DAY), "plan");
    await insertActivity(a.id, ago(2 * DAY), "coding", "st-9");
    await insertActivity(a.id, ago(MIN), "coding");
    const path = `/api/admin/agents/${a.id}/activity-logs`;
    const all = await get(admin, path);
    expect(all.body.total).toBe(3);
    expect(all.body.items.map((r: { action: string }) => r.action)).toEqual(["coding", "coding", "plan"]);
    expect((await get(admin, path, { action: "coding" })).body.total).toBe(2);
    expect((await get(admin, path, { days: 3 })).body.total).toBe(2);
    expect((await get(admin, path, { sub_task_id: "st-9" })).body.total).toBe(1);
    expect((await get(admin, path, { days: 0 })).status).toBe(400);
  });

  it("pages request logs by method (trimmed, any case), path keyword and days", async () => {
    const admin = await initialize();
    const a = await register("executor");
    await insertRequestLog(a.id, ago(3 * DAY), "POST", "/api/sub-tasks/x/claim");
    await insertRequestLog(a.id, ago(2 * MIN), "GET", "/api/Sub-Tasks/mine");
    await insertRequestLog(a.id, ago(MIN), "POST", "/api/logs");
    const path = `/api/admin/agents/${a.id}/request-logs`;
    const all = await get(admin, path);
    expect(all.body.total).toBe(3);
    expect(Object.keys(all.body.items[0]).sort()).toEqual([
      "id",
      "method",
      "path",
      "request_body",
      "response_status",
      "timestamp",
    ]);
    expect(all.body.items[0].path).toBe("/api/logs");
    expect((await get(admin, path, { method: " post " })).body.total).toBe(2);
    expect((await get(admin, path, { path_keyword: "SUB-TASKS" })).body.total).toBe(2);
    expect((await get(admin, path, { days: 1 })).body.total).toBe(2);
    expect((await get(admin, path, { method: "TRACE" })).status).toBe(400);
  });
});
