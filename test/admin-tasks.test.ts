import { beforeEach, describe, expect, it } from "vitest";
import { type CallResult, call, env, initialize, REGISTRATION_TOKEN, register, type TestAgent } from "./helpers";

let admin: string;
let planner: TestAgent, exec: TestAgent, exec2: TestAgent, reviewer: TestAgent, patrol: TestAgent;

beforeEach(async () => {
  admin = await initialize();
  [planner, exec, exec2, reviewer, patrol] = await Promise.all([
    register("planner"),
    register("executor"),
    register("executor"),
    register("reviewer"),
    register("patrol"),
  ]);
});

const adm = (method: string, path: string, body?: unknown, query?: Record<string, string | number | undefined>) =>
  call(method, path, { admin, body, query });
const ok = async <T = any>(res: Promise<CallResult<T>>): Promise<T> => {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};
const newTask = async (name = "T", extra: Record<string, unknown> = {}) =>
  (await ok(adm("POST", "/api/admin/tasks", { name, ...extra }))).id as string;
const newSub = async (task_id: string, extra: Record<string, unknown> = {}) =>
  (await ok(adm("POST", "/api/admin/sub-tasks", { task_id, name: "S", ...extra }))).id as string;
const act = (agent: TestAgent, id: string, op: string, body: unknown = {}) =>
  call("POST", `/api/sub-tasks/${id}/${op}`, { key: agent.key, body });
const review = (id: string, result: "approved" | "rejected", score: number) =>
  ok(
    call("POST", "/api/review-records", {
      key: reviewer.key,
      body: { sub_task_id: id, result, score, issues: result === "rejected" ? "fix it" : "" },
    }),
  );
const rows = async <T = Record<string, unknown>>(q: string, ...binds: unknown[]) =>
  (
    await env.DB.prepare(q)
      .bind(...binds)
      .all<T>()
  ).results;
const audits = async (action?: string) =>
  action
    ? rows<{ action: string; target_id: string; detail: string }>(
        "select * from audit_log where action = ? order by rowid",
        action,
      )
    : rows<{ action: string; target_id: string; detail: string }>("select * from audit_log order by rowid");

type State = "pending" | "assigned" | "in_progress" | "review" | "rework" | "blocked" | "done" | "cancelled";
/** A sub-task of `taskId` driven into `state` by the real agent API. */
async function subIn(taskId: string, state: State, extra: Record<string, unknown> = {}): Promise<string> {
  const id = await newSub(taskId, extra);
  if (state === "pending") return id;
  if (state === "cancelled") return (await ok(adm("POST", `/api/admin/sub-tasks/${id}/cancel`))).id;
  await ok(act(exec, id, "claim"));
  if (state === "blocked") await ok(act(patrol, id, "block", { reason: "stuck" }));
  if (state === "assigned" || state === "blocked") return id;
  await ok(act(exec, id, "start"));
  if (state === "in_progress") return id;
  await ok(act(exec, id, "submit"));
  if (state === "review") return id;
  await review(id, state === "done" ? "approved" : "rejected", state === "done" ? 5 : 1);
  return id;
}

describe("auth", () => {
  const endpoints: [string, string, unknown?][] = [
    ["GET", "/api/admin/tasks"],
    ["GET", "/api/admin/tasks/x"],
    ["GET", "/api/admin/tasks/x/modules"],
    ["GET", "/api/admin/modules/x"],
    ["GET", "/api/admin/tasks/x/sub-tasks"],
    ["GET", "/api/admin/modules/x/sub-tasks"],
    ["GET", "/api/admin/sub-tasks"],
    ["GET", "/api/admin/sub-tasks/x"],
    ["POST", "/api/admin/tasks", { name: "T" }],
    ["PUT", "/api/admin/tasks/x", { name: "U" }],
    ["POST", "/api/admin/tasks/x/cancel"],
    ["POST", "/api/admin/tasks/x/restart"],
    ["DELETE", "/api/admin/tasks/x", { confirm_name: "T" }],
    ["POST", "/api/admin/sub-tasks", { task_id: "x", name: "S" }],
    ["PUT", "/api/admin/sub-tasks/x", { name: "S" }],
    ["POST", "/api/admin/sub-tasks/x/cancel"],
    ["POST", "/api/admin/sub-tasks/x/reassign", { agent_id: "a" }],
    ["POST", "/api/admin/sub-tasks/x/block", { reason: "r" }],
    ["POST", "/api/admin/patrol-records/x/resolve", { note: "n" }],
    ["POST", "/api/admin/registration-token/rotate"],
  ];

  it("refuses every endpoint without a session, with an agent key, and with an expired session", async () => {
    for (const [method, path, body] of endpoints) {
      const none = await call(method, path, { body });
      expect([none.status, none.body.code], `${method} ${path}`).toEqual([401, "missing_credentials"]);
      expect((await call(method, path, { body, key: planner.key })).status, `${method} ${path} with an agent key`).toBe(
        401,
      );
    }
    await env.DB.prepare("update admin_session set expires_at = '2000-01-01T00:00:00.000Z'").run();
    for (const [method, path, body] of endpoints) {
      const expired = await adm(method, path, body);
      expect([expired.status, expired.body.code], `${method} ${path}`).toEqual([401, "invalid_session"]);
    }
    expect(await audits()).toEqual([]);
  });
});

describe("task, module and sub-task queries", () => {
  it("counts sub-tasks per status on tasks and modules", async () => {
    const t = await newTask("Counted");
    const m = (await ok(call("POST", `/api/tasks/${t}/modules`, { key: planner.key, body: { name: "M" } }))).id;
    for (const s of [
      "pending",
      "pending",
      "assigned",
      "in_progress",
      "review",
      "rework",
      "blocked",
      "done",
      "cancelled",
    ] as State[]) {
      await subIn(t, s, s === "pending" || s === "done" ? { module_id: m } : {});
    }
    const expected = {
      sub_task_count: 9,
      pending_count: 2,
      assigned_count: 1,
      in_progress_count: 1,
      review_count: 1,
      rework_count: 1,
      blocked_count: 1,
      done_count: 1,
      cancelled_count: 1,
    };
    const list = await ok(adm("GET", "/api/admin/tasks"));
    expect(list).toMatchObject({ total: 1, page: 1, page_size: 20, total_pages: 1, has_more: false });
    expect(Object.keys(list.items[0]).sort()).toEqual([
      "assigned_count",
      "blocked_count",
      "cancelled_count",
      "created_at",
      "description",
      "done_count",
      "id",
      "in_progress_count",
      "module_count",
      "name",
      "pending_count",
      "review_count",
      "rework_count",
      "status",
      "sub_task_count",
      "type",
      "updated_at",
      "workspace",
    ]);
    expect(list.items[0]).toMatchObject({ id: t, module_count: 1, status: "in_progress", ...expected });
    expect(await ok(adm("GET", `/api/admin/tasks/${t}`))).toEqual(list.items[0]);
    const moduleCounts = { sub_task_count: 3, pending_count: 2, done_count: 1, assigned_count: 0, cancelled_count: 0 };
    const mods = await ok(adm("GET", `/api/admin/tasks/${t}/modules`));
    expect(mods.items).toHaveLength(1);
    expect(mods.items[0]).toMatchObject({ id: m, task_id: t, name: "M", ...moduleCounts });
    expect(mods.items[0]).not.toHaveProperty("task_name");
    expect(await ok(adm("GET", `/api/admin/modules/${m}`))).toMatchObject({
      id: m,
      task_name: "Counted",
      ...moduleCounts,
    });
    // An empty task counts zeros, not nulls.
    const empty = await newTask("Empty");
    expect(await ok(adm("GET", `/api/admin/tasks/${empty}`))).toMatchObject({
      module_count: 0,
      sub_task_count: 0,
      pending_count: 0,
    });
  });

  it("filters, sorts and pages tasks; bad filters are 400", async () => {
    const a = await newTask("alpha Report", { type: "recurring" });
    const b = await newTask("beta", { description: "the big REPORT", status: "active" });
    const c = await newTask("gamma");
    await ok(adm("POST", `/api/admin/tasks/${c}/cancel`));
    const ids = async (query: Record<string, string | number>) =>
      (await ok(adm("GET", "/api/admin/tasks", undefined, query))).items.map((t: { id: string }) => t.id);
    expect(await ids({})).toEqual([c, b, a]);
    expect(await ids({ sort_by: "name", sort_order: "asc" })).toEqual([a, b, c]);
    expect(await ids({ sort_by: "status", sort_order: "asc" })).toEqual([a, b, c]); // planning, active, cancelled
    expect(await ids({ status: "active" })).toEqual([b]);
    expect(await ids({ type: "recurring" })).toEqual([a]);
    expect(await ids({ keyword: "report" })).toEqual([b, a]);
    const page = await ok(adm("GET", "/api/admin/tasks", undefined, { page: 2, page_size: 2 }));
    expect(page).toMatchObject({
      items: [{ id: a }],
      total: 3,
      page: 2,
      page_size: 2,
      total_pages: 2,
      has_more: false,
    });
    for (const q of [
      { status: "open" },
      { type: "daily" },
      { sort_by: "priority" },
      { sort_order: "up" },
      { page: 0 },
      { page_size: 101 },
      { page_size: 0 },
    ]) {
      const res = await adm("GET", "/api/admin/tasks", undefined, q);
      expect(res.status, JSON.stringify(q)).toBe(400);
    }
    expect((await adm("GET", `/api/admin/tasks/${a}/modules`, undefined, { sort_by: "status" })).status).toBe(400);
  });

  it("lists sub-tasks with names, filters and a real priority order", async () => {
    const t = await newTask("Main");
    const other = await newTask("Other");
    const m = (await ok(call("POST", `/api/tasks/${t}/modules`, { key: planner.key, body: { name: "Mod" } }))).id;
    const low = await newSub(t, { name: "low one", priority: "low", module_id: m });
    const high = await newSub(t, { name: "high one", priority: "high", assigned_agent: exec.id });
    const med = await newSub(t, { name: "medium one", description: "Needle here" });
    const elsewhere = await newSub(other, { name: "elsewhere", priority: "high" });
    const ids = async (path: string, query: Record<string, string | number> = {}) =>
      (await ok(adm("GET", path, undefined, query))).items.map((s: { id: string }) => s.id);
    const all = await ok(adm("GET", "/api/admin/sub-tasks"));
    expect(all.total).toBe(4);
    expect(all.items.find((s: { id: string }) => s.id === high)).toEqual(
      expect.objectContaining({
        task_name: "Main",
        module_id: null,
        module_name: null,
        assigned_agent: exec.id,
        assigned_agent_name: exec.name,
        status: "assigned",
        priority: "high",
      }),
    );
    expect(Object.keys(all.items[0]).sort()).toEqual([
      "assigned_agent",
      "assigned_agent_name",
      "completed_at",
      "created_at",
      "current_session_id",
      "description",
      "id",
      "module_id",
      "module_name",
      "name",
      "priority",
      "rework_count",
      "status",
      "task_id",
      "task_name",
      "type",
      "updated_at",
    ]);
    expect(all.items.find((s: { id: string }) => s.id === low).module_name).toBe("Mod");
    expect(await ids(`/api/admin/tasks/${t}/sub-tasks`, { sort_by: "priority" })).toEqual([high, med, low]);
    expect(await ids(`/api/admin/tasks/${t}/sub-tasks`, { sort_by: "priority", sort_order: "asc" })).toEqual([
      low,
      med,
      high,
    ]);
    // Status in lifecycle order (pending before assigned); ties by id, as upstream.
    expect(await ids(`/api/admin/tasks/${t}/sub-tasks`, { sort_by: "status", sort_order: "asc" })).toEqual([
      ...[low, med].sort(),
      high,
    ]);
    expect(await ids("/api/admin/sub-tasks", { priority: "high" })).toEqual([elsewhere, high]);
    expect(await ids("/api/admin/sub-tasks", { task_id: other })).toEqual([elsewhere]);
    expect(await ids("/api/admin/sub-tasks", { assigned_agent: exec.id })).toEqual([high]);
    expect(await ids("/api/admin/sub-tasks", { keyword: "NEEDLE" })).toEqual([med]);
    expect(await ids("/api/admin/sub-tasks", { status: "pending", task_id: t })).toEqual([med, low]);
    expect(await ids(`/api/admin/modules/${m}/sub-tasks`)).toEqual([low]);
    expect(await ids(`/api/admin/tasks/${t}/sub-tasks`, { module_id: m })).toEqual([low]);
    expect((await adm("GET", `/api/admin/tasks/${other}/sub-tasks`, undefined, { module_id: m })).body.code).toBe(
      "module_mismatch",
    );
    expect((await adm("GET", "/api/admin/sub-tasks", undefined, { task_id: other, module_id: m })).status).toBe(400);
    for (const q of [
      { status: "open" },
      { priority: "urgent" },
      { type: "x" },
      { sort_by: "name" },
      { sort_order: "sideways" },
      { page_size: 500 },
    ]) {
      expect((await adm("GET", "/api/admin/sub-tasks", undefined, q)).status, JSON.stringify(q)).toBe(400);
    }
  });

  it("answers 404 for unknown ids", async () => {
    for (const path of [
      "/api/admin/tasks/nope",
      "/api/admin/tasks/nope/modules",
      "/api/admin/modules/nope",
      "/api/admin/tasks/nope/sub-tasks",
      "/api/admin/modules/nope/sub-tasks",
      "/api/admin/sub-tasks/nope",
    ]) {
      expect((await adm("GET", path)).status, path).toBe(404);
    }
    expect((await adm("GET", "/api/admin/sub-tasks", undefined, { module_id: "nope" })).body.code).toBe(
      "module_not_found",
    );
    const t = await newTask();
    const m = (await ok(call("POST", `/api/tasks/${t}/modules`, { key: planner.key, body: { name: "M" } }))).id;
    expect((await adm("GET", "/api/admin/tasks/nope/sub-tasks", undefined, { module_id: m })).body.code).toBe(
      "task_not_found",
    );
    // On the global list task_id is only a filter.
    expect(await ok(adm("GET", "/api/admin/sub-tasks", undefined, { task_id: "nope" }))).toMatchObject({
      items: [],
      total: 0,
    });
  });

  it("gives a sub-task's whole timeline in its detail", async () => {
    const t = await newTask();
    const id = await newSub(t, { deliverable: "a PR", acceptance: "green CI" });
    await ok(act(exec, id, "claim"));
    await ok(act(exec, id, "start", { session_id: "s1" }));
    await ok(
      call("POST", "/api/logs", { key: exec.key, body: { action: "coding", summary: "wrote it", sub_task_id: id } }),
    );
    await ok(act(exec, id, "submit"));
    await review(id, "rejected", 1);
    const filed = await ok(
      call("POST", "/api/patrol/records", {
        key: patrol.key,
        body: { type: "rework_overflow", severity: "warning", sub_task_id: id, description: "rework again" },
      }),
    );
    await ok(adm("POST", `/api/admin/patrol-records/${filed.id}/resolve`, { note: "seen" }));
    await ok(act(exec, id, "start"));
    await ok(act(exec, id, "submit"));
    await review(id, "approved", 5);

    const d = await ok(adm("GET", `/api/admin/sub-tasks/${id}`));
    expect(d).toMatchObject({
      id,
      status: "done",
      deliverable: "a PR",
      acceptance: "green CI",
      task_name: "T",
      assigned_agent_name: exec.name,
      rework_count: 1,
    });
    expect(d.events.map((e: { op: string; to_status: string }) => `${e.op}:${e.to_status}`)).toEqual([
      "create:pending",
      "claim:assigned",
      "start:in_progress",
      "submit:review",
      "review:rework",
      "start:in_progress",
      "submit:review",
      "review:done",
    ]);
    expect(d.events[0]).toMatchObject({ actor_kind: "admin", actor_id: null, actor_name: "admin" });
    expect(d.events[1]).toMatchObject({
      actor_kind: "agent",
      actor_id: exec.id,
      actor_name: exec.name,
      from_status: "pending",
    });
    expect(
      d.reviews.map((r: { round: number; result: string; score: number }) => [r.round, r.result, r.score]),
    ).toEqual([
      [1, "rejected", 1],
      [2, "approved", 5],
    ]);
    expect(d.reviews[0]).toMatchObject({
      reviewer_agent: reviewer.id,
      reviewer_agent_name: reviewer.name,
      issues: "fix it",
    });
    expect(d.score_changes.map((s: { agent_id: string; score_delta: number }) => [s.agent_id, s.score_delta])).toEqual([
      [exec.id, -5],
      [exec.id, 5],
    ]);
    expect(d.score_changes[0].agent_name).toBe(exec.name);
    expect(d.patrol_records).toEqual([
      expect.objectContaining({ id: filed.id, type: "rework_overflow", status: "resolved", resolution_note: "seen" }),
    ]);
    expect(d.activity_logs).toEqual([
      expect.objectContaining({ agent_id: exec.id, agent_name: exec.name, action: "coding", summary: "wrote it" }),
    ]);
  });
});

describe("task writes", () => {
  it("creates, edits, cancels and restarts, each with one audit row", async () => {
    const created = await ok(adm("POST", "/api/admin/tasks", { name: "New", description: "d", type: "recurring" }));
    expect(created).toMatchObject({ name: "New", description: "d", type: "recurring", status: "planning" });
    expect((await ok(adm("POST", "/api/admin/tasks", { name: "Live", status: "active" }))).status).toBe("active");
    expect((await audits("task.create")).map((a) => a.target_id)).toHaveLength(2);

    const id = created.id;
    const pending = await newSub(id);
    await subIn(id, "in_progress"); // the task is now in_progress: planners may no longer edit it, admins may
    expect((await call("PUT", `/api/tasks/${id}`, { key: planner.key, body: { name: "x" } })).status).toBe(409);
    expect(await ok(adm("PUT", `/api/admin/tasks/${id}`, { name: "Renamed" }))).toMatchObject({
      name: "Renamed",
      description: "d",
      status: "in_progress",
    });
    expect(JSON.parse((await audits("task.update"))[0]!.detail)).toEqual({ fields: ["name"], name: "Renamed" });

    const cancelled = await ok(adm("POST", `/api/admin/tasks/${id}/cancel`));
    expect(cancelled.status).toBe("cancelled");
    expect(await rows("select status from sub_task where task_id = ?", id)).toEqual([
      { status: "cancelled" },
      { status: "cancelled" },
    ]);
    expect(
      await rows("select actor_kind, detail from sub_task_event where sub_task_id = ? and op = 'cancel'", pending),
    ).toEqual([{ actor_kind: "admin", detail: "task cancelled" }]);
    expect((await adm("PUT", `/api/admin/tasks/${id}`, { name: "late" })).status).toBe(409);
    expect((await adm("POST", `/api/admin/tasks/${id}/cancel`)).status).toBe(409);

    expect(await ok(adm("POST", `/api/admin/tasks/${id}/restart`))).toMatchObject({
      status: "active",
      name: "Renamed",
    });
    expect((await adm("POST", `/api/admin/tasks/${id}/restart`)).body.code).toBe("illegal_transition");
    expect((await rows("select status from sub_task where id = ?", pending))[0]).toEqual({ status: "cancelled" });
    await newSub(id); // open again: work can be added

    expect((await audits()).map((a) => a.action)).toEqual([
      "task.create",
      "task.create",
      "sub_task.create",
      "sub_task.create",
      "task.update",
      "task.cancel",
      "task.restart",
      "sub_task.create",
    ]);
  });

  it("refuses bad writes without an audit row", async () => {
    const id = await newTask("T");
    const before = (await audits()).length;
    const refusals: [Promise<CallResult>, number][] = [
      [adm("POST", "/api/admin/tasks", { name: "  " }), 400],
      [adm("POST", "/api/admin/tasks", { name: "x", status: "completed" }), 400],
      [adm("PUT", `/api/admin/tasks/${id}`, {}), 400],
      [adm("PUT", "/api/admin/tasks/nope", { name: "x" }), 404],
      [adm("POST", "/api/admin/tasks/nope/cancel"), 404],
      [adm("POST", "/api/admin/tasks/nope/restart"), 404],
      [adm("POST", `/api/admin/tasks/${id}/restart`), 409],
      [adm("DELETE", "/api/admin/tasks/nope", { confirm_name: "T" }), 404],
      [adm("DELETE", `/api/admin/tasks/${id}`, { confirm_name: "t" }), 400],
      [adm("DELETE", `/api/admin/tasks/${id}`, {}), 400],
    ];
    for (const [res, status] of refusals) expect((await res).status).toBe(status);
    expect(await audits()).toHaveLength(before);
  });

  it("refuses to delete while agents hold sub-tasks", async () => {
    const id = await newTask("Busy");
    for (const state of ["assigned", "in_progress", "review", "rework", "blocked"] as State[]) {
      const sub = await subIn(id, state);
      const res = await adm("DELETE", `/api/admin/tasks/${id}`, { confirm_name: "Busy" });
      expect([res.status, res.body.code], state).toEqual([409, "sub_tasks_in_flight"]);
      await ok(adm("POST", `/api/admin/sub-tasks/${sub}/cancel`));
    }
    expect(await audits("task.delete")).toEqual([]);
    await newSub(id); // pending work nobody holds does not stop a delete
    expect((await adm("DELETE", `/api/admin/tasks/${id}`, { confirm_name: "Busy" })).status).toBe(200);
  });

  it("deletes a task with everything under it, reverses its scores and leaves no orphans", async () => {
    const doomed = await newTask("Doomed");
    const kept = await newTask("Kept");
    const m = (await ok(call("POST", `/api/tasks/${doomed}/modules`, { key: planner.key, body: { name: "M" } }))).id;
    await subIn(doomed, "pending"); // keeps the task open (a task whose sub-tasks are all settled completes)
    const done = await subIn(doomed, "done", { module_id: m }); // exec +5
    const reworked = await subIn(doomed, "rework"); // exec -5
    await ok(act(exec, reworked, "start"));
    await ok(act(exec, reworked, "submit"));
    await review(reworked, "approved", 4); // exec +5
    await subIn(doomed, "cancelled");
    await ok(
      call("POST", "/api/scores/adjust", {
        key: planner.key,
        body: { agent_id: exec2.id, score_delta: 7, reason: "help", sub_task_id: done },
      }),
    );
    await ok(
      call("POST", "/api/scores/adjust", {
        key: planner.key,
        body: { agent_id: exec2.id, score_delta: 2, reason: "general" },
      }),
    );
    await ok(
      call("POST", "/api/logs", { key: exec.key, body: { action: "delivery", summary: "done", sub_task_id: done } }),
    );
    await ok(call("POST", "/api/rules", { admin, body: { scope: "task", task_id: doomed, content: "doomed rule" } }));
    await ok(
      call("POST", "/api/rules", { admin, body: { scope: "sub_task", sub_task_id: done, content: "sub rule" } }),
    );
    await ok(
      call("POST", "/api/patrol/records", {
        key: patrol.key,
        body: { type: "stuck", severity: "warning", sub_task_id: done, description: "x" },
      }),
    );
    // The kept task has the same kinds of rows, which must survive.
    await subIn(kept, "pending");
    const keptDone = await subIn(kept, "done"); // exec +5
    await ok(call("POST", "/api/rules", { admin, body: { scope: "task", task_id: kept, content: "kept rule" } }));
    await ok(
      call("POST", "/api/logs", {
        key: exec.key,
        body: { action: "delivery", summary: "kept", sub_task_id: keptDone },
      }),
    );
    const keptBefore = await rows("select * from sub_task_event where sub_task_id = ?", keptDone);
    expect(
      (await rows<{ total_score: number }>("select total_score from agent where id = ?", exec.id))[0]!.total_score,
    ).toBe(10);

    const res = await ok(adm("DELETE", `/api/admin/tasks/${doomed}`, { confirm_name: "Doomed" }));
    expect(res).toMatchObject({
      task_id: doomed,
      task_name: "Doomed",
      module_count: 1,
      sub_task_count: 4,
      rule_count: 2,
      activity_count: 1,
      review_count: 3,
      reward_count: 4,
      patrol_count: 1,
    });
    expect(
      res.score_reversals.sort((a: { agent_id: string }, b: { agent_id: string }) =>
        a.agent_id.localeCompare(b.agent_id),
      ),
    ).toEqual(
      [
        { agent_id: exec.id, score_delta: -5 },
        { agent_id: exec2.id, score_delta: -7 },
      ].sort((a, b) => a.agent_id.localeCompare(b.agent_id)),
    );

    // No row anywhere still points at the deleted task or its sub-tasks.
    const orphanQueries: Record<string, string> = {
      task: "select count(*) n from task where name = 'Doomed'",
      module: "select count(*) n from module where task_id not in (select id from task)",
      sub_task: "select count(*) n from sub_task where task_id not in (select id from task)",
      sub_task_event: "select count(*) n from sub_task_event where sub_task_id not in (select id from sub_task)",
      rule: `select count(*) n from rule where (task_id is not null and task_id not in (select id from task))
        or (sub_task_id is not null and sub_task_id not in (select id from sub_task))`,
      activity_log: "select count(*) n from activity_log where sub_task_id not in (select id from sub_task)",
      review_record: "select count(*) n from review_record where sub_task_id not in (select id from sub_task)",
      reward_log: "select count(*) n from reward_log where sub_task_id not in (select id from sub_task)",
      patrol_record: "select count(*) n from patrol_record where sub_task_id not in (select id from sub_task)",
    };
    for (const [table, q] of Object.entries(orphanQueries)) expect(await rows(q), table).toEqual([{ n: 0 }]);
    // The score invariant holds for every agent, and only the doomed task's ledger rows went.
    expect(
      await rows(
        `select a.name from agent a where a.total_score <> (select coalesce(sum(score_delta), 0) from reward_log where agent_id = a.id)`,
      ),
    ).toEqual([]);
    expect(await rows("select agent_id, score_delta from reward_log order by agent_id, score_delta")).toEqual(
      [
        { agent_id: exec.id, score_delta: 5 },
        { agent_id: exec2.id, score_delta: 2 },
      ].sort((a, b) => a.agent_id.localeCompare(b.agent_id)),
    );
    // The kept task is untouched.
    expect(await rows("select * from sub_task_event where sub_task_id = ?", keptDone)).toEqual(keptBefore);
    expect(await rows("select count(*) n from rule where task_id = ?", kept)).toEqual([{ n: 1 }]);
    expect(await rows("select count(*) n from activity_log where sub_task_id = ?", keptDone)).toEqual([{ n: 1 }]);
    expect((await adm("GET", `/api/admin/tasks/${doomed}`)).status).toBe(404);
    // One audit row, with what was removed.
    const [row] = await audits("task.delete");
    expect(row!.target_id).toBe(doomed);
    expect(JSON.parse(row!.detail)).toMatchObject({ name: "Doomed", counts: { sub_task: 4, reward_log: 4 } });
    expect((await adm("DELETE", `/api/admin/tasks/${doomed}`, { confirm_name: "Doomed" })).status).toBe(404);
    expect(await audits("task.delete")).toHaveLength(1);
  });
});

describe("sub-task writes", () => {
  it("creates sub-tasks with the planner's rules, recorded as the admin's", async () => {
    const t = await newTask();
    const assigned = await ok(
      adm("POST", "/api/admin/sub-tasks", { task_id: t, name: "S", assigned_agent: exec.id, priority: "high" }),
    );
    expect(assigned).toMatchObject({ status: "assigned", assigned_agent: exec.id, priority: "high" });
    expect(
      await rows("select op, actor_kind, actor_id from sub_task_event where sub_task_id = ?", assigned.id),
    ).toEqual([{ op: "create", actor_kind: "admin", actor_id: null }]);
    expect(JSON.parse((await audits("sub_task.create"))[0]!.detail)).toEqual({
      task_id: t,
      name: "S",
      status: "assigned",
      assigned_agent: exec.id,
    });
    const other = await newTask("U");
    const foreign = (await ok(call("POST", `/api/tasks/${other}/modules`, { key: planner.key, body: { name: "M" } })))
      .id;
    const post = (body: Record<string, unknown>) =>
      adm("POST", "/api/admin/sub-tasks", { task_id: t, name: "S", ...body });
    expect((await post({ task_id: "nope" })).status).toBe(404);
    expect((await post({ module_id: foreign })).body.code).toBe("module_mismatch");
    expect((await post({ assigned_agent: reviewer.id })).body.code).toBe("invalid_agent");
    expect((await post({ priority: "urgent" })).status).toBe(400);
    await ok(adm("POST", `/api/admin/tasks/${t}/cancel`));
    expect((await post({})).body.code).toBe("task_closed");
    expect(await audits("sub_task.create")).toHaveLength(1);
  });

  it("edits, blocks, reassigns and cancels through the Durable Object, refusing illegal states", async () => {
    const t = await newTask();
    const id = await newSub(t);
    expect(
      await ok(adm("PUT", `/api/admin/sub-tasks/${id}`, { name: "Better", priority: "low", description: null })),
    ).toMatchObject({ name: "Better", priority: "low", status: "pending" });
    expect((await adm("PUT", `/api/admin/sub-tasks/${id}`, {})).body.code).toBe("nothing_to_update");
    expect((await adm("POST", `/api/admin/sub-tasks/${id}/block`, { reason: "x" })).body.code).toBe(
      "illegal_transition",
    );
    expect((await adm("POST", `/api/admin/sub-tasks/${id}/reassign`, { agent_id: exec2.id })).body.code).toBe(
      "illegal_transition",
    );
    await ok(act(exec, id, "claim"));
    await ok(act(exec, id, "start"));
    expect((await adm("PUT", `/api/admin/sub-tasks/${id}`, { name: "late" })).status).toBe(409);
    expect(await ok(adm("POST", `/api/admin/sub-tasks/${id}/block`, { reason: "no progress" }))).toMatchObject({
      status: "blocked",
      current_session_id: null,
    });
    expect((await adm("POST", `/api/admin/sub-tasks/${id}/reassign`, { agent_id: "nope" })).status).toBe(404);
    expect((await adm("POST", `/api/admin/sub-tasks/${id}/reassign`, { agent_id: reviewer.id })).body.code).toBe(
      "invalid_agent",
    );
    expect(await ok(adm("POST", `/api/admin/sub-tasks/${id}/reassign`, { agent_id: exec2.id }))).toMatchObject({
      status: "assigned",
      assigned_agent: exec2.id,
    });
    expect((await act(exec, id, "start")).status).toBe(403); // the old owner is out
    expect((await ok(adm("POST", `/api/admin/sub-tasks/${id}/cancel`))).status).toBe("cancelled");
    expect((await adm("POST", `/api/admin/sub-tasks/${id}/cancel`)).status).toBe(409);
    for (const op of ["cancel", "block", "reassign"])
      expect((await adm("POST", `/api/admin/sub-tasks/nope/${op}`, { agent_id: exec.id })).status).toBe(404);
    expect((await adm("PUT", "/api/admin/sub-tasks/nope", { name: "x" })).status).toBe(404);

    const events = await rows<{ op: string; actor_kind: string; detail: string }>(
      "select op, actor_kind, detail from sub_task_event where sub_task_id = ? and actor_kind = 'admin' order by rowid",
      id,
    );
    expect(events.map((e) => `${e.op}:${e.detail}`)).toEqual([
      "create:",
      "edit:name, priority",
      "block:no progress",
      `reassign:to ${exec2.id}`,
      "cancel:",
    ]);
    expect((await audits()).filter((a) => a.action.startsWith("sub_task.")).map((a) => a.action)).toEqual([
      "sub_task.create",
      "sub_task.update",
      "sub_task.block",
      "sub_task.reassign",
      "sub_task.cancel",
    ]);
    expect(JSON.parse((await audits("sub_task.reassign"))[0]!.detail)).toEqual({
      agent_id: exec2.id,
      status: "assigned",
    });
  });

  it("an admin block racing the executor's submit: exactly one wins", async () => {
    const t = await newTask();
    const ids = await Promise.all(Array.from({ length: 6 }, () => subIn(t, "in_progress")));
    const results = await Promise.all(
      ids.map((id) =>
        Promise.all([adm("POST", `/api/admin/sub-tasks/${id}/block`, { reason: "race" }), act(exec, id, "submit")]),
      ),
    );
    for (const [i, [block, submit]] of results.entries()) {
      expect([block.status, submit.status].sort()).toEqual([200, 409]);
      const status = (await rows<{ status: string }>("select status from sub_task where id = ?", ids[i]))[0]!.status;
      expect(status).toBe(block.status === 200 ? "blocked" : "review");
    }
    expect(await audits("sub_task.block")).toHaveLength(results.filter(([b]) => b.status === 200).length);
  });

  it("an admin cancel racing the executor's submit: serialized, never lost, always ends cancelled", async () => {
    const t = await newTask();
    const ids = await Promise.all(Array.from({ length: 6 }, () => subIn(t, "in_progress")));
    const results = await Promise.all(
      ids.map((id) => Promise.all([adm("POST", `/api/admin/sub-tasks/${id}/cancel`), act(exec, id, "submit")])),
    );
    for (const [i, [cancel, submit]] of results.entries()) {
      expect(cancel.status).toBe(200); // cancel is legal from in_progress and from review
      const history = (
        await rows<{ op: string }>(
          "select op from sub_task_event where sub_task_id = ? and op in ('submit', 'cancel') order by rowid",
          ids[i],
        )
      ).map((e) => e.op);
      // Either the submit ran first and the cancel closed the review, or the cancel won and the submit was refused.
      expect(history).toEqual(submit.status === 200 ? ["submit", "cancel"] : ["cancel"]);
      if (submit.status !== 200) expect(submit.status).toBe(409);
      expect((await rows("select status from sub_task where id = ?", ids[i]))[0]).toEqual({ status: "cancelled" });
    }
    expect(await audits("sub_task.cancel")).toHaveLength(6);
  });

  it("an admin reassign racing a planner's reassign of the same blocked sub-task: one after the other, the later decides", async () => {
    const t = await newTask();
    const id = await subIn(t, "blocked");
    const [mine, theirs] = await Promise.all([
      adm("POST", `/api/admin/sub-tasks/${id}/reassign`, { agent_id: exec2.id }),
      call("POST", `/api/sub-tasks/${id}/reassign`, { key: planner.key, body: { agent_id: exec.id } }),
    ]);
    // Reassign starts from assigned too (as upstream), so both land, serialized by the Durable Object.
    expect([mine.status, theirs.status]).toEqual([200, 200]);
    const events = await rows<{ from_status: string; detail: string }>(
      "select from_status, detail from sub_task_event where sub_task_id = ? and op = 'reassign' order by rowid",
      id,
    );
    expect(events.map((e) => e.from_status)).toEqual(["blocked", "assigned"]);
    const [row] = await rows("select status, assigned_agent from sub_task where id = ?", id);
    expect(row).toEqual({ status: "assigned", assigned_agent: events[1]!.detail.replace("to ", "") });
    expect(await audits("sub_task.reassign")).toHaveLength(1);
  });
});

describe("patrol records and the registration token", () => {
  it("resolves an open patrol record once", async () => {
    const t = await newTask();
    const sub = await subIn(t, "assigned");
    const filed = await ok(
      call("POST", "/api/patrol/records", {
        key: patrol.key,
        body: { type: "stuck", severity: "warning", sub_task_id: sub, description: "d" },
      }),
    );
    const resolved = await ok(
      adm("POST", `/api/admin/patrol-records/${filed.id}/resolve`, { note: "restarted the agent" }),
    );
    expect(resolved).toMatchObject({
      id: filed.id,
      status: "resolved",
      resolution_note: "restarted the agent",
      sub_task_id: sub,
    });
    expect(resolved.resolved_at).toEqual(expect.any(String));
    expect((await adm("POST", `/api/admin/patrol-records/${filed.id}/resolve`, { note: "again" })).body.code).toBe(
      "record_not_open",
    );
    expect((await adm("POST", "/api/admin/patrol-records/nope/resolve", {})).status).toBe(404);
    expect(
      (await adm("POST", `/api/admin/patrol-records/${filed.id}/resolve`, { note: "x".repeat(2001) })).status,
    ).toBe(400);
    const rowsOf = await audits("patrol_record.resolve");
    expect(rowsOf.map((a) => [a.target_id, JSON.parse(a.detail)])).toEqual([
      [filed.id, { note: "restarted the agent" }],
    ]);
  });

  it("rotates the registration token: the old one stops working at once", async () => {
    const { registration_token: token } = await ok(adm("POST", "/api/admin/registration-token/rotate"));
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    const registerWith = (t: string, name: string) =>
      call("POST", "/api/agents/register", {
        headers: { "x-registration-token": t },
        body: { name, role: "executor" },
      });
    expect((await registerWith(REGISTRATION_TOKEN, "late-agent")).status).toBe(403);
    expect((await registerWith(token, "new-agent")).status).toBe(200);
    expect((await ok(adm("GET", "/api/admin/config"))).agent.registration_token).toBe(token);
    const [row] = await audits("registration_token.rotate");
    expect(row!.detail).not.toContain(token);
    expect(JSON.stringify(await audits())).not.toContain(token);
    const again = await ok(adm("POST", "/api/admin/registration-token/rotate"));
    expect(again.registration_token).not.toBe(token);
    expect((await registerWith(token, "later-agent")).status).toBe(403);
    expect(await audits("registration_token.rotate")).toHaveLength(2);
  });
});
