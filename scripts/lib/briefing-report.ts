// The briefing scenario's report: printed text and the docs/benchmarks.md section.
import { BRIEFING, type BriefingResult, ROLES, type RoleFigures } from "./briefing-bench.ts";
import { NEW_TASKS } from "./briefing-seed.ts";
import { machineInfo, num, table, wranglerVersion } from "./report.ts";

const int = (x: number) => (Number.isFinite(x) ? num(x) : "–");
const ratioText = (a: number, b: number) => (Number.isFinite(b / a) ? `${(b / a).toFixed(2)}×` : "–");

type Measure<T> = [what: string, get: (r: RoleFigures) => T, format: (x: T) => string, ratio: boolean];

function measuredRows(result: BriefingResult): string[][] {
  const { cases } = result;
  const rows: string[][] = [];
  for (const role of ROLES) {
    const lists = Object.keys(result.smallest.roles[role].sizes);
    const measures: Measure<number | string>[] = [
      ["D1 rows read (median of 3)", (r) => r.rowsRead, (x) => int(Number(x)), true],
      ["D1 queries", (r) => r.queries, (x) => int(Number(x)), true],
      ["wall ms, client (median of 3)", (r) => r.ms, (x) => int(Number(x)), true],
      ["response bytes", (r) => r.bytes, (x) => int(Number(x)), true],
      [
        `items: ${lists.join(" · ")}`,
        (r) => lists.map((k) => r.sizes[k]).join(" · ") + (r.truncated ? " (truncated)" : ""),
        String,
        false,
      ],
    ];
    for (const [what, get, f, ratio] of measures) {
      const values = cases.map((c) => get(c.roles[role]));
      const same = values.every((v) => v === values[0]);
      const ratioCell = ratio ? ratioText(Number(values[0]), Number(values.at(-1))) : same ? "same" : "DIFFER";
      rows.push([role, what, ...values.map(f), ratioCell]);
    }
  }
  return rows;
}

export function briefingVerdict(result: BriefingResult): string {
  const worst = result.comparisons.reduce((a, b) => (b.ratio > a.ratio || !Number.isFinite(b.ratio) ? b : a));
  const { smallest: small, largest: large } = result;
  const head = `${result.pass ? "PASS" : "FAIL"}: briefing rows read with ${num(large.total)} sub-tasks are at most ${worst.ratio.toFixed(2)}× those with ${num(small.total)} (${worst.role}; limit ${result.maxRatio}×)`;
  const over = result.comparisons.filter((x) => !x.ok);
  return over.length
    ? `${head}; over the limit: ${over.map((x) => `${x.role} ${num(x.small)} → ${num(x.large)} rows`).join(", ")}`
    : head;
}

const headings = (result: BriefingResult) => [
  "Role",
  "Measured",
  ...result.cases.map((c) => c.label),
  `${result.largest.short} ÷ ${result.smallest.short}`,
];

export function briefingMarkdown(result: BriefingResult): string {
  const m = machineInfo(result.loadBefore);
  const { cases } = result;
  const rows = measuredRows(result).map(([role = "", what = "", ...rest]) => [
    role,
    what.replace(
      /^items: (.*)$/,
      (_, l: string) =>
        `items: ${l
          .split(" · ")
          .map((x) => `\`${x}\``)
          .join(" · ")}`,
    ),
    ...rest,
  ]);
  return `### Latest run

- Date: ${result.startedAt.toISOString()}
- Machine: ${m.cpu}; ${m.memory} RAM; ${m.os}; 1-minute load average ${m.load} before the run
- Node ${process.version}; wrangler ${wranglerVersion()} (\`wrangler dev --test-scheduled\`, local D1 and Durable Objects)
- Every database: ${num(result.tasks + NEW_TASKS)} tasks (${NEW_TASKS} of them still to decompose), a planner, 2 executors, a reviewer and a patrol, ${num(result.active)} open sub-tasks (the patrol scenario's mix) with review rounds, journal lines, reflections and rules; the cron ran once before measuring
- History: ${cases.map((c) => `${num(c.terminal)} terminal sub-tasks (${c.label})`).join(", ")}, each with its ledger, review rounds, journal line and the patrol scenario's resolved records, notifications and request-log rows
- Seeding with \`wrangler d1 execute --file\`: ${cases.map((c) => `${(c.seedMs / 1000).toFixed(1)} s (${c.short})`).join(", ")}; cron run before measuring: ${cases.map((c) => `${(c.cronMs / 1000).toFixed(1)} s (${c.short})`).join(", ")}; whole scenario ${result.elapsedS.toFixed(0)} s
- **${briefingVerdict(result)}**
- Lists: ${result.problems.length ? `UNEXPECTED: ${result.problems.join("; ")}` : "the same in every database, every role's queue filled"}

\`GET ${BRIEFING}\`, one key per role (executor 1 for the executors):

${table(headings(result), ["l", "l", "r", "r", "r", "r"], rows)}`;
}

export function briefingText(result: BriefingResult): string {
  const head = headings(result);
  const rows = measuredRows(result);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [
    `OpenMOSS Edge briefing benchmark: ${num(result.active)} open sub-tasks; ${result.cases.map((c) => num(c.total)).join(" / ")} sub-tasks in all (${result.elapsedS.toFixed(0)} s)`,
    "",
    line(head),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.map(line),
    "",
    result.problems.length
      ? `Unexpected: ${result.problems.join("; ")}`
      : "Lists: the same in every database, every role's queue filled.",
    briefingVerdict(result),
  ].join("\n");
}

export const BRIEFING_INTRO = `## Briefing

\`npm run bench -- --scenario briefing\` measures \`GET /api/agents/me/briefing\`, the one call an
agent makes when it wakes up, for every role as the database grows. A fresh server gets a planner,
two executors, a reviewer and a patrol through the API; its state is then copied into three
databases seeded directly in SQLite (\`wrangler d1 execute --file\`) with the patrol scenario's 1,000
tasks and 1,000 open sub-tasks, plus what the briefing shows: review rounds on held sub-tasks,
reflections, journal lines, task and sub-task rules and a few tasks still to decompose. Only the
history differs: 0, 9,000 and 99,000 terminal sub-tasks, each with its ledger row, review rounds,
journal line and some rules, besides the patrol scenario's resolved records, notifications and
request-log rows, so that the databases hold 1,000, 10,000 and 100,000 sub-tasks. On each, the cron
runs once (opening the patrol records and blocking the critical timeouts), then each role calls the
briefing three times; rows read and queries come from the \`x-d1-*\` headers (medians). The run
fails when any role reads more than 1.2× the rows at 100,000 sub-tasks than at 1,000, or when the
lists differ between the databases.`;
