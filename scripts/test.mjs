// `npm test`: the whole check, in order —
//   1. typecheck (Worker + tests, dashboard, vite config, browser suite),
//   2. build:dashboard (vite build + the size budget; wrangler.toml's [assets] folder must exist),
//   3. the Workers suite (vitest in the Workers runtime, test/**/*.test.ts without test/browser),
//   4. the browser suite (vitest.browser.config.ts: a local Worker driven through Debian's Chromium).
// Arguments go to both vitest runs (`npm test -- -t claim`). Both suites run even if the first
// fails; the last line is the combined "N passed, N failed, N skipped".
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const vitest = path.join(root, "node_modules", "vitest", "vitest.mjs");
const reports = mkdtempSync(path.join(tmpdir(), "openmoss-test-"));
const timings = [];

function run(label, command, commandArgs) {
  console.log(`\n── ${label} ──`);
  const started = Date.now();
  const r = spawnSync(command, commandArgs, { cwd: root, stdio: "inherit" });
  const seconds = (Date.now() - started) / 1000;
  timings.push(`${label} ${seconds.toFixed(1)} s`);
  return r.status ?? 1;
}

const npm = (script) =>
  process.env.npm_execpath ? [process.execPath, [process.env.npm_execpath, "run", "--silent", script]] : ["npm", ["run", "--silent", script]];

function suite(label, configArgs, report) {
  const extra = args.length > 0 ? ["--passWithNoTests"] : [];
  return run(label, process.execPath, [vitest, "run", ...configArgs, ...extra, "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...args]);
}

function counts(report) {
  try {
    const r = JSON.parse(readFileSync(report, "utf8"));
    return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests, total: r.numTotalTests };
  } catch {
    return null;
  }
}

let code = run("typecheck", ...npm("typecheck"));
if (code === 0) code = run("build:dashboard", ...npm("build:dashboard"));
const results = [];
if (code === 0) {
  const workersReport = path.join(reports, "workers.json");
  const browserReport = path.join(reports, "browser.json");
  const workers = suite("Workers suite", ["--exclude", "test/browser/**"], workersReport);
  const browser = suite("browser suite", ["--config", "vitest.browser.config.ts"], browserReport);
  results.push(["Workers suite", counts(workersReport)], ["browser suite", counts(browserReport)]);
  code = workers || browser;
  if (code === 0 && results.some(([, c]) => !c)) code = 1;
}
rmSync(reports, { recursive: true, force: true });

console.log(`\n── summary ──\n${timings.join(" · ")}`);
let passed = 0;
let failed = 0;
let skipped = 0;
for (const [label, c] of results) {
  if (!c) {
    console.log(`${label}: no report (it did not finish)`);
    continue;
  }
  console.log(`${label}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
  passed += c.passed;
  failed += c.failed;
  skipped += c.skipped;
}
if (code === 0 && passed + failed === 0 && args.length === 0) {
  console.error("no test ran");
  code = 1;
}
if (results.length > 0) console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(code);
