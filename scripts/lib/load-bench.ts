// The load scenario of `npm run bench`: N simulated teams (a planner, an executor and a reviewer each)
// run complete sub-task lifecycles as agents driven by the upstream OpenMOSS CLI do, on their own
// `wrangler dev`; every request is recorded with its latency, status and D1 work
// (scripts/lib/load-client.ts), the agents are scripts/lib/load-agents.ts, the final state is checked
// (scripts/lib/load-checks.ts), and the D1 size is sampled against the completed sub-tasks
// (scripts/lib/storage-size.ts).
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Registered } from "./api-types.ts";
import { applyMigrations, DevServer } from "./dev-server.ts";
import { LoadTeams, type Team } from "./load-agents.ts";
import { verifyFinalState } from "./load-checks.ts";
import { LoadClient } from "./load-client.ts";
import {
  BUCKET_S,
  bucketSeries,
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

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The load scenario's server, state and wrangler.log under the work directory. */
async function startServer({ workDir, port, log }: LoadOptions, setupToken: string) {
  mkdirSync(workDir, { recursive: true });
  const persistTo = path.join(workDir, "state");
  const logFile = path.join(workDir, "wrangler.log");
  log(`applying migrations to ${persistTo}`);
  await applyMigrations(persistTo, logFile);
  const server = new DevServer({ persistTo, envFile: path.join(workDir, "bench.env"), logFile, setupToken, port });
  log("starting wrangler dev");
  return { server, baseUrl: await server.start() };
}

/** Initializes the project and registers `teams` teams; returns their API keys. */
async function setUpTeams(client: LoadClient, setupToken: string, teams: number): Promise<Team[]> {
  const registrationToken = randomBytes(16).toString("hex");
  await client.api(null, "GET", "/api/setup/status");
  const adminPassword = randomBytes(12).toString("hex");
  await client.api(null, "POST", "/api/setup/initialize", {
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
  const { token: adminToken } = await client.api<{ token: string }>(null, "POST", "/api/admin/login", {
    body: { password: adminPassword },
  });
  await client.api(null, "PUT", "/api/admin/config", {
    adminToken,
    body: { agent: { registrations_per_hour: 10_000, rate_limit_per_minute: 1_000_000, rate_limit_burst: 1_000_000 } },
  });

  const register = (role: string, team: number) =>
    client.api<Registered>(null, "POST", "/api/agents/register", {
      headers: { "x-registration-token": registrationToken },
      body: { name: `${role}-${team}`, role, description: `bench ${role} of team ${team}` },
    });
  const keys: Team[] = [];
  for (let t = 0; t < teams; t++) {
    const [p, e, r] = await Promise.all([register("planner", t), register("executor", t), register("reviewer", t)]);
    keys.push({ planner: p.api_key, executor: e.api_key, reviewer: r.api_key });
  }
  return keys;
}

export async function runLoadScenario(config: LoadOptions): Promise<number> {
  const { log } = config;
  const loadBefore = os.loadavg()[0] ?? 0;
  const setupToken = randomBytes(16).toString("hex");
  const { server, baseUrl } = await startServer(config, setupToken);
  log(`server ready at ${baseUrl}`);
  const client = new LoadClient(baseUrl);
  const teams = await setUpTeams(client, setupToken, config.teams);
  log(`registered ${teams.length * 3} agents; running ${config.teams} teams`);

  const work = new LoadTeams(client, config);
  const { counters } = work;
  // D1 bytes against completed sub-tasks every BUCKET_S, from the files under --persist-to.
  const storage = new StorageSampler({
    persistTo: server.persistTo,
    everyS: BUCKET_S,
    doneCount: () => counters.subTasksDone,
  });
  const startedAt = new Date();
  storage.start();
  const t0 = performance.now();
  client.runPhase.active = true;
  client.runPhase.startedAt = t0;
  const progress = setInterval(() => {
    const s = client.summary((performance.now() - t0) / 1000);
    log(
      `${((performance.now() - t0) / 1000).toFixed(0)} s: ${s.total} requests (${s.rps.toFixed(0)}/s), ${counters.subTasksDone}/${work.created.length} sub-tasks done, ${work.planners} planners busy`,
    );
  }, 10_000);
  try {
    await work.work(teams);
  } finally {
    clearInterval(progress);
    storage.stop(); // before the checks: their reads add request_log rows that no sub-task caused
    client.runPhase.active = false;
  }
  const elapsedS = (performance.now() - t0) / 1000;
  const totals = client.summary(elapsedS);

  let problems: string[];
  try {
    problems = await verifyFinalState(client, work, teams[0]!.planner); // --teams is at least 1
  } catch (err) {
    problems = [`could not check the final state: ${message(err)}`];
  }
  await server.stop({ onSlow: () => log("wrangler did not stop within 10 s; killing it") });
  const storageResult = storageAnalysis(storage.samples);
  const tables = await tableStats(storage.file);

  console.log(
    `\nOpenMOSS Edge benchmark: ${config.teams} teams, ${elapsedS.toFixed(1)} s, ${totals.total} requests, ${totals.rps.toFixed(1)} requests/s`,
  );
  console.log(
    `${counters.lifecycles} tasks and ${work.created.length} sub-tasks completed; ${counters.claimConflicts} claim and ${counters.reviewConflicts} review conflicts (409, expected)\n`,
  );
  const { endpoints, failures, runPhase } = client;
  const report: LoadRun = {
    options: config,
    loadBefore,
    startedAt,
    elapsedS,
    totals,
    problems,
    counters,
    subTasksCreated: work.created.length,
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
    if (failures.server) console.log(`\nwrangler log (tail):\n${server.logTail(60)}`);
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
