import { describe, expect, it } from "vitest";
import { call, dbSnapshot, env, initialize, insertSubTask, ok, register, type TestAgent } from "./helpers";

/** Inserts activity rows directly, `ageDays` days old (fractional allowed). */
async function insertLogs(agentId: string, n: number, ageDays: number, action = "coding") {
  const base = Date.now() - ageDays * 86_400_000;
  await env.DB.batch(
    Array.from({ length: n }, (_, i) =>
      env.DB.prepare(
        "insert into activity_log (id, agent_id, sub_task_id, action, summary, session_id, created_at) values (?, ?, null, ?, ?, null, ?)",
      ).bind(crypto.randomUUID(), agentId, action, `old ${i}`, new Date(base - i * 1000).toISOString()),
    ),
  );
}

const post = (a: TestAgent, body: Record<string, unknown>) => call("POST", "/api/logs", { key: a.key, body });

describe("POST /api/logs", () => {
  it("writes an entry for the caller, CJK and emoji intact", async () => {
    await initialize();
    const a = await register("executor");
    const subTaskId = await insertSubTask();
    await ok(call("POST", `/api/sub-tasks/${subTaskId}/claim`, { key: a.key }));
    const summary = "测试 ✅ 🚀 日本語\nline two";
    const res = await post(a, { action: "coding", summary, sub_task_id: subTaskId, session_id: "sess-1" });
    expect(res.status).toBe(200);
    const { task_id: taskId } = (await env.DB.prepare("select task_id from sub_task where id = ?")
      .bind(subTaskId)
      .first<{ task_id: string }>())!;
    // A log on a sub-task is about its task too.
    expect(res.body).toMatchObject({
      agent_id: a.id,
      sub_task_id: subTaskId,
      task_id: taskId,
      action: "coding",
      summary,
      session_id: "sess-1",
    });
    expect(res.body.created_at).toMatch(/Z$/);
    const stored = await env.DB.prepare("select summary, agent_id from activity_log where id = ?")
      .bind(res.body.id)
      .first<{ summary: string; agent_id: string }>();
    expect(stored).toEqual({ summary, agent_id: a.id });

    const minimal = await post(a, { action: "reflection" });
    expect(minimal.status).toBe(200);
    expect(minimal.body).toMatchObject({ summary: "", sub_task_id: null, task_id: null, session_id: null });
    // Explicit nulls are the same as leaving the fields out.
    const p = await register("patrol");
    expect((await post(p, { action: "patrol", sub_task_id: null, session_id: null })).status).toBe(200);
  });

  it("answers 401, 400 for a bad action or oversized fields, 404 for an unknown sub-task, writing nothing", async () => {
    await initialize();
    const a = await register("executor");
    const before = await dbSnapshot();
    expect((await call("POST", "/api/logs", { body: { action: "coding" } })).status).toBe(401);
    for (const body of [
      { action: "sleeping" },
      {},
      { action: "coding", summary: "x".repeat(20_001) },
      { action: "coding", session_id: "s".repeat(201) },
      { action: "coding", summary: 5 },
    ]) {
      const res = await post(a, body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(res.body.code).toBe("invalid_input");
    }
    const bad = await post(a, { action: "sleeping" });
    expect(bad.body.detail).toContain("coding");
    const missing = await post(a, { action: "coding", sub_task_id: crypto.randomUUID() });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe("sub_task_not_found");
    expect(await dbSnapshot()).toEqual(before);
  });
});

describe("logs about a task (task_id)", () => {
  it("a task_id alone names the task; with a sub-task it must be the sub-task's; unknown ids 404; refusals write nothing", async () => {
    await initialize();
    const planner = await register("planner");
    const exec = await register("executor");
    const subTaskId = await insertSubTask();
    const { task_id: taskId } = (await env.DB.prepare("select task_id from sub_task where id = ?")
      .bind(subTaskId)
      .first<{ task_id: string }>())!;
    const otherTask = (await ok(call("POST", "/api/tasks", { key: planner.key, body: { name: "other" } })))
      .id as string;
    await ok(call("POST", `/api/sub-tasks/${subTaskId}/claim`, { key: exec.key }));

    const closing = await post(planner, { action: "delivery", summary: "all done", task_id: taskId });
    expect(closing.status).toBe(200);
    expect(closing.body).toMatchObject({ sub_task_id: null, task_id: taskId });
    const stored = await env.DB.prepare("select task_id from activity_log where id = ?")
      .bind(closing.body.id)
      .first<{ task_id: string }>();
    expect(stored?.task_id).toBe(taskId);
    // Naming the sub-task's own task too is fine.
    expect((await post(exec, { action: "coding", sub_task_id: subTaskId, task_id: taskId })).body.task_id).toBe(taskId);

    const before = await dbSnapshot();
    const mismatch = await post(exec, { action: "coding", sub_task_id: subTaskId, task_id: otherTask });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.code).toBe("task_mismatch");
    expect(mismatch.body.detail).toContain(taskId);
    expect(mismatch.body.hint).toContain(`--sub-task-id ${subTaskId}`);
    const unknownTask = await post(planner, { action: "plan", task_id: crypto.randomUUID() });
    expect(unknownTask.status).toBe(404);
    expect(unknownTask.body.code).toBe("task_not_found");
    expect((await post(exec, { action: "coding", sub_task_id: crypto.randomUUID(), task_id: taskId })).body.code).toBe(
      "sub_task_not_found",
    );
    expect(await dbSnapshot()).toEqual(before);
  });

  it("GET /api/logs and /mine filter by task_id: the task's sub-task logs and its own, each named", async () => {
    await initialize();
    const planner = await register("planner");
    const exec = await register("executor");
    const subTaskId = await insertSubTask();
    const elsewhere = await insertSubTask();
    const { task_id: taskId } = (await env.DB.prepare("select task_id from sub_task where id = ?")
      .bind(subTaskId)
      .first<{ task_id: string }>())!;
    await ok(call("POST", `/api/sub-tasks/${subTaskId}/claim`, { key: exec.key }));
    await ok(call("POST", `/api/sub-tasks/${elsewhere}/claim`, { key: exec.key }));
    await ok(post(exec, { action: "coding", summary: "on it", sub_task_id: subTaskId }));
    await ok(post(exec, { action: "coding", summary: "other task", sub_task_id: elsewhere }));
    await ok(post(planner, { action: "delivery", summary: "closing", task_id: taskId }));

    const list = await call("GET", "/api/logs", { key: exec.key, query: { task_id: taskId } });
    expect(list.status).toBe(200);
    expect(
      list.body.map((l: { summary: string; sub_task_name: string | null; task_name: string | null }) => [
        l.summary,
        l.sub_task_name,
        l.task_name,
      ]),
    ).toEqual([
      ["closing", null, "T"],
      ["on it", "S", "T"],
    ]);
    const mine = await call("GET", "/api/logs/mine", { key: exec.key, query: { task_id: taskId } });
    expect(mine.body.map((l: { summary: string }) => l.summary)).toEqual(["on it"]);
    expect((await call("GET", "/api/logs", { key: exec.key, query: { task_id: crypto.randomUUID() } })).body).toEqual(
      [],
    );
  });
});

describe("GET /api/logs and /api/logs/mine", () => {
  it("filters by agent, sub-task and action, newest first, as a plain array", async () => {
    await initialize();
    const a = await register("executor");
    const b = await register("reviewer");
    const subTaskId = await insertSubTask();
    await ok(call("POST", `/api/sub-tasks/${subTaskId}/claim`, { key: a.key }));
    const first = await post(a, { action: "coding", summary: "a1", sub_task_id: subTaskId });
    const second = await post(b, { action: "review", summary: "b1", sub_task_id: subTaskId });
    const third = await post(a, { action: "delivery", summary: "a2" });

    const all = await call("GET", "/api/logs", { key: b.key });
    expect(all.status).toBe(200);
    expect(all.body.map((l: { id: string }) => l.id)).toEqual([third.body.id, second.body.id, first.body.id]);
    // Lists add the names of the author, the sub-task and the task to the entry as written.
    expect(all.body[0]).toEqual({ ...third.body, agent_name: a.name, sub_task_name: null, task_name: null });
    expect(all.body[1]).toEqual({ ...second.body, agent_name: b.name, sub_task_name: "S", task_name: "T" });
    const byAgent = await call("GET", "/api/logs", { key: b.key, query: { agent_id: a.id } });
    expect(byAgent.body.map((l: { summary: string }) => l.summary)).toEqual(["a2", "a1"]);
    const bySub = await call("GET", "/api/logs", { key: b.key, query: { sub_task_id: subTaskId } });
    expect(bySub.body.map((l: { summary: string }) => l.summary)).toEqual(["b1", "a1"]);
    const byAction = await call("GET", "/api/logs", { key: b.key, query: { action: "review" } });
    expect(byAction.body.map((l: { summary: string }) => l.summary)).toEqual(["b1"]);

    const mine = await call("GET", "/api/logs/mine", { key: a.key });
    expect(mine.status).toBe(200);
    expect(mine.body.map((l: { summary: string }) => l.summary)).toEqual(["a2", "a1"]);
    const mineAction = await call("GET", "/api/logs/mine", { key: a.key, query: { action: "coding" } });
    expect(mineAction.body.map((l: { summary: string }) => l.summary)).toEqual(["a1"]);
    // /mine ignores other agents' filters: it is always the caller.
    const mineB = await call("GET", "/api/logs/mine", { key: b.key, query: { agent_id: a.id } });
    expect(mineB.body.map((l: { summary: string }) => l.summary)).toEqual(["b1"]);
  });

  it("applies the days window (default 7, clamped to 1..60)", async () => {
    await initialize();
    const a = await register("executor");
    await insertLogs(a.id, 1, 0.5); // 12 hours old
    await insertLogs(a.id, 1, 3);
    await insertLogs(a.id, 1, 10);
    await insertLogs(a.id, 1, 59);
    await insertLogs(a.id, 1, 61);
    const count = async (path: string, days?: number | string) =>
      ((await call("GET", path, { key: a.key, query: { days, limit: 500 } })).body as unknown[]).length;
    for (const path of ["/api/logs", "/api/logs/mine"]) {
      expect(await count(path)).toBe(2); // default 7 days
      expect(await count(path, 1)).toBe(1);
      expect(await count(path, 0)).toBe(1); // clamped up to 1
      expect(await count(path, -5)).toBe(1);
      expect(await count(path, 30)).toBe(3);
      expect(await count(path, 60)).toBe(4);
      expect(await count(path, 1000)).toBe(4); // clamped down to 60: the 61-day-old row stays out
    }
  });

  it("applies the limit (default 20, 0 means 20, clamped to 1..500)", async () => {
    await initialize();
    const a = await register("executor");
    await insertLogs(a.id, 510, 0.1);
    const count = async (path: string, limit?: number) =>
      ((await call("GET", path, { key: a.key, query: { limit } })).body as unknown[]).length;
    for (const path of ["/api/logs", "/api/logs/mine"]) {
      expect(await count(path)).toBe(20);
      expect(await count(path, 0)).toBe(20);
      expect(await count(path, -3)).toBe(1);
      expect(await count(path, 7)).toBe(7);
      expect(await count(path, 10_000)).toBe(500);
    }
    const newest = await call("GET", "/api/logs", { key: a.key, query: { limit: 2 } });
    expect(newest.body.map((l: { summary: string }) => l.summary)).toEqual(["old 0", "old 1"]);
  });

  it("answers 401 without a key and 400 for non-integer days or limit", async () => {
    await initialize();
    const a = await register("executor");
    expect((await call("GET", "/api/logs")).status).toBe(401);
    expect((await call("GET", "/api/logs/mine")).status).toBe(401);
    for (const query of [
      { days: "abc" },
      { limit: "1.5" },
      { days: "2.5" },
      { agent_id: "x".repeat(65) },
      { action: "y".repeat(51) },
    ]) {
      const res = await call("GET", "/api/logs", { key: a.key, query });
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.code).toBe("invalid_input");
    }
    expect((await call("GET", "/api/logs/mine", { key: a.key, query: { limit: "many" } })).status).toBe(400);
  });
});
