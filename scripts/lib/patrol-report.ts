// The patrol scenario's report: printed text and the docs/benchmarks.md section.
import { type CronLine, countKinds, type PatrolCase, type PatrolResult } from "./patrol-bench.ts";
import { OPEN_GROUPS } from "./patrol-seed.ts";
import { machineInfo, median, num, table, wranglerVersion } from "./report.ts";

const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : "–");

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
