// The cpu scenario of `npm run bench`: CPU time of the workerd process that runs our Worker (and,
// locally, D1 and the Durable Objects) per agent call, against a bare hello-world Worker under the
// same `wrangler dev`. CPU is read from /proc (utime + stime) before and after each load, so the
// figures include everything that process does for a call, not only the Worker's JavaScript.
//
// 1. Our Worker, fresh state: initialize, register a planner, 6 executors and 2 reviewers, and let
//    the planner create the sub-tasks (at least 300; not measured). During a short /api/health
//    warm-up the Worker's workerd process is found (scripts/lib/proc-cpu.mjs), then /api/health
//    alone is measured (8 clients), then the lifecycle load:
//    executors available → claim → start → log → submit, reviewers review queue → approve, in a
//    closed loop (each client sends its next call when the answer arrives).
// 2. The baseline Worker (scripts/lib/baseline-worker.js), 8 closed-loop clients on GET /.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startProfile } from "./cpu-profile.mjs";
import { applyMigrations, DevServer, freePort } from "./dev-server.mjs";
import { cpuMs, workerProcess } from "./proc-cpu.mjs";
import { root } from "./wrangler.mjs";

export { CPU_INTRO, cpuMarkdown, cpuText, cpuVerdict } from "./cpu-report.mjs";

const EXECUTORS = 6;
const REVIEWERS = 2;
const CLIENTS = 8;
const HEALTH_S = 4;
const WARM_UP_S = 2;
const SUB_TASKS_PER_TASK = 30;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Latencies and statuses per operation; `errors` holds 5xx, network errors and unexpected 4xx. */
class Recorder {
  constructor() {
    this.ops = new Map();
    this.latencies = [];
    this.errors = [];
    this.calls = 0;
    this.idle = 0; // polls that found an empty queue: many of them mean the seeded work ran out
  }

  /** One call; a 409 is returned (not thrown) when `conflictOk`: another client won the race. */
  async call(base, op, method, pathname, { key, headers: extra, body, conflictOk = false } = {}) {
    const headers = { "content-type": "application/json", ...extra };
    if (key) headers.authorization = `Bearer ${key}`;
    const started = performance.now();
    let status = "ERR";
    let json = null;
    try {
      const res = await fetch(base + pathname, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      status = res.status;
      const text = await res.text();
      json = res.headers.get("content-type")?.includes("json") && text ? JSON.parse(text) : text;
    } catch (err) {
      json = err.cause?.code ?? err.message;
    }
    this.latencies.push(performance.now() - started);
    this.calls += 1;
    const s = this.ops.get(op) ?? new Map();
    s.set(status, (s.get(status) ?? 0) + 1);
    this.ops.set(op, s);
    const fine = typeof status === "number" && (status < 400 || (status === 409 && conflictOk));
    if (!fine) {
      this.errors.push(`${op} → ${status} ${JSON.stringify(json)}`.slice(0, 300));
      return null;
    }
    return { status, json };
  }
}

/** Runs `clients` (async (recorder, until) => …) for `seconds`; CPU of `pid` and the calls in between. */
async function measure(pid, seconds, clients) {
  const recorder = new Recorder();
  const cpuBefore = cpuMs(pid);
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  await Promise.all(clients.map((client) => client(recorder, until)));
  const elapsedS = (performance.now() - t0) / 1000;
  const cpu = cpuMs(pid) - cpuBefore; // NaN when the process is gone
  const { calls, ops, errors, idle } = recorder;
  const lat = recorder.latencies.sort((x, y) => x - y);
  const pctl = (p) => (lat.length ? lat[Math.min(lat.length - 1, Math.ceil((p / 100) * lat.length) - 1)] : NaN);
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
async function measureStable(server, seconds, clients, { warmUp, log, profilePort }) {
  for (let attempt = 1; ; attempt++) {
    // The warm-up's own figures are not used (process.pid only gives measure() a live process).
    const { pid, candidates } = await workerProcess(server.child.pid, () => measure(process.pid, WARM_UP_S, warmUp));
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
const looping = (base, pathname) => async (recorder, until) => {
  while (performance.now() < until) await recorder.call(base, `GET ${pathname}`, "GET", pathname);
};

async function setUp(base, setupToken, subTasks, log) {
  const r = new Recorder();
  const must = async (...args) => {
    const res = await r.call(base, ...args);
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
  const { token } = await must("login", "POST", "/api/admin/login", { body: { password } });
  await must("config", "PUT", "/api/admin/config", {
    headers: { "x-admin-token": token },
    body: { agent: { registrations_per_hour: 10_000, rate_limit_per_minute: 1_000_000, rate_limit_burst: 1_000_000 } },
  });
  const register = async (name, role) =>
    (
      await must("register", "POST", "/api/agents/register", {
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
      const task = await must("task", "POST", "/api/tasks", {
        key: planner,
        body: { name: `CPU task ${t}`, description: "cpu bench", type: "once" },
      });
      await must("activate", "PUT", `/api/tasks/${task.id}/status`, { key: planner, body: { status: "active" } });
      const mod = await must("module", "POST", `/api/tasks/${task.id}/modules`, {
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
function lifecycleClients(base, { executors, reviewers }) {
  const pick = (items) => items[Math.floor(Math.random() * Math.min(3, items.length))];
  const executor = (key) => async (recorder, until) => {
    while (performance.now() < until) {
      const list = await recorder.call(base, "GET /api/sub-tasks/available", "GET", "/api/sub-tasks/available", {
        key,
      });
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
  const reviewer = (key) => async (recorder, until) => {
    while (performance.now() < until) {
      const queue = await recorder.call(base, "GET review queue", "GET", "/api/sub-tasks?status=review", { key });
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

const devServer = (dir, port, setupToken, extraArgs = []) =>
  new DevServer({
    persistTo: path.join(dir, "state"),
    envFile: path.join(dir, "bench.env"),
    logFile: path.join(dir, "wrangler.log"),
    setupToken,
    port,
    extraArgs,
  });

/**
 * @param {object} o
 * @param {string} o.workDir
 * @param {number} o.port        preferred port
 * @param {number} o.durationS   seconds of lifecycle load, and of baseline load
 * @param {string} [o.profile]   write a .cpuprofile of the lifecycle load here
 * @param {(msg: string) => void} o.log
 */
export async function runCpuScenario({ workDir, port, durationS, profile, log }) {
  const loadBefore = os.loadavg()[0];
  const startedAt = new Date();
  const ours = path.join(workDir, "ours");
  mkdirSync(ours, { recursive: true });
  const setupToken = randomBytes(16).toString("hex");
  // About 7 calls per sub-task: enough work for ~200 calls/s (the throughput target) for the whole load.
  const subTasks = Math.max(300, Math.ceil(30 * durationS));
  log(`applying migrations to ${ours}/state`);
  await applyMigrations(path.join(ours, "state"), path.join(ours, "wrangler.log"));
  const inspectorPort = profile ? await freePort(9329) : null;
  const server = devServer(ours, port, setupToken, inspectorPort ? ["--inspector-port", String(inspectorPort)] : []);
  const result = { startedAt, loadBefore, durationS, subTasks, profileFile: profile ?? null };
  try {
    const base = await server.start();
    log(`our Worker at ${base}`);
    const agents = await setUp(base, setupToken, subTasks, log);
    const health = Array.from({ length: CLIENTS }, () => looping(base, "/api/health"));
    result.health = await measureStable(server, HEALTH_S, health, { warmUp: health, log });
    log(`lifecycle load: ${EXECUTORS} executors, ${REVIEWERS} reviewers, ${durationS} s`);
    result.ours = await measureStable(server, durationS, lifecycleClients(base, agents), {
      warmUp: health,
      log,
      profilePort: inspectorPort,
    });
    if (result.ours.profile) writeFileSync(profile, JSON.stringify(result.ours.profile));
  } finally {
    await server.stop();
  }
  result.baseline = await runBaseline(path.join(workDir, "baseline"), port, durationS, log);
  return result;
}

/** The bare Worker under its own `wrangler dev` (a config generated next to its state). */
async function runBaseline(dir, port, durationS, log) {
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
