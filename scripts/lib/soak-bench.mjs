// The soak scenario of `npm run bench`: a crowd of agents of every role working at once against one
// local Worker for a fixed time, then proof that nothing they were told had happened got lost.
//
// One fresh `wrangler dev --test-scheduled` is initialized through the API and gets its agents
// through POST /api/agents/register (by default 200: 20 planners, 140 executors, 25 reviewers and
// 15 patrols). Each agent then loops until the time is up, waking up with small jittered pauses and
// doing what its role does on a wake-up, always starting with the briefing:
//   planner   keeps a backlog: creates tasks (active), modules and sub-tasks, some with depends_on;
//             sometimes writes a task rule; follows its tasks; reassigns blocked sub-tasks to an
//             executor and resolves their open patrol records
//   executor  carries on its own work first (rework after a rejection: reads the review, logs a
//             reflection; reassigned work; leftovers), else claims from /available (409 races are
//             expected), starts, logs coding and delivery, submits; a few take long enough for the
//             patrol to block them
//   reviewer  lists the submissions, reads the delivery log, approves or rejects with a score 1–5
//             (409 when another reviewer was first)
//   patrol    heartbeat, /api/patrol/check and /records, and blocks in-progress work that has not
//             moved for a while (filing a patrol record for it)
// and everybody reads the journal, the leaderboard and the rules now and then. Calls go out as the
// CLI sends them: an Idempotency-Key on every mutating one, retried with that key after a network
// error or a 502/503/504. A few acknowledged calls are also sent again with the same key: the answer
// must be the stored one (Idempotent-Replayed) and nothing may happen twice. The cron runs every
// --cron-every seconds through /__scheduled, concurrently with the agents.
//
// Every call is recorded under its normalized endpoint (`POST /api/sub-tasks/{id}/claim`) with its
// client wall time and status class: 2xx, expected race (a 409 whose code says the state changed
// first, or a 403 not_owner after a reassign), any other 4xx (an error) and 5xx or network errors
// (errors). After the load stops: GET /api/admin/integrity when the server has it, and the client's
// own ledger against the server: every acknowledged journal entry of every agent is stored, every
// acknowledged create and transition is one event in its sub-task's history (and the history is a
// chain ending in the sub-task's status), and the totals of tasks, sub-tasks, review records and
// task rules match; what is stored beyond the acknowledged may only come from calls that got no
// answer. A reload of the Worker by wrangler dev during the load (a file of the project changed)
// fails the run too: its numbers would not be representative.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { applyMigrations, DevServer } from "./dev-server.mjs";
import { Client, median, table } from "./patrol-bench.mjs";
import { machineInfo, num, wranglerVersion } from "./report.mjs";

/** The role mix, as shares of --soak-agents (200 → 20 / 140 / 25 / 15). */
export const ROLE_MIX = [
  ["planner", 0.1],
  ["executor", 0.7],
  ["reviewer", 0.125],
  ["patrol", 0.075],
];

const CLI_VERSION = 3;
const BUCKET_S = 10;
/** Pauses in ms: between calls of one wake-up, between wake-ups per role, and an executor's work. */
const PAUSE = {
  step: [40, 200],
  wake: { planner: [1500, 3500], executor: [300, 1200], reviewer: [400, 1500], patrol: [2000, 4000] },
  idle: [1000, 2500],
  work: [800, 3000],
  slowWork: [13_000, 22_000],
};
const SLOW_WORK_SHARE = 0.06;
/** The patrol blocks in-progress sub-tasks whose last change is older than this. */
const BLOCK_AFTER_MS = 12_000;
/** Planners add a task while fewer sub-tasks than this are pending. */
const BACKLOG = 80;
/** Share of acknowledged mutating calls sent again with the same Idempotency-Key. */
const REPLAY_SHARE = 0.03;
/** The CLI's retries (skills/cli/http.ts): after a network error or a 502/503/504, same key, these waits. */
const RETRY_DELAYS_MS = [300, 1000];
const RETRY_STATUSES = new Set([502, 503, 504]);
const TIMEOUT_MS = 30_000;
const unanswered = (status) => status === "network" || status >= 500;
/** A refusal that means "the state changed first": expected under concurrency, not an error. */
const RACE_CODES = new Set([
  "illegal_transition",
  "concurrent_change",
  "dependencies_pending",
  "task_closed",
  "record_open",
  "record_not_open",
]);
const isRace = (status, code) => (status === 409 && RACE_CODES.has(code)) || (status === 403 && code === "not_owner");
const ID_LIKE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|^[0-9a-f]{16,}$/i;
const MUTATING = new Set(["POST", "PUT", "DELETE", "PATCH"]);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const between = ([lo, hi]) => lo + Math.random() * (hi - lo);
const chance = (p) => Math.random() < p;
const pick = (items, top = items.length) => items[Math.floor(Math.random() * Math.min(top, items.length))];
const pct = (sorted, p) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
const ms0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : "–");

/** Thrown by an agent's next call or pause once the time is up: its loop ends there. */
class TimeUp extends Error {}

/** How many agents of each role `total` agents make (at least one of each). */
export function roleCounts(total) {
  const counts = Object.fromEntries(ROLE_MIX.map(([role, share]) => [role, Math.max(1, Math.round(total * share))]));
  counts.executor = Math.max(1, total - counts.planner - counts.reviewer - counts.patrol);
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Measuring.

/** Every call by endpoint: latencies, status classes, and the failures with their bodies. */
class Recorder {
  constructor() {
    this.endpoints = new Map();
    this.failures = new Map(); // "endpoint status code" → { count, body }
    this.races = new Map(); // "status code" → count
    this.replays = { sent: 0, mismatched: [] };
    this.retries = 0;
    this.requests = 0;
    this.buckets = [];
    this.startedAt = 0;
  }

  add(key, status, code, ms, body, rowsRead) {
    let s = this.endpoints.get(key);
    if (!s) {
      s = { key, latencies: [], ok: 0, race: 0, client: 0, server: 0, d1: 0, rowsRead: 0 };
      this.endpoints.set(key, s);
    }
    s.latencies.push(ms);
    if (rowsRead !== null && rowsRead !== undefined) {
      s.d1 += 1;
      s.rowsRead += Number(rowsRead);
    }
    this.requests += 1;
    const i = Math.floor((performance.now() - this.startedAt) / (BUCKET_S * 1000));
    while (this.buckets.length <= i) this.buckets.push({ requests: 0, latencies: [] });
    this.buckets[i].requests += 1;
    this.buckets[i].latencies.push(ms);
    if (typeof status === "number" && status < 400) {
      s.ok += 1;
      return;
    }
    if (isRace(status, code)) {
      this.races.set(`${status} ${code}`, (this.races.get(`${status} ${code}`) ?? 0) + 1);
      s.race += 1;
      return;
    }
    if (typeof status === "number" && status < 500) s.client += 1;
    else s.server += 1;
    const f = `${key} → ${status}${code ? ` ${code}` : ""}`;
    const seen = this.failures.get(f);
    if (seen) seen.count += 1;
    else this.failures.set(f, { count: 1, body: String(body ?? "").slice(0, 300) });
  }

  totals() {
    const t = { ok: 0, race: 0, client: 0, server: 0 };
    for (const s of this.endpoints.values()) for (const k of Object.keys(t)) t[k] += s[k];
    return t;
  }
}

/**
 * What the server acknowledged (a 2xx, first or replayed), to compare with what it stores afterwards;
 * and what went unanswered (a network error or 5xx after the retries), which the server may or may
 * not have done: stored but unacknowledged is only allowed up to that many.
 */
class Ledger {
  constructor() {
    this.logs = new Map(); // agent id → Set of journal entry ids
    this.transitions = new Map(); // sub-task id → ["op agent", …] (create included)
    this.tasks = new Set();
    this.modules = 0;
    this.rules = new Map(); // task id → task rules created
    this.unanswered = new Map(); // "what" → calls without an answer
    this.counts = {
      claims: 0,
      starts: 0,
      submits: 0,
      approved: 0,
      rejected: 0,
      blocks: 0,
      reassigns: 0,
      records: 0,
      resolved: 0,
    };
  }

  #missed(r, what) {
    if (unanswered(r.status)) this.unanswered.set(what, (this.unanswered.get(what) ?? 0) + 1);
    return r.ok;
  }

  unansweredOf(what) {
    return this.unanswered.get(what) ?? 0;
  }

  /** A journal entry (POST /api/logs); true when acknowledged. */
  log(r, agentId) {
    if (!r.ok) return this.#missed(r, `log ${agentId}`);
    if (!this.logs.has(agentId)) this.logs.set(agentId, new Set());
    this.logs.get(agentId).add(r.json.id);
    return true;
  }

  /** A create or transition of a sub-task by an agent; true when acknowledged. */
  transition(r, subTaskId, op, agentId) {
    if (!r.ok) return this.#missed(r, `${subTaskId} ${op} ${agentId}`);
    if (!this.transitions.has(subTaskId)) this.transitions.set(subTaskId, []);
    this.transitions.get(subTaskId).push(`${op} ${agentId}`);
    return true;
  }

  /** Any other write, counted by kind (task, module, sub_task, review, rule); true when acknowledged. */
  wrote(r, kind) {
    return r.ok || this.#missed(r, kind);
  }
}

/** An agent's calls: measured, with an Idempotency-Key on every mutating one, and the deadline. */
class AgentApi {
  constructor({ base, recorder, endsAt, agent }) {
    Object.assign(this, { base, recorder, endsAt, ...agent });
  }

  /** A pause of the agent, cut short (and ended) by the deadline. */
  async pause(range) {
    const left = this.endsAt - Date.now();
    if (left <= 0) throw new TimeUp();
    await sleep(Math.min(left, between(range)));
    if (Date.now() >= this.endsAt) throw new TimeUp();
  }

  get(template, opts) {
    return this.call("GET", template, opts);
  }

  post(template, opts) {
    return this.call("POST", template, { body: {}, ...opts });
  }

  put(template, opts) {
    return this.call("PUT", template, opts);
  }

  /** One call; resolves `{ ok, status, code, json }` whatever the answer (every answer is recorded). */
  async call(method, template, { id, query, body } = {}) {
    if (Date.now() >= this.endsAt) throw new TimeUp();
    let pathname = id === undefined ? template : template.replace("{id}", encodeURIComponent(id));
    const qs = new URLSearchParams();
    const shown = [];
    for (const [k, v] of Object.entries(query ?? {})) {
      qs.set(k, String(v));
      shown.push(`${k}=${ID_LIKE.test(String(v)) ? "{id}" : v}`);
    }
    if (shown.length) pathname += `?${qs}`;
    const key = `${method} ${template}${shown.length ? `?${shown.join("&")}` : ""}`;
    const headers = { authorization: `Bearer ${this.key}`, "content-type": "application/json" };
    if (MUTATING.has(method)) headers["idempotency-key"] = randomUUID();
    const init = { method, headers, body: body === undefined ? undefined : JSON.stringify(body) };
    const r = await this.#exchange(key, pathname, init);
    if (r.ok && MUTATING.has(method) && chance(REPLAY_SHARE)) await this.#replay(key, pathname, init, r);
    return r;
  }

  /** One call as the CLI makes it: retried with the same Idempotency-Key after a network error or 502/503/504. */
  async #exchange(key, pathname, init) {
    for (let attempt = 0; ; attempt++) {
      const r = await this.#send(key, pathname, init);
      if (attempt >= RETRY_DELAYS_MS.length || !(r.status === "network" || RETRY_STATUSES.has(r.status))) return r;
      this.recorder.retries += 1;
      await sleep(RETRY_DELAYS_MS[attempt]);
    }
  }

  async #send(key, pathname, init) {
    const started = performance.now();
    let res;
    let text;
    try {
      res = await fetch(this.base + pathname, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
      text = await res.text();
    } catch (err) {
      this.recorder.add(key, "network", err.cause?.code ?? err.name, performance.now() - started, err.message);
      return { ok: false, status: "network", code: err.cause?.code ?? err.name, json: null };
    }
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    const code = res.ok ? undefined : json?.code;
    this.recorder.add(key, res.status, code, performance.now() - started, text, res.headers.get("x-d1-rows-read"));
    return {
      ok: res.ok,
      status: res.status,
      code,
      json,
      text,
      replayed: res.headers.get("idempotent-replayed") === "true",
    };
  }

  /** The same request again (a client retry after a lost answer): it must replay, not run twice. */
  async #replay(key, pathname, init, first) {
    this.recorder.replays.sent += 1;
    const again = await this.#exchange(key, pathname, init);
    if (!again.replayed || again.status !== first.status || again.text !== first.text) {
      this.recorder.replays.mismatched.push(`${key}: ${again.status}, replayed=${again.replayed}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The roles: one wake-up each; the loop around them is `live`.

/** Reads any role makes now and then: the journal, the leaderboard, the rules, a heartbeat. */
async function commonReads(a) {
  if (chance(0.3)) await a.get("/api/logs", { query: { limit: 20 } });
  if (chance(0.2)) await a.get("/api/scores/leaderboard");
  if (chance(0.25)) await a.get("/api/rules", { query: { cli_version: CLI_VERSION } });
  if (a.role !== "patrol" && chance(0.1)) await a.post("/api/agents/me/heartbeat");
}

async function plannerWake(a, ctx) {
  const briefing = await a.get("/api/agents/me/briefing", { query: { cli_version: CLI_VERSION } });
  if (!briefing.ok) return;
  await a.pause(PAUSE.step);
  if (!a.executors) {
    // Whom blocked work can go to: each planner looks the executors up once.
    const list = await a.get("/api/agents", { query: { role: "executor", status: "active" } });
    if (list.ok) a.executors = list.json.map((x) => x.id);
  }
  const pending = await a.get("/api/sub-tasks", { query: { status: "pending", page_size: 1 } });
  if (pending.ok && pending.json.total < BACKLOG) await planTask(a, ctx);

  const blocked = await a.get("/api/sub-tasks", { query: { status: "blocked" } });
  if (blocked.ok) {
    for (const st of blocked.json.items.slice(0, 2)) {
      await a.pause(PAUSE.step);
      await reassign(a, ctx, st);
    }
  }
  if (a.tasks.length && chance(0.4)) {
    const taskId = pick(a.tasks.slice(-5));
    await a.get("/api/sub-tasks", { query: { task_id: taskId } });
    await a.get("/api/tasks/{id}", { id: taskId });
  }
  await commonReads(a);
}

/** A task as the CLI's planner makes it: task, active, modules, sub-tasks (some depending on others). */
async function planTask(a, ctx) {
  const n = ctx.ledger.tasks.size;
  const task = await a.post("/api/tasks", {
    body: { name: `Soak task ${n} by ${a.name}`, description: "Created by the soak benchmark", type: "once" },
  });
  if (!ctx.ledger.wrote(task, "task")) return;
  const taskId = task.json.id;
  ctx.ledger.tasks.add(taskId);
  a.tasks.push(taskId);
  await a.put("/api/tasks/{id}/status", { id: taskId, body: { status: "active" } });
  const modules = [];
  for (const name of chance(0.5) ? ["Core", "Docs"] : ["Core"]) {
    const m = await a.post("/api/tasks/{id}/modules", {
      id: taskId,
      body: { name, description: `${name} of the soak task` },
    });
    if (ctx.ledger.wrote(m, "module")) {
      modules.push(m.json.id);
      ctx.ledger.modules += 1;
    }
  }
  const created = [];
  const count = 3 + Math.floor(Math.random() * 4);
  for (let k = 0; k < count; k++) {
    const dependsOn = created.length && chance(0.3) ? [pick(created)] : undefined;
    const st = await a.post("/api/sub-tasks", {
      body: {
        task_id: taskId,
        name: `Step ${k + 1}`,
        description: "Do the thing.",
        deliverable: "A short report",
        acceptance: "The report exists",
        priority: pick(["low", "medium", "high"]),
        type: "once",
        module_id: modules.length ? pick(modules) : undefined,
        ...(dependsOn ? { depends_on: dependsOn } : {}),
      },
    });
    if (!ctx.ledger.wrote(st, "sub_task")) continue;
    created.push(st.json.id);
    ctx.ledger.transition(st, st.json.id, "create", a.id);
  }
  if (chance(0.2)) {
    const rule = await a.post("/api/rules", {
      body: { scope: "task", task_id: taskId, content: `Keep the reports of ${task.json.name} under one page.` },
    });
    if (ctx.ledger.wrote(rule, "rule")) ctx.ledger.rules.set(taskId, (ctx.ledger.rules.get(taskId) ?? 0) + 1);
  }
}

/** Blocked work goes to an executor; the patrol records about it are resolved. */
async function reassign(a, ctx, st) {
  const to = pick(a.executors ?? []);
  if (!to) return;
  const r = await a.post("/api/sub-tasks/{id}/reassign", { id: st.id, body: { agent_id: to } });
  if (!ctx.ledger.transition(r, st.id, "reassign", a.id)) return;
  ctx.ledger.counts.reassigns += 1;
  const records = await a.get("/api/patrol/records", { query: { sub_task_id: st.id, status: "open" } });
  for (const rec of records.ok ? records.json.items : []) {
    const done = await a.post("/api/patrol/records/{id}/resolve", {
      id: rec.id,
      body: { note: `reassigned to ${to}` },
    });
    if (done.ok) ctx.ledger.counts.resolved += 1;
  }
}

async function executorWake(a, ctx) {
  const briefing = await a.get("/api/agents/me/briefing", { query: { cli_version: CLI_VERSION } });
  if (!briefing.ok) return;
  const held = briefing.json.my_sub_tasks ?? [];
  const rework = held.find((s) => s.status === "rework");
  if (rework) return reworkSubTask(a, ctx, rework);
  const assigned = held.find((s) => s.status === "assigned");
  if (assigned) return deliver(a, ctx, assigned.id);
  const inProgress = held.find((s) => s.status === "in_progress");
  if (inProgress) return finish(a, ctx, inProgress.id);

  await commonReads(a);
  const available = await a.get("/api/sub-tasks/available");
  if (!available.ok || available.json.items.length === 0) return "idle";
  const target = pick(available.json.items, 10);
  await a.pause(PAUSE.step);
  const claimed = await a.post("/api/sub-tasks/{id}/claim", { id: target.id });
  if (!ctx.ledger.transition(claimed, target.id, "claim", a.id)) return;
  ctx.ledger.counts.claims += 1;
  await deliver(a, ctx, target.id);
}

async function start(a, ctx, id) {
  const r = await a.post("/api/sub-tasks/{id}/start", { id, body: { session_id: `soak:${a.name}:${randomUUID()}` } });
  if (!ctx.ledger.transition(r, id, "start", a.id)) return false;
  ctx.ledger.counts.starts += 1;
  return true;
}

async function journal(a, ctx, action, summary, subTaskId) {
  const r = await a.post("/api/logs", { body: { action, summary, sub_task_id: subTaskId } });
  return ctx.ledger.log(r, a.id);
}

/** Start, work (now and then long enough for the patrol to notice), deliver, submit. */
async function deliver(a, ctx, id) {
  if (!(await start(a, ctx, id))) return;
  await a.pause(PAUSE.step);
  await journal(a, ctx, "coding", "Working on it", id);
  await a.pause(chance(SLOW_WORK_SHARE) ? PAUSE.slowWork : PAUSE.work);
  await finish(a, ctx, id);
}

async function finish(a, ctx, id) {
  await journal(a, ctx, "delivery", "Wrote the report; it meets the acceptance criterion", id);
  await a.pause(PAUSE.step);
  const r = await a.post("/api/sub-tasks/{id}/submit", { id });
  if (ctx.ledger.transition(r, id, "submit", a.id)) ctx.ledger.counts.submits += 1;
}

/** After a rejection: read why, reflect, and deliver again. */
async function reworkSubTask(a, ctx, st) {
  const reviews = await a.get("/api/review-records", { query: { sub_task_id: st.id } });
  const issues = reviews.ok ? (reviews.json.items.find((r) => r.result === "rejected")?.issues ?? "") : "";
  await a.pause(PAUSE.step);
  await journal(a, ctx, "reflection", `Missed: ${issues}`.slice(0, 500), st.id);
  await deliver(a, ctx, st.id);
}

async function reviewerWake(a, ctx) {
  const briefing = await a.get("/api/agents/me/briefing", { query: { cli_version: CLI_VERSION } });
  if (!briefing.ok) return;
  const waiting = await a.get("/api/sub-tasks", { query: { status: "review" } });
  if (!waiting.ok || waiting.json.items.length === 0) {
    await commonReads(a);
    return "idle";
  }
  const target = pick(waiting.json.items);
  await a.get("/api/logs", { query: { sub_task_id: target.id, limit: 20 } });
  await a.pause(PAUSE.step);
  const reject = chance(target.rework_count === 0 ? 0.35 : 0.15);
  const verdict = reject
    ? {
        result: "rejected",
        score: pick([1, 2]),
        issues: "The report does not meet the acceptance criterion.",
        comment: "Please fix and resubmit.",
      }
    : { result: "approved", score: pick([3, 4, 5, 5]), issues: "", comment: "Good." };
  const r = await a.post("/api/review-records", { body: { sub_task_id: target.id, ...verdict } });
  ctx.ledger.wrote(r, "review");
  if (ctx.ledger.transition(r, target.id, "review", a.id)) ctx.ledger.counts[verdict.result] += 1;
  await commonReads(a);
}

async function patrolWake(a, ctx) {
  const briefing = await a.get("/api/agents/me/briefing", { query: { cli_version: CLI_VERSION } });
  if (!briefing.ok) return;
  await a.post("/api/agents/me/heartbeat");
  await a.get("/api/patrol/check");
  await a.get("/api/patrol/records", { query: { status: "open" } });
  const working = await a.get("/api/sub-tasks", { query: { status: "in_progress" } });
  const stale = (working.ok ? working.json.items : []).filter(
    (s) => Date.now() - Date.parse(s.updated_at) > BLOCK_AFTER_MS,
  );
  if (stale.length && chance(0.6)) {
    const target = pick(stale);
    await a.pause(PAUSE.step);
    const reason = `no progress for ${BLOCK_AFTER_MS / 1000} s`;
    const r = await a.post("/api/sub-tasks/{id}/block", { id: target.id, body: { reason } });
    if (ctx.ledger.transition(r, target.id, "block", a.id)) {
      ctx.ledger.counts.blocks += 1;
      const rec = await a.post("/api/patrol/records", {
        body: {
          type: "timeout",
          severity: "warning",
          sub_task_id: target.id,
          description: reason,
          action_taken: "blocked",
        },
      });
      if (rec.ok) ctx.ledger.counts.records += 1;
      await journal(a, ctx, "patrol", `Blocked ${target.id}: ${reason}`, target.id);
    }
  }
  await commonReads(a);
}

const WAKE = { planner: plannerWake, executor: executorWake, reviewer: reviewerWake, patrol: patrolWake };

/** One agent until the time is up: wake-up, pause, wake-up… */
async function live(a, ctx) {
  try {
    await a.pause([0, 5000]); // the agents do not all wake at the same instant
    for (;;) {
      const outcome = await WAKE[a.role](a, ctx);
      await a.pause(outcome === "idle" ? PAUSE.idle : PAUSE.wake[a.role]);
    }
  } catch (err) {
    if (!(err instanceof TimeUp)) throw err;
  }
}

/** The cron on a schedule while the agents work (as the Cron Trigger would, more often). */
async function cronLoop({ base, recorder, endsAt, everyS, runs }) {
  if (!everyS) return;
  for (;;) {
    await sleep(Math.min(everyS * 1000, Math.max(0, endsAt - Date.now())));
    if (Date.now() >= endsAt) return;
    const started = performance.now();
    try {
      const res = await fetch(`${base}/__scheduled?cron=*+*+*+*+*`);
      const text = await res.text();
      recorder.add("GET /__scheduled (cron)", res.status, undefined, performance.now() - started, text);
      runs.push({ status: res.status, ms: performance.now() - started });
    } catch (err) {
      recorder.add(
        "GET /__scheduled (cron)",
        "network",
        err.cause?.code ?? err.name,
        performance.now() - started,
        err.message,
      );
    }
  }
}

/** The cron's own JSON lines (`{"cron": …, "failed": […]}`) written to the wrangler log during the run. */
function cronLines(server, offset) {
  return server
    .logSince(offset)
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.startsWith('{"cron":'))
    .flatMap((l) => {
      try {
        return [JSON.parse(l)];
      } catch {
        return [];
      }
    });
}

// ---------------------------------------------------------------------------------------------
// Set-up and the checks afterwards (neither is measured).

async function setUp({ api, setupToken, counts, log }) {
  const adminPassword = randomBytes(12).toString("hex");
  const registrationToken = randomBytes(16).toString("hex");
  await api.request("POST", "/api/setup/initialize", {
    headers: { "x-setup-token": setupToken },
    body: {
      admin_password: adminPassword,
      project_name: "Bench soak",
      workspace_root: "/bench",
      registration_token: registrationToken,
      registration_roles: Object.keys(counts),
    },
  });
  // 200 agents register with the one global token: lift its per-hour registration limit (default 20).
  const { json: login } = await api.request("POST", "/api/admin/login", { body: { password: adminPassword } });
  await api.request("PUT", "/api/admin/config", {
    headers: { "x-admin-token": login.token },
    body: { agent: { registrations_per_hour: 10_000 } },
  });
  const wanted = Object.entries(counts).flatMap(([role, n]) =>
    Array.from({ length: n }, (_, i) => [`soak-${role}-${String(i + 1).padStart(3, "0")}`, role]),
  );
  const agents = [];
  // A few at a time: registration is throttled per client, counting attempts still in flight.
  for (let i = 0; i < wanted.length; i += 4) {
    const batch = await Promise.all(
      wanted.slice(i, i + 4).map(([name, role]) =>
        api.request("POST", "/api/agents/register", {
          headers: { "x-registration-token": registrationToken },
          body: { name, role, description: `soak ${role}` },
        }),
      ),
    );
    for (const r of batch)
      agents.push({ id: r.json.id, name: r.json.name, role: r.json.role, key: r.json.api_key, tasks: [] });
  }
  log(`soak: registered ${agents.length} agents`);
  return { adminPassword, agents };
}

/** Runs `fn` over `items`, `width` at a time. */
async function pool(items, width, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

async function allPages(api, pathname, auth) {
  const items = [];
  for (let page = 1; ; page++) {
    const sep = pathname.includes("?") ? "&" : "?";
    const { json } = await api.request("GET", `${pathname}${sep}page=${page}&page_size=100`, auth);
    items.push(...json.items);
    if (!json.has_more || json.items.length === 0) return items;
  }
}

/** GET /api/admin/integrity, or `{ available: false }` when this server does not have it. */
async function integrity(base, adminToken) {
  const res = await fetch(`${base}/api/admin/integrity`, { headers: { "x-admin-token": adminToken } });
  const text = await res.text();
  if (res.status === 404) return { available: false };
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // reported below
  }
  if (!res.ok || !json || typeof json.ok !== "boolean")
    return { available: true, ok: false, error: `${res.status} ${text.slice(0, 300)}` };
  return {
    available: true,
    ok: json.ok,
    checked: json.checked ?? {},
    violations: json.violations ?? [],
    total: json.total_violations ?? 0,
  };
}

/** The ledger against the stored state; returns the figures and a list of problems. */
async function verify({ api, ledger, agents, adminPassword }) {
  const problems = [];
  const { json: login } = await api.request("POST", "/api/admin/login", { body: { password: adminPassword } });
  const admin = { headers: { "x-admin-token": login.token } };
  const planner = { key: agents.find((x) => x.role === "planner").key };
  // The load ran under the default per-agent rate limit; the checks below read every history with
  // one planner's key, far faster than any agent would, so they lift it first.
  await api.request("PUT", "/api/admin/config", {
    ...admin,
    body: { agent: { rate_limit_per_minute: 1_000_000, rate_limit_burst: 1_000_000 } },
  });

  // 1. Every acknowledged journal entry is stored, under its agent; anything else stored is at most
  //    what went unanswered.
  let logsAcked = 0;
  let logsStored = 0;
  let unacknowledged = 0;
  const logProblems = [];
  await pool(agents, 8, async (agent) => {
    const acked = ledger.logs.get(agent.id) ?? new Set();
    const stored = new Set((await allPages(api, `/api/admin/logs?agent_id=${agent.id}`, admin)).map((l) => l.id));
    logsAcked += acked.size;
    logsStored += stored.size;
    const lost = [...acked].filter((id) => !stored.has(id)).length;
    const extra = [...stored].filter((id) => !acked.has(id)).length;
    const allowed = Math.min(extra, ledger.unansweredOf(`log ${agent.id}`));
    unacknowledged += allowed;
    if (lost || extra > allowed)
      logProblems.push(`${agent.name}: ${lost} acknowledged entries missing, ${extra - allowed} stored but never sent`);
  });
  if (logProblems.length)
    problems.push(`journal: ${logProblems.length} agent(s) differ (${logProblems.slice(0, 5).join("; ")})`);

  // 2. Every acknowledged create and transition is one event in its sub-task's history (by op and
  //    agent), the history is a chain ending in the sub-task's status, and any other agent event
  //    is at most what went unanswered.
  const subTasks = new Map((await allPages(api, "/api/sub-tasks", planner)).map((s) => [s.id, s]));
  let eventsAcked = 0;
  let eventsStored = 0;
  let systemEvents = 0;
  const eventProblems = [];
  await pool([...ledger.transitions.keys()], 12, async (id) => {
    const acked = ledger.transitions.get(id);
    const { json: events } = await api.request("GET", `/api/sub-tasks/${id}/events`, planner);
    const byAgents = events.filter((e) => e.actor_kind === "agent").map((e) => `${e.op} ${e.actor_id}`);
    systemEvents += events.length - byAgents.length;
    eventsAcked += acked.length;
    eventsStored += byAgents.length;
    const left = [...byAgents];
    const lost = acked.filter((x) => {
      const i = left.indexOf(x);
      if (i < 0) return true;
      left.splice(i, 1);
      return false;
    });
    const unexplained = left.filter((x) => !ledger.unansweredOf(x.startsWith("create ") ? "sub_task" : `${id} ${x}`));
    unacknowledged += left.length - unexplained.length;
    const broken = events.findIndex((e, i) =>
      i === 0 ? e.op !== "create" || e.from_status !== null : e.from_status !== events[i - 1].to_status,
    );
    const status = subTasks.get(id)?.status;
    if (lost.length || unexplained.length)
      eventProblems.push(`${id}: acknowledged [${acked.join(", ")}], stored [${byAgents.join(", ")}]`);
    else if (broken >= 0)
      eventProblems.push(
        `${id}: event ${broken} (${events[broken].op}) does not follow from ${events[broken - 1]?.to_status ?? "nothing"}`,
      );
    else if (events.at(-1)?.to_status !== status)
      eventProblems.push(`${id}: last event to ${events.at(-1)?.to_status}, status ${status}`);
  });
  if (eventProblems.length)
    problems.push(`sub-task histories: ${eventProblems.length} differ (${eventProblems.slice(0, 5).join("; ")})`);

  // 3. Totals: tasks, sub-tasks, review records, task rules; stored minus acknowledged must lie
  //    between 0 and what went unanswered.
  const total = async (p) =>
    (await api.request("GET", `${p}${p.includes("?") ? "&" : "?"}page_size=1`, planner)).json.total;
  const createdAcked = [...ledger.transitions.values()].filter((t) => t.some((x) => x.startsWith("create "))).length;
  const totals = {
    tasks: [ledger.tasks.size, await total("/api/tasks"), "task"],
    sub_tasks: [createdAcked, subTasks.size, "sub_task"],
    reviews: [ledger.counts.approved + ledger.counts.rejected, await total("/api/review-records"), "review"],
    task_rules: [[...ledger.rules.values()].reduce((x, y) => x + y, 0), 0, "rule"],
  };
  for (const taskId of ledger.rules.keys()) {
    totals.task_rules[1] += (
      await api.request("GET", `/api/rules/list?scope=task&task_id=${taskId}`, planner)
    ).json.length;
  }
  for (const [what, [acked, stored, kind]] of Object.entries(totals)) {
    if (stored < acked || stored - acked > ledger.unansweredOf(kind)) {
      problems.push(`${what}: ${acked} acknowledged, ${stored} stored, ${ledger.unansweredOf(kind)} unanswered`);
    }
  }

  const byStatus = {};
  for (const s of subTasks.values()) byStatus[s.status] = (byStatus[s.status] ?? 0) + 1;
  const check = await integrity(api.base, login.token);
  if (check.available && !check.ok) {
    problems.push(
      `integrity: ${check.error ?? `${check.total} violation(s): ${JSON.stringify(check.violations.slice(0, 5))}`}`,
    );
  }
  return {
    problems,
    integrity: check,
    byStatus,
    systemEvents,
    totals,
    unacknowledged,
    logs: { agents: agents.length, acked: logsAcked, stored: logsStored },
    events: { subTasks: ledger.transitions.size, acked: eventsAcked, stored: eventsStored },
  };
}

// ---------------------------------------------------------------------------------------------

/**
 * @param {object} o
 * @param {string} o.workDir   a temporary directory for the state and wrangler.log
 * @param {number} o.port      preferred port
 * @param {number} o.agents    simulated agents in all (split by ROLE_MIX)
 * @param {number} o.durationS seconds of load
 * @param {number} o.cronEveryS seconds between cron runs during the load (0: none)
 * @param {(msg: string) => void} o.log
 */
export async function runSoakScenario({ workDir, port, agents: agentCount, durationS, cronEveryS, log }) {
  const loadBefore = os.loadavg()[0];
  const startedAt = new Date();
  mkdirSync(workDir, { recursive: true });
  const state = path.join(workDir, "state");
  const logFile = path.join(workDir, "wrangler.log");
  const setupToken = randomBytes(16).toString("hex");
  log(`soak: applying migrations to ${state}`);
  await applyMigrations(state, logFile);
  const server = new DevServer({
    persistTo: state,
    envFile: path.join(workDir, "bench.env"),
    logFile,
    setupToken,
    port,
    extraArgs: ["--test-scheduled"],
    logLevel: "log", // "log": the cron's JSON line reaches the file
  });
  try {
    const api = new Client(await server.start());
    log(`soak: server ready at ${api.base}`);
    const counts = roleCounts(agentCount);
    const s0 = performance.now();
    const { adminPassword, agents } = await setUp({ api, setupToken, counts, log });
    const setupS = (performance.now() - s0) / 1000;

    const recorder = new Recorder();
    const ledger = new Ledger();
    const ctx = { ledger };
    const cronRuns = [];
    const logOffset = server.logOffset();
    const endsAt = Date.now() + durationS * 1000;
    recorder.startedAt = performance.now();
    log(
      `soak: ${agents.length} agents (${Object.entries(counts)
        .map(([r, n]) => `${n} ${r}s`)
        .join(", ")}) for ${durationS} s`,
    );
    const progress = setInterval(() => {
      const t = recorder.totals();
      log(
        `soak: ${((performance.now() - recorder.startedAt) / 1000).toFixed(0)} s: ${recorder.requests} requests, ${t.race} races, ${t.client + t.server} errors; ${ledger.counts.submits} submissions, ${ledger.counts.approved} approved`,
      );
    }, 10_000);
    try {
      await Promise.all([
        ...agents.map((agent) => live(new AgentApi({ base: api.base, recorder, endsAt, agent }), ctx)),
        cronLoop({ base: api.base, recorder, endsAt, everyS: cronEveryS, runs: cronRuns }),
      ]);
    } finally {
      clearInterval(progress);
    }
    const elapsedS = (performance.now() - recorder.startedAt) / 1000;
    const loadAfter = os.loadavg()[0];
    log(`soak: load stopped after ${elapsedS.toFixed(1)} s; checking the stored state`);
    await sleep(500); // the last cron line reaches the log file a little later
    const cron = cronLines(server, logOffset);
    // wrangler dev rebuilds and restarts the Worker when a file of the project changes: requests in
    // flight are cut (503 "Your worker restarted mid-request", terminated sockets).
    const reloads = (server.logSince(logOffset).match(/Reloading local server/g) ?? []).length;

    let checked;
    try {
      checked = await verify({ api, ledger, agents, adminPassword });
    } catch (err) {
      // The figures of the load are still worth printing when the server cannot answer the checks.
      checked = {
        problems: [`could not check the stored state: ${err.message}`],
        integrity: { available: false, notChecked: true },
        byStatus: {},
        systemEvents: 0,
        totals: {},
        unacknowledged: 0,
        logs: { agents: agents.length, acked: NaN, stored: NaN },
        events: { subTasks: ledger.transitions.size, acked: NaN, stored: NaN },
      };
    }
    const cronFailed = cron.filter((l) => l.failed?.length);
    if (cronFailed.length)
      checked.problems.push(
        `${cronFailed.length} cron run(s) with failed steps: ${cronFailed.map((l) => l.failed.join(",")).join("; ")}`,
      );
    if (reloads)
      checked.problems.push(
        `wrangler dev reloaded the Worker ${reloads} time(s) during the load because files of the project changed; the run is not representative`,
      );
    if (recorder.replays.mismatched.length) {
      checked.problems.push(
        `${recorder.replays.mismatched.length} retried request(s) not replayed: ${recorder.replays.mismatched.slice(0, 5).join("; ")}`,
      );
    }
    const totals = recorder.totals();
    return {
      startedAt,
      loadBefore,
      loadAfter,
      durationS,
      elapsedS,
      setupS,
      cronEveryS,
      counts,
      agents: agents.length,
      recorder,
      ledger,
      cron,
      cronRuns,
      checked,
      totals,
      reloads,
      pass: totals.client === 0 && totals.server === 0 && checked.problems.length === 0,
      serverLogTail: () => server.logTail(60),
    };
  } finally {
    await server.stop({ onSlow: () => log("soak: wrangler did not stop within 10 s; killing it") });
  }
}

// ---------------------------------------------------------------------------------------------
// Report.

function endpointRows(result) {
  const total = result.recorder.requests;
  return [...result.recorder.endpoints.values()]
    .sort((x, y) => y.latencies.length - x.latencies.length || x.key.localeCompare(y.key))
    .map((s) => {
      const lat = [...s.latencies].sort((x, y) => x - y);
      return {
        endpoint: s.key,
        calls: num(lat.length),
        share: `${((100 * lat.length) / total).toFixed(1)} %`,
        p50: ms0(median(lat)),
        p99: ms0(pct(lat, 99)),
        max: ms0(lat.at(-1)),
        ok: num(s.ok),
        race: num(s.race),
        client: num(s.client),
        server: num(s.server),
        rows: s.d1 ? num(s.rowsRead / s.d1) : "–",
      };
    });
}

const COLUMNS = [
  ["endpoint", "Endpoint", "l"],
  ["calls", "Calls", "r"],
  ["share", "Share", "r"],
  ["p50", "p50 ms", "r"],
  ["p99", "p99 ms", "r"],
  ["max", "max ms", "r"],
  ["ok", "2xx", "r"],
  ["race", "Races", "r"],
  ["client", "Other 4xx", "r"],
  ["server", "5xx / network", "r"],
  ["rows", "D1 rows read", "r"],
];

const mix = (counts) =>
  Object.entries(counts)
    .map(([role, n]) => `${n} ${role}s`)
    .join(", ");
const throughput = (r) => r.recorder.requests / r.elapsedS;
const races = (r) =>
  [...r.recorder.races]
    .sort((x, y) => y[1] - x[1])
    .map(([k, n]) => `${num(n)} × ${k}`)
    .join(", ") || "none";
const series = (r) =>
  r.recorder.buckets.map((b, i) => {
    const span = Math.min(BUCKET_S, r.elapsedS - i * BUCKET_S);
    return { rps: span > 0 ? b.requests / span : 0, p50: median(b.latencies) };
  });

function failureLines(result) {
  return [...result.recorder.failures].map(([what, f]) => `${num(f.count)} × ${what}: ${f.body}`);
}

function integrityLine(i) {
  if (i.notChecked) return "not checked";
  if (!i.available) return "integrity endpoint not available (GET /api/admin/integrity answered 404); skipped";
  if (i.error) return `GET /api/admin/integrity FAILED: ${i.error}`;
  const checked = Object.entries(i.checked)
    .map(([k, v]) => `${k} ${typeof v === "number" ? num(v) : JSON.stringify(v)}`)
    .join(", ");
  return `GET /api/admin/integrity: ok ${i.ok}, ${num(i.total)} violation(s); checked ${checked || "–"}`;
}

function ledgerLines(result) {
  const { checked: c } = result;
  const t = c.totals;
  return [
    `journal: ${num(c.logs.acked)} acknowledged \`POST /api/logs\` of ${num(c.logs.agents)} agents, ${num(c.logs.stored)} stored (\`GET /api/admin/logs\` per agent, compared by id)`,
    `sub-task histories: ${num(c.events.acked)} acknowledged creates and transitions on ${num(c.events.subTasks)} sub-tasks, ${num(c.events.stored)} agent events stored (\`GET /api/sub-tasks/{id}/events\`, compared per sub-task by op and agent; every history a chain ending in the sub-task's status), plus ${num(c.systemEvents)} by the cron`,
    `totals acknowledged / stored: ${Object.entries(t)
      .map(([k, [a, s]]) => `${k.replace("_", " ")} ${num(a)} / ${num(s)}`)
      .join(", ")}`,
    `retries: ${num(result.recorder.replays.sent)} acknowledged mutating calls sent again with the same Idempotency-Key, ${num(result.recorder.replays.sent - result.recorder.replays.mismatched.length)} answered from the store (Idempotent-Replayed, same status and body); ${num(result.recorder.retries)} attempts retried after a network error or 502/503/504, as the CLI does; ${num(c.unacknowledged)} stored writes whose call got no answer`,
  ];
}

function work(result) {
  const k = result.ledger.counts;
  const subTasks = result.checked.totals.sub_tasks?.[0] ?? result.ledger.transitions.size;
  const statuses = Object.entries(result.checked.byStatus)
    .sort((x, y) => y[1] - x[1])
    .map(([s, n]) => `${num(n)} ${s}`)
    .join(", ");
  return `${num(result.ledger.tasks.size)} tasks with ${num(result.ledger.modules)} modules and ${num(subTasks)} sub-tasks; ${num(k.claims)} claims won, ${num(k.starts)} starts, ${num(k.submits)} submissions, ${num(k.approved)} approved and ${num(k.rejected)} rejected reviews, ${num(k.blocks)} blocked by patrols, ${num(k.reassigns)} reassigned by planners; at the end ${statuses}`;
}

function verdict(result) {
  const t = result.totals;
  const bad = [];
  if (t.server) bad.push(`${num(t.server)} 5xx/network error(s)`);
  if (t.client) bad.push(`${num(t.client)} unexpected 4xx`);
  if (result.checked.problems.length) bad.push(`${result.checked.problems.length} failed check(s)`);
  return bad.length
    ? `FAIL: ${bad.join(", ")}`
    : "PASS: no 5xx, no network error, no unexpected 4xx, and every acknowledged write is stored";
}

export function soakMarkdown(result) {
  const m = machineInfo(result.loadBefore);
  const t = result.totals;
  const s = series(result);
  const cronMs = result.cronRuns.map((c) => c.ms);
  const cronD1 = result.cron.map((l) => l.ms).filter(Number.isFinite);
  return `### Latest run

- Date: ${result.startedAt.toISOString()}
- Machine: ${m.cpu}; ${m.memory} RAM; ${m.os}; 1-minute load average ${m.load} before the run, ${result.loadAfter.toFixed(2)} at its end
- Node ${process.version}; wrangler ${wranglerVersion()} (\`wrangler dev --test-scheduled\`, local D1 and Durable Objects); client and server on the same machine
- Agents: ${num(result.agents)} (${mix(result.counts)}), registered through the API in ${result.setupS.toFixed(1)} s
- Load: ${result.durationS} s (${result.elapsedS.toFixed(1)} s until the last call in flight returned), **${num(result.recorder.requests)} requests → ${throughput(result).toFixed(1)} requests/s**
- Per ${BUCKET_S} s: requests/s ${s.map((b) => b.rps.toFixed(0)).join(" · ")}; p50 ms ${s.map((b) => ms0(b.p50)).join(" · ")}
- Cron: ${result.cronRuns.length} runs through \`/__scheduled\` (every ${result.cronEveryS} s) during the load, client p50 ${ms0(median(cronMs))} ms, Worker p50 ${ms0(median(cronD1))} ms; ${result.cron.filter((l) => l.failed?.length).length} with a failed step
- Work done: ${work(result)}
- Answers: ${num(t.ok)} 2xx, ${num(t.race)} expected races (${races(result)}), ${num(t.client)} other 4xx, ${num(t.server)} 5xx or network errors
- Integrity: ${integrityLine(result.checked.integrity)}
${ledgerLines(result)
  .map((l) => `- Ledger: ${l}`)
  .join("\n")}
- **${verdict(result)}**${result.checked.problems.length ? `\n- Failed checks: ${result.checked.problems.join("; ")}` : ""}${failureLines(result).length ? `\n- Errors: ${failureLines(result).slice(0, 10).join("; ")}` : ""}

Latencies are client wall times (request sent → body read) in milliseconds; D1 rows read is the mean
of the \`x-d1-rows-read\` header. Races are refusals that say the state changed first (409 ${[...RACE_CODES].join(", ")}; 403 not_owner after a reassign).

${table(
  COLUMNS.map(([, h]) => h),
  COLUMNS.map(([, , a]) => a),
  endpointRows(result).map((r) => COLUMNS.map(([k]) => (k === "endpoint" ? `\`${r[k]}\`` : r[k]))),
)}`;
}

export function soakText(result) {
  const rows = endpointRows(result);
  const widths = COLUMNS.map(([k, h]) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (cells) =>
    cells.map((c, i) => (COLUMNS[i][2] === "r" ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ");
  const t = result.totals;
  return [
    `OpenMOSS Edge soak: ${result.agents} agents (${mix(result.counts)}), ${result.elapsedS.toFixed(1)} s, ${result.recorder.requests} requests, ${throughput(result).toFixed(1)} requests/s`,
    `Work: ${work(result)}`,
    `Answers: ${t.ok} 2xx, ${t.race} expected races (${races(result)}), ${t.client} other 4xx, ${t.server} 5xx/network`,
    `Cron: ${result.cronRuns.length} runs, ${result.cron.filter((l) => l.failed?.length).length} with a failed step`,
    "",
    line(COLUMNS.map(([, h]) => h)),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.map((r) => line(COLUMNS.map(([k]) => r[k]))),
    "",
    `Integrity: ${integrityLine(result.checked.integrity)}`,
    ...ledgerLines(result).map((l) => `Ledger: ${l.replaceAll("`", "")}`),
    ...(failureLines(result).length ? ["", "Errors:", ...failureLines(result).map((l) => `  ${l}`)] : []),
    ...(result.checked.problems.length ? ["", "Failed checks:", ...result.checked.problems.map((p) => `  ${p}`)] : []),
    "",
    verdict(result),
  ].join("\n");
}

export const SOAK_INTRO = `## Soak

\`npm run bench -- --scenario soak\` puts a crowd of agents of every role on one local Worker at
once and then checks that nothing it acknowledged was lost. A fresh \`wrangler dev
--test-scheduled\` is initialized and gets 200 agents through \`POST /api/agents/register\`: 20
planners, 140 executors, 25 reviewers and 15 patrols (\`--soak-agents\` scales the mix). For 60 s
(\`--soak-duration\`; the agents' first wake-ups are spread over 5 s) each agent wakes up again and
again with small random pauses, and each wake-up starts with the briefing and goes on with its
role's work: planners keep a backlog of about 80 pending sub-tasks (task set active, one or two
modules, 3–6 sub-tasks of which some depend on an earlier one, sometimes a task rule), follow their
tasks and reassign blocked sub-tasks, resolving their patrol records; executors take up rework
(reading the review and logging a reflection), reassigned and unfinished work, or claim from
\`/available\` (one of the first ten), start, log coding, work for 1–3 s (6 % for 13–22 s), log the
delivery and submit; reviewers pick a submission, read its log and approve or reject with a score of
1–5; patrols heartbeat, run \`/api/patrol/check\`, list the open records and block in-progress work
that has not moved for 12 s, filing a record. Everybody reads the journal, the leaderboard and the
rules now and then. Calls go out as the CLI sends them: every mutating one with an
\`Idempotency-Key\`, and retried with it after a network error or a 502/503/504; 3 % of the
acknowledged mutating calls are also sent again with the same key. The cron runs every 10 s
(\`--cron-every\`) through \`/__scheduled\` while the agents work.

Races (409 when another agent changed the state first, 403 \`not_owner\` for an executor whose
blocked sub-task was just reassigned) are expected answers; any other 4xx, any 5xx and any network
error fail the run. After the load stops the scenario calls \`GET /api/admin/integrity\` (when the
server has it) and compares its own ledger with what the server stores: every acknowledged journal
entry of every agent (by id), every acknowledged create and transition of every sub-task (its
events, which must also form a chain ending in the sub-task's status), the totals of tasks,
sub-tasks, review records and task rules, and the calls sent twice (answered from the store, so
nothing happened twice). The run also fails when wrangler reloads the Worker during the load (a file
of the project changed), since its figures would not be representative. The agents, the benchmark
client and the server share the machine, so the rate is what that machine sustains with everything
on it, and the latencies include queueing.`;
