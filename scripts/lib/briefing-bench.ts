// The briefing scenario of `npm run bench`: what GET /api/agents/me/briefing costs each role as the
// database grows, and proof that its D1 rows read follow the open work, not the history.
//
// One fresh server is initialized and given a planner, two executors, a reviewer and a patrol
// through the API; its state directory is then copied into three databases. All three get the same
// tasks and open sub-tasks (patrol-seed's activeSql) plus what the briefing shows besides (below:
// review rounds on held sub-tasks, reflections and journal lines, rules, tasks still to decompose);
// they differ only in history: patrol-seed's historySql and the review rounds, journal lines and
// sub-task rules of those finished sub-tasks, enough terminal sub-tasks to hold 1×, 10× and 100× the
// open ones (1k, 10k and 100k sub-tasks by default). On each, wrangler dev runs with
// --test-scheduled; the cron runs once (it opens the patrol records the patrol's queue lists and
// blocks the critical timeouts the planner's queue lists), then every role calls the briefing three
// times and the medians of its x-d1-* headers, client wall time and body size are kept.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Role } from "../../contract/vocabulary.ts";
import { DevServer } from "./dev-server.ts";
import { Client, type D1Usage } from "./http.ts";
import { initializedState, median, seededCopy, table } from "./patrol-bench.ts";
import { activeSql, historySql, type SeedAgents } from "./patrol-seed.ts";
import { machineInfo, num, wranglerVersion } from "./report.ts";

const CALLS = 3;
const BRIEFING = "/api/agents/me/briefing?cli_version=3";
const ROLES: readonly Role[] = ["planner", "executor", "reviewer", "patrol"];
/** The queue lists each role's briefing carries. */
const QUEUES: Record<Role, string[]> = {
  planner: ["blocked", "tasks_to_decompose", "recently_completed"],
  executor: ["available"],
  reviewer: ["awaiting_review"],
  patrol: ["open_anomalies"],
};
/** Open tasks with no sub-task: the planner's tasks_to_decompose (the seeded tasks all have some). */
const NEW_TASKS = 5;

const q = (s: string | undefined) => `'${String(s).replaceAll("'", "''")}'`;
const ago = (ref: string, minutes: number) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${q(ref)}, '-${minutes} minutes')`;
/** The number in a seeded id (`bench-st-open-000123` → 123, `bench-task-00042` → 42 with digits 5). */
const seq = (col: string, digits = 6) => `cast(substr(${col}, -${digits}) as integer)`;
const HELD_SQL = "('assigned', 'in_progress', 'review', 'rework', 'blocked')";

/**
 * What the briefing reads beyond patrol-seed's open work, identical in every database: review
 * rounds on a third of the held sub-tasks (all rounds of the reworked ones), reflections and
 * journal lines of every agent, a fifth recent score change, task and sub-task rules, and tasks
 * still to decompose.
 */
/** Ids of the registered agents the seeded rows name. */
interface BriefingAgents extends SeedAgents {
  reviewer: string;
  patrol: string;
}

/** The lists of GET /api/agents/me/briefing that this bench counts. */
interface Briefing {
  my_sub_tasks: { latest_review?: unknown }[];
  queue: Record<string, unknown[] | undefined>;
  reflections: unknown[];
  recent_score_changes: unknown[];
  truncated?: boolean;
}

/** One measured call. */
interface BriefingCall {
  ms: number;
  d1: D1Usage | null;
  bytes: number;
  sizes: Record<string, number>;
  truncated: boolean | undefined;
}

/** One role in one database: medians of its calls. */
interface RoleFigures {
  rowsRead: number;
  queries: number;
  ms: number;
  bytes: number;
  sizes: Record<string, number>;
  truncated: boolean | undefined;
  calls: BriefingCall[];
}

interface BriefingCase {
  total: number;
  terminal: number;
  label: string;
  short: string;
  state: string;
  seedMs: number;
  cronMs: number;
  roles: Record<Role, RoleFigures>;
}

export type BriefingResult = Awaited<ReturnType<typeof runBriefingScenario>>;

function briefingActiveSql({ ref, agents }: { ref: string; agents: BriefingAgents }): string {
  // [agent, reflections]
  const refl: [string | undefined, number][] = [
    [agents.executors[0], 8],
    [agents.executors[1], 3],
    [agents.reviewer, 2],
    [agents.planner, 2],
    [agents.patrol, 2],
  ];
  return `-- ${NEW_TASKS} planning tasks without sub-tasks
insert into task (id, name, description, type, status, created_at, updated_at)
with recursive n(i) as (select 0 union all select i + 1 from n where i + 1 < ${NEW_TASKS})
select printf('bench-task-new-%02d', i), 'New bench task ' || i, 'To decompose', 'once', 'planning', ${ago(ref, 30)}, ${ago(ref, 30)} from n;

-- review rounds of held open sub-tasks: 1..rework_count for reworked ones, round 1 for every third other
insert into review_record (id, sub_task_id, reviewer_agent, round, result, score, issues, comment, rework_agent, created_at)
select s.id || '-review-' || r.k, s.id, ${q(agents.reviewer)}, r.k, 'rejected', 2, 'The report misses the acceptance criterion.',
  'Please fix.', s.assigned_agent, s.updated_at
from sub_task s join (select 1 k union all select 2 union all select 3 union all select 4) r
  on r.k <= max(s.rework_count, 1)
where s.id like 'bench-st-open-%' and s.status in ${HELD_SQL} and (s.rework_count > 0 or ${seq("s.id")} % 3 = 0);

-- one journal line per open sub-task in progress, and each agent's recent reflections
insert into activity_log (id, agent_id, sub_task_id, action, summary, session_id, created_at)
select s.id || '-log', s.assigned_agent, s.id, 'log', 'Working on it', s.current_session_id, s.updated_at
from sub_task s where s.id like 'bench-st-open-%' and s.status = 'in_progress';
insert into activity_log (id, agent_id, sub_task_id, action, summary, session_id, created_at) values
${refl.flatMap(([a, n]) => Array.from({ length: n }, (_, i) => `  (${q(`bench-reflection-${a}-${i}`)}, ${q(a)}, null, 'reflection', 'What I learned ${i}', null, ${ago(ref, 60 + 90 * i)})`)).join(",\n")};

-- a fifth recent score change of executor 1 (older than patrol-seed's four), so that its five latest
-- are recent in every database rather than some from history
insert into reward_log (id, agent_id, sub_task_id, reason, score_delta, created_at) values
  ('bench-reward-briefing-0', ${q(agents.executors[0])}, null, 'review approved', 5, ${ago(ref, 60)});

-- a rule for every tenth task and every twentieth open sub-task
insert into rule (id, scope, task_id, sub_task_id, content, created_at, updated_at)
select t.id || '-rule', 'task', t.id, null, 'Task rule of ' || t.id, t.created_at, t.created_at
from task t where t.id glob 'bench-task-[0-9]*' and ${seq("t.id", 5)} % 10 = 0;
insert into rule (id, scope, task_id, sub_task_id, content, created_at, updated_at)
select s.id || '-rule', 'sub_task', null, s.id, 'Sub-task rule of ' || s.id, s.created_at, s.created_at
from sub_task s where s.id like 'bench-st-open-%' and ${seq("s.id")} % 20 = 0;
`;
}

/**
 * The briefing's share of history, derived from historySql's terminal sub-tasks: their review
 * rounds (round 1, and an approving round 2 after a rework), a journal line each and a reflection
 * for one in five, and a sub-task rule for one in fifty.
 */
function briefingHistorySql({ agents, terminal }: { agents: BriefingAgents; terminal: number }): string {
  if (terminal <= 0) return "";
  const done = "s.id like 'bench-st-done-%'";
  return `-- review rounds of the terminal sub-tasks
insert into review_record (id, sub_task_id, reviewer_agent, round, result, score, issues, comment, rework_agent, created_at)
select s.id || '-review-1', s.id, ${q(agents.reviewer)}, 1,
  case when s.rework_count > 0 or s.status = 'cancelled' then 'rejected' else 'approved' end,
  case when s.rework_count > 0 or s.status = 'cancelled' then 2 else 5 end, '', 'Seeded history', null, s.started_at
from sub_task s where ${done};
insert into review_record (id, sub_task_id, reviewer_agent, round, result, score, issues, comment, rework_agent, created_at)
select s.id || '-review-2', s.id, ${q(agents.reviewer)}, 2, 'approved', 5, '', 'Seeded history', null, s.updated_at
from sub_task s where ${done} and s.rework_count > 0 and s.status = 'done';

-- their journal: a line each, a reflection for one in five (both executors)
insert into activity_log (id, agent_id, sub_task_id, action, summary, session_id, created_at)
select s.id || '-log', s.assigned_agent, s.id, 'log', 'Delivered', null, s.updated_at from sub_task s where ${done};
insert into activity_log (id, agent_id, sub_task_id, action, summary, session_id, created_at)
select s.id || '-reflection', s.assigned_agent, s.id, 'reflection', 'An old lesson', null, s.updated_at
from sub_task s where ${done} and ${seq("s.id")} % 5 = 4;

-- a rule for one in fifty
insert into rule (id, scope, task_id, sub_task_id, content, created_at, updated_at)
select s.id || '-rule', 'sub_task', null, s.id, 'Sub-task rule of ' || s.id, s.created_at, s.created_at
from sub_task s where ${done} and ${seq("s.id")} % 50 = 0;
`;
}

/** The list sizes of one briefing, by list name. */
function listSizes(role: Role, b: Briefing): Record<string, number> {
  const sizes: Record<string, number> = {
    my_sub_tasks: b.my_sub_tasks.length,
    latest_review: b.my_sub_tasks.filter((s) => s.latest_review).length,
  };
  for (const k of QUEUES[role]) sizes[k] = b.queue[k]?.length ?? NaN;
  sizes.reflections = b.reflections.length;
  sizes.score_changes = b.recent_score_changes.length;
  return sizes;
}

/** 1000 → "1k", 100000 → "100k" (column headings). */
const short = (n: number) => (n % 1000 === 0 ? `${n / 1000}k` : num(n));

export async function runBriefingScenario({
  workDir,
  port,
  active,
  tasks,
  maxRatio,
  log,
  scales = [1, 10, 100],
}: {
  /** A temporary directory for the state copies, SQL files and wrangler.log. */
  workDir: string;
  /** Preferred port. */
  port: number;
  /** Open sub-tasks in every database (a multiple of 100). */
  active: number;
  tasks: number;
  /** The largest database may read at most this many times the smallest one's rows. */
  maxRatio: number;
  log: (msg: string) => void;
  /** Sub-tasks in all, as multiples of `active`. */
  scales?: number[];
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
    });

  // 1. A fresh server, initialized, with one agent of every role (two executors) registered through the API.
  const baseState = path.join(workDir, "state-base");
  const r = await initializedState({
    state: baseState,
    logFile,
    serverFor,
    setupToken,
    project: "Bench briefing",
    log: (m) => log(`briefing: ${m}`),
    agents: [
      ["planner", "planner"],
      ["executor-1", "executor"],
      ["executor-2", "executor"],
      ["reviewer", "reviewer"],
      ["patrol", "patrol"],
    ],
  });
  const agent = (name: string) => r[name]!; // registered just above
  const agents: BriefingAgents = {
    planner: agent("planner").id,
    executors: [agent("executor-1").id, agent("executor-2").id],
    reviewer: agent("reviewer").id,
    patrol: agent("patrol").id,
  };
  const keys: Record<Role, string> = {
    planner: agent("planner").api_key,
    executor: agent("executor-1").api_key,
    reviewer: agent("reviewer").api_key,
    patrol: agent("patrol").api_key,
  };

  // 2. Copies of that state, seeded the same way except for history.
  const ref = new Date().toISOString();
  const cases: BriefingCase[] = scales.map((scale) => {
    const total = active * scale;
    return {
      total,
      terminal: active * (scale - 1),
      label: `${num(total)} sub-tasks`,
      short: short(total),
      state: path.join(workDir, `state-${total}`),
      seedMs: 0,
      cronMs: 0,
      roles: {} as Record<Role, RoleFigures>, // every role is measured below
    };
  });
  for (const c of cases) {
    log(`briefing: seeding ${c.label} (${num(active)} open, ${num(c.terminal)} terminal)`);
    c.seedMs = await seededCopy(
      baseState,
      c.state,
      path.join(workDir, `seed-${c.total}.sql`),
      [
        activeSql({ ref, tasks, active, agents }),
        briefingActiveSql({ ref, agents }),
        historySql({ ref, tasks, terminal: c.terminal, agents }),
        briefingHistorySql({ agents, terminal: c.terminal }),
      ].join("\n"),
      logFile,
    );
  }

  // 3. Measure each: one cron run, then the briefing three times per role.
  for (const c of cases) {
    const server = serverFor(c.state);
    try {
      const api = new Client(await server.start());
      log(`briefing: ${c.label}: running the cron once at ${api.base}`);
      c.cronMs = (await api.request("GET", "/__scheduled?cron=*+*+*+*+*")).ms;
      for (const role of ROLES) {
        const calls: BriefingCall[] = [];
        for (let i = 0; i < CALLS; i++) {
          const r = await api.request<Briefing>("GET", BRIEFING, { key: keys[role] });
          calls.push({
            ms: r.ms,
            d1: r.d1,
            bytes: Buffer.byteLength(JSON.stringify(r.json)),
            sizes: listSizes(role, r.json),
            truncated: r.json.truncated,
          });
        }
        const m = (pick: (x: BriefingCall) => number) => median(calls.map(pick));
        const first = calls[0]!; // CALLS > 0
        const figures: RoleFigures = {
          rowsRead: m((x) => x.d1?.rowsRead ?? NaN),
          queries: m((x) => x.d1?.queries ?? NaN),
          ms: m((x) => x.ms),
          bytes: m((x) => x.bytes),
          sizes: first.sizes,
          truncated: first.truncated,
          calls,
        };
        c.roles[role] = figures;
        log(
          `briefing: ${c.label}: ${role}: ${figures.rowsRead} rows read, ${figures.queries} queries, ${figures.ms.toFixed(0)} ms`,
        );
      }
    } finally {
      await server.stop({ onSlow: () => log("wrangler did not stop within 10 s; killing it") });
    }
  }

  const elapsedS = (performance.now() - t0) / 1000;
  const [smallest, largest] = [cases[0]!, cases.at(-1)!]; // scales is never empty
  const comparisons = ROLES.map((role) => {
    const small = smallest.roles[role].rowsRead;
    const large = largest.roles[role].rowsRead;
    const ratio = large / small;
    return { role, small, large, ratio, ok: Number.isFinite(ratio) && ratio <= maxRatio };
  });
  return {
    startedAt,
    elapsedS,
    loadBefore,
    active,
    tasks,
    maxRatio,
    cases,
    smallest,
    largest,
    problems: verify(cases),
    comparisons,
    pass: comparisons.every((x) => x.ok),
  };
}

/** The same open work must give the same lists in every database, and every list the run is about must be filled. */
function verify(cases: BriefingCase[]): string[] {
  const problems: string[] = [];
  const [smallest] = cases as [BriefingCase];
  const sizesText = (s: Record<string, number>) =>
    Object.entries(s)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
  for (const role of ROLES) {
    const first = sizesText(smallest.roles[role].sizes);
    for (const c of cases.slice(1)) {
      const got = sizesText(c.roles[role].sizes);
      if (got !== first) problems.push(`${role}: lists differ: ${smallest.label}: ${first}; ${c.label}: ${got}`);
    }
    for (const c of cases) {
      const mismatched = c.roles[role].calls.filter((x) => sizesText(x.sizes) !== sizesText(c.roles[role].sizes));
      if (mismatched.length) problems.push(`${role}: ${c.label}: the three calls returned different lists`);
    }
    for (const k of QUEUES[role])
      if (!((smallest.roles[role].sizes[k] ?? 0) > 0))
        problems.push(`${role}: queue.${k} is empty, so the benchmark does not exercise it`);
  }
  const exec = smallest.roles.executor.sizes;
  const filled = (k: string) => (exec[k] ?? 0) > 0;
  if (!(filled("my_sub_tasks") && filled("latest_review") && filled("reflections") && filled("score_changes"))) {
    problems.push(
      `executor: expected held sub-tasks with reviews, reflections and score changes, got ${sizesText(exec)}`,
    );
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Report.

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
