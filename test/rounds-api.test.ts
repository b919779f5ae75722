// GET /api/tasks/{task_id}/rounds (newest slot first, with each round's sub-task counts, a status
// filter, paging, who may read it) and GET /api/sub-tasks?round_id= (docs/recurring.md).
import { beforeEach, describe, expect, it } from "vitest";
import { call, initialize, register, type TestAgent } from "./helpers";
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
  ({ taskId, rounds } = await seedRecurringTask(planner, [
    { status: "done", subTasks: ["done", "done", "cancelled"] },
    { status: "skipped" },
    { status: "open", subTasks: ["done", "pending", "in_progress", "review"] },
  ]));
});

const list = (query: Record<string, string | number> = {}, key = executor.key) =>
  call("GET", `/api/tasks/${taskId}/rounds`, { key, query });

describe("GET /api/tasks/{task_id}/rounds", () => {
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
