// PUT/GET/pause/resume/DELETE /api/tasks/{task_id}/schedule over HTTP: validation, roles, states,
// from_sub_tasks, and races. The cron's rounds are tested with the cron (H2's files).
import { beforeEach, describe, expect, it } from "vitest";
import { nextSlot } from "../worker/domain/schedule";
import { type CallOptions, call, env, initialize, ok, register, snapshotAllTables, type TestAgent } from "./helpers";
import { expectInvariants } from "./invariants";

let admin: string;
let planner: TestAgent;
let executor: TestAgent;
let reviewer: TestAgent;

beforeEach(async () => {
  admin = await initialize();
  planner = await register("planner");
  executor = await register("executor");
  reviewer = await register("reviewer");
});

const path = (taskId: string, tail = "") => `/api/tasks/${taskId}/schedule${tail}`;
const asPlanner = (extra: CallOptions = {}): CallOptions => ({ key: planner.key, ...extra });

async function createTask(status?: "active"): Promise<string> {
  const t = await ok(call("POST", "/api/tasks", asPlanner({ body: { name: "Daily news" } })));
  if (status) await ok(call("PUT", `/api/tasks/${t.id}/status`, asPlanner({ body: { status } })));
  return t.id;
}

const DAILY = { kind: "cron", expr: "0 9 * * *", tz: "Asia/Shanghai" } as const;
const TEMPLATE = {
  modules: [{ key: "news", name: "News" }],
  sub_tasks: [
    { key: "collect", module: "news", name: "Collect news {date}" },
    { key: "translate", module: "news", name: "Translate round {round}", depends_on: ["collect"] },
  ],
};
const put = (taskId: string, body: unknown, extra: CallOptions = {}) =>
  call("PUT", path(taskId), asPlanner({ body, ...extra }));

describe("PUT …/schedule", () => {
  it("stores the normalised config, marks the task recurring, creates the template's module, and computes the next run from now", async () => {
    const taskId = await createTask();
    const before = new Date();
    const res = await put(taskId, { schedule: DAILY, template: TEMPLATE, policy: { when_unfinished: "stack" } });
    expect(res.status).toBe(200);
    const s = res.body;
    expect(s).toMatchObject({
      task_id: taskId,
      status: "active",
      rounds_created: 0,
      open_rounds: 0,
      ended_reason: null,
    });
    // The first 09:00 Shanghai after the request, whatever time the test runs.
    expect(s.next_run_at).toBe(nextSlot(DAILY, before)!.toISOString());
    expect(s.recurring_config.policy).toEqual({
      when_unfinished: "stack",
      max_open_rounds: 3,
      ends_at: null,
      max_rounds: null,
    });
    expect(s.recurring_config.template.sub_tasks[1]).toMatchObject({
      key: "translate",
      module: "news",
      description: "",
      priority: "medium",
      assigned_agent: null,
      depends_on: ["collect"],
    });
    const moduleId = s.recurring_config.template.modules[0].module_id;
    const mod = await env.DB.prepare("select task_id, name from module where id = ?").bind(moduleId).first();
    expect(mod).toEqual({ task_id: taskId, name: "News" });
    expect((await ok(call("GET", `/api/tasks/${taskId}`, asPlanner()))).type).toBe("recurring");
    expect(await ok(call("GET", path(taskId), { key: executor.key }))).toEqual(s);
  });

  it("reuses a module of the same name, and a second PUT replaces the config and keeps one schedule row", async () => {
    const taskId = await createTask();
    const first = await ok(put(taskId, { schedule: DAILY, template: TEMPLATE }));
    const every = { kind: "every", every: 6, unit: "hours", tz: "Europe/Berlin", start_at: "2026-01-01T00:00:00Z" };
    const second = await ok(put(taskId, { schedule: every, template: TEMPLATE }));
    expect(second.recurring_config.template.modules[0].module_id).toBe(
      first.recurring_config.template.modules[0].module_id,
    );
    // start_at is stored in the one time format of the API (milliseconds, Z).
    expect(second.recurring_config.schedule).toEqual({ ...every, start_at: "2026-01-01T00:00:00.000Z" });
    // Every 6 hours from midnight UTC: the next run is on a 6-hour boundary.
    expect(new Date(second.next_run_at).getUTCHours() % 6).toBe(0);
    const counts = await env.DB.prepare(
      "select (select count(*) from module where task_id = ?1) as modules, (select count(*) from task_schedule where task_id = ?1) as schedules",
    )
      .bind(taskId)
      .first();
    expect(counts).toEqual({ modules: 1, schedules: 1 });
  });

  it("anchors an `every` schedule without start_at at the minute it was set", async () => {
    const taskId = await createTask();
    const before = Date.now();
    const s = await ok(
      put(taskId, { schedule: { kind: "every", every: 1, unit: "days", tz: "UTC" }, template: TEMPLATE }),
    );
    const anchor = Date.parse(s.recurring_config.schedule.start_at);
    expect(anchor % 60_000).toBe(0);
    expect(before - anchor).toBeLessThan(60_000);
    expect(Date.parse(s.next_run_at)).toBe(anchor + 86_400_000);
  });

  it("takes the template from the task's current sub-tasks, modules and dependencies (from_sub_tasks)", async () => {
    const taskId = await createTask();
    const mod = await ok(call("POST", `/api/tasks/${taskId}/modules`, asPlanner({ body: { name: "Pipeline" } })));
    const a = await ok(
      call("POST", "/api/sub-tasks", asPlanner({ body: { task_id: taskId, name: "Collect", module_id: mod.id } })),
    );
    const b = await ok(
      call(
        "POST",
        "/api/sub-tasks",
        asPlanner({
          body: { task_id: taskId, name: "Publish", assigned_agent: executor.id, priority: "high", depends_on: [a.id] },
        }),
      ),
    );
    const dropped = await ok(call("POST", "/api/sub-tasks", asPlanner({ body: { task_id: taskId, name: "Dropped" } })));
    await ok(call("POST", `/api/sub-tasks/${dropped.id}/cancel`, asPlanner()));

    const s = await ok(put(taskId, { schedule: DAILY, from_sub_tasks: true }));
    expect(s.recurring_config.template).toEqual({
      modules: [{ key: "m1", name: "Pipeline", description: "", module_id: mod.id }],
      sub_tasks: [
        {
          key: "s1",
          module: "m1",
          name: "Collect",
          description: "",
          deliverable: "",
          acceptance: "",
          priority: "medium",
          assigned_agent: null,
          depends_on: [],
        },
        {
          key: "s2",
          module: null,
          name: "Publish",
          description: "",
          deliverable: "",
          acceptance: "",
          priority: "high",
          assigned_agent: executor.id,
          depends_on: ["s1"],
        },
      ],
    });
    expect(b.id).not.toBe(a.id);
  });

  it("refuses from_sub_tasks on a task with nothing to copy, and both or neither of template and from_sub_tasks", async () => {
    const taskId = await createTask();
    const empty = await put(taskId, { schedule: DAILY, from_sub_tasks: true });
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe("invalid_template");
    expect((await put(taskId, { schedule: DAILY })).body.code).toBe("invalid_input");
    expect((await put(taskId, { schedule: DAILY, template: TEMPLATE, from_sub_tasks: true })).body.code).toBe(
      "invalid_input",
    );
  });
});

describe("PUT …/schedule refusals change nothing", () => {
  const sub = (key: string, extra: Record<string, unknown> = {}) => ({ key, name: key, ...extra });
  const cases: [string, unknown, string][] = [
    ["an unknown zone", { schedule: { ...DAILY, tz: "Mars/Base" }, template: TEMPLATE }, "invalid_schedule"],
    ["a 6-field cron", { schedule: { ...DAILY, expr: "0 0 9 * * *" }, template: TEMPLATE }, "invalid_schedule"],
    ["a cron that never runs", { schedule: { ...DAILY, expr: "0 0 30 2 *" }, template: TEMPLATE }, "invalid_schedule"],
    ["every 2 minutes", { schedule: { ...DAILY, expr: "*/2 * * * *" }, template: TEMPLATE }, "invalid_schedule"],
    [
      "an end before the first run",
      { schedule: DAILY, template: TEMPLATE, policy: { ends_at: "2020-01-01T00:00:00Z" } },
      "invalid_schedule",
    ],
    ["a bad key", { schedule: DAILY, template: { sub_tasks: [sub("Bad Key")] } }, "invalid_input"],
    ["no sub-tasks", { schedule: DAILY, template: { sub_tasks: [] } }, "invalid_input"],
    [
      "21 sub-tasks",
      { schedule: DAILY, template: { sub_tasks: [...Array(21)].map((_, i) => sub(`s${i}`)) } },
      "invalid_input",
    ],
    ["max_open_rounds 11", { schedule: DAILY, template: TEMPLATE, policy: { max_open_rounds: 11 } }, "invalid_input"],
    [
      "a name with a control character",
      { schedule: DAILY, template: { sub_tasks: [sub("a", { name: "x\u0007" })] } },
      "invalid_name",
    ],
    ["a duplicate key", { schedule: DAILY, template: { sub_tasks: [sub("a"), sub("a")] } }, "invalid_template"],
    [
      "an unknown dependency",
      { schedule: DAILY, template: { sub_tasks: [sub("a", { depends_on: ["zz"] })] } },
      "invalid_template",
    ],
    [
      "a dependency cycle",
      {
        schedule: DAILY,
        template: { sub_tasks: [sub("a", { depends_on: ["b"] }), sub("b", { depends_on: ["a"] })] },
      },
      "invalid_template",
    ],
    [
      "an unknown module",
      { schedule: DAILY, template: { sub_tasks: [sub("a", { module: "nope" })] } },
      "invalid_template",
    ],
  ];

  it.each(cases)("refuses %s with 400, its code, a hint, and no change", async (_label, body, code) => {
    const taskId = await createTask();
    const before = await snapshotAllTables();
    const res = await put(taskId, body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(code);
    expect(res.body.detail).toEqual(expect.any(String));
    expect(res.body.hint).toEqual(expect.any(String));
    expect(await snapshotAllTables()).toEqual(before);
  });

  it("refuses an assignee who is not an executor", async () => {
    const taskId = await createTask();
    const res = await put(taskId, {
      schedule: DAILY,
      template: { sub_tasks: [{ key: "a", name: "A", assigned_agent: reviewer.id }] },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("invalid_template");
    expect(res.body.detail).toContain(reviewer.id);
  });

  it("answers in Chinese with the same code under Accept-Language: zh-CN", async () => {
    const taskId = await createTask();
    const zh = { headers: { "accept-language": "zh-CN" } };
    const zone = await put(taskId, { schedule: { ...DAILY, tz: "Mars/Base" }, template: TEMPLATE }, zh);
    expect(zone.body.code).toBe("invalid_schedule");
    expect(zone.body.detail).toContain("时区");
    expect(zone.body.hint).toMatch(/[\u4e00-\u9fff]/);
    const cycle = await put(
      taskId,
      { schedule: DAILY, template: { sub_tasks: [{ key: "a", name: "A", depends_on: ["a"] }] } },
      zh,
    );
    expect(cycle.body.code).toBe("invalid_template");
    expect(cycle.body.detail).toContain("环");
    const missing = await call("GET", path(taskId), { key: planner.key, ...zh });
    expect(missing.body).toMatchObject({ code: "schedule_not_found" });
    expect(missing.body.detail).toContain("调度计划");
  });
});

describe("who may do what", () => {
  it("lets only planners and the admin change a schedule; every role may read it", async () => {
    const taskId = await createTask();
    for (const agent of [executor, reviewer]) {
      const res = await call("PUT", path(taskId), { key: agent.key, body: { schedule: DAILY, template: TEMPLATE } });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe("wrong_role");
    }
    const byAdmin = await call("PUT", path(taskId), { admin, body: { schedule: DAILY, template: TEMPLATE } });
    expect(byAdmin.status).toBe(200);
    for (const tail of ["/pause", "/resume"])
      expect((await call("POST", path(taskId, tail), { key: executor.key })).status).toBe(403);
    expect((await call("DELETE", path(taskId), { key: reviewer.key })).status).toBe(403);
    expect((await call("GET", path(taskId), { key: reviewer.key })).status).toBe(200);
    expect((await call("GET", path(taskId), { admin })).status).toBe(200);
  });

  it("answers 404 schedule_not_found for a task without one and task_not_found for no task", async () => {
    const taskId = await createTask();
    expect((await call("GET", path(taskId), asPlanner())).body.code).toBe("schedule_not_found");
    expect((await call("POST", path(taskId, "/pause"), asPlanner())).body.code).toBe("schedule_not_found");
    const none = await call("GET", path("no-such-task"), asPlanner());
    expect([none.status, none.body.code]).toEqual([404, "task_not_found"]);
  });

  it("refuses a closed task with 409 task_closed and changes nothing", async () => {
    const taskId = await createTask();
    await ok(call("POST", `/api/tasks/${taskId}/cancel`, asPlanner()));
    const before = await snapshotAllTables();
    const res = await put(taskId, { schedule: DAILY, template: TEMPLATE });
    expect([res.status, res.body.code]).toEqual([409, "task_closed"]);
    expect(await snapshotAllTables()).toEqual(before);
  });

  it("lets concurrent PUTs that create the same module leave one module, referenced by the stored config", async () => {
    const taskId = await createTask();
    const results = await Promise.all([1, 2, 3].map(() => put(taskId, { schedule: DAILY, template: TEMPLATE })));
    const statuses = results.map((r) => r.status);
    expect(statuses).toContain(200);
    for (const r of results) if (r.status !== 200) expect(r.body.code).toBe("concurrent_change");
    const modules = await env.DB.prepare("select id from module where task_id = ? and name = 'News'")
      .bind(taskId)
      .all();
    expect(modules.results).toHaveLength(1);
    const stored = await ok(call("GET", path(taskId), asPlanner()));
    expect(stored.recurring_config.template.modules[0].module_id).toBe(modules.results[0]!.id);
    await expectInvariants();
  });

  it("replays a PUT sent again with the same Idempotency-Key", async () => {
    const taskId = await createTask();
    const headers = { "idempotency-key": crypto.randomUUID() };
    const first = await put(taskId, { schedule: DAILY, template: TEMPLATE }, { headers });
    const again = await put(taskId, { schedule: DAILY, template: TEMPLATE }, { headers });
    expect(first.status).toBe(200);
    expect(again.body).toEqual(first.body);
  });
});

describe("pause, resume, end", () => {
  it("pauses (no next run), refuses a second pause, resumes from now, refuses a second resume", async () => {
    const taskId = await createTask("active");
    await ok(put(taskId, { schedule: DAILY, template: TEMPLATE }));
    const paused = await ok(call("POST", path(taskId, "/pause"), asPlanner()));
    expect(paused).toMatchObject({ status: "paused", next_run_at: null });
    const again = await call("POST", path(taskId, "/pause"), asPlanner());
    expect([again.status, again.body.code]).toEqual([409, "illegal_transition"]);

    const before = new Date();
    const resumed = await ok(call("POST", path(taskId, "/resume"), asPlanner()));
    expect(resumed.status).toBe("active");
    expect(resumed.next_run_at).toBe(nextSlot(DAILY, before)!.toISOString());
    const twice = await call("POST", path(taskId, "/resume"), asPlanner());
    expect([twice.status, twice.body.code]).toEqual([409, "illegal_transition"]);
  });

  it("ends with reason manual, refuses a second end, and a new PUT revives it", async () => {
    const taskId = await createTask("active");
    await ok(put(taskId, { schedule: DAILY, template: TEMPLATE }));
    const ended = await ok(call("DELETE", path(taskId), asPlanner()));
    expect(ended).toMatchObject({ status: "ended", ended_reason: "manual", next_run_at: null });
    const again = await call("DELETE", path(taskId), asPlanner());
    expect([again.status, again.body.code]).toEqual([409, "illegal_transition"]);
    expect((await call("POST", path(taskId, "/resume"), asPlanner())).body.code).toBe("illegal_transition");
    const revived = await ok(put(taskId, { schedule: DAILY, template: TEMPLATE }));
    expect(revived).toMatchObject({ status: "active", ended_reason: null });
  });

  it("completes the task on end when its work is all done, and leaves a task with open work alone", async () => {
    const done = await createTask("active");
    await ok(put(done, { schedule: DAILY, template: TEMPLATE }));
    // A finished round's sub-task, written directly: the cron's rounds are another slice's tests.
    const now = new Date().toISOString();
    await env.DB.prepare(
      "insert into sub_task (id, task_id, name, status, priority, type, created_at, updated_at, completed_at) values (?, ?, 'S', 'done', 'medium', 'once', ?, ?, ?)",
    )
      .bind(crypto.randomUUID(), done, now, now, now)
      .run();
    await ok(call("DELETE", path(done), asPlanner()));
    expect((await ok(call("GET", `/api/tasks/${done}`, asPlanner()))).status).toBe("completed");

    const open = await createTask("active");
    await ok(put(open, { schedule: DAILY, template: TEMPLATE }));
    await ok(call("POST", "/api/sub-tasks", asPlanner({ body: { task_id: open, name: "Still open" } })));
    await ok(call("DELETE", path(open), asPlanner()));
    expect((await ok(call("GET", `/api/tasks/${open}`, asPlanner()))).status).toBe("active");
  });

  it("refuses to resume when the round limit is already reached (409 schedule_no_run_left)", async () => {
    const taskId = await createTask("active");
    await ok(put(taskId, { schedule: DAILY, template: TEMPLATE, policy: { max_rounds: 2 } }));
    await ok(call("POST", path(taskId, "/pause"), asPlanner()));
    await env.DB.prepare("update task_schedule set rounds_created = 2 where task_id = ?").bind(taskId).run();
    const res = await call("POST", path(taskId, "/resume"), asPlanner());
    expect([res.status, res.body.code]).toEqual([409, "schedule_no_run_left"]);
    expect((await ok(call("GET", path(taskId), asPlanner()))).status).toBe("paused");
  });

  it("settles concurrent pauses and resumes into one consistent state", async () => {
    const taskId = await createTask("active");
    await ok(put(taskId, { schedule: DAILY, template: TEMPLATE }));
    const ops = ["/pause", "/resume", "/pause", "/resume", "/pause", "/resume"];
    const results = await Promise.all(ops.map((tail) => call("POST", path(taskId, tail), asPlanner())));
    for (const r of results) expect([200, 409]).toContain(r.status);
    const final = await ok(call("GET", path(taskId), asPlanner()));
    // Whatever won, status and next run agree: active ⇔ a next run, paused ⇔ none.
    expect(final.status === "active").toBe(final.next_run_at !== null);
    expect(["active", "paused"]).toContain(final.status);
    // The last successful answer (in commit order, its updated_at) is the state that stayed.
    const last = results
      .filter((r) => r.status === 200)
      .map((r) => r.body)
      .sort((a, b) => a.updated_at.localeCompare(b.updated_at))
      .at(-1);
    if (last) expect(final.status).toBe(last.status);
    await expectInvariants();
  });
});
