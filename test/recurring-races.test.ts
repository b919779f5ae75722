// Races around the recurring cron: a batch built from an old snapshot writes nothing, a round's last two
// sub-tasks approved at once close it once with the right counts, a closed task's schedule ends, and
// one run takes at most MAX_ROUNDS_PER_RUN schedules within the cron's budget.
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../worker/db/client";
import { ownQueries } from "../worker/db/metered";
import { createRounds } from "../worker/db/round-batch";
import { planRound } from "../worker/db/round-plan";
import { decideManualRound, decideSlot } from "../worker/domain/rounds";
import { nextSlot } from "../worker/domain/schedule";
import { CRON_BUDGET, runCron } from "../worker/patrol/cron";
import {
  MAX_ROUNDS_PER_RUN,
  RECURRING_STATEMENTS,
  type RecurringReport,
  runRecurring,
} from "../worker/patrol/recurring";
import { call, env, initialize, ok, register, snapshotAllTables, type TestAgent } from "./helpers";
import { expectInvariants } from "./invariants";
import { channel, configure, fakeFetch } from "./notification-helpers";
import {
  DAILY_9_SHANGHAI,
  eventsAbout,
  retrospectivesOff,
  roundsOf,
  scheduledTask,
  scheduleOf,
  subTasksOf,
  TWO_STEP,
} from "./recurring-fixtures";

const DAY = 86_400_000;
let admin: string;
let planner: TestAgent;
let exec: TestAgent;
let exec2: TestAgent;
let reviewer: TestAgent;
let slot0: number;
const slot = (n: number) => slot0 + n * DAY;
const iso = (t: number) => new Date(t).toISOString();
const step = (t: number) => runRecurring(getDb(env.DB), iso(t));

beforeEach(async () => {
  admin = await initialize();
  await retrospectivesOff();
  planner = await register("planner");
  exec = await register("executor");
  exec2 = await register("executor");
  reviewer = await register("reviewer");
  slot0 = nextSlot(DAILY_9_SHANGHAI, new Date())!.getTime();
});

/** The plan the cron would build for the task's schedule as it is stored now. */
async function planFromSnapshot(taskId: string, at: number) {
  const row = await env.DB.prepare(
    "select s.config, s.next_run_at, s.updated_at, s.rounds_created, t.name from task_schedule s join task t on t.id = s.task_id where s.task_id = ?",
  )
    .bind(taskId)
    .first<{ config: string; next_run_at: string; updated_at: string; rounds_created: number; name: string }>();
  const config = JSON.parse(row!.config);
  const decision = decideSlot(
    {
      schedule: config.schedule,
      policy: config.policy,
      expected: row!.next_run_at,
      roundsCreated: row!.rounds_created,
      openRounds: 0,
    },
    new Date(at),
  );
  return planRound({
    taskId,
    taskName: row!.name,
    config,
    scheduleVersion: row!.updated_at,
    expected: row!.next_run_at,
    openRounds: 0,
    decision,
    language: "en",
  });
}

describe("recurring races", () => {
  it("a batch built from a stale snapshot writes nothing", async () => {
    const taskId = await scheduledTask(planner, {
      nextRunAt: iso(slot(0)),
      policy: { when_unfinished: "stack", max_open_rounds: 5 },
    });
    const stale = await planFromSnapshot(taskId, slot(0));
    expect(stale.round?.subTasks).toHaveLength(2);
    // Another run took the slot meanwhile.
    expect(await step(slot(0))).toMatchObject({ created: 1 });
    const before = await snapshotAllTables();
    expect(await createRounds(getDb(env.DB), [stale], iso(slot(0)))).toEqual({ rounds: [], ended: 0, completed: 0 });
    expect(await snapshotAllTables()).toEqual(before);
    // A pause between the read and the write voids the plan just the same.
    const beforePause = await planFromSnapshot(taskId, slot(1));
    await ok(call("POST", `/api/tasks/${taskId}/schedule/pause`, { key: planner.key }));
    const paused = await snapshotAllTables();
    await createRounds(getDb(env.DB), [beforePause], iso(slot(1)));
    expect(await snapshotAllTables()).toEqual(paused);
  });

  it("the last two sub-tasks of a round approved at once close it once, with both counted", async () => {
    await configure([channel({ id: "hook", type: "webhook", url: "https://hooks.example/x" })], ["round_completed"]);
    const parallel = TWO_STEP();
    parallel.sub_tasks[1]!.depends_on = [];
    const taskId = await scheduledTask(planner, { nextRunAt: iso(slot(0)), template: parallel });
    await step(slot(0));
    const [round] = await roundsOf(taskId);
    const subs = await subTasksOf(round!.id);
    const workers = [exec, exec2];
    for (const [i, s] of subs.entries()) {
      const key = workers[i]!.key;
      for (const op of ["claim", "start", "submit"]) {
        await ok(call("POST", `/api/sub-tasks/${s.id}/${op}`, { key, body: {} }));
      }
    }
    const results = await Promise.all(
      subs.map((s) =>
        call("POST", "/api/review-records", {
          key: reviewer.key,
          body: { sub_task_id: s.id, result: "approved", score: 4, comment: "ok", issues: "" },
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect((await roundsOf(taskId))[0]!.status).toBe("done");
    const events = await eventsAbout("round_completed", taskId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ round: { done: 2, total: 2 } });
    await expectInvariants({ admin });
  });

  it("a round started by hand leaves next_run_at alone; two built from the same read land once", async () => {
    const taskId = await scheduledTask(planner, {
      nextRunAt: iso(slot(0)),
      policy: { when_unfinished: "stack", max_open_rounds: 5 },
    });
    const row = await env.DB.prepare(
      "select config, updated_at, rounds_created, next_run_at from task_schedule where task_id = ?",
    )
      .bind(taskId)
      .first<{ config: string; updated_at: string; rounds_created: number; next_run_at: string }>();
    const config = JSON.parse(row!.config);
    const manual = () => {
      const decision = decideManualRound(
        { policy: config.policy, roundsCreated: 0, openRounds: 0 },
        new Date(),
        crypto.randomUUID(),
      );
      if ("refused" in decision) throw new Error(decision.refused);
      return planRound({
        taskId,
        taskName: "T",
        config,
        scheduleVersion: row!.updated_at,
        expected: null,
        openRounds: 0,
        decision,
        language: "en",
      });
    };
    const results = await Promise.all(
      [manual(), manual()].map((p) => createRounds(getDb(env.DB), [p], iso(Date.now()))),
    );
    expect(results.map((r) => r.rounds.length).sort()).toEqual([0, 1]);
    const rounds = await roundsOf(taskId);
    expect(rounds.map((r) => [r.round_no, r.round_key.startsWith("manual:"), r.status])).toEqual([[1, true, "open"]]);
    expect(await subTasksOf(rounds[0]!.id)).toHaveLength(2);
    expect(await scheduleOf(taskId)).toMatchObject({
      status: "active",
      rounds_created: 1,
      next_run_at: row!.next_run_at,
    });
    // The cron's slot still comes, numbered after the manual round.
    expect(await step(slot(0))).toMatchObject({ created: 1 });
    expect((await roundsOf(taskId)).map((r) => r.round_no).sort()).toEqual([1, 2]);
  });

  it("a task closed without ending its schedule: the next run ends it (task_closed) and makes no round", async () => {
    const taskId = await scheduledTask(planner, { nextRunAt: iso(slot(0)) });
    await env.DB.prepare("update task set status = 'cancelled' where id = ?").bind(taskId).run();
    expect(await step(slot(0))).toMatchObject({ due: 1, created: 0, skipped: 0, ended: 1 });
    expect(await scheduleOf(taskId)).toMatchObject({ status: "ended", ended_reason: "task_closed", next_run_at: null });
    expect(await roundsOf(taskId)).toEqual([]);
  });

  it(`takes at most ${MAX_ROUNDS_PER_RUN} due schedules per run, within the cron's budget; the rest go next run`, {
    timeout: 120_000,
  }, async () => {
    const extra = 10;
    for (let i = 0; i < MAX_ROUNDS_PER_RUN + extra; i++) await scheduledTask(planner, { nextRunAt: iso(slot(0)) });
    const first = await runCron(env, slot(0), fakeFetch().fetcher);
    const report = first.recurring as RecurringReport;
    expect(report).toMatchObject({ due: MAX_ROUNDS_PER_RUN + extra, created: MAX_ROUNDS_PER_RUN, deferred: extra });
    expect(report.d1.queries).toBeLessThanOrEqual(RECURRING_STATEMENTS);
    expect(ownQueries(first.d1)).toBeLessThanOrEqual(CRON_BUDGET.queries);
    const second = (await runCron(env, slot(0) + 60_000, fakeFetch().fetcher)).recurring as RecurringReport;
    expect(second).toMatchObject({ due: extra, created: extra, deferred: 0 });
    const total = await env.DB.prepare("select count(*) as n from task_round").first<{ n: number }>();
    expect(total?.n).toBe(MAX_ROUNDS_PER_RUN + extra);
    await expectInvariants({ admin });
  });
});
