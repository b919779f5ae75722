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
import os from "node:os";
import type { DevServer } from "./dev-server.ts";
import { Client, type D1Usage } from "./http.ts";
import { activeSql, type ExpectedAnomalies, expectedAnomalies, historySql } from "./patrol-seed.ts";
import { median, num } from "./report.ts";
import { SeededStates } from "./seeded-state.ts";

export { PATROL_INTRO, patrolMarkdown, patrolText, patrolVerdict } from "./patrol-report.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CHECK_CALLS = 3;

/** One anomaly of GET /api/patrol/check. */
interface Anomaly {
  type: string;
  severity: string;
}

/** The JSON line worker/patrol's cron logs after each run (the fields read here). */
export interface CronLine {
  ms: number;
  d1: D1Usage;
  patrol?: { anomalies: number; opened: number; refreshed: number; resolved: number; blocked: number };
  notifications?: { fannedOut: number };
  failed?: string[];
}

export interface PatrolCase {
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

export function countKinds(anomalies: Anomaly[]): Map<string, number> {
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
  // "log": the cron's JSON line (read after each run below) must reach wrangler.log.
  const states = new SeededStates({ workDir, port, logLevel: "log" });

  // 1. A fresh server, initialized, with a planner and two executors registered through the API.
  const registered = await states.initialize({
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
    state: states.statePath(c.key),
    seedMs: 0,
    check: [],
    cron: [],
  }));
  for (const c of cases) {
    log(`patrol: seeding ${c.label} sub-tasks`);
    c.seedMs = await states.seedCopy(
      c.key,
      activeSql({ ref, tasks, active, agents }) + historySql({ ref, tasks, terminal: c.terminal, agents }),
    );
  }

  // 3. Measure each: the read-only check, then two cron runs.
  for (const c of cases) {
    const server = states.serverFor(c.state);
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
