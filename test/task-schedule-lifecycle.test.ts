// Closing a recurring task ends its schedule in the same batch (docs/recurring.md): cancel (planner or
// admin) also cancels its open rounds, complete and archive end it once nothing is open, a restart
// does not resume it, and the cron's round step afterwards starts no round. Deleting a task removes its schedule
// and rounds. The invariant checker holds after each.
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../worker/db/client";
import { runRecurring } from "../worker/patrol/recurring";
import { call, env, initialize, ok, register, type TestAgent } from "./helpers";
import { expectInvariants } from "./invariants";
import { roundStatuses, scheduleRow, seedRecurringTask } from "./round-seed";

let admin: string;
let planner: TestAgent;

beforeEach(async () => {
  admin = await initialize();
  planner = await register("planner");
});

/**
 * The cron's round step, run well past every seeded next run: it starts a round for a control task
 * whose schedule is still active (so the step is live), and none for the closed task.
 */
async function cronAddsNothing(taskId: string): Promise<void> {
  const control = await seedRecurringTask(planner, []);
  const counts = (id: string) =>
    env.DB.prepare(
      "select (select count(*) from task_round where task_id = ?1) as rounds, (select count(*) from sub_task where task_id = ?1) as subs",
    )
      .bind(id)
      .first<{ rounds: number; subs: number }>();
  const before = await counts(taskId);
  const report = await runRecurring(getDb(env.DB), new Date(Date.now() + 2 * 86_400_000).toISOString());
  expect(report.created).toBe(1);
  expect(await counts(control.taskId)).toEqual({ rounds: 1, subs: 1 });
  expect(await counts(taskId)).toEqual(before);
}

const ended = { status: "ended", ended_reason: "task_closed", next_run_at: null };

describe("closing a recurring task ends its schedule", () => {
  it("cancel (planner): schedule ended, open rounds and their sub-tasks cancelled, finished rounds kept", async () => {
    const { taskId, rounds } = await seedRecurringTask(planner, [
      { status: "cancelled", subTasks: ["cancelled"] },
      { status: "open", subTasks: ["pending", "cancelled"] },
      { status: "open", subTasks: ["pending"] },
    ]);
    const res = await call("POST", `/api/tasks/${taskId}/cancel`, { key: planner.key });
    expect([res.status, res.body.status]).toEqual([200, "cancelled"]);
    expect(await scheduleRow(taskId)).toEqual(ended);
    expect(await roundStatuses(taskId)).toEqual({
      [rounds[0]!.id]: "cancelled",
      [rounds[1]!.id]: "cancelled",
      [rounds[2]!.id]: "cancelled",
    });
    const { results } = await env.DB.prepare(
      "select id, completed_at from task_round where task_id = ? and completed_at is null",
    )
      .bind(taskId)
      .all();
    expect(results).toEqual([]);
    const open = await env.DB.prepare("select count(*) as n from sub_task where task_id = ? and status = 'pending'")
      .bind(taskId)
      .first<{ n: number }>();
    expect(open?.n).toBe(0);
    await cronAddsNothing(taskId);
    await expectInvariants({ admin });
  });

  it("cancel (admin) and a restart afterwards: the schedule stays ended", async () => {
    const { taskId } = await seedRecurringTask(planner, [{ status: "open", subTasks: ["pending"] }]);
    await ok(call("POST", `/api/admin/tasks/${taskId}/cancel`, { admin }));
    expect(await scheduleRow(taskId)).toEqual(ended);
    const restarted = await call("POST", `/api/admin/tasks/${taskId}/restart`, { admin });
    expect([restarted.status, restarted.body.status]).toEqual([200, "active"]);
    expect(await scheduleRow(taskId)).toEqual(ended);
    await cronAddsNothing(taskId);
    await expectInvariants({ admin });
  });

  for (const to of ["completed", "archived"] as const) {
    it(`${to} with nothing open: schedule ended with reason task_closed`, async () => {
      const { taskId, rounds } = await seedRecurringTask(planner, [{ status: "cancelled", subTasks: ["cancelled"] }]);
      const res = await call("PUT", `/api/tasks/${taskId}/status`, { key: planner.key, body: { status: to } });
      expect([res.status, res.body.status]).toEqual([200, to]);
      expect(await scheduleRow(taskId)).toEqual(ended);
      expect(await roundStatuses(taskId)).toEqual({ [rounds[0]!.id]: "cancelled" });
      await cronAddsNothing(taskId);
      await expectInvariants({ admin });
    });
  }

  it("a refused completion (open sub-tasks, 409) leaves the schedule active with its next run", async () => {
    const nextRun = new Date(Date.now() + 3_600_000).toISOString();
    const { taskId } = await seedRecurringTask(planner, [{ status: "open", subTasks: ["pending"] }], nextRun);
    const res = await call("PUT", `/api/tasks/${taskId}/status`, { key: planner.key, body: { status: "completed" } });
    expect([res.status, res.body.code]).toEqual([409, "open_sub_tasks"]);
    expect(await scheduleRow(taskId)).toEqual({ status: "active", ended_reason: null, next_run_at: nextRun });
  });

  it("moving between open statuses leaves the schedule alone", async () => {
    const nextRun = new Date(Date.now() + 3_600_000).toISOString();
    const { taskId } = await seedRecurringTask(planner, [], nextRun);
    await ok(call("PUT", `/api/tasks/${taskId}/status`, { key: planner.key, body: { status: "in_progress" } }));
    expect(await scheduleRow(taskId)).toEqual({ status: "active", ended_reason: null, next_run_at: nextRun });
  });

  it("a schedule that had already ended keeps its own reason when the task closes", async () => {
    const { taskId } = await seedRecurringTask(planner, [{ status: "cancelled", subTasks: ["cancelled"] }]);
    await env.DB.prepare(
      "update task_schedule set status = 'ended', ended_reason = 'manual', next_run_at = null where task_id = ?",
    )
      .bind(taskId)
      .run();
    await ok(call("POST", `/api/tasks/${taskId}/cancel`, { key: planner.key }));
    expect(await scheduleRow(taskId)).toEqual({ status: "ended", ended_reason: "manual", next_run_at: null });
  });
});

describe("deleting a recurring task", () => {
  it("removes its schedule and rounds with it, and nothing of another task's", async () => {
    const doomed = await seedRecurringTask(planner, [
      { status: "cancelled", subTasks: ["cancelled"] },
      { status: "skipped" },
      { status: "open", subTasks: ["pending"] },
    ]);
    const kept = await seedRecurringTask(planner, [{ status: "open", subTasks: ["pending"] }]);
    const name = (await ok(call("GET", `/api/tasks/${doomed.taskId}`, { key: planner.key }))).name;
    const res = await call("DELETE", `/api/admin/tasks/${doomed.taskId}`, { admin, body: { confirm_name: name } });
    expect(res.status).toBe(200);
    expect(await scheduleRow(doomed.taskId)).toBeNull();
    expect(await roundStatuses(doomed.taskId)).toEqual({});
    expect(await scheduleRow(kept.taskId)).toMatchObject({ status: "active" });
    expect(await roundStatuses(kept.taskId)).toEqual({ [kept.rounds[0]!.id]: "open" });
    const audit = await env.DB.prepare("select detail from audit_log where action = 'task.delete'").first<{
      detail: string;
    }>();
    expect(JSON.parse(audit!.detail).counts.task_round).toBe(3);
    await expectInvariants({ admin });
  });
});

describe("closing a task while the cron starts its round", () => {
  const due = () => runRecurring(getDb(env.DB), new Date(Date.now() + 2 * 86_400_000).toISOString());
  const openWork = (taskId: string) =>
    env.DB.prepare(
      "select (select count(*) from sub_task where task_id = ?1 and status not in ('done', 'cancelled')) as subs, (select count(*) from task_round where task_id = ?1 and status = 'open') as rounds",
    )
      .bind(taskId)
      .first<{ subs: number; rounds: number }>();

  it("cancel and the cron at once: whatever the order, nothing stays open and the schedule has ended", async () => {
    for (let i = 0; i < 3; i++) {
      const { taskId } = await seedRecurringTask(planner, [{ status: "cancelled", subTasks: ["cancelled"] }]);
      const [cancel] = await Promise.all([call("POST", `/api/tasks/${taskId}/cancel`, { key: planner.key }), due()]);
      expect(cancel.status).toBe(200);
      expect(await openWork(taskId)).toEqual({ subs: 0, rounds: 0 });
      expect(await scheduleRow(taskId)).toMatchObject({ status: "ended", next_run_at: null });
    }
    await expectInvariants({ admin });
  });

  it("complete and the cron at once: either the task completes and no round starts, or the round starts and completion is refused", async () => {
    for (let i = 0; i < 3; i++) {
      const { taskId } = await seedRecurringTask(planner, [{ status: "cancelled", subTasks: ["cancelled"] }]);
      const [done] = await Promise.all([
        call("PUT", `/api/tasks/${taskId}/status`, { key: planner.key, body: { status: "completed" } }),
        due(),
      ]);
      if (done.status === 200) {
        expect(await openWork(taskId)).toEqual({ subs: 0, rounds: 0 });
        expect(await scheduleRow(taskId)).toEqual(ended);
      } else {
        expect([done.status, done.body.code]).toEqual([
          409,
          expect.stringMatching(/^(open_sub_tasks|concurrent_change)$/),
        ]);
        expect(await openWork(taskId)).toEqual({ subs: 1, rounds: 1 });
        expect(await scheduleRow(taskId)).toMatchObject({ status: "active" });
      }
    }
    await expectInvariants({ admin });
  });
});
