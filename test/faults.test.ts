// Faults under the real path (HTTP → Worker → Durable Object → D1): D1 failing in the middle of a
// write, the sub-task's Durable Object being reset, and a notification endpoint that never answers.
// How each fault is injected is in test/fault-injection.ts and next to each case.
import {
  createExecutionContext,
  createScheduledController,
  evictDurableObject,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../worker/index";
import { FETCH_TIMEOUT_MS, LEASE_MS } from "../worker/notify/dispatch";
import {
  armD1Fault,
  type D1Call,
  d1Error,
  disarmD1Faults,
  type Fault,
  fullSnapshot,
  type Gate,
  isRead,
  isWrite,
  until,
  writtenTables,
} from "./fault-injection";
import { type CallResult, call, env, initialize, ok, register, type TestAgent } from "./helpers";
import { channel, configure } from "./notification-helpers";

afterEach(() => {
  disarmD1Faults();
  vi.restoreAllMocks();
});

// --- a team and its work, driven over HTTP -------------------------------------------------------

interface Team {
  admin: string;
  planner: TestAgent;
  exec: TestAgent;
  reviewer: TestAgent;
}

async function team(): Promise<Team> {
  const admin = await initialize();
  const [planner, exec, reviewer] = [await register("planner"), await register("executor"), await register("reviewer")];
  return { admin, planner, exec, reviewer };
}

async function newTask(t: Team, name = "Fault-tolerant pipeline"): Promise<string> {
  return (await ok(call("POST", "/api/tasks", { key: t.planner.key, body: { name } }))).id;
}

async function newSubTask(t: Team, taskId: string, name = "clean data"): Promise<string> {
  return (await ok(call("POST", "/api/sub-tasks", { key: t.planner.key, body: { task_id: taskId, name } }))).id;
}

const step = (t: Team, id: string, op: string) =>
  ok(call("POST", `/api/sub-tasks/${id}/${op}`, { key: t.exec.key, body: {} }));

async function advance(t: Team, id: string, to: "assigned" | "in_progress" | "review"): Promise<void> {
  const ops = { assigned: ["claim"], in_progress: ["claim", "start"], review: ["claim", "start", "submit"] }[to];
  for (const op of ops) await step(t, id, op);
}

const approve = (t: Team, id: string, headers: Record<string, string> = {}) =>
  call("POST", "/api/review-records", {
    key: t.reviewer.key,
    headers,
    body: { sub_task_id: id, result: "approved", score: 5, comment: "good" },
  });

// --- reading D1 ----------------------------------------------------------------------------------

const rows = async <T = Record<string, unknown>>(sql: string, ...binds: unknown[]) =>
  (
    await env.DB.prepare(sql)
      .bind(...binds)
      .all<T>()
  ).results;

const events = (subTaskId: string) =>
  rows<{ op: string; from_status: string; to_status: string; actor_id: string | null }>(
    "select op, from_status, to_status, actor_id from sub_task_event where sub_task_id = ? order by created_at, rowid",
    subTaskId,
  );

const subTaskRow = async (id: string) =>
  (
    await rows<{ status: string; assigned_agent: string | null }>(
      "select status, assigned_agent from sub_task where id = ?",
      id,
    )
  )[0];

/** Each event starts where the one before it ended: the history is one unbroken path. */
function expectUnbroken(history: { from_status: string; to_status: string }[]): void {
  for (let i = 1; i < history.length; i++) expect(history[i]!.from_status).toBe(history[i - 1]!.to_status);
}

function expectUnavailable(res: CallResult): void {
  expect(res.status).toBe(503);
  expect(res.body).toEqual({ detail: expect.any(String), code: "storage_unavailable", hint: expect.any(String) });
  expect(res.headers.get("retry-after")).toBe("1");
}

// --- 1. D1 fails in the middle of a write ---------------------------------------------------------

/** Network connection lost: the first of D1's "retry the operation" errors. */
const lost = () => d1Error("Network connection lost.");
/**
 * The request log records the call itself (its 503 too), after the response; the caller's rate-limit
 * token is taken before the request runs (worker/auth/rate-limit.ts).
 */
const writesBesidesTheRequestLog = (c: D1Call) =>
  c.sql.some((s) => isWrite(s) && !/"request_log"|^insert into "rate_bucket"/.test(s));
const writesTo = (table: string) => (c: D1Call) => c.op === "batch" && writtenTables(c.sql).includes(table);

interface WriteCase {
  name: string;
  /** Brings the world to just before the request; returns what the request and the checks need. */
  arrange: (t: Team) => Promise<{ id: string; taskId: string }>;
  request: (t: Team, w: { id: string; taskId: string }, headers: Record<string, string>) => Promise<CallResult>;
  fault: Fault;
  /** Tables the failed write had to touch (proves the fault hit the whole write, not a side read). */
  touches: string[];
  /** After the healthy retry. */
  verify: (t: Team, w: { id: string; taskId: string }) => Promise<void>;
}

const writeCases: WriteCase[] = [
  {
    name: "claim (transition batch in the Durable Object, fails after its last statement)",
    arrange: async (t) => {
      const taskId = await newTask(t);
      return { taskId, id: await newSubTask(t, taskId) };
    },
    request: (t, w, headers) => call("POST", `/api/sub-tasks/${w.id}/claim`, { key: t.exec.key, headers, body: {} }),
    fault: { when: writesTo("sub_task"), midBatch: true, error: () => lost() },
    touches: ["sub_task", "sub_task_event"],
    verify: async (t, w) => {
      expect(await subTaskRow(w.id)).toEqual({ status: "assigned", assigned_agent: t.exec.id });
      expect((await events(w.id)).map((e) => e.op)).toEqual(["create", "claim"]);
    },
  },
  {
    name: "claim (fails after the first statement: the sub-task update ran, the event did not)",
    arrange: async (t) => {
      const taskId = await newTask(t);
      return { taskId, id: await newSubTask(t, taskId) };
    },
    request: (t, w, headers) => call("POST", `/api/sub-tasks/${w.id}/claim`, { key: t.exec.key, headers, body: {} }),
    fault: { when: writesTo("sub_task"), midBatch: 1, error: () => lost() },
    touches: ["sub_task", "sub_task_event"],
    verify: async (t, w) => {
      expect(await subTaskRow(w.id)).toEqual({ status: "assigned", assigned_agent: t.exec.id });
      expect((await events(w.id)).map((e) => e.op)).toEqual(["create", "claim"]);
    },
  },
  {
    name: "submit (transition + notification outbox)",
    arrange: async (t) => {
      // A subscriber, or the submit queues no event (no delivery runs here: inline delivery is off).
      await configure([channel({ id: "hook", type: "webhook", url: HOOK_URL })], ["sub_task_submitted"]);
      const taskId = await newTask(t);
      const id = await newSubTask(t, taskId);
      await advance(t, id, "in_progress");
      return { taskId, id };
    },
    request: (t, w, headers) => call("POST", `/api/sub-tasks/${w.id}/submit`, { key: t.exec.key, headers, body: {} }),
    fault: { when: writesTo("sub_task"), midBatch: true, error: () => lost() },
    touches: ["notification_outbox", "sub_task", "sub_task_event"],
    verify: async (_t, w) => {
      expect((await subTaskRow(w.id))?.status).toBe("review");
      expect((await events(w.id)).filter((e) => e.op === "submit")).toHaveLength(1);
      expect(await rows("select event from notification_outbox")).toEqual([{ event: "sub_task_submitted" }]);
    },
  },
  {
    name: "review (record + score ledger + agent score + status + task completion, one batch)",
    arrange: async (t) => {
      const taskId = await newTask(t);
      const id = await newSubTask(t, taskId);
      await advance(t, id, "review");
      return { taskId, id };
    },
    request: (t, w, headers) => approve(t, w.id, headers),
    fault: { when: writesTo("review_record"), midBatch: true, error: () => lost() },
    touches: ["agent", "notification_outbox", "review_record", "reward_log", "sub_task", "sub_task_event", "task"],
    verify: async (t, w) => {
      expect((await subTaskRow(w.id))?.status).toBe("done");
      expect(await rows("select round, result, score from review_record where sub_task_id = ?", w.id)).toEqual([
        { round: 1, result: "approved", score: 5 },
      ]);
      expect(await rows("select count(*) n from reward_log where agent_id = ?", t.exec.id)).toEqual([{ n: 1 }]);
      const [ledger] = await rows<{ sum: number }>(
        "select sum(score_delta) sum from reward_log where agent_id = ?",
        t.exec.id,
      );
      expect(await rows("select total_score from agent where id = ?", t.exec.id)).toEqual([
        { total_score: ledger!.sum },
      ]);
      expect(await rows("select status from task where id = ?", w.taskId)).toEqual([{ status: "completed" }]);
      expect((await events(w.id)).filter((e) => e.op === "review")).toHaveLength(1);
    },
  },
  {
    name: "task cancel (cascades to every open sub-task, one batch in the Worker)",
    arrange: async (t) => {
      const taskId = await newTask(t);
      const id = await newSubTask(t, taskId, "pending one");
      await advance(t, await newSubTask(t, taskId, "in progress one"), "in_progress");
      await advance(t, await newSubTask(t, taskId, "in review one"), "review");
      return { taskId, id };
    },
    request: (t, w, headers) =>
      call("POST", `/api/tasks/${w.taskId}/cancel`, { key: t.planner.key, headers, body: {} }),
    fault: { when: writesTo("task"), midBatch: true, error: () => lost() },
    touches: ["sub_task", "sub_task_event", "task"],
    verify: async (_t, w) => {
      expect(await rows("select status from task where id = ?", w.taskId)).toEqual([{ status: "cancelled" }]);
      expect(await rows("select distinct status from sub_task where task_id = ?", w.taskId)).toEqual([
        { status: "cancelled" },
      ]);
      const cancels = await rows(
        "select e.id from sub_task_event e join sub_task s on s.id = e.sub_task_id where s.task_id = ? and e.op = 'cancel'",
        w.taskId,
      );
      expect(cancels).toHaveLength(3);
    },
  },
];

describe("D1 fails in the middle of a write", () => {
  for (const c of writeCases) {
    it(`${c.name}: 503 storage_unavailable, nothing written, the retry succeeds once`, async () => {
      const t = await team();
      const w = await c.arrange(t);
      const before = await fullSnapshot();
      const key = { "idempotency-key": `k-${crypto.randomUUID()}` };

      const fault = armD1Fault(c.fault);
      const res = await c.request(t, w, key);
      fault.disarm();

      expectUnavailable(res);
      // The fault hit the real write: D1 ran its statements, then rolled all of them back.
      expect(fault.failed).not.toBeNull();
      expect(writtenTables(fault.failed!.sql)).toEqual(expect.arrayContaining(c.touches));
      expect(fault.failed!.executedBeforeFailure).toBeGreaterThan(0);
      expect(await fullSnapshot()).toEqual(before);

      // The same request again (same Idempotency-Key: a 5xx released it), on a healthy binding.
      const retry = await c.request(t, w, key);
      expect(retry.status).toBe(200);
      expect(retry.headers.get("idempotent-replayed")).toBeNull();
      await c.verify(t, w);
      // And once more: replayed, not applied twice.
      const replay = await c.request(t, w, key);
      expect(replay.status).toBe(200);
      expect(replay.headers.get("idempotent-replayed")).toBe("true");
      await c.verify(t, w);
    });
  }

  it("a SQL error in the middle of a batch is a bug, not an outage: 500 internal, nothing written", async () => {
    const t = await team();
    const id = await newSubTask(t, await newTask(t));
    const before = await fullSnapshot();
    // D1's own error this time: "D1_ERROR: no such table: __fault_injected__: SQLITE_ERROR".
    const fault = armD1Fault({ when: writesTo("sub_task"), midBatch: true, error: (d1) => d1! });
    const res = await call("POST", `/api/sub-tasks/${id}/claim`, { key: t.exec.key, body: {} });
    fault.disarm();
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ detail: "internal error", code: "internal" });
    expect(res.headers.get("retry-after")).toBeNull();
    expect(await fullSnapshot()).toEqual(before);
  });

  it("a plain write (POST /api/logs) that fails: 503, no row; the retry writes one", async () => {
    const t = await team();
    const before = await fullSnapshot();
    const fault = armD1Fault({
      when: (c) => c.sql.some((s) => isWrite(s) && /activity_log/.test(s)),
      error: () => lost(),
    });
    const res = await call("POST", "/api/logs", {
      key: t.exec.key,
      body: { action: "coding", summary: "wrote the parser" },
    });
    fault.disarm();
    expectUnavailable(res);
    expect(fault.failed?.op).toBe("batch");
    expect(await fullSnapshot()).toEqual(before);
    expect(
      (await call("POST", "/api/logs", { key: t.exec.key, body: { action: "coding", summary: "wrote the parser" } }))
        .status,
    ).toBe(200);
    expect(await rows("select summary from activity_log where agent_id = ?", t.exec.id)).toEqual([
      { summary: "wrote the parser" },
    ]);
  });

  it("a write whose values quote an outage but which fails on a constraint stays a 500 (the values cannot fake a 503)", async () => {
    const t = await team();
    const before = await fullSnapshot();
    // drizzle reports "Failed query: insert … params: …, Network connection lost. SQLITE_BUSY, …" with D1's error as cause.
    const fault = armD1Fault({
      when: (c) => c.sql.some((s) => isWrite(s) && /activity_log/.test(s)),
      error: () => d1Error("UNIQUE constraint failed: activity_log.id: SQLITE_CONSTRAINT"),
    });
    const res = await call("POST", "/api/logs", {
      key: t.exec.key,
      body: { action: "coding", summary: "Network connection lost. SQLITE_BUSY" },
    });
    fault.disarm();
    expect([res.status, res.body, res.headers.get("retry-after")]).toEqual([
      500,
      { detail: "internal error", code: "internal" },
      null,
    ]);
    expect(await fullSnapshot()).toEqual(before);
  });

  it("registration whose agent insert fails: 503, no agent, the throttle slot given back (one registration-rate token spent); the retry registers", async () => {
    await initialize();
    const before = await fullSnapshot();
    const fault = armD1Fault({
      when: (c) => c.sql.some((s) => /^\s*insert\s+into\s+"agent"/i.test(s)),
      error: () => d1Error("D1 DB storage operation exceeded timeout which caused object to be reset."),
    });
    const body = { name: "late-joiner", role: "executor", description: "d" };
    const headers = { "x-registration-token": "reg-token-for-tests" };
    const res = await call("POST", "/api/agents/register", { headers, body });
    fault.disarm();
    expectUnavailable(res);
    // The attempt spent one token of the token's hourly registration allowance (taken before the
    // insert, like an attempt count); nothing else changed.
    const after = await fullSnapshot();
    expect(after.rate_bucket).toEqual([expect.objectContaining({ key: expect.stringMatching(/^register:/) })]);
    expect({ ...after, rate_bucket: before.rate_bucket }).toEqual(before);
    const retry = await call("POST", "/api/agents/register", { headers, body });
    expect(retry.status).toBe(200);
    expect(await rows("select name from agent where name = 'late-joiner'")).toHaveLength(1);
  });

  it("a read that fails in the Worker (the agent lookup, batched with its rate-limit token): 503, nothing written", async () => {
    const t = await team();
    const id = await newSubTask(t, await newTask(t));
    const before = await fullSnapshot();
    const authBatch = (c: D1Call) =>
      c.op === "batch" &&
      isRead(c.sql[0]!) &&
      /from "agent"/.test(c.sql[0]!) &&
      /^insert into "rate_bucket"/.test(c.sql[1] ?? "");
    const fault = armD1Fault({ when: authBatch, error: () => lost() });
    const res = await call("POST", `/api/sub-tasks/${id}/claim`, { key: t.exec.key, body: {} });
    fault.disarm();
    expectUnavailable(res);
    expect(fault.calls.filter(writesBesidesTheRequestLog)).toEqual([]);
    expect(await fullSnapshot()).toEqual(before);
  });

  it("a read that fails in the Durable Object (the transition's snapshot): 503, nothing written", async () => {
    const t = await team();
    const id = await newSubTask(t, await newTask(t));
    const before = await fullSnapshot();
    const snapshotRead = (c: D1Call) => c.op !== "batch" && isRead(c.sql[0]!) && /sub_task_dependency/.test(c.sql[0]!);
    const fault = armD1Fault({
      when: snapshotRead,
      error: () => d1Error("D1 DB is overloaded. Requests queued for too long."),
    });
    const res = await call("POST", `/api/sub-tasks/${id}/claim`, { key: t.exec.key, body: {} });
    fault.disarm();
    expectUnavailable(res);
    expect(fault.failed).not.toBeNull();
    expect(fault.calls.filter(writesBesidesTheRequestLog)).toEqual([]);
    expect(await fullSnapshot()).toEqual(before);
  });

  // Which failures are an outage (503, retry) and which are a bug (500): the error is thrown inside the
  // Durable Object, on its write batch, and crosses the RPC boundary to the Worker's error handler.
  const classes: [string, () => Error, 503 | 500][] = [
    ["D1: network connection lost", () => lost(), 503],
    [
      "D1: storage timeout reset",
      () => d1Error("D1 DB storage operation exceeded timeout which caused object to be reset."),
      503,
    ],
    [
      "D1: storage start-up reset",
      () => d1Error("Internal error while starting up D1 DB storage caused object to be reset."),
      503,
    ],
    ["D1: overloaded", () => d1Error("D1 DB is overloaded. Too many requests queued."), 503],
    ["D1: code update reset", () => d1Error("D1 DB reset because its code was updated."), 503],
    ["D1: transient remote node", () => d1Error("Cannot resolve D1 DB due to transient issue on remote node."), 503],
    ["SQLite busy", () => d1Error("database is locked: SQLITE_BUSY"), 503],
    ["D1: SQL error", () => d1Error("no such column: nope: SQLITE_ERROR"), 500],
    ["D1: constraint", () => d1Error("UNIQUE constraint failed: agent.name: SQLITE_CONSTRAINT"), 500],
    ["D1: type error", () => new Error("D1_TYPE_ERROR: Type 'undefined' not supported for value 'undefined'"), 500],
    [
      "D1: memory limit (the same query hits it again)",
      () => d1Error("D1 DB's isolate exceeded its memory limit and was reset."),
      500,
    ],
    ["a programming error", () => new TypeError("Cannot read properties of undefined (reading 'id')"), 500],
  ];
  for (const [name, error, status] of classes) {
    it(`thrown in the Durable Object: ${name} → ${status}`, async () => {
      const t = await team();
      const id = await newSubTask(t, await newTask(t));
      const fault = armD1Fault({ when: writesTo("sub_task"), error });
      const res = await call("POST", `/api/sub-tasks/${id}/claim`, { key: t.exec.key, body: {} });
      fault.disarm();
      expect(fault.failed).not.toBeNull();
      if (status === 503) expectUnavailable(res);
      else
        expect([res.status, res.body, res.headers.get("retry-after")]).toEqual([
          500,
          { detail: "internal error", code: "internal" },
          null,
        ]);
      expect((await events(id)).map((e) => e.op)).toEqual(["create"]);
    });
  }
});

// --- 2. The sub-task's Durable Object is reset ----------------------------------------------------

// Bound once, so a test that wraps the Worker's `env.SUB_TASKS.get` still reaches the object itself.
const namespaceGet = env.SUB_TASKS.get.bind(env.SUB_TASKS);
const coordinator = (subTaskId: string) => namespaceGet(env.SUB_TASKS.idFromName(subTaskId));
const INSTANCE = Symbol.for("faults.test.instance");

/** Marks the object's current instance; a reset gives an instance without the mark. */
async function markInstance(subTaskId: string): Promise<void> {
  await runInDurableObject(coordinator(subTaskId), (instance) => {
    (instance as unknown as Record<symbol, boolean>)[INSTANCE] = true;
  });
}
const isMarkedInstance = (subTaskId: string) =>
  runInDurableObject(
    coordinator(subTaskId),
    (instance) => (instance as unknown as Record<symbol, boolean>)[INSTANCE] === true,
  );

describe("the sub-task's Durable Object is reset", () => {
  it("evicted between every call: claim, start, submit, review still make one complete, legal history", async () => {
    const t = await team();
    const taskId = await newTask(t);
    const id = await newSubTask(t, taskId);
    const ops: [string, () => Promise<unknown>][] = [
      ["claim", () => step(t, id, "claim")],
      ["start", () => step(t, id, "start")],
      ["submit", () => step(t, id, "submit")],
      ["review", () => ok(approve(t, id))],
    ];
    for (const [, run] of ops) {
      await markInstance(id);
      await evictDurableObject(coordinator(id));
      expect(await isMarkedInstance(id)).toBe(false); // a fresh instance: nothing in memory survived
      await run();
    }
    const history = await events(id);
    expect(history.map((e) => e.op)).toEqual(["create", "claim", "start", "submit", "review"]);
    expect(history.map((e) => e.to_status)).toEqual(["pending", "assigned", "in_progress", "review", "done"]);
    expectUnbroken(history);
    expect(await rows("select count(*) n from review_record where sub_task_id = ?", id)).toEqual([{ n: 1 }]);
    expect(await rows("select status from task where id = ?", taskId)).toEqual([{ status: "completed" }]);
  });

  it("reset (ctx.abort) while a claim is inside its write and two more wait behind it: the three get 503, the burst after it has exactly one winner, no duplicate event", async () => {
    const t = await team();
    const id = await newSubTask(t, await newTask(t));
    const claimers: TestAgent[] = [];
    for (let i = 0; i < 8; i++) claimers.push(await register("executor"));
    const claim = (a: TestAgent) => call("POST", `/api/sub-tasks/${id}/claim`, { key: a.key, body: {} });

    // Hold the first claim's write batch inside the Durable Object, before it reaches D1.
    const gate: Gate = { held: false, open: false };
    const hold = armD1Fault({ when: writesTo("sub_task"), hold: gate });
    // Count the Worker's calls into the coordinator, to know when the queued claims have been sent.
    let sent = 0;
    vi.spyOn(env.SUB_TASKS, "get").mockImplementation((objectId) => {
      const stub = namespaceGet(objectId);
      return {
        apply: (...args: Parameters<typeof stub.apply>) => {
          sent++;
          return stub.apply(...args);
        },
      } as unknown as typeof stub;
    });
    try {
      const settled: number[] = [];
      const first = claim(claimers[0]!).then((r) => {
        settled.push(0);
        return r;
      });
      await until(() => gate.held, "the first claim to reach its write");
      const queued = claimers.slice(1, 3).map((a, i) =>
        claim(a).then((r) => {
          settled.push(i + 1);
          return r;
        }),
      );
      // The queued claims are sent to the object, where they wait behind the held one (its chain).
      await until(() => sent === 3, "the queued claims to be sent");
      await markInstance(id);
      expect(settled).toEqual([]);

      const reset = await runInDurableObject(coordinator(id), (_instance, state) =>
        state.abort("reset by the test"),
      ).then(
        () => null,
        (err: Error) => err.message,
      );
      expect(reset).toBe("reset by the test");

      // Every call the reset cut off answers 503 storage_unavailable (durableObjectReset crossed the RPC).
      const cut = await Promise.all([first, ...queued]);
      for (const res of cut) expectUnavailable(res);
      expect((await events(id)).map((e) => e.op)).toEqual(["create"]);

      // The rest of the burst lands on a fresh instance: exactly one winner.
      expect(await isMarkedInstance(id)).toBe(false);
      const rest = await Promise.all(claimers.slice(3).map(claim));
      const winners = rest.flatMap((r, i) => (r.status === 200 ? [claimers[3 + i]!] : []));
      expect(winners).toHaveLength(1);
      expect(rest.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(Array(4).fill("illegal_transition"));

      // The held write is let go (its context died with the reset; were it still to run, its revision
      // guard would match no row), then the cut-off claimers retry as 503 asks: the sub-task is taken.
      gate.open = true;
      for (const a of claimers.slice(0, 3)) expect((await claim(a)).status).toBe(409);
      expect(await subTaskRow(id)).toEqual({ status: "assigned", assigned_agent: winners[0]!.id });
      const history = await events(id);
      expect(history.map((e) => [e.op, e.actor_id])).toEqual([
        ["create", t.planner.id],
        ["claim", winners[0]!.id],
      ]);
    } finally {
      gate.open = true;
      hold.disarm();
    }
  });
});

// --- 3. A notification endpoint that never answers -------------------------------------------------

const HOOK_URL = "https://receiver.example.com/openmoss";

/**
 * A webhook that never answers on its own: each request stays pending until the test answers it, or
 * until its AbortSignal fires (as a real fetch does when its timeout elapses).
 */
function hungWebhook() {
  const log: string[] = [];
  const pending: { url: string; answer: (res: Response) => void; signal: AbortSignal | null }[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    return new Promise<Response>((resolve, reject) => {
      const signal = init?.signal ?? null;
      const entry = {
        url,
        signal,
        answer: (res: Response) => {
          log.push(`webhook ${pending.indexOf(entry)} answered`);
          resolve(res);
        },
      };
      pending.push(entry);
      log.push(`webhook ${pending.length - 1} called`);
      signal?.addEventListener("abort", () => {
        log.push(`webhook ${pending.indexOf(entry)} aborted`);
        reject(signal.reason);
      });
    });
  });
  return { log, pending };
}

/** The dispatcher's per-attempt timers, fired by the test instead of the clock. */
function controllableTimeouts() {
  const armed: { ms: number; fire: () => void; signal: AbortSignal }[] = [];
  vi.spyOn(AbortSignal, "timeout").mockImplementation((ms: number) => {
    const controller = new AbortController();
    armed.push({
      ms,
      signal: controller.signal,
      fire: () => controller.abort(new DOMException("The operation timed out.", "TimeoutError")),
    });
    return controller.signal;
  });
  return armed;
}

/** The real Worker handler, called as the runtime would, with inline delivery on and its own ExecutionContext. */
async function agentCall(method: string, path: string, key: string, body: unknown = {}) {
  const ctx = createExecutionContext();
  const req = new Request(new URL(path, "http://openmoss.test"), {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const res = await worker.fetch(req, { ...env, NOTIFY_INLINE: "on" }, ctx);
  return { res, afterResponse: () => waitOnExecutionContext(ctx) };
}

async function configureHook(t: Team, events: string[]): Promise<void> {
  await ok(
    call("PUT", "/api/admin/config", {
      admin: t.admin,
      body: {
        notification: { enabled: true, webhooks: [{ name: "receiver", type: "webhook", url: HOOK_URL, events }] },
      },
    }),
  );
}

const deliveries = () =>
  rows<{ status: string; attempts: number; lease_until: string | null; next_attempt_at: string }>(
    "select status, attempts, lease_until, next_attempt_at from notification_delivery order by rowid",
  );

describe("a notification endpoint that never answers", () => {
  it("does not hold up the agent: the submit's response arrives while its webhook is still pending", async () => {
    const t = await team();
    await configureHook(t, ["sub_task_submitted", "review_rejected"]);
    const id = await newSubTask(t, await newTask(t));
    await advance(t, id, "in_progress");
    const hook = hungWebhook();

    // The submit's answer is noted when it arrives; the test does not wait for it here.
    const submitting = agentCall("POST", `/api/sub-tasks/${id}/submit`, t.exec.key).then((r) => {
      hook.log.push(`submit answered ${r.res.status}`);
      return r;
    });
    // The delivery reaches the webhook, which does not answer. By then the agent has its answer
    // (were the delivery awaited before responding, the log would hold only the webhook call).
    await until(() => hook.pending.length === 1, "the webhook to be called");
    expect(hook.log).toEqual(["submit answered 200", "webhook 0 called"]);
    const submit = await submitting;
    expect(hook.pending[0]!.url).toBe(HOOK_URL);
    expect(await deliveries()).toEqual([
      expect.objectContaining({ status: "pending", attempts: 0, lease_until: expect.any(String) }),
    ]);

    // Another agent call while the webhook hangs is not held up either (its own delivery is pending too).
    const reviewing = agentCall("POST", "/api/review-records", t.reviewer.key, {
      sub_task_id: id,
      result: "rejected",
      score: 2,
      issues: "no tests",
    }).then((r) => {
      hook.log.push(`review answered ${r.res.status}`);
      return r;
    });
    await until(() => hook.pending.length === 2, "the second webhook call");
    const reviewCall = await reviewing;
    expect(reviewCall.res.status).toBe(200);

    // Only now does the endpoint answer; the deliveries then finish and are recorded as sent.
    for (const p of hook.pending) p.answer(new Response("ok"));
    await submit.afterResponse();
    await reviewCall.afterResponse();
    expect(hook.log).toEqual([
      "submit answered 200",
      "webhook 0 called",
      "review answered 200",
      "webhook 1 called",
      "webhook 0 answered",
      "webhook 1 answered",
    ]);
    expect((await deliveries()).map((d) => [d.status, d.attempts, d.lease_until])).toEqual([
      ["sent", 1, null],
      ["sent", 1, null],
    ]);
  });

  it("is cut off by the dispatcher's timeout: a failed attempt, the lease given back, and the cron delivers it later", async () => {
    expect(FETCH_TIMEOUT_MS).toBeLessThan(LEASE_MS); // an attempt always ends while its lease still holds
    const t = await team();
    await configureHook(t, ["sub_task_submitted"]);
    const id = await newSubTask(t, await newTask(t));
    await advance(t, id, "in_progress");
    const hook = hungWebhook();
    const timers = controllableTimeouts();

    const submit = await agentCall("POST", `/api/sub-tasks/${id}/submit`, t.exec.key);
    expect(submit.res.status).toBe(200);
    await until(() => hook.pending.length === 1, "the webhook to be called");
    // The attempt carries the dispatcher's timeout signal.
    const timer = timers.find((x) => x.signal === hook.pending[0]!.signal);
    expect(timer?.ms).toBe(FETCH_TIMEOUT_MS);

    // The timeout elapses (fired by the test, not by waiting): the attempt fails and is recorded.
    timer!.fire();
    await submit.afterResponse();
    expect(hook.log).toEqual(["webhook 0 called", "webhook 0 aborted"]);
    const [failed] = await deliveries();
    expect(failed).toEqual(expect.objectContaining({ status: "pending", attempts: 1, lease_until: null }));
    const attempts = await rows<{ ok: number; error: string }>("select ok, error from notification_attempt");
    expect(attempts).toEqual([{ ok: 0, error: `receiver.example.com: timed out after ${FETCH_TIMEOUT_MS / 1000} s` }]);

    // The cron, once the retry is due, delivers it (the endpoint answers this time).
    vi.mocked(globalThis.fetch).mockImplementation(async () => new Response("ok"));
    const due = Date.parse(failed!.next_attempt_at) + 1000;
    await worker.scheduled(createScheduledController({ scheduledTime: due, cron: "* * * * *" }), env);
    expect((await deliveries()).map((d) => [d.status, d.attempts, d.lease_until])).toEqual([["sent", 2, null]]);
    expect(await rows("select ok from notification_attempt order by attempted_at")).toEqual([{ ok: 0 }, { ok: 1 }]);
  });
});
