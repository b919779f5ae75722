// `npm run bench`: benchmarks of the whole stack (HTTP → Worker → Durable Object → D1) on a local
// `wrangler dev` that this script starts on its own port, with its own throw-away state. Four
// scenarios, all run by default (`--scenario load|patrol|briefing|soak|all`), one after the other,
// and a fifth run on its own (`--scenario cpu`):
//
// load: N simulated teams (a planner, an executor and a reviewer each) run complete sub-task lifecycles
// the way agents driven by the upstream OpenMOSS CLI do: plan → claim → start → deliver → submit →
// rejected review → reflect → start → submit → approved review. Executors and reviewers work from
// the shared queues, so they race for the same sub-tasks: a 409 on claim or review is an expected
// conflict, not an error. Every response's x-d1-* headers give the D1 work behind it. The local D1
// database's size is sampled every 10 s against the completed sub-tasks, and rows and bytes per table
// read at the end (scripts/lib/storage-size.ts): exit code 1 when bytes per sub-task clearly grow
// super-linearly; written between <!-- bench-storage:start --> and <!-- bench-storage:end -->.
//
// Results are printed and written to docs/benchmarks.md between <!-- bench:start --> and
// <!-- bench:end --> (text outside the markers is kept). Exit code 1 when any request failed with a
// 5xx or a network error, when a request failed unexpectedly, or when the final state is wrong.
//
// patrol: one patrol (GET /api/patrol/check and two cron runs) over 1,000 open sub-tasks, once in
// a database with no other sub-tasks and once with 99,000 terminal ones besides; see
// scripts/lib/patrol-bench.ts. Written between <!-- bench-patrol:start --> and
// <!-- bench-patrol:end -->. Exit code 1 when the large database reads more than --max-ratio times
// the rows of the small one, or when the anomalies found are not exactly the seeded ones.
//
// briefing: GET /api/agents/me/briefing for each role (planner, executor, reviewer, patrol) over
// the same 1,000 open sub-tasks in three databases holding 1,000, 10,000 and 100,000 sub-tasks in
// all (the rest terminal history); see scripts/lib/briefing-bench.ts. Written between
// <!-- bench-briefing:start --> and <!-- bench-briefing:end -->. Exit code 1 when any role reads
// more than --max-ratio times the rows at 100,000 sub-tasks than at 1,000, or when the lists differ.
//
// soak: 200 agents of every role (20 planners, 140 executors, 25 reviewers, 15 patrols) work at once
// for 60 s with small random pauses, the cron running every 10 s, then GET /api/admin/integrity (when
// the server has it) and the client's ledger of acknowledged writes against the stored state; see
// scripts/lib/soak-bench.ts. Written between <!-- bench-soak:start --> and <!-- bench-soak:end -->.
// Exit code 1 on any 5xx, network error or 4xx other than an expected race, or when a check fails.
//
// cpu: CPU time of the workerd process running our Worker per lifecycle call (6 executors and 2
// reviewers in a closed loop, /proc utime + stime before and after), against a bare hello-world
// Worker under the same wrangler dev, and /api/health alone; see scripts/lib/cpu-bench.ts. With
// --profile FILE.cpuprofile, a V8 profile of the load over the inspector and its top functions and
// packages. Written between <!-- bench-cpu:start --> and <!-- bench-cpu:end -->. Exit code 1 on any
// error, or when ours minus the baseline exceeds --max-cpu-ms or the throughput ratio is below
// --min-throughput (the section is still written then: it records how far from the target we are).
//
//   npm run bench                      all: 20 teams for 60 s, the patrol and briefing scenarios, the soak
//   npm run bench -- --scenario load --teams 5 --rounds 3
//   npm run bench -- --scenario patrol --total 20000
//   npm run bench -- --scenario briefing
//   npm run bench -- --scenario soak --soak-agents 50 --soak-duration 20
//   npm run bench -- --scenario cpu --cpu-duration 15 --profile /tmp/worker.cpuprofile
//   npm run bench -- --help
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Created, Page, Registered, ReviewRow, SubTaskRow } from "./lib/api-types.ts";
import { BRIEFING_INTRO, briefingMarkdown, briefingText, runBriefingScenario } from "./lib/briefing-bench.ts";
import { CPU_INTRO, cpuMarkdown, cpuText, cpuVerdict, runCpuScenario } from "./lib/cpu-bench.ts";
import { applyMigrations, DevServer, stopAllServers } from "./lib/dev-server.ts";
import { type Answer, type D1Usage, type Query, route, send } from "./lib/http.ts";
import { PATROL_INTRO, patrolMarkdown, patrolText, runPatrolScenario } from "./lib/patrol-bench.ts";
import { machineInfo, wranglerVersion, writeSection } from "./lib/report.ts";
import { runSoakScenario, SOAK_INTRO, soakMarkdown, soakText } from "./lib/soak-bench.ts";
import { StorageSampler, storageAnalysis, storageMarkdown, storageText, tableStats } from "./lib/storage-size.ts";
import { assertInstalled, root } from "./lib/wrangler.ts";

const HELP = `Usage: npm run bench -- [options]

  --scenario S          load, patrol, briefing, soak, cpu or all (all: not cpu)  [all]

Load scenario:
  --teams, --agents N   concurrent teams (planner + executor + reviewer each)   [20]
  --duration S          seconds during which planners start new tasks            [60]
                        (when only --rounds is given, there is no time limit)
  --rounds R            tasks each planner creates at most                       [unbounded]
  --sub-tasks K         sub-tasks per task                                       [2]
  --drain S             seconds allowed after planning stops for open work       [60]

Patrol and briefing scenarios:
  --total N             patrol: sub-tasks in the large database                  [100000]
  --active N            open sub-tasks in every database (a multiple of 100);
                        the briefing's databases hold 1×, 10× and 100× as many
                        sub-tasks in all                                         [1000]
  --tasks N             tasks in every database (a multiple of 10)               [1000]
  --max-ratio R         fail when the largest database reads more than R times
                        the rows of the smallest one                             [1.2]

Soak scenario:
  --soak-agents N       agents in all: 10 % planners, 70 % executors, 12.5 %
                        reviewers, 7.5 % patrols                                 [200]
  --soak-duration S     seconds of load                                          [60]
  --cron-every S        seconds between cron runs during the load (0: none)      [10]

CPU scenario:
  --cpu-duration S      seconds of lifecycle load, and of baseline load           [15]
  --max-cpu-ms MS       fail when ours minus the baseline is more CPU ms per call [3]
  --min-throughput R    fail when our calls/s are below R × the baseline's       [0.6]
  --profile FILE        also write a .cpuprofile of the lifecycle load and print
                        its top functions and packages by self time

All:
  --port P              port for wrangler dev (the next free one if taken)       [8799]
  --output FILE         where to write the results                   [docs/benchmarks.md]
  --no-write            print the results only
  --keep                keep the temporary directory (state and wrangler.log)
`;

const { values: argv } = parseArgs({
  options: {
    scenario: { type: "string", default: "all" },
    total: { type: "string" },
    active: { type: "string" },
    tasks: { type: "string" },
    "max-ratio": { type: "string" },
    teams: { type: "string" },
    agents: { type: "string" },
    duration: { type: "string" },
    rounds: { type: "string" },
    "sub-tasks": { type: "string" },
    drain: { type: "string" },
    "soak-agents": { type: "string" },
    "soak-duration": { type: "string" },
    "cron-every": { type: "string" },
    "cpu-duration": { type: "string" },
    "max-cpu-ms": { type: "string" },
    "min-throughput": { type: "string" },
    profile: { type: "string" },
    port: { type: "string" },
    output: { type: "string" },
    "no-write": { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (argv.help) {
  console.log(HELP);
  process.exit(0);
}

function positiveInt(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`--${name} must be a positive number`);
    process.exit(2);
  }
  return n;
}

type Scenario = "load" | "patrol" | "briefing" | "soak" | "cpu";
const SCENARIO_SETS: Record<string, Scenario[] | undefined> = {
  all: ["load", "patrol", "briefing", "soak"],
  load: ["load"],
  patrol: ["patrol"],
  briefing: ["briefing"],
  soak: ["soak"],
  cpu: ["cpu"],
};
const scenarios = SCENARIO_SETS[argv.scenario];
if (!scenarios) {
  console.error("--scenario must be load, patrol, briefing, soak, cpu or all");
  process.exit(2);
}

const config = {
  teams: Math.floor(positiveInt(argv.teams ?? argv.agents, 20, "teams")),
  rounds: argv.rounds === undefined ? Infinity : Math.floor(positiveInt(argv.rounds, 0, "rounds")),
  durationS: positiveInt(argv.duration, argv.rounds !== undefined ? Infinity : 60, "duration"),
  subTasks: Math.floor(positiveInt(argv["sub-tasks"], 2, "sub-tasks")),
  drainS: positiveInt(argv.drain, 60, "drain"),
  port: Math.floor(positiveInt(argv.port, 8799, "port")),
  output: path.resolve(root, argv.output ?? "docs/benchmarks.md"),
  scenarios,
  total: Math.floor(positiveInt(argv.total, 100_000, "total")),
  active: Math.floor(positiveInt(argv.active, 1_000, "active")),
  tasks: Math.floor(positiveInt(argv.tasks, 1_000, "tasks")),
  maxRatio: positiveInt(argv["max-ratio"], 1.2, "max-ratio"),
  soakAgents: Math.max(4, Math.floor(positiveInt(argv["soak-agents"], 200, "soak-agents"))),
  soakDurationS: positiveInt(argv["soak-duration"], 60, "soak-duration"),
  cronEveryS: argv["cron-every"] === "0" ? 0 : positiveInt(argv["cron-every"], 10, "cron-every"),
  cpuDurationS: positiveInt(argv["cpu-duration"], 15, "cpu-duration"),
  maxCpuMs: positiveInt(argv["max-cpu-ms"], 3, "max-cpu-ms"),
  minThroughput: positiveInt(argv["min-throughput"], 0.6, "min-throughput"),
  profile: argv.profile === undefined ? undefined : path.resolve(argv.profile),
};
if (config.active % 100 !== 0 || config.tasks % 10 !== 0 || config.total <= config.active) {
  console.error("--active must be a multiple of 100, --tasks a multiple of 10, and --total larger than --active");
  process.exit(2);
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const stackOf = (err: unknown) => (err instanceof Error ? (err.stack ?? err.message) : String(err));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const jitter = (lo: number, hi: number) => lo + Math.random() * (hi - lo);
const log = (msg: string) => console.error(`[bench] ${msg}`);

// ---------------------------------------------------------------------------------------------
// The local servers: their own port, persistence directory and SETUP_TOKEN; always stopped at the end.

assertInstalled();
const tmpDir = mkdtempSync(path.join(os.tmpdir(), "openmoss-bench-"));
// wrangler always bundles into <project>/.wrangler/tmp; remove those folders afterwards if this run
// created them and they are empty again (never anything of a dev session).
const hiddenDir = path.join(root, ".wrangler");
const createdByUs = [path.join(hiddenDir, "tmp"), hiddenDir].filter((dir) => !existsSync(dir));
let cleanedUp = false;

function removeEmptyWranglerDirs() {
  for (const dir of createdByUs) {
    try {
      rmdirSync(dir); // only succeeds when empty
    } catch {
      // in use or not empty: leave it
    }
  }
}

function removeTmpDir() {
  if (argv.keep) {
    log(`kept ${tmpDir}`);
    return;
  }
  try {
    rmSync(tmpDir, { recursive: true, force: true, maxRetries: 3 });
  } catch (err) {
    log(`could not remove ${tmpDir}: ${message(err)}`);
  }
}

async function cleanup() {
  if (cleanedUp) return;
  cleanedUp = true;
  await stopAllServers();
  removeTmpDir();
  removeEmptyWranglerDirs();
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, async () => {
    log(`${signal}: stopping`);
    await cleanup();
    process.exit(128 + (os.constants.signals[signal] ?? 1));
  });
}

/** The load scenario's server (state and wrangler.log under tmpDir/load). */
let server: DevServer | null = null;

async function startServer(setupToken: string): Promise<string> {
  const dir = path.join(tmpDir, "load");
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

interface EndpointStats {
  key: string;
  latencies: number[];
  statuses: Map<number | "ERR", number>;
  d1: number;
  rowsRead: number;
  rowsWritten: number;
  queries: number;
}

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
  buckets: [] as { requests: number; rowsRead: number; latency: number }[],
};
const BUCKET_S = 10;

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

// ---------------------------------------------------------------------------------------------
// Report.

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "–");

type Row = Record<(typeof COLUMNS)[number][0], string>;

function tableRows(): Row[] {
  return [...endpoints.values()]
    .sort((a, b) => b.latencies.length - a.latencies.length || a.key.localeCompare(b.key))
    .map((s) => {
      const lat = [...s.latencies].sort((a, b) => a - b);
      const statuses = [...s.statuses.entries()]
        .sort(([a], [b]) => String(a).localeCompare(String(b)))
        .map(([code, n]) => `${code}×${n}`)
        .join(" ");
      return {
        endpoint: s.key,
        count: String(lat.length),
        p50: fmt(percentile(lat, 50)),
        p99: fmt(percentile(lat, 99)),
        max: fmt(lat[lat.length - 1] ?? NaN),
        statuses,
        read: s.d1 ? fmt(s.rowsRead / s.d1) : "–",
        written: s.d1 ? fmt(s.rowsWritten / s.d1) : "–",
        queries: s.d1 ? fmt(s.queries / s.d1) : "–",
      };
    });
}

const COLUMNS = [
  ["endpoint", "Endpoint", "left"],
  ["count", "Count", "right"],
  ["p50", "p50 ms", "right"],
  ["p99", "p99 ms", "right"],
  ["max", "max ms", "right"],
  ["statuses", "Statuses", "left"],
  ["read", "Rows read", "right"],
  ["written", "Rows written", "right"],
  ["queries", "Queries", "right"],
] as const;

function textTable(rows: Row[]): string {
  const widths = COLUMNS.map(([k, h]) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (COLUMNS[i]?.[2] === "right" ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ");
  return [
    line(COLUMNS.map(([, h]) => h)),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.map((r) => line(COLUMNS.map(([k]) => r[k]))),
  ].join("\n");
}

function markdownTable(rows: Row[]): string {
  const head = `| ${COLUMNS.map(([, h]) => h).join(" | ")} |`;
  const sep = `| ${COLUMNS.map(([, , a]) => (a === "right" ? "---:" : "---")).join(" | ")} |`;
  const body = rows.map((r) => `| ${COLUMNS.map(([k]) => (k === "endpoint" ? `\`${r[k]}\`` : r[k])).join(" | ")} |`);
  return [head, sep, ...body].join("\n");
}

/** The 1-minute load average when the load scenario started. */
let loadBefore = os.loadavg()[0] ?? 0;

/** Per 10 s of the run: requests/s, mean latency and mean D1 rows read per request. */
function bucketSeries(elapsedS: number) {
  return runPhase.buckets.map((b, i) => {
    const span = Math.min(BUCKET_S, elapsedS - i * BUCKET_S);
    return {
      rps: span > 0 ? b.requests / span : 0,
      latency: b.requests ? b.latency / b.requests : 0,
      rowsRead: b.requests ? b.rowsRead / b.requests : 0,
    };
  });
}

function summary(elapsedS: number) {
  const { requests: total, rowsRead: totalRead, rowsWritten: totalWritten, queries: totalQueries } = runPhase;
  return { total, rps: total / elapsedS, totalRead, totalWritten, totalQueries };
}

function markdownSection({
  startedAt,
  elapsedS,
  totals,
  problems,
}: {
  startedAt: Date;
  elapsedS: number;
  totals: ReturnType<typeof summary>;
  problems: string[];
}): string {
  const m = machineInfo(loadBefore);
  const series = bucketSeries(elapsedS);
  const duration = Number.isFinite(config.durationS) ? `${config.durationS} s of planning` : "no time limit";
  const rounds = Number.isFinite(config.rounds) ? `, at most ${config.rounds} task(s) per planner` : "";
  return `### Latest run

- Date: ${startedAt.toISOString()}
- Machine: ${m.cpu}; ${m.memory} RAM; ${m.os}; 1-minute load average ${m.load} before the run
- Node ${process.version}; wrangler ${wranglerVersion()} (\`wrangler dev\`, local D1 and Durable Objects)
- Load: ${config.teams} teams (${config.teams * 3} agents: planner, executor, reviewer each), ${config.subTasks} sub-tasks per task, ${duration}${rounds}
- Wall time: ${elapsedS.toFixed(1)} s for ${totals.total} requests by the teams → **${totals.rps.toFixed(1)} requests/s** (setup requests are in the table but not in this rate)
- Completed: ${counters.lifecycles} tasks, ${run.created.length} sub-tasks through claim → rejected review → rework → approved review
- Expected conflicts: ${counters.claimConflicts} claims and ${counters.reviewConflicts} reviews lost a race (409)
- D1 per request overall: ${fmt(totals.totalRead / totals.total)} rows read, ${fmt(totals.totalWritten / totals.total)} rows written, ${fmt(totals.totalQueries / totals.total)} queries
- Per ${BUCKET_S} s of the run: requests/s ${series.map((b) => b.rps.toFixed(0)).join(" · ")}; mean latency ms ${series.map((b) => b.latency.toFixed(0)).join(" · ")}; rows read per request ${series.map((b) => b.rowsRead.toFixed(1)).join(" · ")}
- Final state checks: ${problems.length ? `FAILED: ${problems.join("; ")}` : "all passed (every sub-task done once, one successful claim each, review rounds 1 rejected + 2 approved, every task completed)"}

Latencies are client-side (request sent → body read) in milliseconds; the D1 columns are means per request, from the \`x-d1-*\` response headers.

${markdownTable(tableRows())}`;
}

const DOC_HEADER = `# Benchmarks

\`npm run bench\` runs four scenarios, each on its own \`wrangler dev\` (a free port from 8799, a
temporary \`--persist-to\` directory and a fresh \`SETUP_TOKEN\`, so it never touches your dev
data): **load** (agents running complete sub-task lifecycles), **patrol** (one patrol run over a
large history), **briefing** (each role's wake-up briefing as the history grows) and **soak** (200
agents of every role at once, then proof that nothing acknowledged was lost).
\`npm run bench -- --scenario load\`, \`--scenario patrol\`, \`--scenario briefing\` or
\`--scenario soak\` runs one of them; \`npm run bench -- --help\` lists the options.
`;

const LOAD_INTRO = `## Load

The load scenario initializes its server, registers a planner, an executor and a reviewer per team,
and lets the teams run complete sub-task lifecycles as agents driven by the upstream CLI do: plan →
claim → start → log → submit → rejected review (score 2) → read the review → reflect → start →
submit → approved review (score 5). Executors and reviewers take work from the shared queues, so
they race; a 409 on a claim or a review is the expected answer for the loser.

The agents run in a closed loop: each one waits for its answer, then sends its next request. They
pause only when there is no work. This keeps the local server saturated, so the rate is its capacity
on that machine and the latencies are mostly queueing.

The numbers come from a local \`wrangler dev\`. They measure the Worker's own cost and its D1 work.
Rows read and written are what D1 bills. They are not production latencies, and the benchmark client
runs on the same machine as the server. Anything else running on that machine lowers the rate; the
load average recorded with each run shows how busy it was.`;

function storageContext(startedAt: Date, elapsedS: number): string {
  const m = machineInfo(loadBefore);
  return `- Date: ${startedAt.toISOString()}; ${m.cpu}; ${m.memory} RAM; 1-minute load average ${m.load} before the run
- Load: ${config.teams} teams, ${Number.isFinite(config.durationS) ? `${config.durationS} s of planning` : "no time limit"}, ${elapsedS.toFixed(0)} s in all; notifications: no channel`;
}

const STORAGE_INTRO = `### Storage per completed sub-task

Issue 14 asks that D1 storage grow in proportion to the work done, not faster: the load scenario samples
the local D1 database's size every ${BUCKET_S} s with the number of sub-tasks completed so far, and
reads every table's rows and bytes once the server has stopped. SQLite grows in pages and the WAL is
checkpointed in bursts, so single deltas jump; the verdict compares least-squares slopes (bytes over
completed sub-tasks) of the later half of the run against the whole run. Flat means within ±20%; the
bench fails only when the later half's slope is above 2× the earlier half's (clearly super-linear:
bytes ∝ done² gives 3×). Notifications have no channel in this scenario, so
their tables must stay empty.`;

// ---------------------------------------------------------------------------------------------

async function runLoad(): Promise<number> {
  loadBefore = os.loadavg()[0] ?? 0;
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
  console.log(textTable(tableRows()));
  const series = bucketSeries(elapsedS);
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
    console.log(argv["no-write"] ? "" : `(${path.relative(root, config.output)} not updated because the run failed)`);
    return 1;
  }
  console.log("All final state checks passed.");
  if (!argv["no-write"]) {
    writeSection(config.output, "bench", markdownSection({ startedAt, elapsedS, totals, problems }), {
      header: DOC_HEADER,
      intro: LOAD_INTRO,
    });
    writeSection(
      config.output,
      "bench-storage",
      storageMarkdown(storageResult, tables, storageContext(startedAt, elapsedS)),
      { intro: STORAGE_INTRO },
    );
    console.log(`Results written to ${path.relative(root, config.output)}`);
  }
  return 0;
}

async function runPatrol() {
  const result = await runPatrolScenario({
    workDir: path.join(tmpDir, "patrol"),
    port: config.port,
    total: config.total,
    active: config.active,
    tasks: config.tasks,
    maxRatio: config.maxRatio,
    log,
  });
  console.log(`\n${patrolText(result)}\n`);
  if (!result.pass || result.problems.length) {
    if (result.problems.length) console.log(`FAILED: the anomalies found are not the seeded ones`);
    console.log(argv["no-write"] ? "" : `(${path.relative(root, config.output)} not updated because the run failed)`);
    return 1;
  }
  if (!argv["no-write"]) {
    writeSection(config.output, "bench-patrol", patrolMarkdown(result), { header: DOC_HEADER, intro: PATROL_INTRO });
    console.log(`Results written to ${path.relative(root, config.output)}`);
  }
  return 0;
}

async function runBriefing() {
  const result = await runBriefingScenario({
    workDir: path.join(tmpDir, "briefing"),
    port: config.port,
    active: config.active,
    tasks: config.tasks,
    maxRatio: config.maxRatio,
    log,
  });
  console.log(`\n${briefingText(result)}\n`);
  if (!result.pass || result.problems.length) {
    if (result.problems.length) console.log("FAILED: the briefing lists are not what the seeded databases hold");
    console.log(argv["no-write"] ? "" : `(${path.relative(root, config.output)} not updated because the run failed)`);
    return 1;
  }
  if (!argv["no-write"]) {
    writeSection(config.output, "bench-briefing", briefingMarkdown(result), {
      header: DOC_HEADER,
      intro: BRIEFING_INTRO,
    });
    console.log(`Results written to ${path.relative(root, config.output)}`);
  }
  return 0;
}

async function runSoak() {
  const result = await runSoakScenario({
    workDir: path.join(tmpDir, "soak"),
    port: config.port,
    agents: config.soakAgents,
    durationS: config.soakDurationS,
    cronEveryS: config.cronEveryS,
    log,
  });
  console.log(`\n${soakText(result)}\n`);
  if (!result.pass) {
    if (result.totals.server) console.log(`wrangler log (tail):\n${result.serverLogTail()}\n`);
    console.log(argv["no-write"] ? "" : `(${path.relative(root, config.output)} not updated because the run failed)`);
    return 1;
  }
  if (!argv["no-write"]) {
    writeSection(config.output, "bench-soak", soakMarkdown(result), { header: DOC_HEADER, intro: SOAK_INTRO });
    console.log(`Results written to ${path.relative(root, config.output)}`);
  }
  return 0;
}

async function runCpu() {
  const limits = { maxCpuMs: config.maxCpuMs, minThroughput: config.minThroughput };
  const result = await runCpuScenario({
    workDir: path.join(tmpDir, "cpu"),
    port: config.port,
    durationS: config.cpuDurationS,
    profile: config.profile,
    log,
  });
  console.log(`\n${cpuText(result, limits)}\n`);
  // A missed target is still a valid measurement worth recording; errors make the figures meaningless.
  const errors = result.health.errors.length + result.ours.errors.length + result.baseline.errors.length;
  if (errors)
    console.log(
      argv["no-write"] ? "" : `(${path.relative(root, config.output)} not updated because the run had errors)`,
    );
  else if (!argv["no-write"]) {
    writeSection(config.output, "bench-cpu", cpuMarkdown(result, limits), { header: DOC_HEADER, intro: CPU_INTRO });
    console.log(`Results written to ${path.relative(root, config.output)}`);
  }
  return cpuVerdict(result, limits).length ? 1 : 0;
}

const SCENARIOS: Record<Scenario, () => Promise<number>> = {
  load: runLoad,
  patrol: runPatrol,
  briefing: runBriefing,
  soak: runSoak,
  cpu: runCpu,
};

async function main() {
  let code = 0;
  for (const scenario of config.scenarios) {
    log(`scenario ${scenario}`);
    try {
      code = Math.max(code, await SCENARIOS[scenario]());
    } catch (err) {
      console.error(`bench ${scenario} failed: ${stackOf(err)}`);
      code = 1;
    }
    await stopAllServers();
  }
  return code;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (err) {
  console.error(`bench failed: ${stackOf(err)}`);
  exitCode = 1;
} finally {
  await cleanup();
}
process.exit(exitCode);
