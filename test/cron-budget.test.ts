// A cron run stays within the Free plan's per-invocation limits (45 of 50 D1 queries and of 50
// subrequests) however much work is waiting: it caps blocks, records, deliveries and deletions per
// run and leaves the rest for the next runs (worker/patrol/cron.ts).
import { beforeEach, describe, expect, it } from "vitest";
import { emptyUsage, ownQueries } from "../worker/db/metered";
import { DISPATCH_READS, QUERIES_PER_DELIVERY } from "../worker/notify/dispatch";
import { CRON_BUDGET, type CronRun, dispatchLimits, runCron } from "../worker/patrol/cron";
import { HOUSEKEEPING_QUERIES } from "../worker/patrol/housekeeping";
import { RECURRING_STATEMENTS } from "../worker/patrol/recurring";
import { MAX_BLOCKS_PER_RUN, PATROL_READS, PATROL_WRITE_STATEMENTS, type PatrolReport } from "../worker/patrol/run";
import { call, env, initialize, register, type TestAgent } from "./helpers";
import { channel, configure, fakeFetch } from "./notification-helpers";

const MIN = 60_000;
/** The retro step (worker/patrol/retro.ts): one settings read, and one Durable Object call when a period is due. */
const RETRO_STEP_READS = 1;
const RETRO_STEP_CALLS = 1;
const SUB_TASKS = 1_000;
let NOW = Date.now();
let exec: TestAgent;
let taskId: string;

beforeEach(async () => {
  NOW = Date.now();
  await initialize();
  const planner = await register("planner");
  exec = await register("executor");
  taskId = (await call("POST", "/api/tasks", { key: planner.key, body: { name: "T" } })).body.id;
});

/** Sub-tasks in progress since `startedMinAgo`: each a critical timeout past 120 min (docs/patrol.md), not stuck. */
async function seedInProgress(n: number, startedMinAgo: number): Promise<string[]> {
  const started = new Date(NOW - startedMinAgo * MIN).toISOString();
  const touched = new Date(NOW - 10 * MIN).toISOString();
  const insert = env.DB.prepare(
    "insert into sub_task (id, task_id, name, status, created_at, updated_at, started_at, assigned_agent) values (?, ?, ?, 'in_progress', ?, ?, ?, ?)",
  );
  const ids = Array.from(
    { length: n },
    (_, i) => `st-${String(i).padStart(5, "0")}-${crypto.randomUUID().slice(0, 8)}`,
  );
  const rows = ids.map((id, i) => insert.bind(id, taskId, `s${i}`, started, touched, started, exec.id));
  for (let i = 0; i < rows.length; i += 500) await env.DB.batch(rows.slice(i, i + 500));
  return ids;
}

/** The run's own D1 statements (the Durable Objects' are their own invocations', each far below the limit). */
function expectWithinBudget(run: CronRun): void {
  expect(run.failed).toEqual([]);
  expect(ownQueries(run.d1)).toBeLessThanOrEqual(CRON_BUDGET.queries);
  expect(run.d1.doQueries).toBeLessThanOrEqual(CRON_BUDGET.queries * run.d1.doCalls);
  expect(run.d1.subrequests).toBeLessThanOrEqual(CRON_BUDGET.subrequests);
}

describe("a cron run within the per-invocation budget", () => {
  it("the split adds up: after a patrol at its caps, rounds due and a retrospective, dispatch still fans out and delivers within what is left", () => {
    // Before dispatch: the patrol at its caps, the recurring step's read and batch, the retro step's
    // settings read and its one Durable Object call (whose queries are the object's own invocation's).
    const beforeDispatch = {
      ...emptyUsage(),
      queries: PATROL_READS + PATROL_WRITE_STATEMENTS + RECURRING_STATEMENTS + RETRO_STEP_READS,
      subrequests: MAX_BLOCKS_PER_RUN + RETRO_STEP_CALLS,
      doCalls: MAX_BLOCKS_PER_RUN + RETRO_STEP_CALLS,
    };
    const { deliveries, fanOutStatements } = dispatchLimits(beforeDispatch);
    expect(deliveries).toBeGreaterThan(0);
    expect(fanOutStatements).toBeGreaterThan(0);
    const dispatch = DISPATCH_READS + fanOutStatements + deliveries * QUERIES_PER_DELIVERY;
    expect(beforeDispatch.queries + dispatch + HOUSEKEEPING_QUERIES).toBeLessThanOrEqual(CRON_BUDGET.queries);
    // The blocks, the retrospective, the deliveries and the live notice.
    expect(MAX_BLOCKS_PER_RUN + RETRO_STEP_CALLS + deliveries + 1).toBeLessThanOrEqual(CRON_BUDGET.subrequests);
  });

  it(`blocks ${SUB_TASKS} critical timeouts over several runs, each within budget, each exactly once`, {
    timeout: 600_000,
  }, async () => {
    // Every patrol alert also goes to a channel, so dispatch competes for the same budget.
    await configure([channel({ id: "hook", type: "webhook", url: "https://hooks.example/x" })], ["patrol_alert"]);
    const ids = await seedInProgress(SUB_TASKS, 150);
    const runs: CronRun[] = [];
    const { fetcher, sent } = fakeFetch();
    // Each run blocks MAX_BLOCKS_PER_RUN; the rest stay detected and wait. One more run resolves the last records.
    // A second apart: the clock barely moves, so no other rule starts to fire meanwhile.
    for (let i = 0; i < SUB_TASKS; i++) {
      const run = await runCron(env, NOW + i * 1000, fetcher);
      runs.push(run);
      expectWithinBudget(run);
      const left = await env.DB.prepare(
        "select count(*) as n from sub_task where status = 'in_progress'",
      ).first<number>("n");
      const open = await env.DB.prepare("select count(*) as n from patrol_record where status = 'open'").first<number>(
        "n",
      );
      if (left === 0 && open === 0) break;
    }
    console.log(
      `cron budget: ${runs.length} runs; max own queries ${Math.max(...runs.map((r) => ownQueries(r.d1)))}, max subrequests ${Math.max(
        ...runs.map((r) => r.d1.subrequests),
      )}; first run ${JSON.stringify(runs[0]!.d1)}; alerts sent ${sent.length}`,
    );
    const blocked = await env.DB.prepare(
      "select sub_task_id as id, count(*) as n from sub_task_event where op = 'block' group by sub_task_id",
    ).all<{ id: string; n: number }>();
    expect(blocked.results.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(blocked.results.every((r) => r.n === 1)).toBe(true);
    expect(await env.DB.prepare("select count(*) as n from sub_task where status = 'blocked'").first<number>("n")).toBe(
      SUB_TASKS,
    );
    // One critical record per sub-task, saying it was blocked, each resolved once the sub-task left in_progress.
    const records = await env.DB.prepare(
      "select sub_task_id as id, action_taken as action, status, resolution_note as note from patrol_record where type = 'timeout'",
    ).all<{ id: string; action: string; status: string; note: string }>();
    expect(records.results).toHaveLength(SUB_TASKS);
    expect(new Set(records.results.map((r) => r.id)).size).toBe(SUB_TASKS);
    expect(
      records.results.every((r) => r.action === "blocked" && r.status === "resolved" && r.note === "condition cleared"),
    ).toBe(true);
    expect(runs.reduce((n, r) => n + (r.patrol as { blocked: number }).blocked, 0)).toBe(SUB_TASKS);
    // Full runs of blocks, then the one that resolves the last records.
    expect(runs).toHaveLength(Math.ceil(SUB_TASKS / MAX_BLOCKS_PER_RUN) + 1);
  });

  it("many due deliveries: each run sends what its budget allows, the rest go next run, each exactly once", {
    timeout: 120_000,
  }, async () => {
    const DUE = 60;
    await configure([channel({ id: "hook", type: "webhook", url: "https://hooks.example/x" })], ["patrol_alert"]);
    const at = new Date(NOW - MIN).toISOString();
    const payload = JSON.stringify({
      patrol: { type: "timeout", severity: "critical", description: "late", target: "sub_task:x" },
    });
    const rows = [];
    for (let i = 0; i < DUE; i++) {
      rows.push(
        env.DB.prepare(
          "insert into notification_outbox (id, event, payload, created_at, fanned_out_at) values (?, 'patrol_alert', ?, ?, ?)",
        ).bind(`o-${i}`, payload, at, at),
        env.DB.prepare(
          "insert into notification_delivery (id, outbox_id, channel_id, status, attempts, next_attempt_at, created_at, updated_at) values (?, ?, 'hook', 'pending', 0, ?, ?, ?)",
        ).bind(`d-${i}`, `o-${i}`, at, at, at),
      );
    }
    await env.DB.batch(rows);
    const { fetcher, sent } = fakeFetch();
    const perRun: number[] = [];
    for (let i = 0; i < DUE && sent.length < DUE; i++) {
      const run = await runCron(env, NOW + i * 1000, fetcher);
      expectWithinBudget(run);
      perRun.push((run.notifications as { attempted: number }).attempted);
    }
    // More than one run was needed, and no run sent nothing while deliveries were due.
    expect(perRun.length).toBeGreaterThan(1);
    expect(perRun.every((n) => n > 0)).toBe(true);
    expect(sent).toHaveLength(DUE);
    const attempts = await env.DB.prepare(
      "select delivery_id as id, count(*) as n from notification_attempt group by delivery_id",
    ).all<{ n: number }>();
    expect(attempts.results).toHaveLength(DUE);
    expect(attempts.results.every((r) => r.n === 1)).toBe(true);
    expect(
      await env.DB.prepare("select count(*) as n from notification_delivery where status = 'sent'").first<number>("n"),
    ).toBe(DUE);
    console.log(`cron budget: ${DUE} due deliveries sent over ${perRun.length} runs (${perRun.join(", ")})`);
  });

  it("many records per run in multi-row statements: each with its log, its alert only while subscribed, refreshed and escalated once", {
    timeout: 120_000,
  }, async () => {
    const N = 50;
    const { fetcher } = fakeFetch();
    const hook = channel({ id: "hook", type: "webhook", url: "https://hooks.example/x" });
    const count = (query: string) => env.DB.prepare(query).first<number>("n");
    const patrolAt = async (t: number): Promise<PatrolReport> => {
      const run = await runCron(env, t, fetcher);
      expectWithinBudget(run);
      return run.patrol as PatrolReport;
    };
    const ids = await seedInProgress(N, 90); // timeout warnings
    // No channel wants patrol alerts: the first run's 48 records queue none; the next run's 2 do.
    await configure([hook], ["all_done"]);
    expect(await patrolAt(NOW)).toMatchObject({ opened: 48, deferred: 2 });
    expect(await count("select count(*) as n from notification_outbox")).toBe(0);
    await configure([hook], ["patrol_alert"]);
    expect(await patrolAt(NOW + 1000)).toMatchObject({ opened: 2, deferred: 0 });
    expect(await count("select count(*) as n from notification_outbox where event = 'patrol_alert'")).toBe(2);
    const perSubTask = "select count(distinct sub_task_id) as n from";
    expect(await count(`${perSubTask} patrol_record where status = 'open' and severity = 'warning'`)).toBe(N);
    expect(await count(`${perSubTask} activity_log where action = 'patrol' and agent_id = 'system'`)).toBe(N);

    // Six minutes on, every record is stale: 33 refreshed per statement and run, the rest next run.
    expect(await patrolAt(NOW + 6 * MIN)).toMatchObject({ refreshed: 33, deferred: 17 });
    expect(await patrolAt(NOW + 6 * MIN + 1000)).toMatchObject({ refreshed: 17, deferred: 0 });
    const stale = env.DB.prepare("select count(*) as n from patrol_record where last_seen_at < ?").bind(
      new Date(NOW + 6 * MIN).toISOString(),
    );
    expect(await stale.first<number>("n")).toBe(0);

    // Past 120 minutes: each warning is replaced by a critical record once its sub-task is blocked.
    for (
      let i = 0;
      i < 4 && ((await count("select count(*) as n from sub_task where status = 'in_progress'")) ?? 0) > 0;
      i++
    ) {
      await patrolAt(NOW + 31 * MIN + i * 1000);
    }
    const timeline = await env.DB.prepare(
      `select sub_task_id as id, group_concat(severity || ':' || action_taken || ':' || resolution_note, '|') as history
      from (select * from patrol_record order by created_at) group by sub_task_id`,
    ).all<{ id: string; history: string }>();
    expect(timeline.results.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(
      timeline.results.every((r) =>
        /^warning::escalated to critical\|critical:blocked:(condition cleared)?$/.test(r.history),
      ),
    ).toBe(true);
    expect(await count("select count(*) as n from activity_log where action = 'patrol'")).toBe(2 * N);
    expect(await count("select count(*) as n from notification_outbox where event = 'patrol_alert'")).toBe(2 + N);
  });

  it("a full file-deletion outbox and stale uploads: the sweep takes only what is left, each run within budget", {
    timeout: 120_000,
  }, async () => {
    const KEYS = 2_000;
    const STALE = 150;
    const at = new Date(NOW - 2 * 60 * MIN).toISOString();
    const rows = [
      ...Array.from({ length: KEYS }, (_, i) =>
        env.DB.prepare("insert into file_deletion (r2_key, created_at) values (?, ?)").bind(`files/t/s/k${i}`, at),
      ),
      ...Array.from({ length: STALE }, (_, i) =>
        env.DB.prepare(
          `insert into sub_task_file (id, sub_task_id, task_id, version, name, content_type, size, r2_key, state, uploaded_by, created_at)
           values (?, 's', ?, 0, ?, 'text/plain', 1, ?, 'uploading', ?, ?)`,
        ).bind(`u${i}`, taskId, `n${i}`, `files/t/s/u${i}`, exec.id, at),
      ),
    ];
    for (let i = 0; i < rows.length; i += 500) await env.DB.batch(rows.slice(i, i + 500));
    await env.DB.prepare("update file_usage set bytes = bytes + ?, files = files + ? where id = 1")
      .bind(STALE, STALE)
      .run();
    const { fetcher } = fakeFetch();
    let runs = 0;
    const left = () =>
      env.DB.prepare(
        "select (select count(*) from file_deletion) + (select count(*) from sub_task_file) as n",
      ).first<number>("n");
    while (((await left()) ?? 0) > 0 && runs < 10) {
      const run = await runCron(env, NOW + runs * 1000, fetcher);
      expectWithinBudget(run);
      runs++;
    }
    expect(await left()).toBe(0);
    expect(await env.DB.prepare("select bytes, files from file_usage where id = 1").first()).toEqual({
      bytes: 0,
      files: 0,
    });
    // 900 keys per run; the stale uploads join their run's delete: 2,150 keys need three runs.
    expect(runs).toBe(3);
  });
});
