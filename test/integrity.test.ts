// GET /api/admin/integrity: a whole lifecycle through the API leaves every invariant holding; each kind
// of corruption written straight into D1 is then reported as exactly that violation.
import { createScheduledController } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { MAX_LISTED_VIOLATIONS, type Violation } from "../worker/domain/integrity";
import worker from "../worker/index";
import { call, env, initialize, register, type TestAgent } from "./helpers";
import { type AckTracker, expectInvariants, integrityReport, trackAcks } from "./invariants";

const MIN = 60_000;

let admin: string, planner: TestAgent, exec: TestAgent, exec2: TestAgent, reviewer: TestAgent, patrol: TestAgent;
let acks: AckTracker;

beforeEach(async () => {
  admin = await initialize();
  [planner, exec, exec2, reviewer, patrol] = await Promise.all([
    register("planner"),
    register("executor"),
    register("executor"),
    register("reviewer"),
    register("patrol"),
  ]);
  acks = trackAcks();
});

/** A call through the ack tracker that must succeed; returns the body. */
async function ok<T = any>(method: string, path: string, opts: Parameters<typeof call>[2] = {}): Promise<T> {
  const res = await acks.call<T>(method, path, opts);
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body;
}

const newTask = async (name: string) =>
  (await ok("POST", "/api/tasks", { key: planner.key, body: { name } })).id as string;
const newSubTask = async (taskId: string, name: string, extra: Record<string, unknown> = {}) =>
  (await ok("POST", "/api/sub-tasks", { key: planner.key, body: { task_id: taskId, name, ...extra } })).id as string;
const step = (id: string, op: string, agent: TestAgent, body: unknown = {}) =>
  ok("POST", `/api/sub-tasks/${id}/${op}`, { key: agent.key, body });
const review = (id: string, result: "approved" | "rejected", score: number) =>
  ok("POST", "/api/review-records", {
    key: reviewer.key,
    body: { sub_task_id: id, result, score, issues: result === "rejected" ? "tests fail" : "" },
  });
const log = (agent: TestAgent, action: string, subTaskId?: string, taskId?: string) =>
  ok("POST", "/api/logs", {
    key: agent.key,
    body: { action, summary: `${action} entry`, sub_task_id: subTaskId, task_id: taskId },
  });
const status = async (id: string) =>
  (await env.DB.prepare("select status from sub_task where id = ?").bind(id).first<{ status: string }>())!.status;

/** The cron as the platform fires it (patrol, notifications, housekeeping). */
const runCron = () =>
  worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "* * * * *" }), env);

const db = (sql: string, ...binds: unknown[]) =>
  env.DB.prepare(sql)
    .bind(...binds)
    .run();

/** The violations the endpoint reports (asserting a 200 with ok false and a consistent total). */
async function violations(): Promise<Violation[]> {
  const res = await call("GET", "/api/admin/integrity", { admin });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.ok).toBe(res.body.total_violations === 0);
  expect(res.body.violations.length).toBe(Math.min(res.body.total_violations, MAX_LISTED_VIOLATIONS));
  return res.body.violations;
}

/** One sub-task per status, each reached through the API: pending, in_progress (with a review round behind it), done. */
async function smallWorld() {
  const taskId = await newTask("small");
  const moduleId = (await ok("POST", `/api/tasks/${taskId}/modules`, { key: planner.key, body: { name: "core" } }))
    .id as string;
  const pending = await newSubTask(taskId, "pending one", { module_id: moduleId });
  const working = await newSubTask(taskId, "working one");
  for (const op of ["claim", "start", "submit"]) await step(working, op, exec);
  await review(working, "rejected", 2);
  await step(working, "start", exec);
  const done = await newSubTask(taskId, "done one", { assigned_agent: exec2.id });
  for (const op of ["start", "submit"]) await step(done, op, exec2);
  await review(done, "approved", 5);
  await ok("POST", "/api/rules", { key: planner.key, body: { scope: "task", task_id: taskId, content: "task rule" } });
  await log(exec, "coding", working);
  expect(await violations()).toEqual([]);
  return { taskId, moduleId, pending, working, done };
}

describe("GET /api/admin/integrity on a consistent database", () => {
  it("a whole lifecycle through the API (transitions, cron block, cascades, deletes, adjustments) leaves ok: true", async () => {
    // Task 1: a module, a rule, a dependency chain and every kind of transition.
    const t1 = await newTask("lifecycle");
    const m1 = (await ok("POST", `/api/tasks/${t1}/modules`, { key: planner.key, body: { name: "core" } }))
      .id as string;
    const a = await newSubTask(t1, "A", { module_id: m1 });
    const b = await newSubTask(t1, "B", { depends_on: [a] });
    const c = await newSubTask(t1, "C", { assigned_agent: exec.id });
    await ok("POST", "/api/rules", { key: planner.key, body: { scope: "task", task_id: t1, content: "task rule" } });
    await ok("POST", "/api/rules", {
      key: planner.key,
      body: { scope: "sub_task", sub_task_id: a, content: "sub-task rule" },
    });
    await ok("PUT", `/api/sub-tasks/${b}`, { key: planner.key, body: { name: "B, renamed" } });

    // A: claim, start, session, submit, reject, start, submit, approve.
    await step(a, "claim", exec);
    await step(a, "start", exec);
    await step(a, "session", exec, { session_id: "s-1" });
    await log(exec, "coding", a);
    await step(a, "submit", exec);
    await review(a, "rejected", 1);
    await log(exec, "reflection", a);
    await step(a, "start", exec);
    await step(a, "submit", exec);
    await review(a, "approved", 5);
    await log(reviewer, "review", a);

    // B (unblocked by A): claimed and started, then blocked by the cron's patrol as a critical timeout.
    await step(b, "claim", exec2);
    await step(b, "start", exec2);
    await db("update sub_task set started_at = ? where id = ?", new Date(Date.now() - 121 * MIN).toISOString(), b);
    await runCron();
    expect(await status(b)).toBe("blocked");
    // Reassigned by the planner, blocked by an admin, reassigned by the admin, cancelled by the planner.
    await step(b, "reassign", planner, { agent_id: exec.id });
    await ok("POST", `/api/admin/sub-tasks/${b}/block`, { admin, body: { reason: "wrong approach" } });
    await ok("POST", `/api/admin/sub-tasks/${b}/reassign`, { admin, body: { agent_id: exec2.id } });
    await step(b, "cancel", planner);

    // C (created assigned): start, submit, rework, start, submit, complete → task 1 completes.
    await step(c, "start", exec);
    await step(c, "submit", exec);
    await step(c, "rework", reviewer);
    await step(c, "start", exec);
    await step(c, "submit", exec);
    await step(c, "complete", reviewer);
    expect((await call("GET", `/api/tasks/${t1}`, { key: planner.key })).body.status).toBe("completed");
    await log(planner, "delivery", undefined, t1); // the closing delivery names the task alone

    // Task 2: cancelled while one sub-task is pending and one is in progress (the cascade), with a patrol record.
    const t2 = await newTask("cancelled");
    const d = await newSubTask(t2, "D");
    const e = await newSubTask(t2, "E");
    await step(e, "claim", exec2);
    await step(e, "start", exec2);
    await log(exec2, "coding", e);
    await ok("POST", "/api/patrol/records", {
      key: patrol.key,
      body: { type: "stuck", severity: "warning", sub_task_id: d, description: "nobody takes it" },
    });
    await ok("POST", `/api/tasks/${t2}/cancel`, { key: planner.key, body: {} });
    expect([await status(d), await status(e)]).toEqual(["cancelled", "cancelled"]);

    // Score adjustments by a planner and by an admin.
    await ok("POST", "/api/scores/adjust", {
      key: planner.key,
      body: { agent_id: exec2.id, score_delta: 3, reason: "helped out", sub_task_id: e },
    });
    await ok("POST", "/api/admin/scores/adjust", {
      admin,
      body: { agent_id: exec.id, score_delta: -2, reason: "late" },
    });

    // Task 3: a scored, completed sub-task with its rule, log and patrol record, then deleted by an admin
    // (its ledger rows go and the scores earned on it are reversed).
    const t3 = await newTask("to delete");
    const f = await newSubTask(t3, "F");
    await step(f, "claim", exec);
    await step(f, "start", exec);
    await log(exec, "delivery", f);
    await log(planner, "plan", undefined, t3);
    await step(f, "submit", exec);
    await review(f, "approved", 4);
    await ok("POST", "/api/rules", {
      key: planner.key,
      body: { scope: "sub_task", sub_task_id: f, content: "gone with the task" },
    });
    await ok("POST", "/api/patrol/records", {
      key: patrol.key,
      body: { type: "stuck", severity: "warning", sub_task_id: f, description: "slow" },
    });
    const scoreBefore = (await call("GET", "/api/scores/me", { key: exec.key })).body.total_score as number;
    const deleted = await ok("DELETE", `/api/admin/tasks/${t3}`, { admin, body: { confirm_name: "to delete" } });
    expect(deleted.score_reversals).toEqual([{ agent_id: exec.id, score_delta: -5 }]);
    expect(deleted.activity_count).toBe(2);
    expect((await call("GET", "/api/scores/me", { key: exec.key })).body.total_score).toBe(scoreBefore - 5);

    // exec2 holds nothing open any more: deleting it keeps its history (ledger, logs, events, B and E name it).
    await ok("DELETE", `/api/admin/agents/${exec2.id}`, { admin, body: { confirm_name: exec2.name } });

    const report = await expectInvariants({ admin, acks });
    const count = async (table: string, where = "1") =>
      (await env.DB.prepare(`select count(*) as n from ${table} where ${where}`).first<{ n: number }>())!.n;
    expect(report.checked).toEqual({
      tasks: 2,
      modules: 1,
      sub_tasks: 5,
      events: await count("sub_task_event"),
      dependencies: 1,
      agents: 4,
      ledger_rows: await count("reward_log"),
      review_records: 4,
      rules: 3 /* with the global rule setup seeds */,
      patrol_records: await count("patrol_record"),
      activity_logs: await count("activity_log", "sub_task_id is not null or task_id is not null"),
      notification_outbox: await count("notification_outbox"),
      notification_deliveries: await count("notification_delivery"),
      notification_attempts: await count("notification_attempt"),
      schedules: 0,
      rounds: 0,
    });
    // Every acknowledged transition and log is there, and the history really exercised what it claims.
    // (task 3's 5 transitions and its two logs were forgotten with it)
    expect(acks.counts).toEqual({ logs: 5, transitions: 28 });
    expect(await count("activity_log", `task_id = '${t3}'`)).toBe(0);
    expect(report.checked.events).toBe(28 + 1 + 2); // + the cron's block + the two cascaded cancels
    expect(await count("reward_log", `agent_id = '${exec2.id}'`)).toBe(1);
  });

  it("concurrent bursts through the tracker (50 claims, 40 logs, 10 reviews) lose nothing", async () => {
    const executors = await Promise.all(Array.from({ length: 10 }, () => register("executor")));
    const reviewers = await Promise.all(Array.from({ length: 10 }, () => register("reviewer")));
    const taskId = await newTask("burst");
    const ids = await Promise.all(Array.from({ length: 5 }, (_, i) => newSubTask(taskId, `race ${i}`)));
    // Every executor claims every sub-task at once: one winner each.
    const claims = await Promise.all(
      ids.flatMap((id) =>
        executors.map((e) => acks.call("POST", `/api/sub-tasks/${id}/claim`, { key: e.key, body: {} })),
      ),
    );
    expect(claims.filter((r) => r.status === 200)).toHaveLength(5);
    // A burst of journal entries from every executor at once.
    const logs = await Promise.all(
      executors.flatMap((e) =>
        ["coding", "delivery", "reflection", "blocked"].map((action) =>
          acks.call("POST", "/api/logs", { key: e.key, body: { action, summary: "burst" } }),
        ),
      ),
    );
    expect(logs.every((r) => r.status === 200)).toBe(true);
    // The winners work, then ten reviewers race on each submission.
    const holders = await Promise.all(
      ids.map(async (id) => {
        const row = await env.DB.prepare("select assigned_agent from sub_task where id = ?")
          .bind(id)
          .first<{ assigned_agent: string }>();
        return executors.find((e) => e.id === row!.assigned_agent)!;
      }),
    );
    await Promise.all(
      ids.map(async (id, i) => {
        await acks.call("POST", `/api/sub-tasks/${id}/start`, { key: holders[i]!.key, body: {} });
        await acks.call("POST", `/api/sub-tasks/${id}/submit`, { key: holders[i]!.key });
      }),
    );
    const reviews = await Promise.all(
      ids.flatMap((id) =>
        reviewers.map((r, j) =>
          acks.call("POST", "/api/review-records", {
            key: r.key,
            body:
              j % 2
                ? { sub_task_id: id, result: "approved", score: 5 }
                : { sub_task_id: id, result: "rejected", score: 2, issues: "no" },
          }),
        ),
      ),
    );
    expect(reviews.filter((r) => r.status === 200)).toHaveLength(5);
    expect(acks.counts).toEqual({ logs: 40, transitions: 5 + 5 + 5 + 5 + 5 });
    await expectInvariants({ admin, acks });
  });

  it("an idempotent replay is not counted as a second acknowledgement", async () => {
    const taskId = await newTask("replay");
    const id = await newSubTask(taskId, "once");
    const headers = { "idempotency-key": "claim-1" };
    const [first, again] = [
      await acks.call("POST", `/api/sub-tasks/${id}/claim`, { key: exec.key, body: {}, headers }),
      await acks.call("POST", `/api/sub-tasks/${id}/claim`, { key: exec.key, body: {}, headers }),
    ];
    expect([first.status, again.status, again.headers.get("idempotent-replayed")]).toEqual([200, 200, "true"]);
    expect(acks.counts.transitions).toBe(2); // create + one claim
    await expectInvariants({ admin, acks });
  });
});

describe("the ack tracker finds what the database alone cannot", () => {
  it("an acknowledged log that is not stored", async () => {
    const { id } = await log(exec, "coding");
    await log(exec, "coding");
    await db("delete from activity_log where id = ?", id);
    expect(await acks.lost()).toEqual([
      `activity_log ${id} was acknowledged but is not stored`,
      `activity_log ${exec.id}|coding: 2 acknowledged, 1 stored`,
    ]);
  });

  it("an acknowledged transition without its event, and an event no call acknowledged", async () => {
    const taskId = await newTask("events");
    const id = await newSubTask(taskId, "S");
    await step(id, "claim", exec);
    await db("delete from sub_task_event where sub_task_id = ? and op = 'claim'", id);
    await db(
      `insert into sub_task_event (id, sub_task_id, op, from_status, to_status, actor_kind, actor_id, detail, created_at)
      values ('extra', ?, 'edit', 'pending', 'pending', 'agent', ?, '', '2030-01-01T00:00:00.000Z')`,
      id,
      planner.id,
    );
    expect(await acks.lost()).toEqual([
      `sub_task_event ${id}|claim: 1 acknowledged call(s), 0 event(s)`,
      `sub_task_event ${id}|edit: 0 acknowledged call(s), 1 event(s)`,
    ]);
  });
});

describe("GET /api/admin/integrity reports each corruption as exactly that violation", () => {
  it("a status changed behind the state machine's back", async () => {
    const { working } = await smallWorld();
    await db("update sub_task set status = 'review' where id = ?", working);
    expect(await violations()).toEqual([
      {
        invariant: "history_end",
        table: "sub_task",
        id: working,
        detail: "the last event (start) ends in in_progress but the status is review",
      },
    ]);
  });

  it("an event rewritten into an illegal edge", async () => {
    const { working } = await smallWorld();
    const { id } = (await env.DB.prepare(
      "select id from sub_task_event where sub_task_id = ? order by rowid desc limit 1",
    )
      .bind(working)
      .first<{ id: string }>())!;
    // The last start (rework → in_progress) now claims rework → done, and the status follows.
    await db("update sub_task_event set to_status = 'done' where id = ?", id);
    await db("update sub_task set status = 'done' where id = ?", working);
    expect(await violations()).toEqual([
      {
        invariant: "legal_edge",
        table: "sub_task_event",
        id,
        detail: `sub-task ${working}, event 6: start rework → done is not an edge of the state machine`,
      },
    ]);
  });

  it("an event deleted from the middle of a history", async () => {
    const { working } = await smallWorld();
    await db("delete from sub_task_event where sub_task_id = ? and op = 'submit'", working);
    const { id } = (await env.DB.prepare("select id from sub_task_event where sub_task_id = ? and op = 'review'")
      .bind(working)
      .first<{ id: string }>())!;
    expect(await violations()).toEqual([
      {
        invariant: "history_continuity",
        table: "sub_task_event",
        id,
        detail: `sub-task ${working}, event 4 (review) starts from review but event 3 ended in in_progress`,
      },
    ]);
  });

  it("a creation event deleted", async () => {
    const { pending } = await smallWorld();
    await db("delete from sub_task_event where sub_task_id = ?", pending);
    expect(await violations()).toEqual([
      {
        invariant: "history_start",
        table: "sub_task",
        id: pending,
        detail: "the sub-task has no events, not even its creation",
      },
    ]);
  });

  it("a ledger row inserted without updating the total", async () => {
    await smallWorld();
    await db(
      "insert into reward_log (id, agent_id, sub_task_id, reason, score_delta, created_at) values ('sneaky', ?, null, 'sneaky', 7, ?)",
      exec2.id,
      new Date().toISOString(),
    );
    expect(await violations()).toEqual([
      {
        invariant: "score_equals_ledger",
        table: "agent",
        id: exec2.id,
        detail: "total_score is 5 but its 2 ledger row(s) sum to 12",
      },
    ]);
  });

  it("a total changed without a ledger row", async () => {
    await smallWorld();
    await db("update agent set total_score = total_score + 1 where id = ?", reviewer.id);
    expect(await violations()).toEqual([
      {
        invariant: "score_equals_ledger",
        table: "agent",
        id: reviewer.id,
        detail: "total_score is 1 but its 0 ledger row(s) sum to 0",
      },
    ]);
  });

  it("a review round renumbered into a gap", async () => {
    const { done } = await smallWorld();
    await db("update review_record set round = 2 where sub_task_id = ?", done);
    expect(await violations()).toEqual([
      { invariant: "review_rounds", table: "sub_task", id: done, detail: "review rounds are 2; expected 1..1" },
    ]);
  });

  it("a rejected review round deleted: a gap of nothing, but the rework it caused is unexplained", async () => {
    const { working } = await smallWorld();
    await db("delete from review_record where sub_task_id = ? and round = 1", working);
    const found = await violations();
    // The rejection's search entry lost its source too (search_index sees it).
    expect(found.filter((v) => v.invariant === "search_index").map((v) => [v.table, v.detail])).toEqual([
      ["search_entry", expect.stringMatching(/^review .*: its source row does not exist$/)],
    ]);
    expect(found.filter((v) => v.invariant !== "search_index")).toEqual([
      {
        invariant: "rework_count",
        table: "sub_task",
        id: working,
        detail: "rework_count is 1 but 0 review round(s) rejected it",
      },
    ]);
  });

  it("a task row deleted: its sub-tasks, module, rule and logs (on a sub-task or naming the task alone) dangle", async () => {
    const { taskId, moduleId, pending, working, done } = await smallWorld();
    const closing = await log(planner, "delivery", undefined, taskId);
    const { id: ruleId } = (await env.DB.prepare("select id from rule where task_id = ?")
      .bind(taskId)
      .first<{ id: string }>())!;
    const { id: codingId } = (await env.DB.prepare("select id from activity_log where sub_task_id = ?")
      .bind(working)
      .first<{ id: string }>())!;
    await db("delete from task where id = ?", taskId);
    const found = (await violations()).map((v) => `${v.invariant} ${v.table} ${v.id}: ${v.detail}`).sort();
    const dangling = `task_id → task ${taskId}, which does not exist`;
    expect(found).toEqual(
      [
        `reference module ${moduleId}: ${dangling}`,
        `reference rule ${ruleId}: ${dangling}`,
        ...[pending, working, done].map((id) => `reference sub_task ${id}: ${dangling}`),
        ...[codingId, closing.id].map((id) => `reference activity_log ${id}: ${dangling}`),
      ].sort(),
    );
  });

  it("a log moved to another task than its sub-task's", async () => {
    const { taskId, working } = await smallWorld();
    const other = await newTask("other");
    await db("update activity_log set task_id = ? where sub_task_id = ?", other, working);
    const { id } = (await env.DB.prepare("select id from activity_log where sub_task_id = ?")
      .bind(working)
      .first<{ id: string }>())!;
    expect(await violations()).toEqual([
      {
        invariant: "reference",
        table: "activity_log",
        id,
        detail: `task_id → task ${other}, not the task ${taskId} of its sub-task ${working}`,
      },
    ]);
  });

  it("a sub-task row deleted: its events, reviews, ledger rows and logs dangle", async () => {
    const { working } = await smallWorld();
    await db("delete from sub_task where id = ?", working);
    const all = await violations();
    // Its search entry lost its source (search_index); the rest is the reference check.
    expect(all.filter((v) => v.invariant === "search_index").map((v) => v.detail)).toEqual([
      `sub_task ${working}: its source row does not exist`,
    ]);
    const found = all.filter((v) => v.invariant !== "search_index");
    const rows = async (table: string) =>
      (
        await env.DB.prepare(`select id from ${table} where sub_task_id = ?`).bind(working).all<{ id: string }>()
      ).results.map((r) => `${table} ${r.id}`);
    expect(found.map((v) => `${v.table} ${v.id}`).sort()).toEqual(
      [
        ...(await rows("sub_task_event")),
        ...(await rows("review_record")),
        ...(await rows("reward_log")),
        ...(await rows("activity_log")),
      ].sort(),
    );
    expect(found.length).toBe(6 + 1 + 1 + 1);
    expect(
      found.every(
        (v) => v.invariant === "reference" && v.detail === `sub_task_id → sub_task ${working}, which does not exist`,
      ),
    ).toBe(true);
  });

  it("the agent of work in progress deleted behind deleteAgent's back", async () => {
    const { working } = await smallWorld();
    await db("delete from agent where id = ?", exec.id);
    expect(await violations()).toEqual([
      {
        invariant: "reference",
        table: "sub_task",
        id: working,
        detail: `assigned_agent → agent ${exec.id}, which does not exist, while the sub-task is in_progress`,
      },
    ]);
  });

  it("lists at most the cap and counts the rest", async () => {
    await smallWorld();
    await db(`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${MAX_LISTED_VIOLATIONS + 50})
      insert into sub_task_event (id, sub_task_id, op, from_status, to_status, actor_kind, actor_id, detail, created_at)
      select 'ghost-' || i, 'no-such-sub-task', 'claim', 'pending', 'assigned', 'agent', null, '', '2030-01-01T00:00:00.000Z' from n`);
    const res = await call("GET", "/api/admin/integrity", { admin });
    expect(res.body).toMatchObject({ ok: false, total_violations: MAX_LISTED_VIOLATIONS + 50 });
    expect(res.body.violations).toHaveLength(MAX_LISTED_VIOLATIONS);
  });
});

describe("GET /api/admin/integrity access", () => {
  it("needs an admin session: 401 without one, with a bad one, or with an agent key", async () => {
    for (const opts of [{}, { admin: "not-a-session" }, { key: exec.key }]) {
      const res = await call("GET", "/api/admin/integrity", opts);
      expect(res.status, JSON.stringify(opts)).toBe(401);
      expect(res.body).toEqual({ detail: expect.any(String), code: expect.any(String), hint: expect.any(String) });
    }
  });

  it("reads everything in one D1 batch, however many rows there are", async () => {
    await smallWorld();
    const res = await call("GET", "/api/admin/integrity", { admin });
    // The admin session lookup, then one query per table read (files and the search index included),
    // all in one batch (no N+1).
    const queries = Number(res.headers.get("x-d1-queries"));
    await smallWorld();
    const again = await call("GET", "/api/admin/integrity", { admin });
    expect(Number(again.headers.get("x-d1-queries"))).toBe(queries);
    expect(queries).toBeLessThanOrEqual(24);
    expect(again.body.checked.sub_tasks).toBe(6);
  });

  it("the direct reader (used when a test has no admin session) agrees with the endpoint", async () => {
    await smallWorld();
    await db("update agent set total_score = 99 where id = ?", exec.id);
    const viaHttp = await integrityReport(admin);
    const direct = await integrityReport();
    expect(direct).toEqual(viaHttp);
    expect(direct.ok).toBe(false);
  });
});
