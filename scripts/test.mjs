// `npm test`: the whole check, in order —
//   0. lint (Biome: formatting, import order and lint rules; `npm run format` fixes what it can),
//   1. build:cli (skills/dist/task-cli.mjs and worker/generated/cli.ts, which the Worker embeds),
//   2. typecheck (Worker + tests, dashboard, vite config, browser suite, CLI sources, CLI suite),
//   3. build:dashboard (vite build + the size budget; wrangler.toml's [assets] folder must exist),
//   4. the Workers suite (vitest in the Workers runtime, test/**/*.test.ts without test/browser and test/cli),
//   5. the browser suite (vitest.browser.config.ts: a local Worker driven through Debian's Chromium),
//   6. the CLI and MCP suite (vitest.cli.config.ts: the built CLI run as child processes, and the
//      official MCP client, against a local Worker).
// Arguments go to every vitest run (`npm test -- -t claim`). All suites run even if one fails; the
// last line is the combined "N passed, N failed, N skipped".
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
  process.env.npm_execpath
    ? [process.execPath, [process.env.npm_execpath, "run", "--silent", script]]
    : ["npm", ["run", "--silent", script]];

function suite(label, configArgs, report) {
  const extra = args.length > 0 ? ["--passWithNoTests"] : [];
  return run(label, process.execPath, [
    vitest,
    "run",
    ...configArgs,
    ...extra,
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${report}`,
    ...args,
  ]);
}

function counts(report) {
  try {
    const r = JSON.parse(readFileSync(report, "utf8"));
    return {
      passed: r.numPassedTests,
      failed: r.numFailedTests,
      skipped: r.numPendingTests + r.numTodoTests,
      total: r.numTotalTests,
    };
  } catch {
    return null;
  }
}

let code = run("lint", ...npm("lint"));
if (code === 0) code = run("build:cli", ...npm("build:cli"));
if (code === 0) code = run("typecheck", ...npm("typecheck"));
if (code === 0) code = run("build:dashboard", ...npm("build:dashboard"));
const results = [];
if (code === 0) {
  const suites = [
    ["Workers suite", "workers.json", []],
    ["browser suite", "browser.json", ["--config", "vitest.browser.config.ts"]],
    ["CLI and MCP suite", "cli.json", ["--config", "vitest.cli.config.ts"]],
  ];
  const codes = [];
  for (const [label, file, configArgs] of suites) {
    const report = path.join(reports, file);
    codes.push(suite(label, configArgs, report));
    results.push([label, counts(report)]);
  }
  code = codes.find((c) => c !== 0) ?? 0;
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
