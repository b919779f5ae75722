// GET /api/tasks/{task_id}/rounds (newest slot first, with each round's sub-task counts, a status
// filter, paging, who may read it), GET /api/sub-tasks?round_id=, and POST …/rounds, which starts a
// round now under the schedule's policy (docs/recurring.md).
import { beforeEach, describe, expect, it } from "vitest";
import { call, env, initialize, ok, register, snapshotAllTables, type TestAgent } from "./helpers";
import { expectInvariants } from "./invariants";
import { type SeededRound, seedRecurringTask } from "./round-seed";

let admin: string;
let planner: TestAgent;
let executor: TestAgent;
let taskId: string;
let rounds: SeededRound[];

beforeEach(async () => {
  admin = await initialize();
  planner = await register("planner");
  executor = await register("executor");
});

/** Rounds in every state, sub-tasks in many (counts only: these sub-tasks have no event history). */
async function seedMixed(): Promise<void> {
  ({ taskId, rounds } = await seedRecurringTask(planner, [
    { status: "done", subTasks: ["done", "done", "cancelled"] },
    { status: "skipped" },
    { status: "open", subTasks: ["done", "pending", "in_progress", "review"] },
  ]));
}

const list = (query: Record<string, string | number> = {}, key = executor.key) =>
  call("GET", `/api/tasks/${taskId}/rounds`, { key, query });

describe("GET /api/tasks/{task_id}/rounds", () => {
  beforeEach(seedMixed);

  it("lists every round newest slot first, with its fields and how far its sub-tasks got", async () => {
    const res = await list();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 3, page: 1, has_more: false });
    const [open, skipped, done] = res.body.items;
    expect(res.body.items.map((r: { id: string }) => r.id)).toEqual([rounds[2]!.id, rounds[1]!.id, rounds[0]!.id]);
    expect(Object.keys(open).sort()).toEqual(
      [
        "completed_at",
        "created_at",
        "id",
        "missed",
        "round_key",
        "round_no",
        "scheduled_for",
        "skip_reason",
        "status",
        "sub_tasks",
        "task_id",
      ].sort(),
    );
    expect(open).toMatchObject({
      task_id: taskId,
      round_no: 2,
      round_key: rounds[2]!.key,
      scheduled_for: rounds[2]!.scheduledFor,
      status: "open",
      skip_reason: null,
      missed: 0,
      completed_at: null,
      sub_tasks: { total: 4, done: 1, open: 3 },
    });
    expect(skipped).toMatchObject({
      round_no: null,
      status: "skipped",
      skip_reason: "previous_unfinished",
      sub_tasks: { total: 0, done: 0, open: 0 },
    });
    expect(done).toMatchObject({ round_no: 1, status: "done", sub_tasks: { total: 3, done: 2, open: 0 } });
    expect(done.completed_at).toEqual(expect.any(String));
  });

  it("filters by status and refuses an unknown one (400, code invalid_input)", async () => {
    const open = await list({ status: "open" });
    expect(open.body.items.map((r: { id: string }) => r.id)).toEqual([rounds[2]!.id]);
    expect(open.body.total).toBe(1);
    expect((await list({ status: "cancelled" })).body).toMatchObject({ items: [], total: 0 });
    const bad = await list({ status: "finished" });
    expect([bad.status, bad.body.code]).toEqual([400, "invalid_input"]);
  });

  it("pages: page_size 2 gives two pages, past the end an empty page with the total", async () => {
    const first = await list({ page: 1, page_size: 2 });
    expect(first.body).toMatchObject({ total: 3, page: 1, page_size: 2, total_pages: 2, has_more: true });
    expect(first.body.items.map((r: { id: string }) => r.id)).toEqual([rounds[2]!.id, rounds[1]!.id]);
    const second = await list({ page: 2, page_size: 2 });
    expect(second.body).toMatchObject({ total: 3, page: 2, has_more: false });
    expect(second.body.items.map((r: { id: string }) => r.id)).toEqual([rounds[0]!.id]);
    expect((await list({ page: 5, page_size: 2 })).body).toMatchObject({ items: [], total: 3 });
  });

  it("lists only the task's own rounds", async () => {
    const other = await seedRecurringTask(planner, [{ status: "open", subTasks: ["pending"] }]);
    const res = await call("GET", `/api/tasks/${other.taskId}/rounds`, { key: executor.key });
    expect(res.body.items.map((r: { id: string }) => r.id)).toEqual([other.rounds[0]!.id]);
    expect((await list()).body.total).toBe(3);
    // The schedule counts its own open rounds too, not every task's.
    const schedule = await call("GET", `/api/tasks/${other.taskId}/schedule`, { key: executor.key });
    expect([schedule.status, schedule.body.open_rounds]).toEqual([200, 1]);
  });

  it("answers every agent role and the admin; 401 without credentials; 404 task_not_found for an unknown task", async () => {
    for (const role of ["planner", "executor", "reviewer", "patrol"] as const) {
      const agent = await register(role);
      const res = await list({}, agent.key);
      expect([role, res.status, res.body.total]).toEqual([role, 200, 3]);
    }
    const asAdmin = await call("GET", `/api/tasks/${taskId}/rounds`, { admin });
    expect([asAdmin.status, asAdmin.body.total]).toEqual([200, 3]);
    expect((await call("GET", `/api/tasks/${taskId}/rounds`)).status).toBe(401);
    const unknown = await call("GET", "/api/tasks/no-such-task/rounds", { key: executor.key });
    expect([unknown.status, unknown.body.code]).toEqual([404, "task_not_found"]);
    expect(unknown.body.hint).toEqual(expect.any(String));
  });
});

describe("GET /api/sub-tasks?round_id=", () => {
  beforeEach(seedMixed);

  it("lists exactly one round's sub-tasks, combined with the other filters", async () => {
    const ids = async (query: Record<string, string>) => {
      const res = await call("GET", "/api/sub-tasks", { key: executor.key, query });
      expect(res.status).toBe(200);
      return res.body.items.map((s: { id: string }) => s.id).sort();
    };
    expect(await ids({ round_id: rounds[2]!.id })).toEqual([...rounds[2]!.subTaskIds].sort());
    expect(await ids({ round_id: rounds[0]!.id })).toEqual([...rounds[0]!.subTaskIds].sort());
    expect(await ids({ round_id: rounds[2]!.id, status: "pending" })).toEqual([rounds[2]!.subTaskIds[1]]);
    expect(await ids({ round_id: rounds[2]!.id, task_id: "another-task" })).toEqual([]);
    expect(await ids({ round_id: "no-such-round" })).toEqual([]);
    // Without the filter the task lists every round's sub-tasks.
    expect(await ids({ task_id: taskId })).toHaveLength(7);
  });

  it("shows the round marker in recurring_config of a round sub-task", async () => {
    const res = await call("GET", "/api/sub-tasks", { key: executor.key, query: { round_id: rounds[0]!.id } });
    for (const item of res.body.items)
      expect(item.recurring_config).toMatchObject({ round_id: rounds[0]!.id, round_no: 1, key: "collect" });
  });
});

describe("POST /api/tasks/{task_id}/rounds (start a round now)", () => {
  // A task whose sub-tasks all have their event history, so the invariant checker applies.
  beforeEach(async () => {
    ({ taskId, rounds } = await seedRecurringTask(planner, [
      { status: "cancelled", subTasks: ["cancelled"] },
      { status: "skipped" },
      { status: "open", subTasks: ["pending"] },
    ]));
  });
  const start = (id = taskId, opts: { key?: string; admin?: string; headers?: Record<string, string> } = {}) =>
    call("POST", `/api/tasks/${id}/rounds`, { key: opts.admin ? undefined : (opts.key ?? planner.key), ...opts });
  const setPolicy = (path: string, value: number | string) =>
    env.DB.prepare("update task_schedule set config = json_set(config, ?, ?) where task_id = ?")
      .bind(path, value, taskId)
      .run();

  it("creates the next numbered round from the template at once, keyed manual:, leaving the next run alone", async () => {
    const nextRun = new Date(Date.now() + 86_400_000).toISOString();
    await env.DB.prepare("update task_schedule set next_run_at = ? where task_id = ?").bind(nextRun, taskId).run();
    const res = await start();
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      task_id: taskId,
      round_no: 3,
      status: "open",
      missed: 0,
      skip_reason: null,
      sub_tasks: { total: 1, done: 0, open: 1 },
    });
    expect(res.body.round_key).toMatch(/^manual:[0-9a-f-]{36}$/);
    const schedule = await env.DB.prepare(
      "select next_run_at, rounds_created, status from task_schedule where task_id = ?",
    )
      .bind(taskId)
      .first();
    expect(schedule).toEqual({ next_run_at: nextRun, rounds_created: 3, status: "active" });
    const made = await call("GET", "/api/sub-tasks", { key: executor.key, query: { round_id: res.body.id } });
    expect(made.body.items).toHaveLength(1);
    // {date} is the slot's local date in the schedule's zone (UTC here): the round starts now.
    expect(made.body.items[0]).toMatchObject({
      name: `Collect ${new Date().toISOString().slice(0, 10)}`,
      type: "once",
      status: "pending",
      recurring_config: { round_id: res.body.id, round_no: 3, key: "collect" },
    });
    expect((await list()).body.items[0].id).toBe(res.body.id);
    await expectInvariants({ admin });
  });

  it("the admin may start one; other roles are refused (403 wrong_role) and nothing is written", async () => {
    expect((await start(taskId, { admin })).status).toBe(201);
    const before = await snapshotAllTables(["request_log"]);
    for (const role of ["executor", "reviewer", "patrol"] as const) {
      const agent = await register(role);
      const res = await start(taskId, { key: agent.key });
      expect([res.status, res.body.code]).toEqual([403, "wrong_role"]);
    }
    expect(await snapshotAllTables(["request_log", "agent", "rate_bucket"])).toEqual(
      Object.fromEntries(Object.entries(before).filter(([t]) => !["agent", "rate_bucket"].includes(t))),
    );
  });

  it("respects the policy: no more open rounds than it allows (409 round_limit with a hint), in either language", async () => {
    await setPolicy("$.policy.when_unfinished", "skip");
    const refused = await start();
    expect([refused.status, refused.body.code]).toEqual([409, "round_limit"]);
    expect(refused.body.detail).toContain("1");
    expect(refused.body.hint).toContain("task rounds");
    const zh = await start(taskId, { headers: { "accept-language": "zh-CN" } });
    expect([zh.status, zh.body.code]).toEqual([409, "round_limit"]);
    expect(zh.body.detail).toMatch(/[\u4e00-\u9fff]/);
    expect((await list()).body.total).toBe(3);

    await setPolicy("$.policy.when_unfinished", "stack");
    await setPolicy("$.policy.max_open_rounds", 2);
    expect((await start()).status).toBe(201);
    expect((await start()).body.code).toBe("round_limit");
  });

  it("two at once with room for one: exactly one round lands", async () => {
    await setPolicy("$.policy.max_open_rounds", 2);
    const results = await Promise.all([start(), start(), start()]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect((await list({ status: "open" })).body.total).toBe(2);
    await expectInvariants({ admin });
  });

  it("refuses when the schedule has no run left, has ended or does not exist, or the task is still planning", async () => {
    await setPolicy("$.policy.ends_at", new Date(Date.now() - 60_000).toISOString());
    expect((await start()).body.code).toBe("schedule_no_run_left");
    await setPolicy("$.policy.ends_at", new Date(Date.now() + 86_400_000).toISOString());
    await setPolicy("$.policy.max_rounds", 2);
    expect((await start()).body.code).toBe("schedule_no_run_left");
    await env.DB.prepare(
      "update task_schedule set status = 'ended', ended_reason = 'manual', next_run_at = null where task_id = ?",
    )
      .bind(taskId)
      .run();
    expect((await start()).body.code).toBe("illegal_transition");

    const plain = await ok(call("POST", "/api/tasks", { key: planner.key, body: { name: "Plain" } }));
    const planning = await start(plain.id);
    expect([planning.status, planning.body.code]).toEqual([409, "task_not_started"]);
    expect(planning.body.hint).toContain("task status");
    await ok(call("PUT", `/api/tasks/${plain.id}/status`, { key: planner.key, body: { status: "active" } }));
    const none = await start(plain.id);
    expect([none.status, none.body.code]).toEqual([404, "schedule_not_found"]);
    expect((await start("no-such-task")).body.code).toBe("task_not_found");
  });

  it("the round that reaches max_rounds ends the schedule, as the cron's would", async () => {
    await setPolicy("$.policy.max_rounds", 3);
    expect((await start()).status).toBe(201);
    const schedule = await env.DB.prepare(
      "select status, ended_reason, next_run_at from task_schedule where task_id = ?",
    )
      .bind(taskId)
      .first();
    expect(schedule).toEqual({ status: "ended", ended_reason: "max_rounds", next_run_at: null });
    await expectInvariants({ admin });
  });
});
