// The patrol scenario of `npm run bench`: what one patrol run costs over a large history, and proof
// that the cost follows the open work, not everything ever created.
//
// One fresh server is initialized and given a planner and two executors through the API; its state
// directory is then copied into two databases that get the same tasks and the same open sub-tasks,
// one of them with no history and the other with the terminal sub-tasks (and their ledger, patrol
// and notification rows) that bring it to `total` sub-tasks. On each, wrangler dev runs with
// --test-scheduled and the benchmark measures GET /api/patrol/check (the read-only detection) and
// two full cron runs (GET /__scheduled): client wall time, plus the JSON line the cron logs with its
// own wall time and D1 work (the Durable Objects' share for blocking included). The first cron run
// opens the records and blocks the critical timeouts; the second finds them open (refresh) or gone.
import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Registered } from "./api-types.ts";
import { applyMigrations, DevServer, executeSqlFile } from "./dev-server.ts";
import { Client, type D1Usage } from "./http.ts";
import { activeSql, type ExpectedAnomalies, expectedAnomalies, historySql, OPEN_GROUPS } from "./patrol-seed.ts";
import { machineInfo, num, wranglerVersion } from "./report.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CHECK_CALLS = 3;

/** One anomaly of GET /api/patrol/check. */
interface Anomaly {
  type: string;
  severity: string;
}

/** The JSON line worker/patrol's cron logs after each run (the fields read here). */
interface CronLine {
  ms: number;
  d1: D1Usage;
  patrol?: { anomalies: number; opened: number; refreshed: number; resolved: number; blocked: number };
  notifications?: { fannedOut: number };
  failed?: string[];
}

interface PatrolCase {
  key: string;
  label: string;
  total: number;
  terminal: number;
  state: string;
  seedMs: number;
  check: { ms: number; d1: D1Usage | null; anomalies: Anomaly[] }[];
  cron: { clientMs: number; line: CronLine }[];
}

export type PatrolResult = Awaited<ReturnType<typeof runPatrolScenario>>;
type Log = (msg: string) => void;

/** Copies the state folder `from` to `to` and runs `sql` on the copy; returns the seeding time in ms. */
export async function seededCopy(from: string, to: string, sqlFile: string, sql: string, logFile: string) {
  cpSync(from, to, { recursive: true });
  writeFileSync(sqlFile, sql);
  const started = performance.now();
  await executeSqlFile(to, sqlFile, logFile);
  return performance.now() - started;
}

/**
 * A fresh database (migrations applied) in `state`, initialized through the API with `agents`
 * ([name, role] pairs) registered; the server is stopped again. Returns the agents by name
 * ({id, api_key, …} as registration answered).
 */
export async function initializedState({
  state,
  logFile,
  serverFor,
  setupToken,
  project,
  agents,
  log,
}: {
  state: string;
  logFile: string;
  serverFor: (persistTo: string) => DevServer;
  setupToken: string;
  project: string;
  agents: [name: string, role: string][];
  log: Log;
}): Promise<Record<string, Registered>> {
  log(`applying migrations to ${state}`);
  await applyMigrations(state, logFile);
  const server = serverFor(state);
  try {
    const api = new Client(await server.start());
    log(`server ready at ${api.base}; initializing and registering agents`);
    const registrationToken = randomBytes(16).toString("hex");
    await api.request("POST", "/api/setup/initialize", {
      headers: { "x-setup-token": setupToken },
      body: {
        admin_password: randomBytes(12).toString("hex"),
        project_name: project,
        workspace_root: "/bench",
        registration_token: registrationToken,
        registration_roles: [...new Set(agents.map(([, role]) => role))],
      },
    });
    const byName: Record<string, Registered> = {};
    for (const [name, role] of agents) {
      byName[name] = (
        await api.request<Registered>("POST", "/api/agents/register", {
          headers: { "x-registration-token": registrationToken },
          body: { name, role, description: `bench ${role}` },
        })
      ).json;
    }
    return byName;
  } finally {
    await server.stop();
  }
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN;
};

function countKinds(anomalies: Anomaly[]): Map<string, number> {
  const byKind = new Map<string, number>();
  for (const a of anomalies) byKind.set(`${a.type}/${a.severity}`, (byKind.get(`${a.type}/${a.severity}`) ?? 0) + 1);
  return byKind;
}

/** Waits for the cron's JSON log line written after `offset` (the log reaches the file a bit later). */
async function cronLogLine(server: DevServer, offset: number, timeoutMs = 10_000): Promise<CronLine> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = server
      .logSince(offset)
      .split("\n")
      .find((l) => l.trimStart().startsWith('{"cron":'));
    if (line) return JSON.parse(line.trim());
    if (Date.now() > deadline) throw new Error(`no cron log line within ${timeoutMs / 1000} s:\n${server.logTail()}`);
    await sleep(100);
  }
}

export async function runPatrolScenario({
  workDir,
  port,
  total,
  active,
  tasks,
  maxRatio,
  log,
}: {
  /** A temporary directory for the state copies, SQL files and wrangler.log. */
  workDir: string;
  /** Preferred port. */
  port: number;
  /** Sub-tasks in the large database. */
  total: number;
  /** Open sub-tasks in both (a multiple of 100). */
  active: number;
  tasks: number;
  /** The large database may read at most this many times the small one's rows. */
  maxRatio: number;
  log: Log;
}) {
  const loadBefore = os.loadavg()[0] ?? 0;
  const startedAt = new Date();
  const t0 = performance.now();
  mkdirSync(workDir, { recursive: true });
  const logFile = path.join(workDir, "wrangler.log");
  const setupToken = randomBytes(16).toString("hex");
  const serverFor = (persistTo: string) =>
    new DevServer({
      persistTo,
      envFile: path.join(workDir, "bench.env"),
      logFile,
      setupToken,
      port,
      extraArgs: ["--test-scheduled"],
      logLevel: "log", // "log": the Worker's console.log (the cron line) reaches the file
    });

  // 1. A fresh server, initialized, with a planner and two executors registered through the API.
  const baseState = path.join(workDir, "state-base");
  const registered = await initializedState({
    state: baseState,
    logFile,
    serverFor,
    setupToken,
    project: "Bench patrol",
    log: (m) => log(`patrol: ${m}`),
    agents: [
      ["bench-planner", "planner"],
      ["bench-executor-1", "executor"],
      ["bench-executor-2", "executor"],
    ],
  });
  const agent = (name: string) => registered[name]!; // registered just above
  const agents = {
    planner: agent("bench-planner").id,
    plannerKey: agent("bench-planner").api_key,
    executors: [agent("bench-executor-1").id, agent("bench-executor-2").id],
  };

  // 2. Two copies of that state, seeded the same way except for history.
  const ref = new Date().toISOString();
  const cases: PatrolCase[] = [
    { key: "small", total: active, terminal: 0 },
    { key: "large", total, terminal: total - active },
  ].map((c) => ({
    ...c,
    label: `${num(active)} active of ${num(c.total)}`,
    state: path.join(workDir, `state-${c.key}`),
    seedMs: 0,
    check: [],
    cron: [],
  }));
  for (const c of cases) {
    log(`patrol: seeding ${c.label} sub-tasks`);
    c.seedMs = await seededCopy(
      baseState,
      c.state,
      path.join(workDir, `seed-${c.key}.sql`),
      activeSql({ ref, tasks, active, agents }) + historySql({ ref, tasks, terminal: c.terminal, agents }),
      logFile,
    );
  }

  // 3. Measure each: the read-only check, then two cron runs.
  for (const c of cases) {
    const server = serverFor(c.state);
    try {
      const api = new Client(await server.start());
      log(`patrol: measuring ${c.label} at ${api.base}`);
      for (let i = 0; i < CHECK_CALLS; i++) {
        const r = await api.request<{ anomalies: Anomaly[] }>("GET", "/api/patrol/check", { key: agents.plannerKey });
        c.check.push({ ms: r.ms, d1: r.d1, anomalies: r.json.anomalies });
      }
      for (let run = 1; run <= 2; run++) {
        const offset = server.logOffset();
        const r = await api.request("GET", "/__scheduled?cron=*+*+*+*+*");
        const line = await cronLogLine(server, offset);
        c.cron.push({ clientMs: r.ms, line });
        log(
          `patrol: ${c.label}: cron run ${run}: ${r.ms.toFixed(0)} ms, ${line.d1?.rowsRead} rows read, ${JSON.stringify(line.patrol)}`,
        );
      }
    } finally {
      await server.stop({ onSlow: () => log("wrangler did not stop within 10 s; killing it") });
    }
  }

  const elapsedS = (performance.now() - t0) / 1000;
  const expected = expectedAnomalies(active);
  const comparisons = compare(cases, maxRatio);
  return {
    startedAt,
    elapsedS,
    loadBefore,
    total,
    active,
    tasks,
    maxRatio,
    cases: cases as [PatrolCase, PatrolCase],
    expected,
    problems: verify(cases, expected),
    comparisons,
    pass: comparisons.every((x) => x.ok),
  };
}

/** The measured runs must have found exactly the seeded anomalies and done what a run does. */
function verify(cases: PatrolCase[], expected: ExpectedAnomalies): string[] {
  const problems: string[] = [];
  for (const c of cases) {
    const found = countKinds(c.check[0]?.anomalies ?? []);
    const kinds = new Set([...expected.byKind.keys(), ...found.keys()]);
    for (const k of [...kinds].sort()) {
      if ((found.get(k) ?? 0) !== (expected.byKind.get(k) ?? 0)) {
        problems.push(`${c.label}: check found ${found.get(k) ?? 0} ${k}, expected ${expected.byKind.get(k) ?? 0}`);
      }
    }
    const [first, second] = c.cron.map((r) => r.line) as [CronLine, CronLine]; // two runs, or it threw
    const want = (what: string, got: number | undefined, exp: number) => {
      if (got !== exp) problems.push(`${c.label}: ${what} ${got}, expected ${exp}`);
    };
    for (const [i, line] of [first, second].entries()) {
      if (line.failed?.length) problems.push(`${c.label}: cron run ${i + 1} failed steps: ${line.failed.join(", ")}`);
    }
    want("cron run 1 anomalies", first.patrol?.anomalies, expected.total);
    want("cron run 1 opened", first.patrol?.opened, expected.total);
    want("cron run 1 blocked", first.patrol?.blocked, expected.blocked);
    want("cron run 2 anomalies", second.patrol?.anomalies, expected.afterBlocking);
    want("cron run 2 opened", second.patrol?.opened, 0);
    // Run 2 follows run 1 within seconds: last_seen_at moves in 5-minute steps, so nothing is rewritten.
    want("cron run 2 refreshed", second.patrol?.refreshed, 0);
    want("cron run 2 resolved", second.patrol?.resolved, expected.total - expected.afterBlocking);
  }
  return problems;
}

/** Rows read, small vs large database, for each measured call. */
function compare(cases: PatrolCase[], maxRatio: number) {
  const [small, large] = cases as [PatrolCase, PatrolCase];
  const rows: [string, (c: PatrolCase) => number][] = [
    ["GET /api/patrol/check", (c) => median(c.check.map((x) => x.d1?.rowsRead ?? NaN))],
    ["cron run 1", (c) => c.cron[0]?.line.d1.rowsRead ?? NaN],
    ["cron run 2", (c) => c.cron[1]?.line.d1.rowsRead ?? NaN],
  ];
  return rows.map(([what, get]) => {
    const a = get(small);
    const b = get(large);
    const ratio = b / a;
    return { what, small: a, large: b, ratio, ok: Number.isFinite(ratio) && ratio <= maxRatio };
  });
}

// ---------------------------------------------------------------------------------------------
// Report.

const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : "–");

export function table(head: string[], align: ("l" | "r")[], rows: string[][]): string {
  return [
    `| ${head.join(" | ")} |`,
    `| ${align.map((a) => (a === "r" ? "---:" : "---")).join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

export function patrolVerdict(result: PatrolResult): string {
  const worst = Math.max(...result.comparisons.map((x) => x.ratio));
  const word = result.pass ? "PASS" : "FAIL";
  return `${word}: rows read with ${num(result.total)} sub-tasks are at most ${worst.toFixed(2)}× those with ${num(result.active)} (limit ${result.maxRatio}×)`;
}

type Figure = [what: string, get: (c: PatrolCase) => number, format: (x: number) => string];

function measuredRows(result: PatrolResult): string[][] {
  const [small, large] = result.cases;
  const checkMedian =
    (pick: (x: PatrolCase["check"][number]) => number) =>
    (c: PatrolCase): number =>
      median(c.check.map(pick));
  const cronLine = (i: number, pick: (l: CronLine) => number) => (c: PatrolCase) => pick(c.cron[i]!.line);
  const lines: Figure[] = [
    ["`GET /api/patrol/check` rows read (median of 3)", checkMedian((x) => x.d1?.rowsRead ?? NaN), num],
    ["`GET /api/patrol/check` queries", checkMedian((x) => x.d1?.queries ?? NaN), num],
    ["`GET /api/patrol/check` wall ms, client (median of 3)", checkMedian((x) => x.ms), ms],
    ["`GET /api/patrol/check` wall ms, first call", (c) => c.check[0]?.ms ?? NaN, ms],
  ];
  for (const i of [0, 1]) {
    const n = `cron run ${i + 1}`;
    lines.push(
      [`${n}: wall ms, client (\`GET /__scheduled\`)`, (c) => c.cron[i]!.clientMs, ms],
      [`${n}: wall ms, Worker (\`ms\` in its log line)`, cronLine(i, (l) => l.ms), ms],
      [`${n}: D1 rows read`, cronLine(i, (l) => l.d1.rowsRead), num],
      [`${n}: D1 rows written`, cronLine(i, (l) => l.d1.rowsWritten), num],
      [`${n}: D1 queries`, cronLine(i, (l) => l.d1.queries), num],
    );
  }
  return lines.map(([what, get, f]) => {
    const a = get(small);
    const b = get(large);
    return [what, f(a), f(b), Number.isFinite(b / a) ? `${(b / a).toFixed(2)}×` : "–"];
  });
}

function actionRows(result: PatrolResult): string[][] {
  // The same in both databases (checked by verify); shown for the large one.
  const c = result.cases[1];
  const p = (i: number): Partial<NonNullable<CronLine["patrol"]>> => c.cron[i]?.line.patrol ?? {};
  const n = (i: number): Partial<NonNullable<CronLine["notifications"]>> => c.cron[i]?.line.notifications ?? {};
  /** A figure the cron line may lack (an older Worker): shown as –. */
  const count = (x: number | undefined) => num(x ?? NaN);
  return [
    ["anomalies", count(c.check[0]?.anomalies.length), count(p(0).anomalies), count(p(1).anomalies)],
    ["records opened", "–", count(p(0).opened), count(p(1).opened)],
    ["records refreshed (seen again)", "–", count(p(0).refreshed), count(p(1).refreshed)],
    ["records resolved (condition gone)", "–", count(p(0).resolved), count(p(1).resolved)],
    ["sub-tasks blocked (critical timeout)", "–", count(p(0).blocked), count(p(1).blocked)],
    ["outbox events fanned out", "–", count(n(0).fannedOut), count(n(1).fannedOut)],
  ];
}

function kindRows(result: PatrolResult): string[][] {
  const found = result.cases.map((c) => countKinds(c.check[0]?.anomalies ?? []));
  const kinds = [...new Set([...result.expected.byKind.keys(), ...found.flatMap((f) => [...f.keys()])])].sort();
  return kinds.map((k) => [
    `\`${k}\``,
    num(result.expected.byKind.get(k) ?? 0),
    ...found.map((f) => num(f.get(k) ?? 0)),
  ]);
}

function openMix(active: number): string {
  const byStatus = new Map<string, number>();
  for (const g of OPEN_GROUPS) byStatus.set(g.status, (byStatus.get(g.status) ?? 0) + (g.n * active) / 100);
  return [...byStatus].map(([s, n]) => `${num(n)} ${s}`).join(", ");
}

export function patrolMarkdown(result: PatrolResult): string {
  const m = machineInfo(result.loadBefore);
  const [small, large] = result.cases;
  const terminal = large.terminal;
  const cancelled = Math.ceil(terminal / 10);
  return `### Latest run

- Date: ${result.startedAt.toISOString()}
- Machine: ${m.cpu}; ${m.memory} RAM; ${m.os}; 1-minute load average ${m.load} before the run
- Node ${process.version}; wrangler ${wranglerVersion()} (\`wrangler dev --test-scheduled\`, local D1 and Durable Objects)
- Both databases: ${num(result.tasks)} tasks (${num(result.tasks * 0.4)} active, ${num(result.tasks * 0.3)} in progress, ${num(result.tasks * 0.3)} completed), a planner and 2 executors, ${num(result.active)} open sub-tasks (${openMix(result.active)}) and the executors' latest score changes
- History in the large one: ${num(terminal)} terminal sub-tasks (${num(terminal - cancelled)} done, ${num(cancelled)} cancelled), ${num(terminal - cancelled)} reward ledger rows, ${num(Math.floor(terminal / 20))} resolved patrol records, ${num(Math.floor(terminal / 10))} delivered notifications, ${num(Math.floor(terminal / 5))} request-log rows
- Seeding with \`wrangler d1 execute --file\`: ${(small.seedMs / 1000).toFixed(1)} s (${small.label}), ${(large.seedMs / 1000).toFixed(1)} s (${large.label}); whole scenario ${result.elapsedS.toFixed(0)} s
- **${patrolVerdict(result)}**
- Anomalies found: ${result.problems.length ? `UNEXPECTED: ${result.problems.join("; ")}` : "exactly the seeded ones, in both databases"}

${table(["Measured", small.label, large.label, "Large ÷ small"], ["l", "r", "r", "r"], measuredRows(result))}

What the runs found and did (the same in both databases):

${table(["", "check", "cron run 1", "cron run 2"], ["l", "r", "r", "r"], actionRows(result))}

Anomalies by type and severity (\`GET /api/patrol/check\` before the first cron run):

${table(["Type/severity", "Seeded", small.label, large.label], ["l", "r", "r", "r"], kindRows(result))}`;
}

export function patrolText(result: PatrolResult): string {
  const rows = measuredRows(result).map((r) => r.map((c) => c.replaceAll("`", "")));
  const widths = [0, 1, 2, 3].map((i) =>
    Math.max(
      ...rows.map((r) => r[i]?.length ?? 0),
      ["Measured", result.cases[0].label, result.cases[1].label, "ratio"][i]?.length ?? 0,
    ),
  );
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [
    `OpenMOSS Edge patrol benchmark: ${num(result.active)} open sub-tasks; ${num(result.active)} vs ${num(result.total)} sub-tasks in all (${result.elapsedS.toFixed(0)} s)`,
    "",
    line(["Measured", result.cases[0].label, result.cases[1].label, "ratio"]),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.map(line),
    "",
    `Actions (large db): ${actionRows(result)
      .map(([k, ...v]) => `${k} ${v.join("/")}`)
      .join("; ")}`,
    result.problems.length
      ? `Unexpected: ${result.problems.join("; ")}`
      : "Anomalies: exactly the seeded ones, in both databases.",
    patrolVerdict(result),
  ].join("\n");
}

export const PATROL_INTRO = `## Patrol

\`npm run bench -- --scenario patrol\` measures one patrol over a large history and checks that its
cost follows the open work only. A fresh server gets a planner and two executors through the API;
its state is then copied into two databases, seeded directly in SQLite (\`wrangler d1 execute
--file\`, rows generated by recursive CTEs) with the same 1,000 tasks and the same 1,000 open
sub-tasks, aged so that known numbers of them trip each rule. Only the second database also holds
99,000 terminal sub-tasks with their ledger rows, resolved patrol records, delivered notifications
and request-log rows. On each, the benchmark calls \`GET /api/patrol/check\` three times (rows read
from \`x-d1-rows-read\`) and runs the cron twice through \`/__scheduled\`, taking wall time and D1
work from the JSON line the cron logs (the Durable Objects' work for blocking included): the first
run opens the records and blocks the critical timeouts, the second refreshes or resolves them. The
run fails when the large database reads more than 1.2× the rows of the small one, or when the
anomalies found are not exactly the seeded ones.`;
