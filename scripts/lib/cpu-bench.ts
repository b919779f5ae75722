// The cpu scenario of `npm run bench`: CPU time of the workerd process that runs our Worker (and,
// locally, D1 and the Durable Objects) per agent call, against a bare hello-world Worker under the
// same `wrangler dev`. CPU is read from /proc (utime + stime) before and after each load, so the
// figures include everything that process does for a call, not only the Worker's JavaScript.
//
// 1. Our Worker, fresh state: initialize, register a planner, 6 executors and 2 reviewers, and let
//    the planner create the sub-tasks (at least 300; not measured). During a short /api/health
//    warm-up the Worker's workerd process is found (scripts/lib/proc-cpu.ts), then /api/health
//    alone is measured (8 clients), then the lifecycle load:
//    executors available → claim → start → log → submit, reviewers review queue → approve, in a
//    closed loop (each client sends its next call when the answer arrives).
// 2. The baseline Worker (scripts/lib/baseline-worker.js), 8 closed-loop clients on GET /.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Created, Page, Registered, SubTaskRow } from "./api-types.ts";
import { type CpuProfile, startProfile } from "./cpu-profile.ts";
import { applyMigrations, DevServer, freePort } from "./dev-server.ts";
import { type Answer, type RequestOptions, send } from "./http.ts";
import { cpuMs, workerProcess } from "./proc-cpu.ts";
import { root } from "./wrangler.ts";

export { CPU_INTRO, cpuMarkdown, cpuText, cpuVerdict } from "./cpu-report.ts";

const EXECUTORS = 6;
const REVIEWERS = 2;
const CLIENTS = 8;
const HEALTH_S = 4;
const WARM_UP_S = 2;
const SUB_TASKS_PER_TASK = 30;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Latencies and statuses per operation; `errors` holds 5xx, network errors and unexpected 4xx. */
class Recorder {
  /** Per operation, the count of each status ("ERR": no answer). */
  ops = new Map<string, Map<number | "ERR", number>>();
  latencies: number[] = [];
  errors: string[] = [];
  calls = 0;
  idle = 0; // polls that found an empty queue: many of them mean the seeded work ran out

  /** One call; a 409 is returned (not null) when `conflictOk`: another client won the race. */
  async call<T>(
    base: string,
    op: string,
    method: string,
    pathname: string,
    { conflictOk = false, ...options }: RequestOptions & { conflictOk?: boolean } = {},
  ): Promise<Answer<T> | null> {
    const answer = await send<T>(base, method, pathname, options);
    const status = answer.status === "network" ? "ERR" : answer.status;
    this.latencies.push(answer.ms);
    this.calls += 1;
    const s = this.ops.get(op) ?? new Map();
    s.set(status, (s.get(status) ?? 0) + 1);
    this.ops.set(op, s);
    const fine = typeof status === "number" && (status < 400 || (status === 409 && conflictOk));
    if (!fine) {
      const shown = answer.status === "network" ? answer.code : answer.json;
      this.errors.push(`${op} → ${status} ${JSON.stringify(shown)}`.slice(0, 300));
      return null;
    }
    return answer;
  }
}

/** A closed-loop client: sends its next call when the answer to the last one arrives, until `until`. */
type LoadClient = (recorder: Recorder, until: number) => Promise<void>;

export type Measurement = Awaited<ReturnType<typeof measure>> & { profile?: CpuProfile | undefined };

/** Runs `clients` for `seconds`; CPU of `pid` and the calls in between. */
async function measure(pid: number, seconds: number, clients: LoadClient[]) {
  const recorder = new Recorder();
  const cpuBefore = cpuMs(pid);
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  await Promise.all(clients.map((client) => client(recorder, until)));
  const elapsedS = (performance.now() - t0) / 1000;
  const cpu = cpuMs(pid) - cpuBefore; // NaN when the process is gone
  const { calls, ops, errors, idle } = recorder;
  const lat = recorder.latencies.sort((x, y) => x - y);
  const pctl = (p: number): number =>
    lat.length ? lat[Math.min(lat.length - 1, Math.ceil((p / 100) * lat.length) - 1)]! : NaN;
  return {
    pid,
    calls,
    ops,
    errors,
    idle,
    elapsedS,
    cpuMs: cpu,
    cpuPerCall: cpu / calls,
    perS: calls / elapsedS,
    p50: pctl(50),
    p99: pctl(99),
  };
}

/**
 * Finds the Worker's workerd while `warmUp` clients run, then measures. wrangler restarts workerd when
 * the Worker's sources change (others may be editing them): a measurement whose process is gone
 * is discarded, with its errors (the reload's own), and taken again.
 */
async function measureStable(
  server: DevServer,
  seconds: number,
  clients: LoadClient[],
  { warmUp, log, profilePort }: { warmUp: LoadClient[]; log: (msg: string) => void; profilePort?: number | null },
): Promise<Measurement> {
  for (let attempt = 1; ; attempt++) {
    // The warm-up's own figures are not used (process.pid only gives measure() a live process).
    const { pid, candidates } = await workerProcess(server.child!.pid!, () => measure(process.pid, WARM_UP_S, warmUp));
    log(
      `workerd ${pid} (CPU ms in the warm-up: ${candidates.map((c) => `${c.pid}${c.inspector ? " (Worker)" : ""}=${c.ms.toFixed(0)}`).join(", ")})`,
    );
    const session = profilePort ? await startProfile(profilePort) : null;
    const m = await measure(pid, seconds, clients);
    if (Number.isFinite(m.cpuMs)) return { ...m, profile: await session?.stop() };
    await session?.stop().catch(() => undefined); // the inspector went with the old process
    if (attempt === 3)
      throw new Error(
        "workerd restarted during three measurements in a row (wrangler reloads when the Worker's sources change)",
      );
    log(`workerd ${pid} restarted during the measurement (a source file changed?); measuring again`);
  }
}

/** A client that sends GET `pathname` in a closed loop until `until`. */
const looping =
  (base: string, pathname: string): LoadClient =>
  async (recorder, until) => {
    while (performance.now() < until) await recorder.call(base, `GET ${pathname}`, "GET", pathname);
  };

async function setUp(base: string, setupToken: string, subTasks: number, log: (msg: string) => void) {
  const r = new Recorder();
  const must = async <T = unknown>(op: string, method: string, pathname: string, options: RequestOptions) => {
    const res = await r.call<T>(base, op, method, pathname, options);
    if (!res) throw new Error(`setup failed: ${r.errors.at(-1)}`);
    return res.json;
  };
  const registrationToken = randomBytes(16).toString("hex");
  const password = randomBytes(12).toString("hex");
  await must("setup", "POST", "/api/setup/initialize", {
    headers: { "x-setup-token": setupToken },
    body: {
      admin_password: password,
      project_name: "CPU bench",
      workspace_root: "/bench",
      registration_token: registrationToken,
      registration_roles: ["planner", "executor", "reviewer"],
    },
  });
  // The clients call far faster than an LLM agent: lift the per-agent rate limit (its statement still runs).
  const { token } = await must<{ token: string }>("login", "POST", "/api/admin/login", { body: { password } });
  await must("config", "PUT", "/api/admin/config", {
    adminToken: token,
    body: { agent: { registrations_per_hour: 10_000, rate_limit_per_minute: 1_000_000, rate_limit_burst: 1_000_000 } },
  });
  const register = async (name: string, role: string) =>
    (
      await must<Registered>("register", "POST", "/api/agents/register", {
        headers: { "x-registration-token": registrationToken },
        body: { name, role, description: `cpu bench ${role}` },
      })
    ).api_key;
  const planner = await register("planner", "planner");
  const executors = await Promise.all(
    Array.from({ length: EXECUTORS }, (_, i) => register(`executor-${i}`, "executor")),
  );
  const reviewers = await Promise.all(
    Array.from({ length: REVIEWERS }, (_, i) => register(`reviewer-${i}`, "reviewer")),
  );
  log(`seeding ${subTasks} pending sub-tasks`);
  const tasks = Math.ceil(subTasks / SUB_TASKS_PER_TASK);
  await Promise.all(
    Array.from({ length: tasks }, async (_, t) => {
      const task = await must<Created>("task", "POST", "/api/tasks", {
        key: planner,
        body: { name: `CPU task ${t}`, description: "cpu bench", type: "once" },
      });
      await must("activate", "PUT", `/api/tasks/${task.id}/status`, { key: planner, body: { status: "active" } });
      const mod = await must<Created>("module", "POST", `/api/tasks/${task.id}/modules`, {
        key: planner,
        body: { name: "Core", description: "cpu bench" },
      });
      for (let k = t * SUB_TASKS_PER_TASK; k < Math.min(subTasks, (t + 1) * SUB_TASKS_PER_TASK); k++) {
        await must("sub-task", "POST", "/api/sub-tasks", {
          key: planner,
          body: {
            task_id: task.id,
            module_id: mod.id,
            name: `Step ${k}`,
            description: "Do it.",
            deliverable: "A report",
            acceptance: "It exists",
          },
        });
      }
    }),
  );
  return { executors, reviewers };
}

/** The lifecycle clients; they wait a little when their queue is empty (no work is not load). */
function lifecycleClients(base: string, { executors, reviewers }: { executors: string[]; reviewers: string[] }) {
  const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * Math.min(3, items.length))]!;
  const executor =
    (key: string): LoadClient =>
    async (recorder, until) => {
      while (performance.now() < until) {
        const list = await recorder.call<Page<SubTaskRow>>(
          base,
          "GET /api/sub-tasks/available",
          "GET",
          "/api/sub-tasks/available",
          {
            key,
          },
        );
        if (!list?.json.items.length) {
          recorder.idle += 1;
          await sleep(50);
          continue;
        }
        const id = pick(list.json.items).id;
        const claim = await recorder.call(base, "POST claim", "POST", `/api/sub-tasks/${id}/claim`, {
          key,
          body: {},
          conflictOk: true,
        });
        if (claim?.status !== 200) continue;
        if (
          !(await recorder.call(base, "POST start", "POST", `/api/sub-tasks/${id}/start`, {
            key,
            body: { session_id: `cpu-${id}` },
          }))
        )
          continue;
        await recorder.call(base, "POST /api/logs", "POST", "/api/logs", {
          key,
          body: { action: "delivery", summary: "Wrote the report", sub_task_id: id },
        });
        await recorder.call(base, "POST submit", "POST", `/api/sub-tasks/${id}/submit`, { key });
      }
    };
  const reviewer =
    (key: string): LoadClient =>
    async (recorder, until) => {
      while (performance.now() < until) {
        const queue = await recorder.call<Page<SubTaskRow>>(
          base,
          "GET review queue",
          "GET",
          "/api/sub-tasks?status=review",
          { key },
        );
        if (!queue?.json.items.length) {
          recorder.idle += 1;
          await sleep(50);
          continue;
        }
        const id = pick(queue.json.items).id;
        await recorder.call(base, "POST /api/review-records", "POST", "/api/review-records", {
          key,
          conflictOk: true,
          body: { sub_task_id: id, result: "approved", score: 5, issues: "", comment: "Good." },
        });
      }
    };
  return [...executors.map(executor), ...reviewers.map(reviewer)];
}

const devServer = (dir: string, port: number, setupToken: string, extraArgs: string[] = []) =>
  new DevServer({
    persistTo: path.join(dir, "state"),
    envFile: path.join(dir, "bench.env"),
    logFile: path.join(dir, "wrangler.log"),
    setupToken,
    port,
    extraArgs,
  });

export interface CpuOptions {
  workDir: string;
  /** Preferred port. */
  port: number;
  /** Seconds of lifecycle load, and of baseline load. */
  durationS: number;
  /** Write a .cpuprofile of the lifecycle load here. */
  profile?: string | undefined;
  log: (msg: string) => void;
}

export interface CpuResult {
  startedAt: Date;
  loadBefore: number;
  durationS: number;
  subTasks: number;
  profileFile: string | null;
  health: Measurement;
  ours: Measurement;
  baseline: Measurement;
}

export async function runCpuScenario({ workDir, port, durationS, profile, log }: CpuOptions): Promise<CpuResult> {
  const loadBefore = os.loadavg()[0] ?? 0;
  const startedAt = new Date();
  const oursDir = path.join(workDir, "ours");
  mkdirSync(oursDir, { recursive: true });
  const setupToken = randomBytes(16).toString("hex");
  // About 7 calls per sub-task: enough work for ~200 calls/s (the throughput target) for the whole load.
  const subTasks = Math.max(300, Math.ceil(30 * durationS));
  log(`applying migrations to ${oursDir}/state`);
  await applyMigrations(path.join(oursDir, "state"), path.join(oursDir, "wrangler.log"));
  const inspectorPort = profile ? await freePort(9329) : null;
  const server = devServer(oursDir, port, setupToken, inspectorPort ? ["--inspector-port", String(inspectorPort)] : []);
  let health: Measurement;
  let ours: Measurement;
  try {
    const base = await server.start();
    log(`our Worker at ${base}`);
    const agents = await setUp(base, setupToken, subTasks, log);
    const healthClients = Array.from({ length: CLIENTS }, () => looping(base, "/api/health"));
    health = await measureStable(server, HEALTH_S, healthClients, { warmUp: healthClients, log });
    log(`lifecycle load: ${EXECUTORS} executors, ${REVIEWERS} reviewers, ${durationS} s`);
    ours = await measureStable(server, durationS, lifecycleClients(base, agents), {
      warmUp: healthClients,
      log,
      profilePort: inspectorPort,
    });
    if (profile && ours.profile) writeFileSync(profile, JSON.stringify(ours.profile));
  } finally {
    await server.stop();
  }
  const baseline = await runBaseline(path.join(workDir, "baseline"), port, durationS, log);
  return { startedAt, loadBefore, durationS, subTasks, profileFile: profile ?? null, health, ours, baseline };
}

/** The bare Worker under its own `wrangler dev` (a config generated next to its state). */
async function runBaseline(dir: string, port: number, durationS: number, log: (msg: string) => void) {
  mkdirSync(dir, { recursive: true });
  const config = path.join(dir, "wrangler.toml");
  const main = path.join(root, "scripts", "lib", "baseline-worker.js");
  // The same compatibility settings as wrangler.toml, so only the Worker differs.
  const ourConfig = readFileSync(path.join(root, "wrangler.toml"), "utf8");
  const compat = ourConfig
    .split("\n")
    .filter((line) => /^compatibility_(date|flags)\s*=/.test(line))
    .join("\n");
  writeFileSync(config, `name = "cpu-baseline"\nmain = ${JSON.stringify(main)}\n${compat}\n`);
  const server = devServer(dir, port, "unused", ["--config", config]);
  try {
    const base = await server.start();
    log(`baseline Worker at ${base}`);
    const clients = Array.from({ length: CLIENTS }, () => looping(base, "/"));
    return await measureStable(server, durationS, clients, { warmUp: clients, log });
  } finally {
    await server.stop();
  }
}
