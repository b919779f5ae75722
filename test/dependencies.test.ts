import { beforeEach, describe, expect, it } from "vitest";
import { call, env, initialize, register, type TestAgent } from "./helpers";
import { expectInvariants } from "./invariants";

let planner: TestAgent, exec: TestAgent, reviewer: TestAgent;
let taskId: string;

beforeEach(async () => {
  await initialize();
  [planner, exec, reviewer] = await Promise.all([register("planner"), register("executor"), register("reviewer")]);
  taskId = (await call("POST", "/api/tasks", { key: planner.key, body: { name: "T" } })).body.id;
});

const post = (body: Record<string, unknown>, task = taskId) =>
  call("POST", "/api/sub-tasks", { key: planner.key, body: { task_id: task, name: "S", ...body } });
const create = async (body: Record<string, unknown> = {}) => {
  const res = await post(body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.id as string;
};
const setDeps = (id: string, depends_on: unknown, key = planner.key) =>
  call("PUT", `/api/sub-tasks/${id}/dependencies`, { key, body: { depends_on } });
const act = (agent: TestAgent, id: string, op: string) =>
  call("POST", `/api/sub-tasks/${id}/${op}`, { key: agent.key, body: {} });
const finish = async (id: string) => {
  for (const op of ["claim", "start", "submit"]) expect((await act(exec, id, op)).status).toBe(200);
  expect((await act(reviewer, id, "complete")).status).toBe(200);
};
const available = async () =>
  (await call("GET", "/api/sub-tasks/available", { key: exec.key })).body.items.map(
    (s: { id: string }) => s.id,
  ) as string[];
const detail = async (id: string) => (await call("GET", `/api/sub-tasks/${id}`, { key: exec.key })).body;

describe("sub-task dependencies", () => {
  it("are stored with the sub-task and shown on its detail", async () => {
    const a = await create({ name: "a" });
    const b = await create({ name: "b" });
    const c = await create({ name: "c", depends_on: [b, a] });
    expect((await detail(c)).depends_on).toEqual([a, b].sort());
    expect((await detail(a)).depends_on).toEqual([]);
    const rows = await env.DB.prepare(
      "select depends_on from sub_task_dependency where sub_task_id = ? order by depends_on",
    )
      .bind(c)
      .all();
    expect(rows.results.map((r) => r.depends_on)).toEqual([a, b].sort());
  });

  it("block claiming and hide the sub-task from available until every dependency is done", async () => {
    const a = await create({ name: "a" });
    const b = await create({ name: "b" });
    const c = await create({ name: "c", depends_on: [a, b] });
    expect(await available()).not.toContain(c);
    const refused = await act(exec, c, "claim");
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("dependencies_pending");
    expect((await detail(c)).status).toBe("pending");

    await finish(a);
    expect(await available()).not.toContain(c);
    expect((await act(exec, c, "claim")).body.code).toBe("dependencies_pending");

    await finish(b);
    expect(await available()).toContain(c);
    const claimed = await act(exec, c, "claim");
    expect(claimed.status).toBe(200);
    expect(claimed.body.status).toBe("assigned");
    await expectInvariants();
  });

  it("hold back the start of work a planner assigned directly until every dependency is done", async () => {
    const a = await create({ name: "a" });
    const b = await create({ name: "b", depends_on: [a], assigned_agent: exec.id });
    expect((await detail(b)).status).toBe("assigned");
    const refused = await act(exec, b, "start");
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("dependencies_pending");
    const after = await detail(b);
    expect(after.status).toBe("assigned");
    expect(after.started_at ?? null).toBeNull();

    await finish(a);
    const started = await act(exec, b, "start");
    expect(started.status).toBe(200);
    expect(started.body.status).toBe("in_progress");
    await expectInvariants();
  });

  it("refuse a dependency on another task's sub-task or on an unknown id, writing nothing", async () => {
    const otherTask = (await call("POST", "/api/tasks", { key: planner.key, body: { name: "U" } })).body.id;
    const foreign = (await post({}, otherTask)).body.id;
    const count = async () =>
      (await env.DB.prepare("select count(*) as n from sub_task where task_id = ?")
        .bind(taskId)
        .first<{ n: number }>())!.n;
    const before = await count();
    const cross = await post({ depends_on: [foreign] });
    expect(cross.status).toBe(400);
    expect(cross.body.code).toBe("dependency_other_task");
    const unknown = await post({ depends_on: ["nope"] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe("sub_task_not_found");
    expect(await count()).toBe(before);

    const a = await create();
    expect((await setDeps(a, [foreign])).body.code).toBe("dependency_other_task");
    expect((await setDeps(a, ["nope"])).status).toBe(404);
    expect((await setDeps("nope", [])).status).toBe(404);
  });

  it("are replaced with PUT, which refuses cycles", async () => {
    const a = await create({ name: "a" });
    const b = await create({ name: "b", depends_on: [a] });
    const c = await create({ name: "c", depends_on: [b] });
    // A → B → C → A: a depending on c closes the cycle.
    const cycle = await setDeps(a, [c]);
    expect(cycle.status).toBe(409);
    expect(cycle.body.code).toBe("dependency_cycle");
    expect((await detail(a)).depends_on).toEqual([]);
    const self = await setDeps(a, [a]);
    expect(self.body.code).toBe("dependency_cycle");

    // Replacing b's set (dropping a) makes the same edge legal.
    const replaced = await setDeps(b, []);
    expect(replaced.status).toBe(200);
    expect(replaced.body.depends_on).toEqual([]);
    const ok = await setDeps(a, [c]);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ id: a, depends_on: [c] });
    expect(await available()).not.toContain(a);
    expect(await available()).toContain(b);
    expect((await setDeps(a, [c], exec.key)).status).toBe(403);
  });

  it("refuse bad input with 400", async () => {
    const a = await create();
    const many = Array.from({ length: 21 }, (_, i) => `id-${i}`);
    for (const bad of ["x", 5, null, { a: 1 }, many, [a, a], [""], [7]]) {
      expect((await post({ depends_on: bad })).status, JSON.stringify(bad)).toBe(400);
      expect((await setDeps(a, bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect((await call("PUT", `/api/sub-tasks/${a}/dependencies`, { key: planner.key, body: {} })).status).toBe(400);
  });

  it("work through the admin create endpoint too", async () => {
    const admin = (await call("POST", "/api/admin/login", { body: { password: "correct horse battery" } })).body.token;
    const a = await create();
    const res = await call("POST", "/api/admin/sub-tasks", {
      admin,
      body: { task_id: taskId, name: "S", depends_on: [a] },
    });
    expect(res.status).toBe(200);
    expect((await detail(res.body.id)).depends_on).toEqual([a]);
    expect(
      (
        await call("POST", "/api/admin/sub-tasks", {
          admin,
          body: { task_id: taskId, name: "S", depends_on: ["nope"] },
        })
      ).status,
    ).toBe(404);
  });
});
