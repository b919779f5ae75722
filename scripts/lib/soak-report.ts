// The soak scenario's report: printed text and the docs/benchmarks.md section.
import { machineInfo, median, num, table, wranglerVersion } from "./report.ts";
import type { SoakResult } from "./soak-bench.ts";
import type { Integrity } from "./soak-checks.ts";
import { BUCKET_S, RACE_CODES } from "./soak-client.ts";

const pct = (sorted: number[], p: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;
const ms0 = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x.toFixed(0) : "–");

type Row = Record<(typeof COLUMNS)[number][0], string>;

function endpointRows(result: SoakResult): Row[] {
  const total = result.recorder.requests;
  return [...result.recorder.endpoints.values()]
    .sort((x, y) => y.latencies.length - x.latencies.length || x.key.localeCompare(y.key))
    .map((s) => {
      const lat = [...s.latencies].sort((x, y) => x - y);
      return {
        endpoint: s.key,
        calls: num(lat.length),
        share: `${((100 * lat.length) / total).toFixed(1)} %`,
        p50: ms0(median(lat)),
        p99: ms0(pct(lat, 99)),
        max: ms0(lat.at(-1)),
        ok: num(s.ok),
        race: num(s.race),
        client: num(s.client),
        server: num(s.server),
        rows: s.d1 ? num(s.rowsRead / s.d1) : "–",
      };
    });
}

/** [row field, heading, alignment] of the endpoint table. */
const COLUMNS = [
  ["endpoint", "Endpoint", "l"],
  ["calls", "Calls", "r"],
  ["share", "Share", "r"],
  ["p50", "p50 ms", "r"],
  ["p99", "p99 ms", "r"],
  ["max", "max ms", "r"],
  ["ok", "2xx", "r"],
  ["race", "Races", "r"],
  ["client", "Other 4xx", "r"],
  ["server", "5xx / network", "r"],
  ["rows", "D1 rows read", "r"],
] as const;

const mix = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([role, n]) => `${n} ${role}s`)
    .join(", ");
const throughput = (r: SoakResult) => r.recorder.requests / r.elapsedS;
const races = (r: SoakResult) =>
  [...r.recorder.races]
    .sort((x, y) => y[1] - x[1])
    .map(([k, n]) => `${num(n)} × ${k}`)
    .join(", ") || "none";
const series = (r: SoakResult) =>
  r.recorder.buckets.map((b, i) => {
    const span = Math.min(BUCKET_S, r.elapsedS - i * BUCKET_S);
    return { rps: span > 0 ? b.requests / span : 0, p50: median(b.latencies) };
  });

function failureLines(result: SoakResult): string[] {
  return [...result.recorder.failures].map(([what, f]) => `${num(f.count)} × ${what}: ${f.body}`);
}

function integrityLine(i: Integrity): string {
  if (i.notChecked) return "not checked";
  if (!i.available) return "integrity endpoint not available (GET /api/admin/integrity answered 404); skipped";
  if (i.error) return `GET /api/admin/integrity FAILED: ${i.error}`;
  const checked = Object.entries(i.checked ?? {})
    .map(([k, v]) => `${k} ${typeof v === "number" ? num(v) : JSON.stringify(v)}`)
    .join(", ");
  return `GET /api/admin/integrity: ok ${i.ok}, ${num(i.total ?? 0)} violation(s); checked ${checked || "–"}`;
}

function ledgerLines(result: SoakResult): string[] {
  const { checked: c } = result;
  const t = c.totals;
  return [
    `journal: ${num(c.logs.acked)} acknowledged \`POST /api/logs\` of ${num(c.logs.agents)} agents, ${num(c.logs.stored)} stored (\`GET /api/admin/logs\` per agent, compared by id)`,
    `sub-task histories: ${num(c.events.acked)} acknowledged creates and transitions on ${num(c.events.subTasks)} sub-tasks, ${num(c.events.stored)} agent events stored (\`GET /api/sub-tasks/{id}/events\`, compared per sub-task by op and agent; every history a chain ending in the sub-task's status), plus ${num(c.systemEvents)} by the cron`,
    `totals acknowledged / stored: ${Object.entries(t)
      .map(([k, [a, s]]) => `${k.replace("_", " ")} ${num(a)} / ${num(s)}`)
      .join(", ")}`,
    `retries: ${num(result.recorder.replays.sent)} acknowledged mutating calls sent again with the same Idempotency-Key, ${num(result.recorder.replays.sent - result.recorder.replays.mismatched.length)} answered from the store (Idempotent-Replayed, same status and body); ${num(result.recorder.retries)} attempts retried after a network error or 502/503/504, as the CLI does; ${num(c.unacknowledged)} stored writes whose call got no answer`,
  ];
}

function work(result: SoakResult): string {
  const k = result.ledger.counts;
  const subTasks = result.checked.totals.sub_tasks?.[0] ?? result.ledger.transitions.size;
  const statuses = Object.entries(result.checked.byStatus)
    .sort((x, y) => y[1] - x[1])
    .map(([s, n]) => `${num(n)} ${s}`)
    .join(", ");
  return `${num(result.ledger.tasks.size)} tasks with ${num(result.ledger.modules)} modules and ${num(subTasks)} sub-tasks; ${num(k.claims)} claims won, ${num(k.starts)} starts, ${num(k.submits)} submissions, ${num(k.approved)} approved and ${num(k.rejected)} rejected reviews, ${num(k.blocks)} blocked by patrols, ${num(k.reassigns)} reassigned by planners; at the end ${statuses}`;
}

function verdict(result: SoakResult): string {
  const t = result.totals;
  const bad: string[] = [];
  if (t.server) bad.push(`${num(t.server)} 5xx/network error(s)`);
  if (t.client) bad.push(`${num(t.client)} unexpected 4xx`);
  if (result.checked.problems.length) bad.push(`${result.checked.problems.length} failed check(s)`);
  return bad.length
    ? `FAIL: ${bad.join(", ")}`
    : "PASS: no 5xx, no network error, no unexpected 4xx, and every acknowledged write is stored";
}

export function soakMarkdown(result: SoakResult): string {
  const m = machineInfo(result.loadBefore);
  const t = result.totals;
  const s = series(result);
  const cronMs = result.cronRuns.map((c) => c.ms);
  const cronD1 = result.cron.map((l) => l.ms).filter(Number.isFinite);
  return `### Latest run

- Date: ${result.startedAt.toISOString()}
- Machine: ${m.cpu}; ${m.memory} RAM; ${m.os}; 1-minute load average ${m.load} before the run, ${result.loadAfter.toFixed(2)} at its end
- Node ${process.version}; wrangler ${wranglerVersion()} (\`wrangler dev --test-scheduled\`, local D1 and Durable Objects); client and server on the same machine
- Agents: ${num(result.agents)} (${mix(result.counts)}), registered through the API in ${result.setupS.toFixed(1)} s
- Load: ${result.durationS} s (${result.elapsedS.toFixed(1)} s until the last call in flight returned), **${num(result.recorder.requests)} requests → ${throughput(result).toFixed(1)} requests/s**
- Per ${BUCKET_S} s: requests/s ${s.map((b) => b.rps.toFixed(0)).join(" · ")}; p50 ms ${s.map((b) => ms0(b.p50)).join(" · ")}
- Cron: ${result.cronRuns.length} runs through \`/__scheduled\` (every ${result.cronEveryS} s) during the load, client p50 ${ms0(median(cronMs))} ms, Worker p50 ${ms0(median(cronD1))} ms; ${result.cron.filter((l) => l.failed?.length).length} with a failed step
- Work done: ${work(result)}
- Answers: ${num(t.ok)} 2xx, ${num(t.race)} expected races (${races(result)}), ${num(t.client)} other 4xx, ${num(t.server)} 5xx or network errors
- Integrity: ${integrityLine(result.checked.integrity)}
${ledgerLines(result)
  .map((l) => `- Ledger: ${l}`)
  .join("\n")}
- **${verdict(result)}**${result.checked.problems.length ? `\n- Failed checks: ${result.checked.problems.join("; ")}` : ""}${failureLines(result).length ? `\n- Errors: ${failureLines(result).slice(0, 10).join("; ")}` : ""}

Latencies are client wall times (request sent → body read) in milliseconds; D1 rows read is the mean
of the \`x-d1-rows-read\` header. Races are refusals that say the state changed first (409 ${[...RACE_CODES].join(", ")}; 403 not_owner after a reassign).

${table(
  COLUMNS.map(([, h]) => h),
  COLUMNS.map(([, , a]) => a),
  endpointRows(result).map((r) => COLUMNS.map(([k]) => (k === "endpoint" ? `\`${r[k]}\`` : r[k]))),
)}`;
}

export function soakText(result: SoakResult): string {
  const rows = endpointRows(result);
  const widths = COLUMNS.map(([k, h]) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (COLUMNS[i]?.[2] === "r" ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ");
  const t = result.totals;
  return [
    `OpenMOSS Edge soak: ${result.agents} agents (${mix(result.counts)}), ${result.elapsedS.toFixed(1)} s, ${result.recorder.requests} requests, ${throughput(result).toFixed(1)} requests/s`,
    `Work: ${work(result)}`,
    `Answers: ${t.ok} 2xx, ${t.race} expected races (${races(result)}), ${t.client} other 4xx, ${t.server} 5xx/network`,
    `Cron: ${result.cronRuns.length} runs, ${result.cron.filter((l) => l.failed?.length).length} with a failed step`,
    "",
    line(COLUMNS.map(([, h]) => h)),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.map((r) => line(COLUMNS.map(([k]) => r[k]))),
    "",
    `Integrity: ${integrityLine(result.checked.integrity)}`,
    ...ledgerLines(result).map((l) => `Ledger: ${l.replaceAll("`", "")}`),
    ...(failureLines(result).length ? ["", "Errors:", ...failureLines(result).map((l) => `  ${l}`)] : []),
    ...(result.checked.problems.length ? ["", "Failed checks:", ...result.checked.problems.map((p) => `  ${p}`)] : []),
    "",
    verdict(result),
  ].join("\n");
}

export const SOAK_INTRO = `## Soak

\`npm run bench -- --scenario soak\` puts a crowd of agents of every role on one local Worker at
once and then checks that nothing it acknowledged was lost. A fresh \`wrangler dev
--test-scheduled\` is initialized and gets 200 agents through \`POST /api/agents/register\`: 20
planners, 140 executors, 25 reviewers and 15 patrols (\`--soak-agents\` scales the mix). For 60 s
(\`--soak-duration\`; the agents' first wake-ups are spread over 5 s) each agent wakes up again and
again with small random pauses, and each wake-up starts with the briefing and goes on with its
role's work: planners keep a backlog of about 80 pending sub-tasks (task set active, one or two
modules, 3–6 sub-tasks of which some depend on an earlier one, sometimes a task rule), follow their
tasks and reassign blocked sub-tasks, resolving their patrol records; executors take up rework
(reading the review and logging a reflection), reassigned and unfinished work, or claim from
\`/available\` (one of the first ten), start, log coding, work for 1–3 s (6 % for 13–22 s), log the
delivery and submit; reviewers pick a submission, read its log and approve or reject with a score of
1–5; patrols heartbeat, run \`/api/patrol/check\`, list the open records and block in-progress work
that has not moved for 12 s, filing a record. Everybody reads the journal, the leaderboard and the
rules now and then. Calls go out as the CLI sends them: every mutating one with an
\`Idempotency-Key\`, and retried with it after a network error or a 502/503/504; 3 % of the
acknowledged mutating calls are also sent again with the same key. The cron runs every 10 s
(\`--cron-every\`) through \`/__scheduled\` while the agents work.

Races (409 when another agent changed the state first, 403 \`not_owner\` for an executor whose
blocked sub-task was just reassigned) are expected answers; any other 4xx, any 5xx and any network
error fail the run. After the load stops the scenario calls \`GET /api/admin/integrity\` (when the
server has it) and compares its own ledger with what the server stores: every acknowledged journal
entry of every agent (by id), every acknowledged create and transition of every sub-task (its
events, which must also form a chain ending in the sub-task's status), the totals of tasks,
sub-tasks, review records and task rules, and the calls sent twice (answered from the store, so
nothing happened twice). The run also fails when wrangler reloads the Worker during the load (a file
of the project changed), since its figures would not be representative. The agents, the benchmark
client and the server share the machine, so the rate is what that machine sustains with everything
on it, and the latencies include queueing.`;
