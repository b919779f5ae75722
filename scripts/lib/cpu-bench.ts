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
// The clients and their seeding are scripts/lib/cpu-clients.ts; the measurement cpu-measure.ts.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { EXECUTORS, lifecycleClients, looping, REVIEWERS, seedLifecycleWork } from "./cpu-clients.ts";
import { type Measurement, measureStable } from "./cpu-measure.ts";
import { applyMigrations, DevServer } from "./dev-server.ts";
import { freePort } from "./free-port.ts";
import { root } from "./wrangler.ts";

export { CPU_INTRO, cpuMarkdown, cpuText, cpuVerdict } from "./cpu-report.ts";

const CLIENTS = 8;
const HEALTH_S = 4;

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
    const agents = await seedLifecycleWork(base, setupToken, subTasks, log);
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
