// Settling recurring tasks: a round closes with its last sub-task (round_completed, once), a task with
// an active schedule stays open between rounds, and it completes — all_done once — only after its
// schedule ended (max_rounds, ends_at) and its last round finished. Dependencies stay inside a round.
// A legacy `recurring` task without a schedule completes as before.
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../worker/db/client";
import { nextSlot } from "../worker/domain/schedule";
import { runRecurring } from "../worker/patrol/recurring";
import { call, env, initialize, ok, register, type TestAgent } from "./helpers";
import { expectInvariants } from "./invariants";
import { channel, configure } from "./notification-helpers";
import {
  approve,
  DAILY_9_SHANGHAI,
  eventsAbout,
  retrospectivesOff,
  roundsOf,
  scheduledTask,
  scheduleOf,
  subTasksOf,
  taskStatusOf,
} from "./recurring-fixtures";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let admin: string;
let planner: TestAgent;
let exec: TestAgent;
let reviewer: TestAgent;
let slot0: number;
const slot = (n: number) => slot0 + n * DAY;
const iso = (t: number) => new Date(t).toISOString();
const step = (t: number) => runRecurring(getDb(env.DB), iso(t));

beforeEach(async () => {
  admin = await initialize();
  await retrospectivesOff();
  // Outbox rows are queued only for events a channel wants.
  await configure(
    [channel({ id: "hook", type: "webhook", url: "https://hooks.example/x" })],
    ["all_done", "round_completed"],
  );
  planner = await register("planner");
  exec = await register("executor");
  reviewer = await register("reviewer");
  slot0 = nextSlot(DAILY_9_SHANGHAI, new Date())!.getTime();
});

/** Approves every sub-task of the round, collect before translate. */
async function finishRound(roundId: string): Promise<void> {
  for (const s of await subTasksOf(roundId)) await approve(s.id, exec, reviewer);
}

describe("settling rounds and recurring tasks", () => {
  it("a finished round closes with round_completed once; the task stays open while its schedule is active", async () => {
    const taskId = await scheduledTask(planner, { nextRunAt: iso(slot(0)) });
    await step(slot(0));
    const [round] = await roundsOf(taskId);
    const [collect, translate] = await subTasksOf(round!.id);
    await approve(collect!.id, exec, reviewer);
    expect((await roundsOf(taskId))[0]!.status).toBe("open");
    expect(await eventsAbout("round_completed", taskId)).toEqual([]);
    await approve(translate!.id, exec, reviewer);
    expect((await roundsOf(taskId))[0]!.status).toBe("done");
    expect(await taskStatusOf(taskId)).toBe("in_progress");
    expect(await eventsAbout("all_done", taskId)).toEqual([]);
    const events = await eventsAbout("round_completed", taskId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      task: { id: taskId },
      round: { id: round!.id, round_no: 1, status: "done", done: 2, total: 2 },
    });
    await expectInvariants({ admin });
  });

  it("a round whose sub-tasks were all cancelled closes as cancelled", async () => {
    const taskId = await scheduledTask(planner, { nextRunAt: iso(slot(0)) });
    await step(slot(0));
    const [round] = await roundsOf(taskId);
    for (const s of await subTasksOf(round!.id)) {
      await ok(call("POST", `/api/sub-tasks/${s.id}/cancel`, { key: planner.key, body: {} }));
    }
    expect((await roundsOf(taskId))[0]!.status).toBe("cancelled");
    expect((await eventsAbout("round_completed", taskId))[0]).toMatchObject({
      round: { status: "cancelled", done: 0, total: 2 },
    });
  });

  it("max_rounds: the schedule ends with the last round; the task completes with its last approval, all_done once", async () => {
    const taskId = await scheduledTask(planner, {
      nextRunAt: iso(slot(0)),
      policy: { when_unfinished: "stack", max_open_rounds: 3, max_rounds: 2 },
    });
    await step(slot(0));
    expect(await step(slot(1))).toMatchObject({ created: 1, ended: 1, completed: 0 });
    expect(await scheduleOf(taskId)).toMatchObject({ status: "ended", ended_reason: "max_rounds", next_run_at: null });
    expect(await step(slot(2))).toMatchObject({ due: 0, created: 0 });
    const [r1, r2] = await roundsOf(taskId);
    await finishRound(r1!.id);
    expect(await taskStatusOf(taskId)).toBe("in_progress");
    const [collect, translate] = await subTasksOf(r2!.id);
    await approve(collect!.id, exec, reviewer);
    expect(await taskStatusOf(taskId)).toBe("in_progress");
    expect(await eventsAbout("all_done", taskId)).toEqual([]);
    await approve(translate!.id, exec, reviewer);
    expect(await taskStatusOf(taskId)).toBe("completed");
    expect(await eventsAbout("all_done", taskId)).toHaveLength(1);
    expect(await eventsAbout("round_completed", taskId)).toHaveLength(2);
    await expectInvariants({ admin });
  });

  it("ends_at: the last slot before it ends the schedule; the task completes with that round's last approval", async () => {
    const taskId = await scheduledTask(planner, {
      nextRunAt: iso(slot(0)),
      policy: { ends_at: iso(slot(1) + HOUR) },
    });
    await step(slot(0));
    await finishRound((await roundsOf(taskId))[0]!.id);
    expect(await taskStatusOf(taskId)).toBe("in_progress");
    // Round 2 is the last slot before ends_at: the schedule ends as it is created.
    expect(await step(slot(1))).toMatchObject({ created: 1, ended: 1 });
    expect(await scheduleOf(taskId)).toMatchObject({ status: "ended", ended_reason: "ends_at" });
    await finishRound((await roundsOf(taskId))[1]!.id);
    expect(await taskStatusOf(taskId)).toBe("completed");
    expect(await eventsAbout("all_done", taskId)).toHaveLength(1);
  });

  it("an end date that passed while the task waited: the cron ends the schedule and completes the task, all_done once", async () => {
    const taskId = await scheduledTask(planner, { nextRunAt: iso(slot(0)) });
    await step(slot(0));
    await finishRound((await roundsOf(taskId))[0]!.id);
    // The end date moved before the next slot (as an edit of the policy would).
    await env.DB.prepare(
      "update task_schedule set config = json_set(config, '$.policy.ends_at', ?), next_run_at = ? where task_id = ?",
    )
      .bind(iso(slot(0) + HOUR), iso(slot(1)), taskId)
      .run();
    const [first, again] = await Promise.all([step(slot(1)), step(slot(1))]);
    expect(first.ended + again.ended).toBe(1);
    expect(first.completed + again.completed).toBe(1);
    expect(first.created + again.created).toBe(0);
    expect(await taskStatusOf(taskId)).toBe("completed");
    expect(await eventsAbout("all_done", taskId)).toHaveLength(1);
    const ended = await env.DB.prepare("select summary from activity_log where task_id = ? and summary like '%ended%'")
      .bind(taskId)
      .all<{ summary: string }>();
    expect(ended.results).toHaveLength(1);
    await expectInvariants({ admin });
  });

  it("dependencies stay inside a round: round 2's first sub-task is claimable while round 1's second still waits", async () => {
    const taskId = await scheduledTask(planner, {
      nextRunAt: iso(slot(0)),
      policy: { when_unfinished: "stack", max_open_rounds: 3 },
    });
    await step(slot(0));
    await step(slot(1));
    const [r1, r2] = await roundsOf(taskId);
    const [collect1, translate1] = await subTasksOf(r1!.id);
    const [collect2, translate2] = await subTasksOf(r2!.id);
    const deps = await env.DB.prepare(
      "select sub_task_id, depends_on from sub_task_dependency where sub_task_id in (?, ?, ?, ?) order by sub_task_id",
    )
      .bind(collect1!.id, translate1!.id, collect2!.id, translate2!.id)
      .all<{ sub_task_id: string; depends_on: string }>();
    expect(new Set(deps.results.map((d) => `${d.sub_task_id}>${d.depends_on}`))).toEqual(
      new Set([`${translate1!.id}>${collect1!.id}`, `${translate2!.id}>${collect2!.id}`]),
    );
    const claim = (id: string) => call("POST", `/api/sub-tasks/${id}/claim`, { key: exec.key, body: {} });
    expect((await claim(translate1!.id)).status).toBe(409);
    expect((await claim(collect2!.id)).status).toBe(200);
    expect((await claim(translate2!.id)).status).toBe(409);
  });

  it("a legacy recurring task without a schedule still completes when its sub-tasks are done", async () => {
    const task = await ok(
      call("POST", "/api/tasks", { key: planner.key, body: { name: "Legacy", type: "recurring" } }),
    );
    await ok(call("PUT", `/api/tasks/${task.id}/status`, { key: planner.key, body: { status: "active" } }));
    const st = await ok(
      call("POST", "/api/sub-tasks", {
        key: planner.key,
        body: { task_id: task.id, name: "Once", description: "", deliverable: "", acceptance: "", type: "recurring" },
      }),
    );
    await approve(st.id, exec, reviewer);
    expect(await taskStatusOf(task.id)).toBe("completed");
    expect(await eventsAbout("all_done", task.id)).toHaveLength(1);
  });
});
