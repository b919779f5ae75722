// `npm test`: the whole check —
//   1. lint (Biome: formatting, import order and lint rules; `npm run format` fixes what it can),
//   2. build:cli (skills/dist/task-cli.mjs and worker/generated/cli.ts, which the Worker embeds),
//   3. build:dashboard (vite build + the size budget; wrangler.toml's [assets] folder must exist),
//   then two pairs, each pair side by side (each step keeps about one core busy, the machine has two):
//   4. typecheck (Worker + tests, dashboard, vite config, scripts, browser suite, CLI sources, CLI suite)
//      beside the browser project (a local Worker driven through Debian's Chromium): the browser suite
//      shares the machine only with one tsc at a time, so its page waits are not starved;
//   5. vitest's workers and domain projects (the Workers runtime, and the pure tests in Node) beside the
//      cli project (the built CLI as child processes, and the official MCP client, against a local Worker).
// The projects are one vitest.config.ts; each suite is its own vitest process because vitest runs the
// projects whose files go one after another (browser, cli) in groups of their own, one group after
// another. Each line of a step's output is prefixed with its name. Arguments go to every vitest run (`npm test -- -t claim`). All suites run even if one
// fails; the last line is the combined "N passed, N failed, N skipped". A step that failed with no failed
// test to show (a global setup that threw, a process that died) counts as one failure, and the summary
// says why: the first error line of the end of its output.
import { type SpawnOptions, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { failureReason, Tail } from "./lib/failure-reason.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const vitest = path.join(root, "node_modules", "vitest", "vitest.mjs");
const reports = mkdtempSync(path.join(tmpdir(), "openmoss-test-"));
const timings: string[] = [];

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

/** A suite's counts and its failed tests, each as "file › test — first line of the error". */
interface SuiteReport extends Counts {
  failures: string[];
}

/** Failed tests named in the summary per suite: enough to see a flaky one in CI's last lines. */
const MAX_NAMED_FAILURES = 10;

interface Ended {
  code: number;
  /** The last lines of its output (prefixed steps only): where the reason for a failure is. */
  tail: string[];
}

/** Runs one step to its end; its exit code is 1 when it could not start or was killed. */
async function run(label: string, command: string, commandArgs: string[], prefixed: boolean): Promise<Ended> {
  console.log(`\n── ${label} ──${prefixed ? " (started)" : ""}`);
  const started = Date.now();
  const options: SpawnOptions = { cwd: root, stdio: prefixed ? ["ignore", "pipe", "pipe"] : "inherit" };
  const child = spawn(command, commandArgs, options);
  const tail = new Tail(200);
  if (prefixed) {
    // Concurrent steps: each line carries the step's name, so interleaved output stays readable.
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on("line", (line) => {
        tail.push(line);
        console.log(`[${label}] ${line}`);
      });
    }
  }
  const code = await new Promise<number>((resolve) => {
    child.on("error", (error) => {
      tail.push(`Error: could not start: ${error.message}`);
      console.error(`[${label}] could not start: ${error.message}`);
      resolve(1);
    });
    child.on("close", (status, signal) => {
      if (signal) tail.push(`Error: killed by ${signal}`);
      resolve(status ?? 1);
    });
  });
  const seconds = (Date.now() - started) / 1000;
  timings.push(`${label} ${seconds.toFixed(1)} s`);
  if (prefixed) console.log(`── ${label}: done in ${seconds.toFixed(1)} s (exit ${code}) ──`);
  return { code, tail: tail.lines };
}

function npm(script: string): [string, string[]] {
  const npmCli = process.env.npm_execpath;
  return npmCli ? [process.execPath, [npmCli, "run", "--silent", script]] : ["npm", ["run", "--silent", script]];
}

interface JsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { name: string; assertionResults: { status: string; fullName: string; failureMessages: string[] }[] }[];
}

function counts(report: string): SuiteReport | null {
  try {
    const r = JSON.parse(readFileSync(report, "utf8")) as JsonReport;
    const failures = r.testResults.flatMap((file) =>
      file.assertionResults
        .filter((a) => a.status === "failed")
        .map((a) => {
          const firstLine = (a.failureMessages[0] ?? "").split("\n")[0]!.slice(0, 200);
          return `${path.relative(root, file.name)} › ${a.fullName} — ${firstLine}`;
        }),
    );
    return {
      passed: r.numPassedTests,
      failed: r.numFailedTests,
      skipped: r.numPendingTests + r.numTodoTests,
      failures,
    };
  } catch {
    return null;
  }
}

/** One vitest process for some projects; its counts come from its JSON report (null: it did not finish). */
async function suite(label: string, projects: string[]): Promise<[Ended, SuiteReport | null]> {
  const report = path.join(reports, `${label.replace(/\W+/g, "-")}.json`);
  const extra = args.length > 0 ? ["--passWithNoTests"] : [];
  const code = await run(
    label,
    process.execPath,
    [
      vitest,
      "run",
      ...projects.flatMap((p) => ["--project", p]),
      ...extra,
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${report}`,
      ...args,
    ],
    true,
  );
  return [code, counts(report)];
}

let { code } = await run("lint", ...npm("lint"), false);
if (code === 0) ({ code } = await run("build:cli", ...npm("build:cli"), false));
if (code === 0) ({ code } = await run("build:dashboard", ...npm("build:dashboard"), false));
/** Each step after the builds: its label, how it ended, its test counts (null: no report, or no tests). */
const results: [string, Ended, SuiteReport | null][] = [];
if (code === 0) {
  // Everything runs even if an earlier step failed; the exit code is the first failure's.
  const [typecheck, browser] = await Promise.all([
    run("typecheck", ...npm("typecheck"), true),
    suite("browser", ["browser"]),
  ]);
  const [workers, cli] = await Promise.all([suite("workers+domain", ["workers", "domain"]), suite("cli", ["cli"])]);
  results.push(
    ["typecheck", typecheck, null],
    ["workers+domain", ...workers],
    ["browser", ...browser],
    ["cli", ...cli],
  );
  code = results.map(([, ended]) => ended.code).find((c) => c !== 0) ?? 0;
  if (code === 0 && results.some(([label, , c]) => label !== "typecheck" && !c)) code = 1;
}
rmSync(reports, { recursive: true, force: true });

console.log(`\n── summary ──\n${timings.join(" · ")}`);
const total: Counts = { passed: 0, failed: 0, skipped: 0 };
/** How a step failed when no failed test shows it. */
function howItFailed(isSuite: boolean, c: Counts | null, ran: boolean): string {
  if (!isSuite) return "failed";
  if (!c) return "did not finish (no report)";
  return ran ? "failed outside its tests" : "did not start";
}

for (const [label, ended, c] of results) {
  const isSuite = label !== "typecheck";
  const ran = c !== null && c.passed + c.failed + c.skipped > 0;
  // A failure with no failed test behind it (no report, no test run, or an error outside the tests)
  // counts as one, so the last line shows it, and the reason is printed: vitest's own summary is far above.
  const failedUnseen = (ended.code !== 0 && (c?.failed ?? 0) === 0) || (isSuite && !c);
  if (failedUnseen) {
    const reason = failureReason(ended.tail) || "no output";
    console.log(`${label}: ${howItFailed(isSuite, c, ran)} (exit ${ended.code}) — ${reason}`);
    total.failed += 1;
  }
  if (!c || (failedUnseen && !ran)) continue;
  console.log(`${label}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
  for (const failure of c.failures.slice(0, MAX_NAMED_FAILURES)) console.log(`  ✗ ${failure}`);
  total.passed += c.passed;
  total.failed += c.failed;
  total.skipped += c.skipped;
}
if (code === 0 && total.passed + total.failed === 0 && args.length === 0) {
  console.error("no test ran");
  code = 1;
}
if (results.length > 0) console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(code);
