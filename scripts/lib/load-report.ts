// The load scenario's report: the endpoint table, the run's figures and the docs/benchmarks.md
// sections (load and storage), from a snapshot of the finished run.
import type { LoadOptions } from "./load-bench.ts";
import { machineInfo, wranglerVersion } from "./report.ts";

/** Seconds per bucket of the rate and latency series. */
export const BUCKET_S = 10;

/** Every request of one "METHOD /path/{id}?query": latency, status and D1 use. */
export interface EndpointStats {
  key: string;
  latencies: number[];
  statuses: Map<number | "ERR", number>;
  d1: number;
  rowsRead: number;
  rowsWritten: number;
  queries: number;
}

/** Requests, D1 rows read and summed latency in one BUCKET_S of the run. */
export interface Bucket {
  requests: number;
  rowsRead: number;
  latency: number;
}

/** The finished run, as the report needs it. */
export interface LoadRun {
  options: LoadOptions;
  /** The 1-minute load average when the scenario started. */
  loadBefore: number;
  startedAt: Date;
  elapsedS: number;
  totals: { total: number; rps: number; totalRead: number; totalWritten: number; totalQueries: number };
  problems: string[];
  counters: { lifecycles: number; claimConflicts: number; reviewConflicts: number };
  subTasksCreated: number;
  endpoints: EndpointStats[];
  buckets: Bucket[];
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "–");

type Row = Record<(typeof COLUMNS)[number][0], string>;

export function tableRows(endpoints: Iterable<EndpointStats>): Row[] {
  return [...endpoints]
    .sort((a, b) => b.latencies.length - a.latencies.length || a.key.localeCompare(b.key))
    .map((s) => {
      const lat = [...s.latencies].sort((a, b) => a - b);
      const statuses = [...s.statuses.entries()]
        .sort(([a], [b]) => String(a).localeCompare(String(b)))
        .map(([code, n]) => `${code}×${n}`)
        .join(" ");
      return {
        endpoint: s.key,
        count: String(lat.length),
        p50: fmt(percentile(lat, 50)),
        p99: fmt(percentile(lat, 99)),
        max: fmt(lat[lat.length - 1] ?? NaN),
        statuses,
        read: s.d1 ? fmt(s.rowsRead / s.d1) : "–",
        written: s.d1 ? fmt(s.rowsWritten / s.d1) : "–",
        queries: s.d1 ? fmt(s.queries / s.d1) : "–",
      };
    });
}

const COLUMNS = [
  ["endpoint", "Endpoint", "left"],
  ["count", "Count", "right"],
  ["p50", "p50 ms", "right"],
  ["p99", "p99 ms", "right"],
  ["max", "max ms", "right"],
  ["statuses", "Statuses", "left"],
  ["read", "Rows read", "right"],
  ["written", "Rows written", "right"],
  ["queries", "Queries", "right"],
] as const;

export function textTable(rows: Row[]): string {
  const widths = COLUMNS.map(([k, h]) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (COLUMNS[i]?.[2] === "right" ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ");
  return [
    line(COLUMNS.map(([, h]) => h)),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.map((r) => line(COLUMNS.map(([k]) => r[k]))),
  ].join("\n");
}

function markdownTable(rows: Row[]): string {
  const head = `| ${COLUMNS.map(([, h]) => h).join(" | ")} |`;
  const sep = `| ${COLUMNS.map(([, , a]) => (a === "right" ? "---:" : "---")).join(" | ")} |`;
  const body = rows.map((r) => `| ${COLUMNS.map(([k]) => (k === "endpoint" ? `\`${r[k]}\`` : r[k])).join(" | ")} |`);
  return [head, sep, ...body].join("\n");
}

/** Per 10 s of the run: requests/s, mean latency and mean D1 rows read per request. */
export function bucketSeries(buckets: Bucket[], elapsedS: number) {
  return buckets.map((b, i) => {
    const span = Math.min(BUCKET_S, elapsedS - i * BUCKET_S);
    return {
      rps: span > 0 ? b.requests / span : 0,
      latency: b.requests ? b.latency / b.requests : 0,
      rowsRead: b.requests ? b.rowsRead / b.requests : 0,
    };
  });
}

export function markdownSection(r: LoadRun): string {
  const { startedAt, elapsedS, totals, problems, counters, options: config } = r;
  const m = machineInfo(r.loadBefore);
  const series = bucketSeries(r.buckets, elapsedS);
  const duration = Number.isFinite(config.durationS) ? `${config.durationS} s of planning` : "no time limit";
  const rounds = Number.isFinite(config.rounds) ? `, at most ${config.rounds} task(s) per planner` : "";
  return `### Latest run

- Date: ${startedAt.toISOString()}
- Machine: ${m.cpu}; ${m.memory} RAM; ${m.os}; 1-minute load average ${m.load} before the run
- Node ${process.version}; wrangler ${wranglerVersion()} (\`wrangler dev\`, local D1 and Durable Objects)
- Load: ${config.teams} teams (${config.teams * 3} agents: planner, executor, reviewer each), ${config.subTasks} sub-tasks per task, ${duration}${rounds}
- Wall time: ${elapsedS.toFixed(1)} s for ${totals.total} requests by the teams → **${totals.rps.toFixed(1)} requests/s** (setup requests are in the table but not in this rate)
- Completed: ${counters.lifecycles} tasks, ${r.subTasksCreated} sub-tasks through claim → rejected review → rework → approved review
- Expected conflicts: ${counters.claimConflicts} claims and ${counters.reviewConflicts} reviews lost a race (409)
- D1 per request overall: ${fmt(totals.totalRead / totals.total)} rows read, ${fmt(totals.totalWritten / totals.total)} rows written, ${fmt(totals.totalQueries / totals.total)} queries
- Per ${BUCKET_S} s of the run: requests/s ${series.map((b) => b.rps.toFixed(0)).join(" · ")}; mean latency ms ${series.map((b) => b.latency.toFixed(0)).join(" · ")}; rows read per request ${series.map((b) => b.rowsRead.toFixed(1)).join(" · ")}
- Final state checks: ${problems.length ? `FAILED: ${problems.join("; ")}` : "all passed (every sub-task done once, one successful claim each, review rounds 1 rejected + 2 approved, every task completed)"}

Latencies are client-side (request sent → body read) in milliseconds; the D1 columns are means per request, from the \`x-d1-*\` response headers.

${markdownTable(tableRows(r.endpoints))}`;
}

export const LOAD_INTRO = `## Load

The load scenario initializes its server, registers a planner, an executor and a reviewer per team,
and lets the teams run complete sub-task lifecycles as agents driven by the upstream CLI do: plan →
claim → start → log → submit → rejected review (score 2) → read the review → reflect → start →
submit → approved review (score 5). Executors and reviewers take work from the shared queues, so
they race; a 409 on a claim or a review is the expected answer for the loser.

The agents run in a closed loop: each one waits for its answer, then sends its next request. They
pause only when there is no work. This keeps the local server saturated, so the rate is its capacity
on that machine and the latencies are mostly queueing.

The numbers come from a local \`wrangler dev\`. They measure the Worker's own cost and its D1 work.
Rows read and written are what D1 bills. They are not production latencies, and the benchmark client
runs on the same machine as the server. Anything else running on that machine lowers the rate; the
load average recorded with each run shows how busy it was.`;

export function storageContext({ startedAt, elapsedS, loadBefore, options: config }: LoadRun): string {
  const m = machineInfo(loadBefore);
  return `- Date: ${startedAt.toISOString()}; ${m.cpu}; ${m.memory} RAM; 1-minute load average ${m.load} before the run
- Load: ${config.teams} teams, ${Number.isFinite(config.durationS) ? `${config.durationS} s of planning` : "no time limit"}, ${elapsedS.toFixed(0)} s in all; notifications: no channel`;
}

export const STORAGE_INTRO = `### Storage per completed sub-task

Issue 14 asks that D1 storage grow in proportion to the work done, not faster: the load scenario samples
the local D1 database's size every ${BUCKET_S} s with the number of sub-tasks completed so far, and
reads every table's rows and bytes once the server has stopped. SQLite grows in pages and the WAL is
checkpointed in bursts, so single deltas jump; the verdict compares least-squares slopes (bytes over
completed sub-tasks) of the later half of the run against the whole run. Flat means within ±20%; the
bench fails only when the later half's slope is above 2× the earlier half's (clearly super-linear:
bytes ∝ done² gives 3×). Notifications have no channel in this scenario, so
their tables must stay empty.`;
