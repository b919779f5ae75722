import { beforeEach, describe, expect, it } from "vitest";
import { call, env, initialize, register, type TestAgent } from "./helpers";

let planner: TestAgent, exec: TestAgent, other: TestAgent, reviewer: TestAgent, patrol: TestAgent;
let taskId: string;

beforeEach(async () => {
  await initialize();
  [planner, exec, other, reviewer, patrol] = await Promise.all([
    register("planner"),
    register("executor"),
    register("executor"),
    register("reviewer"),
    register("patrol"),
  ]);
  taskId = (await call("POST", "/api/tasks", { key: planner.key, body: { name: "T" } })).body.id;
});

const create = async (body: Record<string, unknown> = {}) => {
  const res = await call("POST", "/api/sub-tasks", { key: planner.key, body: { task_id: taskId, name: "S", ...body } });
  expect(res.status).toBe(200);
  return res.body.id as string;
};
const act = (agent: TestAgent, id: string, op: string, body?: unknown) =>
  call("POST", `/api/sub-tasks/${id}/${op}`, { key: agent.key, body });
const toReview = async (id: string, who = exec) => {
  for (const op of ["claim", "start", "submit"]) expect((await act(who, id, op)).status).toBe(200);
};
const review = (id: string, body: Record<string, unknown>, who = reviewer) =>
  call("POST", "/api/review-records", { key: who.key, body: { sub_task_id: id, ...body } });

describe("creating sub-tasks", () => {
  it("creates pending or assigned sub-tasks with upstream's fields", async () => {
    const res = await call("POST", "/api/sub-tasks", {
      key: planner.key,
      body: {
        task_id: taskId,
        name: "S",
        deliverable: "a file",
        acceptance: "tests pass",
        priority: "high",
        assigned_agent: exec.id,
      },
    });
    expect(Object.keys(res.body).sort()).toEqual([
      "acceptance",
      "assigned_agent",
      "completed_at",
      "created_at",
      "current_session_id",
      "deliverable",
      "description",
      "id",
      "module_id",
      "name",
      "priority",
      "rework_count",
      "status",
      "task_id",
      "type",
      "updated_at",
    ]);
    expect(res.body).toMatchObject({ status: "assigned", assigned_agent: exec.id, priority: "high", rework_count: 0 });
    expect((await call("GET", `/api/sub-tasks/${await create()}`, { key: exec.key })).body.status).toBe("pending");
  });

  it("validates task, module and assignee", async () => {
    const post = (body: Record<string, unknown>) =>
      call("POST", "/api/sub-tasks", { key: planner.key, body: { task_id: taskId, name: "S", ...body } });
    expect((await post({ task_id: "nope" })).body.code).toBe("task_not_found");
    expect((await post({ module_id: "nope" })).body.code).toBe("module_not_found");
    const otherTask = (await call("POST", "/api/tasks", { key: planner.key, body: { name: "U" } })).body.id;
    const foreign = (await call("POST", `/api/tasks/${otherTask}/modules`, { key: planner.key, body: { name: "M" } }))
      .body.id;
    expect((await post({ module_id: foreign })).body.code).toBe("module_mismatch");
    expect((await post({ assigned_agent: "nope" })).status).toBe(404);
    expect((await post({ assigned_agent: reviewer.id })).body.code).toBe("invalid_agent");
    expect((await post({ priority: "urgent" })).status).toBe(400);
    expect((await call("POST", "/api/sub-tasks", { key: exec.key, body: { task_id: taskId, name: "S" } })).status).toBe(
      403,
    );
    await call("POST", `/api/tasks/${taskId}/cancel`, { key: planner.key });
    expect((await post({})).body.code).toBe("task_closed");
  });
});

describe("reading sub-tasks", () => {
  it("filters lists, shows mine, offers only claimable work, finds my latest", async () => {
    const a = await create({ name: "a" });
    const b = await create({ name: "b" });
    await act(exec, a, "claim");
    const list = await call("GET", "/api/sub-tasks", { key: other.key, query: { task_id: taskId, status: "pending" } });
    expect(list.body.items.map((s: { id: string }) => s.id)).toEqual([b]);
    expect(list.body.items[0]).toHaveProperty("recurring_config", null);
    expect(
      (await call("GET", "/api/sub-tasks/mine", { key: exec.key })).body.items.map((s: { id: string }) => s.id),
    ).toEqual([a]);
    expect(
      (await call("GET", "/api/sub-tasks/available", { key: exec.key })).body.items.map((s: { id: string }) => s.id),
    ).toEqual([b]);
    expect((await call("GET", "/api/sub-tasks/latest", { key: exec.key, query: { task_id: taskId } })).body.id).toBe(a);
    const none = await call("GET", "/api/sub-tasks/latest", { key: other.key, query: { task_id: taskId } });
    expect(none.status).toBe(404);
    expect((await call("GET", "/api/sub-tasks/latest", { key: other.key })).status).toBe(400);
    expect((await call("GET", "/api/sub-tasks/nope", { key: exec.key })).status).toBe(404);
  });

  it("records every state change as an event", async () => {
    const id = await create();
    await toReview(id);
    const events = (await call("GET", `/api/sub-tasks/${id}/events`, { key: planner.key })).body;
    expect(events.map((e: { op: string; to_status: string }) => `${e.op}:${e.to_status}`)).toEqual([
      "create:pending",
      "claim:assigned",
      "start:in_progress",
      "submit:review",
    ]);
    expect(events[1].actor_id).toBe(exec.id);
  });
});

describe("transitions", () => {
  it("claim, start with a session, change the session, submit", async () => {
    const id = await create();
    expect((await act(exec, id, "claim", { session_id: "cron:a:run:1" })).body).toMatchObject({
      status: "assigned",
      assigned_agent: exec.id,
      current_session_id: "cron:a:run:1",
    });
    expect((await act(exec, id, "start")).body).toMatchObject({
      status: "in_progress",
      current_session_id: "cron:a:run:1",
    });
    expect((await act(exec, id, "session", { session_id: "cron:a:run:2" })).body.current_session_id).toBe(
      "cron:a:run:2",
    );
    expect((await act(exec, id, "session", {})).status).toBe(400);
    expect((await act(exec, id, "submit")).body.status).toBe("review");
    expect((await call("GET", `/api/tasks/${taskId}`, { key: exec.key })).body.status).toBe("in_progress");
  });

  it("refuses other executors (403 not_owner), wrong roles (403), illegal states (409), unknown ids (404)", async () => {
    const id = await create();
    await act(exec, id, "claim");
    for (const op of ["start", "submit"])
      expect((await act(other, id, op)).body.code).toBe(op === "start" ? "not_owner" : "illegal_transition");
    expect((await act(other, id, "start")).status).toBe(403);
    await act(exec, id, "start");
    expect((await act(other, id, "submit")).body.code).toBe("not_owner");
    expect((await act(other, id, "session", { session_id: "x" })).body.code).toBe("not_owner");
    expect((await act(reviewer, id, "claim")).body.code).toBe("wrong_role");
    expect((await act(exec, id, "claim")).status).toBe(409);
    expect((await act(exec, "nope", "claim")).status).toBe(404);
  });

  it("rejection scores −5, counts a rework, keeps rounds; approval scores and completes", async () => {
    const id = await create();
    await toReview(id);
    expect((await review(id, { result: "rejected", score: 2, issues: "" })).body.code).toBe("issues_required");
    expect((await review(id, { result: "approved", score: 6 })).status).toBe(400);
    const r1 = await review(id, { result: "rejected", score: 2, issues: "missing tests", comment: "close" });
    expect(r1.body).toMatchObject({
      round: 1,
      result: "rejected",
      score: 2,
      reviewer_agent: reviewer.id,
      issues: "missing tests",
    });
    const after = (await call("GET", `/api/sub-tasks/${id}`, { key: exec.key })).body;
    expect(after).toMatchObject({ status: "rework", rework_count: 1, assigned_agent: exec.id });
    await act(exec, id, "start");
    await act(exec, id, "submit");
    const r2 = await review(id, { result: "approved", score: 5 });
    expect(r2.body.round).toBe(2);
    const done = (await call("GET", `/api/sub-tasks/${id}`, { key: exec.key })).body;
    expect(done.status).toBe("done");
    expect(done.completed_at).toBeTruthy();
    const score = await env.DB.prepare("select total_score from agent where id = ?")
      .bind(exec.id)
      .first<{ total_score: number }>();
    expect(score!.total_score).toBe(0);
    const list = await call("GET", "/api/review-records", { key: exec.key, query: { sub_task_id: id } });
    expect(list.body.items.map((r: { round: number }) => r.round)).toEqual([2, 1]);
    expect((await call("GET", `/api/review-records/${r1.body.id}`, { key: exec.key })).body).toEqual(r1.body);
    expect((await call("GET", "/api/review-records/nope", { key: exec.key })).status).toBe(404);
    expect((await call("GET", `/api/tasks/${taskId}`, { key: exec.key })).body.status).toBe("completed");
  });

  it("rejection may hand the rework to another active executor, never to a non-executor", async () => {
    const id = await create();
    await toReview(id);
    expect((await review(id, { result: "rejected", score: 1, issues: "x", rework_agent: planner.id })).body.code).toBe(
      "invalid_agent",
    );
    const r = await review(id, { result: "rejected", score: 1, issues: "x", rework_agent: other.id });
    expect(r.body.rework_agent).toBe(other.id);
    expect((await call("GET", `/api/sub-tasks/${id}`, { key: other.key })).body.assigned_agent).toBe(other.id);
    expect((await act(exec, id, "start")).body.code).toBe("not_owner");
    expect((await act(other, id, "start")).status).toBe(200);
  });

  it("an approval naming an unknown rework agent is refused and changes nothing", async () => {
    const id = await create();
    await toReview(id);
    const res = await review(id, { result: "approved", score: 5, rework_agent: "no-such-agent" });
    expect(res.status).toBe(404);
    expect((await call("GET", `/api/sub-tasks/${id}`, { key: exec.key })).body.status).toBe("review");
    expect((await env.DB.prepare("select count(*) n from review_record").first<{ n: number }>())!.n).toBe(0);
  });

  it("complete and rework leave a review record without a score", async () => {
    const id = await create();
    await toReview(id);
    expect((await call("POST", `/api/sub-tasks/${id}/rework`, { key: reviewer.key })).body).toMatchObject({
      status: "rework",
      rework_count: 1,
    });
    await act(exec, id, "start");
    await act(exec, id, "submit");
    expect((await call("POST", `/api/sub-tasks/${id}/complete`, { key: reviewer.key })).body.status).toBe("done");
    const records = await env.DB.prepare(
      "select round, result, score from review_record where sub_task_id = ? order by round",
    )
      .bind(id)
      .all();
    expect(records.results).toEqual([
      { round: 1, result: "rejected", score: null },
      { round: 2, result: "approved", score: null },
    ]);
    expect((await env.DB.prepare("select count(*) n from reward_log").first<{ n: number }>())!.n).toBe(0);
  });

  it("a reviewer cannot decide on work it did", async () => {
    const id = await create();
    await toReview(id);
    // The reviewer once held this sub-task (e.g. it was an executor before an admin changed its role).
    await env.DB.prepare(
      "insert into sub_task_event (id, sub_task_id, op, from_status, to_status, actor_kind, actor_id, created_at) values ('e1', ?, 'start', 'assigned', 'in_progress', 'agent', ?, '2026-01-01T00:00:00.000Z')",
    )
      .bind(id, reviewer.id)
      .run();
    expect((await review(id, { result: "approved", score: 5 })).body.code).toBe("own_work");
    expect((await call("POST", `/api/sub-tasks/${id}/complete`, { key: reviewer.key })).body.code).toBe("own_work");
  });

  it("patrol blocks; the planner reassigns in one step; edit and cancel follow their rules", async () => {
    const id = await create();
    await act(exec, id, "claim", { session_id: "s1" });
    expect((await act(exec, id, "block")).status).toBe(403);
    expect((await act(patrol, id, "block", { reason: "stuck for 3h" })).body).toMatchObject({
      status: "blocked",
      assigned_agent: exec.id,
      current_session_id: null,
    });
    expect((await act(planner, id, "reassign", { agent_id: reviewer.id })).body.code).toBe("invalid_agent");
    expect((await act(planner, id, "reassign", {})).status).toBe(400);
    expect((await act(planner, id, "reassign", { agent_id: other.id })).body).toMatchObject({
      status: "assigned",
      assigned_agent: other.id,
    });
    const edited = await call("PUT", `/api/sub-tasks/${id}`, {
      key: planner.key,
      body: { name: "Renamed", priority: "low", description: null },
    });
    expect(edited.body).toMatchObject({ name: "Renamed", priority: "low", description: "" });
    await act(other, id, "start");
    expect((await call("PUT", `/api/sub-tasks/${id}`, { key: planner.key, body: { name: "x" } })).status).toBe(409);
    expect((await act(planner, id, "cancel")).body).toMatchObject({ status: "cancelled", current_session_id: null });
    expect((await act(planner, id, "cancel")).status).toBe(409);
  });

  it("cancelling the last open sub-task completes a task whose others are done", async () => {
    const a = await create({ name: "a" });
    const b = await create({ name: "b" });
    await toReview(a);
    await review(a, { result: "approved", score: 3 });
    expect((await call("GET", `/api/tasks/${taskId}`, { key: exec.key })).body.status).toBe("in_progress");
    await act(planner, b, "cancel");
    expect((await call("GET", `/api/tasks/${taskId}`, { key: exec.key })).body.status).toBe("completed");
    // Score 3 changes nothing and writes no ledger row.
    expect((await env.DB.prepare("select count(*) n from reward_log").first<{ n: number }>())!.n).toBe(0);
  });
});

describe("query cost", () => {
  it("/available reads rows in proportion to pending work, not to all tasks ever created", async () => {
    await create();
    const rowsRead = async () =>
      Number((await call("GET", "/api/sub-tasks/available", { key: exec.key })).headers.get("x-d1-rows-read"));
    const before = await rowsRead();
    const stmts = [];
    for (let i = 0; i < 200; i++) {
      stmts.push(
        env.DB.prepare(
          "insert into task (id, name, status, created_at, updated_at) values (?, 'old', 'completed', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
        ).bind(`old-${i}`),
      );
      stmts.push(
        env.DB.prepare(
          "insert into sub_task (id, task_id, name, status, created_at, updated_at) values (?, ?, 'old', 'done', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
        ).bind(`old-st-${i}`, `old-${i}`),
      );
    }
    await env.DB.batch(stmts);
    expect(await rowsRead()).toBeLessThanOrEqual(before + 2);
  });
});
