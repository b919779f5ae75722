// `npm run bench`: benchmarks of the whole stack (HTTP → Worker → Durable Object → D1) on a local
// `wrangler dev` that this script starts on its own port, with its own throw-away state. Four
// scenarios, all run by default (`--scenario load|patrol|briefing|soak|all`), one after the other,
// and a fifth run on its own (`--scenario cpu`):
//
// load: N simulated teams (a planner, an executor and a reviewer each) run complete sub-task lifecycles
// the way agents driven by the upstream OpenMOSS CLI do: plan → claim → start → deliver → submit →
// rejected review → reflect → start → submit → approved review (scripts/lib/load-bench.ts).
// Executors and reviewers work from the shared queues, so they race for the same sub-tasks: a 409 on
// claim or review is an expected conflict, not an error. Every response's x-d1-* headers give the D1
// work behind it. The local D1 database's size is sampled every 10 s against the completed sub-tasks,
// and rows and bytes per table read at the end (scripts/lib/storage-size.ts): exit code 1 when bytes
// per sub-task clearly grow super-linearly; written between <!-- bench-storage:start --> and
// <!-- bench-storage:end -->.
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
//   npm run bench -- --scenario files      (upload/download MB/s; scripts/lib/files-bench.ts)
//   npm run bench -- --scenario search     (rows read at 10,000 / 100,000 entries; scripts/lib/search-bench.ts)
//   npm run bench -- --help
import { existsSync, mkdtempSync, rmdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { benchOptions, type Scenario } from "./lib/bench-options.ts";
import { BRIEFING_INTRO, briefingMarkdown, briefingText, runBriefingScenario } from "./lib/briefing-bench.ts";
import { CPU_INTRO, cpuMarkdown, cpuText, cpuVerdict, runCpuScenario } from "./lib/cpu-bench.ts";
import { FILES_INTRO, filesMarkdown, filesText, runFilesScenario } from "./lib/files-bench.ts";
import { runLoadScenario } from "./lib/load-bench.ts";
import { PATROL_INTRO, patrolMarkdown, patrolText, runPatrolScenario } from "./lib/patrol-bench.ts";
import { writeSection } from "./lib/report.ts";
import { runSearchScenario, SEARCH_INTRO, searchMarkdown, searchText } from "./lib/search-bench.ts";
import { stopAllServers } from "./lib/server-process.ts";
import { runSoakScenario, SOAK_INTRO, soakMarkdown, soakText } from "./lib/soak-bench.ts";
import { assertInstalled, root } from "./lib/wrangler.ts";

const config = benchOptions();

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const stackOf = (err: unknown) => (err instanceof Error ? (err.stack ?? err.message) : String(err));
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
  if (config.keep) {
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

const DOC_HEADER = `# Benchmarks

\`npm run bench\` runs four scenarios, each on its own \`wrangler dev\` (a free port from 8799, a
temporary \`--persist-to\` directory and a fresh \`SETUP_TOKEN\`, so it never touches your dev
data): **load** (agents running complete sub-task lifecycles), **patrol** (one patrol run over a
large history), **briefing** (each role's wake-up briefing as the history grows) and **soak** (200
agents of every role at once, then proof that nothing acknowledged was lost).
\`npm run bench -- --scenario load\`, \`--scenario patrol\`, \`--scenario briefing\` or
\`--scenario soak\` runs one of them; \`npm run bench -- --help\` lists the options.
`;

async function runLoad(): Promise<number> {
  return runLoadScenario({
    workDir: path.join(tmpDir, "load"),
    port: config.port,
    teams: config.teams,
    rounds: config.rounds,
    durationS: config.durationS,
    subTasks: config.subTasks,
    drainS: config.drainS,
    output: config.output,
    write: config.write,
    docHeader: DOC_HEADER,
    log,
  });
}

/** Says why the doc was not updated (an empty line with --no-write, which never updates it). */
function notUpdated(why: string) {
  console.log(config.write ? `(${path.relative(root, config.output)} not updated because ${why})` : "");
}

/** Writes one scenario's section of the doc between its markers, unless --no-write. */
function publish(marker: string, markdown: string, intro: string) {
  if (!config.write) return;
  writeSection(config.output, marker, markdown, { header: DOC_HEADER, intro });
  console.log(`Results written to ${path.relative(root, config.output)}`);
}

/** A finished scenario: its printed text, whether it failed and why, and its section of the doc. */
interface Outcome {
  text: string;
  failed: boolean;
  /** Printed after the text when the run failed. */
  failure?: string | undefined;
  marker: string;
  /** Only rendered when the section is written. */
  markdown: () => string;
  intro: string;
}

/** Prints the outcome and writes its section unless the run failed; returns the exit code. */
function conclude({ text, failed, failure, marker, markdown, intro }: Outcome): number {
  console.log(`\n${text}\n`);
  if (failed) {
    if (failure) console.log(failure);
    notUpdated("the run failed");
    return 1;
  }
  publish(marker, markdown(), intro);
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
  return conclude({
    text: patrolText(result),
    failed: !result.pass || result.problems.length > 0,
    failure: result.problems.length ? "FAILED: the anomalies found are not the seeded ones" : undefined,
    marker: "bench-patrol",
    markdown: () => patrolMarkdown(result),
    intro: PATROL_INTRO,
  });
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
  return conclude({
    text: briefingText(result),
    failed: !result.pass || result.problems.length > 0,
    failure: result.problems.length ? "FAILED: the briefing lists are not what the seeded databases hold" : undefined,
    marker: "bench-briefing",
    markdown: () => briefingMarkdown(result),
    intro: BRIEFING_INTRO,
  });
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
  return conclude({
    text: soakText(result),
    failed: !result.pass,
    failure: result.totals.server ? `wrangler log (tail):\n${result.serverLogTail()}\n` : undefined,
    marker: "bench-soak",
    markdown: () => soakMarkdown(result),
    intro: SOAK_INTRO,
  });
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
  if (errors) notUpdated("the run had errors");
  else publish("bench-cpu", cpuMarkdown(result, limits), CPU_INTRO);
  return cpuVerdict(result, limits).length ? 1 : 0;
}

async function runFiles() {
  const result = await runFilesScenario({ workDir: path.join(tmpDir, "files"), port: config.port, log });
  return conclude({
    text: filesText(result),
    failed: result.problems.length > 0,
    failure: result.problems.length ? "FAILED: an upload or download did not return the bytes sent" : undefined,
    marker: "bench-files",
    markdown: () => filesMarkdown(result),
    intro: FILES_INTRO,
  });
}

async function runSearch() {
  const result = await runSearchScenario({ workDir: path.join(tmpDir, "search"), port: config.port, log });
  return conclude({
    text: searchText(result),
    failed: result.problems.length > 0,
    failure: result.problems.length ? "FAILED: a query found nothing or its rows read grew with the index" : undefined,
    marker: "bench-search",
    markdown: () => searchMarkdown(result),
    intro: SEARCH_INTRO,
  });
}

const SCENARIOS: Record<Scenario, () => Promise<number>> = {
  load: runLoad,
  patrol: runPatrol,
  briefing: runBriefing,
  soak: runSoak,
  cpu: runCpu,
  files: runFiles,
  search: runSearch,
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
