// The load scenario of `npm run bench`: N simulated teams (a planner, an executor and a reviewer each)
// run complete sub-task lifecycles as agents driven by the upstream OpenMOSS CLI do, on their own
// `wrangler dev`; every request is recorded with its latency, status and D1 work, the final state is
// checked, and the D1 size is sampled against the completed sub-tasks (scripts/lib/storage-size.ts).
// A process runs the scenario once: its figures live in this module while it runs.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Created, Page, Registered, ReviewRow, SubTaskRow } from "./api-types.ts";
import { applyMigrations, DevServer } from "./dev-server.ts";
import { type Answer, type D1Usage, type Query, route, send } from "./http.ts";
import {
  BUCKET_S,
  type Bucket,
  bucketSeries,
  type EndpointStats,
  LOAD_INTRO,
  type LoadRun,
  markdownSection,
  STORAGE_INTRO,
  storageContext,
  tableRows,
  textTable,
} from "./load-report.ts";
import { writeSection } from "./report.ts";
import { StorageSampler, storageAnalysis, storageMarkdown, storageText, tableStats } from "./storage-size.ts";
import { root } from "./wrangler.ts";

export interface LoadOptions {
  /** A temporary directory for the state and wrangler.log. */
  workDir: string;
  /** Preferred port. */
  port: number;
  teams: number;
  /** Tasks each planner creates at most (Infinity: no limit). */
  rounds: number;
  /** Seconds during which planners start new tasks (Infinity: no limit). */
  durationS: number;
  subTasks: number;
  /** Seconds allowed after planning stops for open work. */
  drainS: number;
  /** docs/benchmarks.md (or --output). */
  output: string;
  /** False with --no-write: print only. */
  write: boolean;
  /** The doc's first lines, when the file does not exist yet. */
  docHeader: string;
  log: (msg: string) => void;
}

/** This run's options (runLoadScenario sets them before anything reads them). */
let config: LoadOptions;
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const jitter = (lo: number, hi: number) => lo + Math.random() * (hi - lo);
const log = (msg: string) => config.log(msg);

/** The load scenario's server (state and wrangler.log under the work directory). */
let server: DevServer | null = null;

async function startServer(setupToken: string): Promise<string> {
  const dir = config.workDir;
  mkdirSync(dir, { recursive: true });
  const persistTo = path.join(dir, "state");
  const logFile = path.join(dir, "wrangler.log");
  log(`applying migrations to ${persistTo}`);
  await applyMigrations(persistTo, logFile);
  const started = new DevServer({
    persistTo,
    envFile: path.join(dir, "bench.env"),
    logFile,
    setupToken,
    port: config.port,
  });
  server = started;
  log("starting wrangler dev");
  return started.start();
}

const wranglerLogTail = (lines: number) => server?.logTail(lines) ?? "(no wrangler log)";

// ---------------------------------------------------------------------------------------------
// Measuring: every request is recorded under "METHOD /path/{id}?query" with latency, status and D1 use.

const endpoints = new Map<string, EndpointStats>();
const failures = { server: 0, network: 0, unexpected: 0, samples: [] as string[] };
const counters = { claimConflicts: 0, reviewConflicts: 0, claims: 0, reviews: 0, lifecycles: 0, subTasksDone: 0 };
let recording = true;
/** Requests sent while the teams ran (setup and final checks excluded), for the requests/s figure. */
const runPhase = {
  active: false,
  startedAt: 0,
  requests: 0,
  rowsRead: 0,
  rowsWritten: 0,
  queries: 0,
  buckets: [] as Bucket[],
};

/** Requests and D1 rows read per 10 s of the run, to show whether the rate holds as data grows. */
function bucketOf(now: number) {
  const i = Math.floor((now - runPhase.startedAt) / (BUCKET_S * 1000));
  while (runPhase.buckets.length <= i) runPhase.buckets.push({ requests: 0, rowsRead: 0, latency: 0 });
  return runPhase.buckets[i]!;
}

function endpointStats(key: string): EndpointStats {
  let s = endpoints.get(key);
  if (!s) {
    s = { key, latencies: [], statuses: new Map(), d1: 0, rowsRead: 0, rowsWritten: 0, queries: 0 };
    endpoints.set(key, s);
  }
  return s;
}

function record(key: string, status: number | "ERR", ms: number, d1: D1Usage | null) {
  if (!recording) return;
  const s = endpointStats(key);
  const bucket = runPhase.active ? bucketOf(performance.now()) : null;
  if (bucket) {
    runPhase.requests += 1;
    bucket.requests += 1;
    bucket.latency += ms;
  }
  s.latencies.push(ms);
  s.statuses.set(status, (s.statuses.get(status) ?? 0) + 1);
  if (d1) {
    s.d1 += 1;
    s.queries += d1.queries;
    s.rowsRead += d1.rowsRead;
    s.rowsWritten += d1.rowsWritten;
    if (bucket) bucket.rowsRead += d1.rowsRead;
    if (runPhase.active) {
      runPhase.queries += d1.queries;
      runPhase.rowsRead += d1.rowsRead;
      runPhase.rowsWritten += d1.rowsWritten;
    }
  }
}

class RequestFailed extends Error {
  status: number | "ERR";

  constructor(key: string, status: number | "ERR", body: unknown) {
    super(`${key} → ${status} ${typeof body === "string" ? body : JSON.stringify(body)}`.slice(0, 400));
    this.status = status;
  }
}

function noteFailure(kind: "server" | "network" | "unexpected", message: string) {
  failures[kind] += 1;
  if (failures.samples.length < 15) failures.samples.push(message);
}

let baseUrl = "";

interface ApiOptions {
  id?: string;
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  adminToken?: string;
}

/** One API call as the upstream CLI makes it, recorded; a network error is noted and thrown. */
async function exchange<T>(agentKey: string | null, method: string, template: string, options: ApiOptions) {
  const { id, query, body, headers, adminToken } = options;
  const { pathname, label } = route(method, template, { id, query });
  const answer = await send<T>(baseUrl, method, pathname, { key: agentKey, headers, body, adminToken });
  if (answer.status === "network") {
    record(label, "ERR", answer.ms, null);
    noteFailure("network", `${label} → ${answer.code}`);
    throw new RequestFailed(label, "ERR", answer.text);
  }
  record(label, answer.status, answer.ms, answer.d1);
  return { label, answer, status: answer.status };
}

/** A non-2xx answer nobody expected: noted (5xx apart) and thrown. */
function unexpected(label: string, status: number, answer: Answer): never {
  const kind = status >= 500 ? "server" : "unexpected";
  noteFailure(kind, `${label} → ${status} ${answer.text.slice(0, 200)}`);
  throw new RequestFailed(label, status, answer.json);
}

/** One call that must succeed: `template` names ids as {id}; any non-2xx throws. */
async function api<T = unknown>(
  agentKey: string | null,
  method: string,
  template: string,
  options: ApiOptions = {},
): Promise<T> {
  const { label, answer, status } = await exchange<T>(agentKey, method, template, options);
  if (!answer.ok) unexpected(label, status, answer);
  return answer.json;
}

/** A claim or a review, which another agent may have won: true when the answer is that 409. */
async function lostRace(agentKey: string, template: string, options: ApiOptions): Promise<boolean> {
  const { label, answer, status } = await exchange(agentKey, "POST", template, options);
  if (answer.ok) return false;
  if (status === 409) return true;
  unexpected(label, status, answer);
}

// ---------------------------------------------------------------------------------------------
// The simulated agents.

const run = {
  planningEndsAt: 0,
  hardStopAt: 0,
  planners: 0,
  created: [] as string[], // sub-task ids
  tasks: [] as string[],
};
const timeUp = () => Date.now() >= run.hardStopAt;
const workersShouldStop = () => run.planners === 0 || timeUp();
const pick = <T>(items: T[], top = 3): T => items[Math.floor(Math.random() * Math.min(top, items.length))]!;
const sessionId = () => `cron:bench:run:${randomUUID()}`;

async function planner(team: number, key: string): Promise<void> {
  try {
    for (let round = 0; round < config.rounds && Date.now() < run.planningEndsAt && !timeUp(); round++) {
      await api(key, "GET", "/api/rules", { query: { cli_version: 2 } });
      const task = await api<Created & { name: string }>(key, "POST", "/api/tasks", {
        body: { name: `Bench task ${team}.${round}`, description: "Created by scripts/bench.ts", type: "once" },
      });
      run.tasks.push(task.id);
      await api(key, "PUT", "/api/tasks/{id}/status", { id: task.id, body: { status: "active" } });
      const mod = await api<Created>(key, "POST", "/api/tasks/{id}/modules", {
        id: task.id,
        body: { name: "Core", description: "The only module of a bench task" },
      });
      const mine: string[] = [];
      for (let k = 0; k < config.subTasks; k++) {
        const st = await api<Created>(key, "POST", "/api/sub-tasks", {
          body: {
            task_id: task.id,
            name: `Step ${k + 1} of ${task.name}`,
            description: "Do the thing.",
            deliverable: "A short report",
            acceptance: "The report exists",
            priority: "medium",
            type: "once",
            module_id: mod.id,
          },
        });
        mine.push(st.id);
        run.created.push(st.id);
      }
      // Follow progress as a planner does, until every sub-task is done.
      for (;;) {
        await sleep(jitter(800, 1200));
        const list = await api<Page<SubTaskRow>>(key, "GET", "/api/sub-tasks", { query: { task_id: task.id } });
        if (list.items.length === mine.length && list.items.every((s) => s.status === "done")) break;
        if (timeUp()) return;
      }
      await api(key, "GET", "/api/tasks/{id}", { id: task.id });
      await api(key, "GET", "/api/scores/leaderboard");
      counters.lifecycles += 1;
    }
  } catch (err) {
    log(`planner ${team} stopped: ${message(err)}`);
  } finally {
    run.planners -= 1;
  }
}

async function executor(_team: number, key: string): Promise<void> {
  while (!workersShouldStop()) {
    try {
      await api(key, "GET", "/api/rules", { query: { cli_version: 2 } });
      const mine = await api<Page<SubTaskRow>>(key, "GET", "/api/sub-tasks/mine");
      const rework = mine.items.find((s) => s.status === "rework");
      if (rework) {
        // Read why it was rejected, reflect, and deliver again.
        const reviews = await api<Page<ReviewRow>>(key, "GET", "/api/review-records", {
          query: { sub_task_id: rework.id },
        });
        const issues = reviews.items.find((r) => r.result === "rejected")?.issues ?? "";
        await api(key, "POST", "/api/logs", {
          body: { action: "reflection", summary: `Fixing: ${issues}`.slice(0, 500), sub_task_id: rework.id },
        });
        await api(key, "POST", "/api/sub-tasks/{id}/start", { id: rework.id, body: { session_id: sessionId() } });
        await api(key, "POST", "/api/sub-tasks/{id}/submit", { id: rework.id });
        await api(key, "GET", "/api/scores/me");
        continue;
      }
      // Work left half-done after a failed request: carry it on.
      const unfinished = mine.items.find((s) => s.status === "assigned" || s.status === "in_progress");
      if (unfinished) {
        if (unfinished.status === "assigned") {
          await api(key, "POST", "/api/sub-tasks/{id}/start", { id: unfinished.id, body: { session_id: sessionId() } });
        }
        await api(key, "POST", "/api/sub-tasks/{id}/submit", { id: unfinished.id });
        continue;
      }
      const available = await api<Page<SubTaskRow>>(key, "GET", "/api/sub-tasks/available");
      if (available.items.length === 0) {
        await sleep(jitter(200, 400));
        continue;
      }
      const target = pick(available.items);
      if (await lostRace(key, "/api/sub-tasks/{id}/claim", { id: target.id, body: {} })) {
        counters.claimConflicts += 1;
        continue;
      }
      counters.claims += 1;
      await api(key, "POST", "/api/sub-tasks/{id}/start", { id: target.id, body: { session_id: sessionId() } });
      await api(key, "POST", "/api/logs", {
        body: { action: "delivery", summary: "Wrote the report", sub_task_id: target.id },
      });
      await api(key, "POST", "/api/sub-tasks/{id}/submit", { id: target.id });
      await api(key, "GET", "/api/scores/me");
    } catch (err) {
      if (!(err instanceof RequestFailed)) throw err;
      await sleep(500);
    }
  }
}

async function reviewer(_team: number, key: string): Promise<void> {
  while (!workersShouldStop()) {
    try {
      await api(key, "GET", "/api/rules", { query: { cli_version: 2 } });
      const waiting = await api<Page<SubTaskRow>>(key, "GET", "/api/sub-tasks", { query: { status: "review" } });
      if (waiting.items.length === 0) {
        await sleep(jitter(200, 400));
        continue;
      }
      const target = pick(waiting.items, waiting.items.length);
      // First submission: rejected with issues; the reworked one: approved.
      const first = target.rework_count === 0;
      const verdict = first
        ? {
            result: "rejected",
            score: 2,
            issues: "The report misses the acceptance criterion.",
            comment: "Please fix.",
          }
        : { result: "approved", score: 5, issues: "", comment: "Good." };
      if (await lostRace(key, "/api/review-records", { body: { sub_task_id: target.id, ...verdict } })) {
        counters.reviewConflicts += 1;
        continue;
      }
      counters.reviews += 1;
      if (!first) counters.subTasksDone += 1;
    } catch (err) {
      if (!(err instanceof RequestFailed)) throw err;
      await sleep(500);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Final state checks (not measured).

async function allPages<T>(key: string, template: string, query: Query = {}): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const res = await api<Page<T>>(key, "GET", template, { query: { ...query, page, page_size: 100 } });
    items.push(...res.items);
    if (!res.has_more || res.items.length === 0) return items;
  }
}

async function verify(key: string): Promise<string[]> {
  recording = false;
  const problems: string[] = [];
  const created = new Set(run.created);
  const subTasks = (await allPages<SubTaskRow>(key, "/api/sub-tasks")).filter((s) => created.has(s.id));
  if (subTasks.length !== created.size) problems.push(`${created.size} sub-tasks created, ${subTasks.length} found`);
  const notDone = subTasks.filter((s) => s.status !== "done");
  if (notDone.length)
    problems.push(
      `${notDone.length} sub-task(s) not done: ${notDone
        .slice(0, 5)
        .map((s) => `${s.id}=${s.status}`)
        .join(", ")}`,
    );
  const wrongRework = subTasks.filter((s) => s.rework_count !== 1);
  if (wrongRework.length) problems.push(`${wrongRework.length} sub-task(s) with rework_count ≠ 1`);
  if (counters.claims !== created.size)
    problems.push(`${counters.claims} successful claims for ${created.size} sub-tasks`);

  const reviews = (await allPages<ReviewRow>(key, "/api/review-records")).filter((r) => created.has(r.sub_task_id));
  if (reviews.length !== 2 * created.size)
    problems.push(`${reviews.length} review records, expected ${2 * created.size}`);
  const bySubTask = new Map<string, ReviewRow[]>();
  for (const r of reviews) bySubTask.set(r.sub_task_id, [...(bySubTask.get(r.sub_task_id) ?? []), r]);
  let badRounds = 0;
  for (const list of bySubTask.values()) {
    const rounds = list
      .map((r) => `${r.round}:${r.result}`)
      .sort()
      .join(",");
    if (rounds !== "1:rejected,2:approved") badRounds += 1;
  }
  if (badRounds) problems.push(`${badRounds} sub-task(s) whose reviews are not round 1 rejected + round 2 approved`);

  const tasks = new Set(run.tasks);
  const taskRows = (await allPages<Created & { status: string }>(key, "/api/tasks")).filter((t) => tasks.has(t.id));
  const openTasks = taskRows.filter((t) => t.status !== "completed");
  if (openTasks.length) problems.push(`${openTasks.length} task(s) not completed after all their sub-tasks were done`);
  return problems;
}

function summary(elapsedS: number) {
  const { requests: total, rowsRead: totalRead, rowsWritten: totalWritten, queries: totalQueries } = runPhase;
  return { total, rps: total / elapsedS, totalRead, totalWritten, totalQueries };
}

// ---------------------------------------------------------------------------------------------

export async function runLoadScenario(options: LoadOptions): Promise<number> {
  config = options;
  const loadBefore = os.loadavg()[0] ?? 0;
  const setupToken = randomBytes(16).toString("hex");
  const registrationToken = randomBytes(16).toString("hex");
  baseUrl = await startServer(setupToken);
  log(`server ready at ${baseUrl}`);

  await api(null, "GET", "/api/setup/status");
  const adminPassword = randomBytes(12).toString("hex");
  await api(null, "POST", "/api/setup/initialize", {
    headers: { "x-setup-token": setupToken },
    body: {
      admin_password: adminPassword,
      project_name: "Bench",
      workspace_root: "/bench",
      registration_token: registrationToken,
      registration_roles: ["planner", "executor", "reviewer"],
    },
  });
  // Every team registers with the one global token: lift its per-hour registration limit (default 20).
  // The teams call as fast as the server answers, far past an LLM agent's pace: lift the per-agent
  // rate limit too (its D1 statement still runs on every call; the soak keeps the defaults).
  const { token: adminToken } = await api<{ token: string }>(null, "POST", "/api/admin/login", {
    body: { password: adminPassword },
  });
  await api(null, "PUT", "/api/admin/config", {
    adminToken,
    body: { agent: { registrations_per_hour: 10_000, rate_limit_per_minute: 1_000_000, rate_limit_burst: 1_000_000 } },
  });

  const register = (role: string, team: number) =>
    api<Registered>(null, "POST", "/api/agents/register", {
      headers: { "x-registration-token": registrationToken },
      body: { name: `${role}-${team}`, role, description: `bench ${role} of team ${team}` },
    });
  const teams = [];
  for (let t = 0; t < config.teams; t++) {
    const [p, e, r] = await Promise.all([register("planner", t), register("executor", t), register("reviewer", t)]);
    teams.push({ planner: p.api_key, executor: e.api_key, reviewer: r.api_key });
  }
  log(`registered ${teams.length * 3} agents; running ${config.teams} teams`);

  // D1 bytes against completed sub-tasks every BUCKET_S, from the files under --persist-to.
  const storage = new StorageSampler({
    persistTo: server!.persistTo, // started above
    everyS: BUCKET_S,
    doneCount: () => counters.subTasksDone,
  });
  const startedAt = new Date();
  storage.start();
  const t0 = performance.now();
  run.planningEndsAt = Date.now() + config.durationS * 1000;
  run.hardStopAt = Number.isFinite(config.durationS) ? run.planningEndsAt + config.drainS * 1000 : Infinity;
  run.planners = teams.length;
  runPhase.active = true;
  runPhase.startedAt = t0;
  const progress = setInterval(() => {
    const s = summary((performance.now() - t0) / 1000);
    log(
      `${((performance.now() - t0) / 1000).toFixed(0)} s: ${s.total} requests (${s.rps.toFixed(0)}/s), ${counters.subTasksDone}/${run.created.length} sub-tasks done, ${run.planners} planners busy`,
    );
  }, 10_000);
  try {
    await Promise.all(
      teams.flatMap((t, i) => [planner(i, t.planner), executor(i, t.executor), reviewer(i, t.reviewer)]),
    );
  } finally {
    clearInterval(progress);
    storage.stop(); // before verify(): its reads add request_log rows that no sub-task caused
    runPhase.active = false;
  }
  const elapsedS = (performance.now() - t0) / 1000;
  const totals = summary(elapsedS);

  let problems: string[];
  try {
    problems = await verify(teams[0]!.planner); // --teams is at least 1
  } catch (err) {
    problems = [`could not check the final state: ${message(err)}`];
  }
  await server!.stop({ onSlow: () => log("wrangler did not stop within 10 s; killing it") });
  const storageResult = storageAnalysis(storage.samples);
  const tables = await tableStats(storage.file);

  console.log(
    `\nOpenMOSS Edge benchmark: ${config.teams} teams, ${elapsedS.toFixed(1)} s, ${totals.total} requests, ${totals.rps.toFixed(1)} requests/s`,
  );
  console.log(
    `${counters.lifecycles} tasks and ${run.created.length} sub-tasks completed; ${counters.claimConflicts} claim and ${counters.reviewConflicts} review conflicts (409, expected)\n`,
  );
  const report: LoadRun = {
    options: config,
    loadBefore,
    startedAt,
    elapsedS,
    totals,
    problems,
    counters,
    subTasksCreated: run.created.length,
    endpoints: [...endpoints.values()],
    buckets: runPhase.buckets,
  };
  console.log(textTable(tableRows(endpoints.values())));
  const series = bucketSeries(runPhase.buckets, elapsedS);
  console.log(
    `\nPer ${BUCKET_S} s: requests/s ${series.map((b) => b.rps.toFixed(0)).join(" ")} | rows read/request ${series.map((b) => b.rowsRead.toFixed(1)).join(" ")}\n`,
  );
  console.log(`${storageText(storageResult, tables)}\n`);

  const reasons: string[] = [];
  if (failures.server) reasons.push(`${failures.server} server error(s) (5xx)`);
  if (failures.network) reasons.push(`${failures.network} network error(s)`);
  if (failures.unexpected) reasons.push(`${failures.unexpected} unexpected client error(s)`);
  reasons.push(...problems.map((p) => `final state: ${p}`));
  if (storageResult.fail) reasons.push(`D1 storage: ${storageResult.verdict}`);
  if (failures.samples.length) console.log(`First failures:\n  ${failures.samples.join("\n  ")}\n`);

  if (reasons.length) {
    console.log(`FAILED: ${reasons.join("; ")}`);
    if (failures.server) console.log(`\nwrangler log (tail):\n${wranglerLogTail(60)}`);
    console.log(!config.write ? "" : `(${path.relative(root, config.output)} not updated because the run failed)`);
    return 1;
  }
  console.log("All final state checks passed.");
  if (config.write) {
    writeSection(config.output, "bench", markdownSection(report), {
      header: config.docHeader,
      intro: LOAD_INTRO,
    });
    writeSection(config.output, "bench-storage", storageMarkdown(storageResult, tables, storageContext(report)), {
      intro: STORAGE_INTRO,
    });
    console.log(`Results written to ${path.relative(root, config.output)}`);
  }
  return 0;
}
