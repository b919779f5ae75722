// A cron run stays within the Free plan's per-invocation limits (45 of 50 D1 queries and of 50
// subrequests) however much work is waiting: it caps blocks, records, deliveries and deletions per
// run and leaves the rest for the next runs (worker/patrol/cron.ts).
import { beforeEach, describe, expect, it } from "vitest";
import { ownQueries } from "../worker/db/metered";
import { CRON_BUDGET, type CronRun, runCron } from "../worker/patrol/cron";
import { call, env, initialize, register, type TestAgent } from "./helpers";
import { channel, configure, fakeFetch } from "./notification-helpers";

const MIN = 60_000;
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
  const ids = Array.from({ length: n }, (_, i) => `st-${String(i).padStart(5, "0")}-${crypto.randomUUID().slice(0, 8)}`);
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
  it(`blocks ${SUB_TASKS} critical timeouts over several runs, each within budget, each exactly once`, { timeout: 600_000 }, async () => {
    // Every patrol alert also goes to a channel, so dispatch competes for the same budget.
    await configure([channel({ id: "hook", type: "webhook", url: "https://hooks.example/x" })], ["patrol_alert"]);
    const ids = await seedInProgress(SUB_TASKS, 150);
    const runs: CronRun[] = [];
    const { fetcher, sent } = fakeFetch();
    // Each run blocks a few; the rest stay detected and wait. One more run resolves the last records.
    // A second apart: the clock barely moves, so no other rule starts to fire meanwhile.
    for (let i = 0; i < SUB_TASKS; i++) {
      const run = await runCron(env, NOW + i * 1000, fetcher);
      runs.push(run);
      expectWithinBudget(run);
      const left = await env.DB.prepare("select count(*) as n from sub_task where status = 'in_progress'").first<number>("n");
      const open = await env.DB.prepare("select count(*) as n from patrol_record where status = 'open'").first<number>("n");
      if (left === 0 && open === 0) break;
    }
    console.log(`cron budget: ${runs.length} runs; max own queries ${Math.max(...runs.map((r) => ownQueries(r.d1)))}, max subrequests ${
      Math.max(...runs.map((r) => r.d1.subrequests))}; first run ${JSON.stringify(runs[0]!.d1)}; alerts sent ${sent.length}`);
    const blocked = await env.DB.prepare(
      "select sub_task_id as id, count(*) as n from sub_task_event where op = 'block' group by sub_task_id",
    ).all<{ id: string; n: number }>();
    expect(blocked.results.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(blocked.results.every((r) => r.n === 1)).toBe(true);
    expect(await env.DB.prepare("select count(*) as n from sub_task where status = 'blocked'").first<number>("n")).toBe(SUB_TASKS);
    // One critical record per sub-task, saying it was blocked, each resolved once the sub-task left in_progress.
    const records = await env.DB.prepare(
      "select sub_task_id as id, action_taken as action, status, resolution_note as note from patrol_record where type = 'timeout'",
    ).all<{ id: string; action: string; status: string; note: string }>();
    expect(records.results).toHaveLength(SUB_TASKS);
    expect(new Set(records.results.map((r) => r.id)).size).toBe(SUB_TASKS);
    expect(records.results.every((r) => r.action === "blocked" && r.status === "resolved" && r.note === "condition cleared")).toBe(true);
    expect(runs.reduce((n, r) => n + (r.patrol as { blocked: number }).blocked, 0)).toBe(SUB_TASKS);
  });

  it("many due deliveries: each run sends what its budget allows, the rest go next run, each exactly once", { timeout: 120_000 }, async () => {
    const DUE = 60;
    await configure([channel({ id: "hook", type: "webhook", url: "https://hooks.example/x" })], ["patrol_alert"]);
    const at = new Date(NOW - MIN).toISOString();
    const payload = JSON.stringify({ patrol: { type: "timeout", severity: "critical", description: "late", target: "sub_task:x" } });
    const rows = [];
    for (let i = 0; i < DUE; i++) {
      rows.push(
        env.DB.prepare("insert into notification_outbox (id, event, payload, created_at, fanned_out_at) values (?, 'patrol_alert', ?, ?, ?)")
          .bind(`o-${i}`, payload, at, at),
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
    const attempts = await env.DB.prepare("select delivery_id as id, count(*) as n from notification_attempt group by delivery_id").all<{ n: number }>();
    expect(attempts.results).toHaveLength(DUE);
    expect(attempts.results.every((r) => r.n === 1)).toBe(true);
    expect(await env.DB.prepare("select count(*) as n from notification_delivery where status = 'sent'").first<number>("n")).toBe(DUE);
    console.log(`cron budget: ${DUE} due deliveries sent over ${perRun.length} runs (${perRun.join(", ")})`);
  });
});
