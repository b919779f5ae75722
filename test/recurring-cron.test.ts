// The cron creates each round of a recurring task exactly once, with a controllable clock (runCron at
// chosen instants): duplicate, concurrent and late runs, numbering without gaps, the skip and stack
// policies, pause and resume (docs/recurring.md).
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../worker/db/client";
import { nextSlot } from "../worker/domain/schedule";
import { type CronRun, runCron } from "../worker/patrol/cron";
import { type RecurringReport, runRecurring } from "../worker/patrol/recurring";
import { call, env, initialize, ok, register, type TestAgent } from "./helpers";
import { expectInvariants } from "./invariants";
import { fakeFetch } from "./notification-helpers";
import {
  approve,
  DAILY_9_SHANGHAI,
  retrospectivesOff,
  roundsOf,
  scheduledTask,
  scheduleOf,
  subTasksOf,
  TWO_STEP,
} from "./recurring-fixtures";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let admin: string;
let planner: TestAgent;
let exec: TestAgent;
let reviewer: TestAgent;
/** The first 09:00 in Shanghai after now; Shanghai has no DST, so slot(n) is n days later. */
let slot0: number;
const slot = (n: number) => slot0 + n * DAY;
const iso = (t: number) => new Date(t).toISOString();

beforeEach(async () => {
  admin = await initialize();
  await retrospectivesOff();
  planner = await register("planner");
  exec = await register("executor");
  reviewer = await register("reviewer");
  slot0 = nextSlot(DAILY_9_SHANGHAI, new Date())!.getTime();
});

const cron = async (t: number): Promise<RecurringReport> => {
  const run: CronRun = await runCron(env, t, fakeFetch().fetcher);
  expect(run.failed).toEqual([]);
  return run.recurring as RecurringReport;
};
const step = (t: number) => runRecurring(getDb(env.DB), iso(t));
const created = (reports: RecurringReport[]) => reports.reduce((n, r) => n + r.created, 0);

describe("a daily recurring task", () => {
  it("gets exactly one round per local day across duplicate, concurrent and late runs, numbered 1, 2, 3", async () => {
    const taskId = await scheduledTask(planner, {
      nextRunAt: iso(slot(0)),
      policy: { when_unfinished: "stack", max_open_rounds: 10 },
    });
    expect(await step(slot(0) - 60_000)).toMatchObject({ due: 0, created: 0 });
    expect((await cron(slot(0))).created).toBe(1);
    // The same slot again: at once, twice at the same time, and five hours late.
    expect((await cron(slot(0))).created).toBe(0);
    expect(created(await Promise.all([cron(slot(0) + 30_000), cron(slot(0) + 30_000)]))).toBe(0);
    expect((await cron(slot(0) + 5 * HOUR)).created).toBe(0);
    // The next day's slot, first seen 23 hours late by two runs at once.
    expect(created(await Promise.all([step(slot(1) + 23 * HOUR), step(slot(1) + 23 * HOUR)]))).toBe(1);
    // Three days without a run: one round for the latest slot, the three before it missed.
    const late = await cron(slot(5) + HOUR);
    expect(late).toMatchObject({ due: 1, created: 1, skipped: 0 });

    const rounds = await roundsOf(taskId);
    expect(rounds.map((r) => [r.round_no, r.round_key, r.status, r.missed])).toEqual([
      [1, `${iso(slot(0)).slice(0, 16)}Z`, "open", 0],
      [2, `${iso(slot(1)).slice(0, 16)}Z`, "open", 0],
      [3, `${iso(slot(5)).slice(0, 16)}Z`, "open", 3],
    ]);
    expect(await scheduleOf(taskId)).toMatchObject({ status: "active", rounds_created: 3, next_run_at: iso(slot(6)) });
    // Each round has the template's two sub-tasks, named for the slot's local date (09:00 Shanghai is that UTC date).
    for (const [i, r] of rounds.entries()) {
      const subs = await subTasksOf(r.id);
      const date = iso(slot([0, 1, 5][i]!)).slice(0, 10);
      expect(subs.map((s) => [s.name, s.type, s.status])).toEqual([
        [`Collect news ${date} (round ${r.round_no})`, "once", "pending"],
        [`Translate news ${date}`, "once", "pending"],
      ]);
      expect(subs[0]).toMatchObject({
        priority: "high",
        description: `Collect the news of ${date}`,
        deliverable: `round_${r.round_no}/news.md`,
      });
      expect(JSON.parse(subs[0]!.recurring_config)).toEqual({
        round_id: r.id,
        round_no: r.round_no,
        round_key: r.round_key,
        key: "collect",
      });
    }
    const logs = await env.DB.prepare(
      "select agent_id, action, summary from activity_log where task_id = ? order by created_at",
    )
      .bind(taskId)
      .all<{ agent_id: string; action: string; summary: string }>();
    expect(logs.results.map((l) => [l.agent_id, l.action])).toEqual(Array(3).fill(["system", "plan"]));
    expect(logs.results[2]!.summary).toContain("Round 3 of");
    expect(logs.results[2]!.summary).toContain("3 earlier slot(s)");
    await expectInvariants({ admin });
  });

  it("skip: an unfinished round turns the next slot into a skipped row; the round after it is number 2", async () => {
    const taskId = await scheduledTask(planner, { nextRunAt: iso(slot(0)) });
    await cron(slot(0));
    expect(await cron(slot(1))).toMatchObject({ created: 0, skipped: 1 });
    const [first] = await roundsOf(taskId);
    for (const s of await subTasksOf(first!.id)) await approve(s.id, exec, reviewer);
    expect((await cron(slot(2))).created).toBe(1);
    const rounds = await roundsOf(taskId);
    expect(rounds.map((r) => [r.round_no, r.status, r.skip_reason])).toEqual([
      [1, "done", null],
      [null, "skipped", "previous_unfinished"],
      [2, "open", null],
    ]);
    expect(await subTasksOf(rounds[1]!.id)).toEqual([]);
    const skipLog = await env.DB.prepare(
      "select summary from activity_log where task_id = ? and summary like '%skipped%'",
    )
      .bind(taskId)
      .first<{ summary: string }>();
    expect(skipLog?.summary).toContain(`task rounds ${taskId} --status open`);
    await expectInvariants({ admin });
  });

  it("stack: rounds pile up to max_open_rounds, then slots are skipped for that reason", async () => {
    const taskId = await scheduledTask(planner, {
      nextRunAt: iso(slot(0)),
      policy: { when_unfinished: "stack", max_open_rounds: 2 },
    });
    for (const n of [0, 1, 2]) await cron(slot(n));
    expect((await roundsOf(taskId)).map((r) => [r.round_no, r.status, r.skip_reason])).toEqual([
      [1, "open", null],
      [2, "open", null],
      [null, "skipped", "max_open_rounds"],
    ]);
  });

  it("pause: no rounds while paused; resume waits for the next slot and does not catch up", async () => {
    // Due three days ago: without the pause the next run would make a (late) round at once.
    const taskId = await scheduledTask(planner, { nextRunAt: iso(slot(-3)) });
    await ok(call("POST", `/api/tasks/${taskId}/schedule/pause`, { key: planner.key }));
    expect(await scheduleOf(taskId)).toMatchObject({ status: "paused", next_run_at: null });
    for (const n of [-2, -1]) expect(await step(slot(n))).toMatchObject({ due: 0, created: 0 });
    await ok(call("POST", `/api/tasks/${taskId}/schedule/resume`, { key: planner.key }));
    expect((await scheduleOf(taskId))?.next_run_at).toBe(iso(slot(0)));
    expect(await step(Date.now())).toMatchObject({ due: 0, created: 0 });
    expect(await step(slot(0))).toMatchObject({ created: 1 });
    expect((await roundsOf(taskId)).map((r) => [r.round_no, r.missed])).toEqual([[1, 0]]);
  });

  it("waits while its task is in planning, then makes one round for the latest slot", async () => {
    const taskId = await scheduledTask(planner, { nextRunAt: iso(slot(0)), taskStatus: "planning" });
    expect(await step(slot(1))).toMatchObject({ due: 0, created: 0 });
    await ok(call("PUT", `/api/tasks/${taskId}/status`, { key: planner.key, body: { status: "active" } }));
    expect(await step(slot(2) + HOUR)).toMatchObject({ due: 1, created: 1 });
    expect((await roundsOf(taskId)).map((r) => [r.round_no, r.missed])).toEqual([[1, 2]]);
  });

  it("assigns the template's executor while active, and leaves the sub-task pending once it is not", async () => {
    const taskId = await scheduledTask(planner, {
      nextRunAt: iso(slot(0)),
      template: TWO_STEP(exec.id),
      policy: { when_unfinished: "stack", max_open_rounds: 5 },
    });
    await cron(slot(0));
    await env.DB.prepare("update agent set status = 'disabled' where id = ?").bind(exec.id).run();
    await cron(slot(1));
    const [r1, r2] = await roundsOf(taskId);
    expect((await subTasksOf(r1!.id))[0]).toMatchObject({ status: "assigned", assigned_agent: exec.id });
    expect((await subTasksOf(r2!.id))[0]).toMatchObject({ status: "pending", assigned_agent: null });
    await expectInvariants({ admin });
  });
});
