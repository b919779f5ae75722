import { describe, expect, it } from "vitest";
import { dayKeys, rejectRate, zeroFill } from "../worker/db/dashboard-queries";
import { call, env, initialize, ok, register, type TestAgent } from "./helpers";

const D = "/api/admin/dashboard";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const midnight = () => `${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`;
const day = (offsetDays: number) => new Date(Date.parse(midnight()) - offsetDays * DAY).toISOString().slice(0, 10);
/** Noon UTC of a past day (never in the future, whatever the time of day). */
const noonOf = (offsetDays: number) => `${day(offsetDays)}T12:00:00.000Z`;

const run = (db: D1Database, statement: string, ...values: unknown[]) =>
  db
    .prepare(statement)
    .bind(...values)
    .run();

async function insertAgent(name: string, createdAt: string, status = "active", role = "executor"): Promise<string> {
  const id = crypto.randomUUID();
  await run(
    env.DB,
    "insert into agent (id, name, role, description, status, api_key_hash, total_score, created_at) values (?, ?, ?, '', ?, ?, 0, ?)",
    id,
    name,
    role,
    status,
    crypto.randomUUID(),
    createdAt,
  );
  return id;
}

async function insertSubTasks(
  taskId: string,
  rows: { agent: string | null; status: string; createdAt?: string; completedAt?: string | null }[],
) {
  for (const r of rows) {
    const at = r.createdAt ?? new Date().toISOString();
    await run(
      env.DB,
      "insert into sub_task (id, task_id, name, status, assigned_agent, created_at, updated_at, completed_at) values (?, ?, 'S', ?, ?, ?, ?, ?)",
      crypto.randomUUID(),
      taskId,
      r.status,
      r.agent,
      at,
      r.completedAt ?? at,
      r.completedAt ?? null,
    );
  }
}

const insertRequest = (agentId: string, at: string) =>
  run(
    env.DB,
    "insert into request_log (id, timestamp, method, path, agent_id) values (?, ?, 'GET', '/api/tasks', ?)",
    crypto.randomUUID(),
    at,
    agentId,
  );
const insertActivity = (agentId: string, at: string) =>
  run(
    env.DB,
    "insert into activity_log (id, agent_id, action, summary, created_at) values (?, ?, 'coding', '', ?)",
    crypto.randomUUID(),
    agentId,
    at,
  );
const insertReview = (result: string, at: string, score: number | null = 4) =>
  run(
    env.DB,
    "insert into review_record (id, sub_task_id, reviewer_agent, round, result, score, created_at) values (?, ?, 'r', 1, ?, ?, ?)",
    crypto.randomUUID(),
    crypto.randomUUID(),
    result,
    score,
    at,
  );
const insertReward = (delta: number, at: string) =>
  run(
    env.DB,
    "insert into reward_log (id, agent_id, reason, score_delta, created_at) values (?, 'a', 'x', ?, ?)",
    crypto.randomUUID(),
    delta,
    at,
  );

/** Request-log rows are written after the response (waitUntil): wait until `agents` agents have one. */
async function waitForRequestLogs(agents: number) {
  for (let i = 0; i < 100; i++) {
    const row = await env.DB.prepare("select count(distinct agent_id) as n from request_log").first<{ n: number }>();
    if (row!.n >= agents) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`request_log never covered ${agents} agents`);
}

interface Team {
  admin: string;
  planner: TestAgent;
  e1: TestAgent;
  e2: TestAgent;
  e3: TestAgent;
  reviewer: TestAgent;
  patrol: TestAgent;
}

/** Builds the known dataset through the API; see the expectations in the overview test. */
async function buildDataset(): Promise<Team & { ids: Record<string, string> }> {
  const admin = await initialize();
  const planner = await register("planner");
  const [e1, e2, e3] = [await register("executor"), await register("executor"), await register("executor")];
  const reviewer = await register("reviewer");
  const patrol = await register("patrol");
  await ok(call("PUT", `/api/agents/${e3.id}/status`, { admin, body: { status: "disabled" } }));

  const post = (who: TestAgent, path: string, body: unknown = {}) => ok(call("POST", path, { key: who.key, body }));
  const newTask = async (name: string) => (await post(planner, "/api/tasks", { name })).id as string;
  const t1 = await newTask("Main task 主任务");
  await newTask("Still planning");
  const t3 = await newTask("Dropped");
  const t4 = await newTask("Small task");
  await ok(call("PUT", `/api/tasks/${t1}/status`, { key: planner.key, body: { status: "active" } }));
  await post(planner, `/api/tasks/${t3}/cancel`);
  const ids: Record<string, string> = {};
  for (const [name, task] of [
    ["s1", t1],
    ["s2", t1],
    ["s3", t1],
    ["s4", t1],
    ["s5", t1],
    ["s6", t1],
    ["s7", t1],
    ["s9", t1],
    ["s8", t4],
  ] as const) {
    ids[name] = (await post(planner, "/api/sub-tasks", { task_id: task, name: `sub ${name} 🔧` })).id;
  }
  const work = async (who: TestAgent, id: string, until: "claim" | "start" | "submit") => {
    await post(who, `/api/sub-tasks/${id}/claim`);
    if (until === "claim") return;
    await post(who, `/api/sub-tasks/${id}/start`);
    if (until === "submit") await post(who, `/api/sub-tasks/${id}/submit`);
  };
  const review = (id: string, result: string, score: number) =>
    post(reviewer, "/api/review-records", {
      sub_task_id: id,
      result,
      score,
      issues: result === "rejected" ? "broken" : "",
    });
  await work(e1, ids.s1!, "submit");
  await review(ids.s1!, "approved", 5); // done, +5
  await work(e1, ids.s2!, "submit");
  await review(ids.s2!, "rejected", 2); // rework, -5
  await work(e2, ids.s3!, "submit"); // review
  await work(e2, ids.s4!, "claim");
  await post(patrol, `/api/sub-tasks/${ids.s4}/block`, { reason: "stuck" }); // blocked
  await work(e2, ids.s6!, "start"); // in_progress
  await post(planner, `/api/sub-tasks/${ids.s7}/cancel`); // cancelled
  await work(e1, ids.s9!, "claim"); // assigned
  await work(e1, ids.s8!, "submit");
  await review(ids.s8!, "approved", 4); // done, +5; t4 completes
  // Patrol records: one warning and one critical open, one resolved.
  const file = (type: string, severity: string, sub: string) =>
    post(patrol, "/api/patrol/records", { type, severity, sub_task_id: sub, description: `${type} 巡检` });
  await file("stuck", "warning", ids.s6!);
  await file("timeout", "critical", ids.s3!);
  const resolved = await file("orphan", "warning", ids.s5!);
  await post(patrol, `/api/patrol/records/${resolved.id}/resolve`, { note: "fine" });
  await waitForRequestLogs(5);
  return { admin, planner, e1, e2, e3, reviewer, patrol, ids };
}

describe("dashboard helpers (pure)", () => {
  it("lists UTC days oldest first, across month and year ends", () => {
    expect(dayKeys("2026-03-01T05:00:00.000Z", 3)).toEqual(["2026-02-27", "2026-02-28", "2026-03-01"]);
    expect(dayKeys("2027-01-01T00:00:00.000Z", 2)).toEqual(["2026-12-31", "2027-01-01"]);
    expect(dayKeys("2026-06-15T23:59:59.999Z", 1)).toEqual(["2026-06-15"]);
    expect(
      zeroFill(
        ["a", "b", "c"],
        [
          { day: "b", n: 2 },
          { day: "z", n: 9 },
        ],
        { n: 0 },
      ),
    ).toEqual([
      { date: "a", n: 0 },
      { date: "b", n: 2 },
      { date: "c", n: 0 },
    ]);
    expect([rejectRate(0, 0), rejectRate(1, 3), rejectRate(2, 3), rejectRate(3, 3)]).toEqual([0, 33.33, 66.67, 100]);
  });
});

describe("dashboard API: auth and parameters", () => {
  it("needs a live admin session", async () => {
    const admin = await initialize();
    const agent = await register("planner");
    for (const path of [`${D}/overview`, `${D}/highlights`, `${D}/trends`]) {
      expect((await call("GET", path)).body.code, path).toBe("missing_credentials");
      expect((await call("GET", path, { key: agent.key })).status, path).toBe(401);
      expect((await call("GET", path, { admin })).status, path).toBe(200);
    }
    await env.DB.prepare("update admin_session set expires_at = ?").bind(ago(1000)).run();
    for (const path of [`${D}/overview`, `${D}/highlights`, `${D}/trends`]) {
      const res = await call("GET", path, { admin });
      expect(res.status, path).toBe(401);
      expect(res.body.code).toBe("invalid_session");
    }
  });

  it("answers 400 outside limit 1..50, inactive_hours 1..720 and days 1..30", async () => {
    const admin = await initialize();
    for (const query of [
      { limit: 0 },
      { limit: 51 },
      { limit: "x" },
      { limit: 2.5 },
      { inactive_hours: 0 },
      { inactive_hours: 721 },
    ]) {
      const res = await call("GET", `${D}/highlights`, { admin, query });
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.code).toBe("invalid_input");
    }
    for (const days of [0, 31, -1, "week"])
      expect((await call("GET", `${D}/trends`, { admin, query: { days } })).status, String(days)).toBe(400);
    const edges = await ok(call("GET", `${D}/highlights`, { admin, query: { limit: 50, inactive_hours: 720 } }));
    expect([edges.limit, edges.inactive_hours]).toEqual([50, 720]);
    const defaults = await ok(call("GET", `${D}/highlights`, { admin }));
    expect([defaults.limit, defaults.inactive_hours]).toEqual([5, 24]);
    expect((await ok(call("GET", `${D}/trends`, { admin, query: { days: 30 } }))).review_trend).toHaveLength(30);
  });
});

describe("dashboard overview", () => {
  it("is all zeros on an empty database", async () => {
    const admin = await initialize();
    const body = await ok(call("GET", `${D}/overview`, { admin }));
    expect(body.core_cards).toEqual({
      open_task_count: 0,
      active_sub_task_count: 0,
      review_queue_count: 0,
      blocked_sub_task_count: 0,
      active_agent_count: 0,
      today_completed_sub_task_count: 0,
    });
    expect(body.secondary_cards).toEqual({
      disabled_agent_count: 0,
      today_review_count: 0,
      today_rejected_review_count: 0,
      today_reject_rate: 0,
      today_net_score_delta: 0,
    });
    expect(body.distributions.review_result_distribution_7d).toEqual({ approved: 0, rejected: 0 });
    expect(body.patrol).toEqual({ open_record_count: 0, open_by_severity: { warning: 0, critical: 0 } });
  });

  it("counts a known dataset exactly; older rows leave today's cards alone", async () => {
    const { admin } = await buildDataset();
    const body = await ok(call("GET", `${D}/overview`, { admin }));
    expect(body.generated_at).toMatch(/Z$/);
    expect(body.review_window_days).toBe(7);
    expect(body.core_cards).toEqual({
      open_task_count: 2,
      active_sub_task_count: 5,
      review_queue_count: 1,
      blocked_sub_task_count: 1,
      active_agent_count: 5,
      today_completed_sub_task_count: 2,
    });
    expect(body.secondary_cards).toEqual({
      disabled_agent_count: 1,
      today_review_count: 3,
      today_rejected_review_count: 1,
      today_reject_rate: 33.33,
      today_net_score_delta: 5,
    });
    expect(body.distributions).toEqual({
      task_status_distribution: { planning: 1, active: 0, in_progress: 1, completed: 1, archived: 0, cancelled: 1 },
      sub_task_status_distribution: {
        pending: 1,
        assigned: 1,
        in_progress: 1,
        review: 1,
        rework: 1,
        blocked: 1,
        done: 2,
        cancelled: 1,
      },
      agent_status_distribution: { active: 5, disabled: 1 },
      agent_role_distribution: { planner: 1, executor: 3, reviewer: 1, patrol: 1 },
      review_result_distribution_7d: { approved: 2, rejected: 1 },
    });
    expect(body.patrol).toEqual({ open_record_count: 2, open_by_severity: { warning: 1, critical: 1 } });

    // Before today (UTC) or outside the 7×24 h window; an unknown task status is ignored.
    const yesterday = new Date(Date.parse(midnight()) - HOUR).toISOString();
    const taskId = (await env.DB.prepare("select id from task limit 1").first<{ id: string }>())!.id;
    await insertSubTasks(taskId, [{ agent: null, status: "done", createdAt: ago(3 * DAY), completedAt: yesterday }]);
    await insertReview("approved", ago(3 * DAY));
    await insertReview("rejected", ago(8 * DAY));
    await insertReward(-20, yesterday);
    await run(
      env.DB,
      "insert into task (id, name, status, created_at, updated_at) values (?, 'odd', 'weird', ?, ?)",
      crypto.randomUUID(),
      yesterday,
      yesterday,
    );
    const later = await ok(call("GET", `${D}/overview`, { admin }));
    expect(later.core_cards).toEqual(body.core_cards);
    expect(later.secondary_cards).toEqual(body.secondary_cards);
    expect(later.distributions.review_result_distribution_7d).toEqual({ approved: 3, rejected: 1 });
    expect(later.distributions.sub_task_status_distribution.done).toBe(3);
    expect(later.distributions.task_status_distribution).toEqual(body.distributions.task_status_distribution);
  });
});

describe("dashboard highlights", () => {
  it("lists blocked and waiting sub-tasks, busy agents and the newest reviews from the dataset", async () => {
    const { admin, e1, e2, e3, reviewer, ids } = await buildDataset();
    const body = await ok(call("GET", `${D}/highlights`, { admin, query: { inactive_hours: 720 } }));
    expect(body.blocked_sub_tasks).toEqual([
      {
        id: ids.s4,
        task_id: expect.any(String),
        task_name: "Main task 主任务",
        name: "sub s4 🔧",
        status: "blocked",
        assigned_agent: e2.id,
        assigned_agent_name: e2.name,
        updated_at: expect.stringMatching(/Z$/),
        rework_count: 0,
      },
    ]);
    expect(body.pending_review_sub_tasks.map((s: { id: string }) => s.id)).toEqual([ids.s3]);
    expect(
      body.busy_agents.map((a: { id: string; open_sub_task_count: number }) => [a.id, a.open_sub_task_count]),
    ).toEqual([
      [e2.id, 3],
      [e1.id, 2],
    ]);
    expect(body.busy_agents[0]).toMatchObject({ name: e2.name, role: "executor", status: "active", total_score: 0 });
    expect(body.recent_reviews.map((r: { sub_task_id: string }) => r.sub_task_id)).toEqual([ids.s8, ids.s2, ids.s1]);
    expect(body.recent_reviews[1]).toEqual({
      id: expect.any(String),
      task_id: expect.any(String),
      task_name: "Main task 主任务",
      sub_task_id: ids.s2,
      sub_task_name: "sub s2 🔧",
      reviewer_agent: reviewer.id,
      reviewer_agent_name: reviewer.name,
      result: "rejected",
      score: 2,
      created_at: expect.stringMatching(/Z$/),
    });
    // Only the disabled executor never called (the others' request-log rows have landed).
    expect(body.low_activity_agents.map((a: { id: string }) => a.id)).toEqual([e3.id]);
  });

  it("orders busy and low-activity agents by the spec's rules", async () => {
    const admin = await initialize();
    const t0 = Date.now() - 10 * DAY;
    const created = (i: number) => new Date(t0 + i * 1000).toISOString();
    const [x, b, c, d, f, g, a, h, i] = [
      await insertAgent("X", created(0)),
      await insertAgent("B", created(1)),
      await insertAgent("C", created(2)),
      await insertAgent("D", created(3)),
      await insertAgent("F", created(4)),
      await insertAgent("G", created(5)),
      await insertAgent("A", created(6), "disabled"),
      await insertAgent("H", created(7)),
      await insertAgent("I", created(8)),
    ];
    const taskId = crypto.randomUUID();
    await run(
      env.DB,
      "insert into task (id, name, status, created_at, updated_at) values (?, 'T', 'in_progress', ?, ?)",
      taskId,
      created(0),
      created(0),
    );
    await insertSubTasks(taskId, [
      { agent: x, status: "in_progress" },
      { agent: x, status: "rework" },
      ...[a, g, f, d, c, b].map((agent) => ({ agent, status: "assigned" })),
      { agent: h, status: "done", completedAt: ago(HOUR) },
      { agent: i, status: "cancelled" },
      { agent: null, status: "pending" },
    ]);
    await insertRequest(b, ago(HOUR));
    await insertRequest(c, ago(2 * HOUR));
    await insertActivity(d, ago(10 * 60_000));
    await insertRequest(a, ago(1000));
    await insertActivity(x, ago(30 * HOUR));
    await insertRequest(h, ago(5 * HOUR));
    await insertActivity(h, ago(20 * HOUR));
    await insertRequest(i, ago(40 * HOUR));
    await insertActivity(i, ago(HOUR));

    const names = (list: { name: string }[]) => list.map((a) => a.name);
    const body = await ok(call("GET", `${D}/highlights`, { admin, query: { limit: 10, inactive_hours: 3 } }));
    expect(names(body.busy_agents)).toEqual(["X", "B", "C", "D", "F", "G", "A"]);
    expect(body.busy_agents.find((r: { name: string }) => r.name === "H")).toBeUndefined();
    expect(body.busy_agents[1]).toEqual({
      id: b,
      name: "B",
      role: "executor",
      status: "active",
      total_score: 0,
      open_sub_task_count: 1,
      last_request_at: expect.any(String),
      last_activity_at: null,
    });
    // Never seen (created order), then longest silent; last seen is the later of request and activity.
    expect(names(body.low_activity_agents)).toEqual(["F", "G", "X", "H"]);
    expect(body.low_activity_agents.map((r: { open_sub_task_count: number }) => r.open_sub_task_count)).toEqual([
      1, 1, 2, 0,
    ]);
    expect(body.low_activity_agents[3]).toMatchObject({
      last_request_at: expect.any(String),
      last_activity_at: expect.any(String),
    });
    const short = await ok(call("GET", `${D}/highlights`, { admin, query: { limit: 2, inactive_hours: 3 } }));
    expect([names(short.busy_agents), names(short.low_activity_agents)]).toEqual([
      ["X", "B"],
      ["F", "G"],
    ]);
    const wide = await ok(call("GET", `${D}/highlights`, { admin, query: { limit: 10, inactive_hours: 48 } }));
    expect(names(wide.low_activity_agents)).toEqual(["F", "G"]);
  });
});

describe("dashboard trends", () => {
  it("zero-fills every series over UTC days and leaves out older rows", async () => {
    const admin = await initialize();
    const taskId = crypto.randomUUID();
    await run(
      env.DB,
      "insert into task (id, name, status, created_at, updated_at) values (?, 'T', 'active', ?, ?)",
      taskId,
      noonOf(9),
      noonOf(9),
    );
    await insertSubTasks(taskId, [
      { agent: null, status: "pending", createdAt: noonOf(2) },
      { agent: null, status: "pending", createdAt: noonOf(2) },
      { agent: null, status: "done", createdAt: noonOf(5), completedAt: noonOf(1) },
      { agent: null, status: "done", createdAt: noonOf(2), completedAt: noonOf(2) },
      { agent: null, status: "pending", createdAt: new Date().toISOString() },
    ]);
    await insertReview("approved", noonOf(1));
    await insertReview("rejected", noonOf(1), null);
    await insertReview("approved", noonOf(3));
    for (const [delta, at] of [
      [5, noonOf(1)],
      [-5, noonOf(1)],
      [-3, noonOf(1)],
      [7, ago(0)],
      [9, noonOf(4)],
    ] as const) {
      await insertReward(delta, at);
    }
    const agentId = await insertAgent("R", noonOf(9));
    await insertRequest(agentId, noonOf(2));
    await insertRequest(agentId, ago(0));
    await insertRequest(agentId, noonOf(3));
    await insertActivity(agentId, noonOf(1));
    await insertActivity(agentId, noonOf(6));

    const body = await ok(call("GET", `${D}/trends`, { admin, query: { days: 3 } }));
    const dates = [day(2), day(1), day(0)];
    expect([body.days, body.start_date, body.end_date]).toEqual([3, day(2), day(0)]);
    const series = (counts: number[]) => dates.map((date, i) => ({ date, count: counts[i] }));
    expect(body.sub_task_created_trend).toEqual(series([3, 0, 1]));
    expect(body.sub_task_completed_trend).toEqual(series([1, 1, 0]));
    expect(body.review_trend).toEqual([
      { date: day(2), total: 0, approved: 0, rejected: 0 },
      { date: day(1), total: 2, approved: 1, rejected: 1 },
      { date: day(0), total: 0, approved: 0, rejected: 0 },
    ]);
    expect(body.score_delta_trend).toEqual([
      { date: day(2), positive_score_delta: 0, negative_score_delta: 0, net_score_delta: 0 },
      { date: day(1), positive_score_delta: 5, negative_score_delta: -8, net_score_delta: -3 },
      { date: day(0), positive_score_delta: 7, negative_score_delta: 0, net_score_delta: 7 },
    ]);
    expect(body.request_trend).toEqual(series([1, 0, 1]));
    expect(body.activity_trend).toEqual(series([0, 1, 0]));

    const week = await ok(call("GET", `${D}/trends`, { admin }));
    expect(week.days).toBe(7);
    expect(week.sub_task_created_trend.map((p: { date: string }) => p.date)).toEqual([6, 5, 4, 3, 2, 1, 0].map(day));
    expect(week.sub_task_created_trend.map((p: { count: number }) => p.count)).toEqual([0, 1, 0, 0, 3, 0, 1]);
    expect(week.activity_trend.map((p: { count: number }) => p.count)).toEqual([1, 0, 0, 0, 0, 1, 0]);
    const one = await ok(call("GET", `${D}/trends`, { admin, query: { days: 1 } }));
    expect([one.start_date, one.end_date, one.request_trend]).toEqual([day(0), day(0), [{ date: day(0), count: 1 }]]);
  });
});
