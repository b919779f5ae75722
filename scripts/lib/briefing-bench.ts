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
import os from "node:os";
import type { Role } from "../../contract/vocabulary.ts";
import { type BriefingAgents, briefingActiveSql, briefingHistorySql } from "./briefing-seed.ts";
import { Client, type D1Usage } from "./http.ts";
import { activeSql, historySql } from "./patrol-seed.ts";
import { median, num } from "./report.ts";
import { SeededStates } from "./seeded-state.ts";

export { BRIEFING_INTRO, briefingMarkdown, briefingText, briefingVerdict } from "./briefing-report.ts";

const CALLS = 3;
export const BRIEFING = "/api/agents/me/briefing?cli_version=3";
export const ROLES: readonly Role[] = ["planner", "executor", "reviewer", "patrol"];
/** The queue lists each role's briefing carries. */
const QUEUES: Record<Role, string[]> = {
  planner: ["blocked", "tasks_to_decompose", "recently_completed"],
  executor: ["available"],
  reviewer: ["awaiting_review"],
  patrol: ["open_anomalies"],
};
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
export interface RoleFigures {
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
  const states = new SeededStates({ workDir, port });

  // 1. A fresh server, initialized, with one agent of every role (two executors) registered through the API.
  const r = await states.initialize({
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
      state: states.statePath(total),
      seedMs: 0,
      cronMs: 0,
      roles: {} as Record<Role, RoleFigures>, // every role is measured below
    };
  });
  for (const c of cases) {
    log(`briefing: seeding ${c.label} (${num(active)} open, ${num(c.terminal)} terminal)`);
    c.seedMs = await states.seedCopy(
      c.total,
      [
        activeSql({ ref, tasks, active, agents }),
        briefingActiveSql({ ref, agents }),
        historySql({ ref, tasks, terminal: c.terminal, agents }),
        briefingHistorySql({ agents, terminal: c.terminal }),
      ].join("\n"),
    );
  }

  // 3. Measure each: one cron run, then the briefing three times per role.
  for (const c of cases) {
    const server = states.serverFor(c.state);
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
