// The soak scenario of `npm run bench`: a crowd of agents of every role working at once against one
// local Worker for a fixed time, then proof that nothing they were told had happened got lost.
//
// One fresh `wrangler dev --test-scheduled` is initialized through the API and gets its agents
// through POST /api/agents/register (by default 200: 20 planners, 140 executors, 25 reviewers and
// 15 patrols). Each agent then loops until the time is up, waking up with small jittered pauses and
// doing what its role does on a wake-up, always starting with the briefing:
//   planner   keeps a backlog: creates tasks (active), modules and sub-tasks, some with depends_on;
//             sometimes writes a task rule; follows its tasks; reassigns blocked sub-tasks to an
//             executor and resolves their open patrol records
//   executor  carries on its own work first (rework after a rejection: reads the review, logs a
//             reflection; reassigned work; leftovers), else claims from /available (409 races are
//             expected), starts, logs coding and delivery, submits; a few take long enough for the
//             patrol to block them
//   reviewer  lists the submissions, reads the delivery log, approves or rejects with a score 1–5
//             (409 when another reviewer was first)
//   patrol    heartbeat, /api/patrol/check and /records, and blocks in-progress work that has not
//             moved for a while (filing a patrol record for it)
// and everybody reads the journal, the leaderboard and the rules now and then. Calls go out as the
// CLI sends them: an Idempotency-Key on every mutating one, retried with that key after a network
// error or a 502/503/504. A few acknowledged calls are also sent again with the same key: the answer
// must be the stored one (Idempotent-Replayed) and nothing may happen twice. The cron runs every
// --cron-every seconds through /__scheduled, concurrently with the agents.
//
// Every call is recorded under its normalized endpoint (`POST /api/sub-tasks/{id}/claim`) with its
// client wall time and status class: 2xx, expected race (a 409 whose code says the state changed
// first, or a 403 not_owner after a reassign), any other 4xx (an error) and 5xx or network errors
// (errors). After the load stops: GET /api/admin/integrity when the server has it, and the client's
// own ledger against the server: every acknowledged journal entry of every agent is stored, every
// acknowledged create and transition is one event in its sub-task's history (and the history is a
// chain ending in the sub-task's status), and the totals of tasks, sub-tasks, review records and
// task rules match; what is stored beyond the acknowledged may only come from calls that got no
// answer. A reload of the Worker by wrangler dev during the load (a file of the project changed)
// fails the run too: its numbers would not be representative.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Role } from "../../contract/vocabulary.ts";
import { applyMigrations, DevServer } from "./dev-server.ts";
import { Client, send } from "./http.ts";
import { type Checked, setUp, verify } from "./soak-checks.ts";
import { AgentApi, Ledger, Recorder, sleep } from "./soak-client.ts";
import { live, type SoakContext } from "./soak-roles.ts";

export { SOAK_INTRO, soakMarkdown, soakText } from "./soak-report.ts";

/** The role mix, as shares of --soak-agents (200 → 20 / 140 / 25 / 15). */
export const ROLE_MIX: [Role, number][] = [
  ["planner", 0.1],
  ["executor", 0.7],
  ["reviewer", 0.125],
  ["patrol", 0.075],
];

/** How many agents of each role `total` agents make (at least one of each). */
export function roleCounts(total: number): Record<Role, number> {
  const counts = Object.fromEntries(
    ROLE_MIX.map(([role, share]) => [role, Math.max(1, Math.round(total * share))]),
  ) as Record<Role, number>; // ROLE_MIX names every role
  counts.executor = Math.max(1, total - counts.planner - counts.reviewer - counts.patrol);
  return counts;
}

/** The cron on a schedule while the agents work (as the Cron Trigger would, more often). */
async function cronLoop({
  base,
  recorder,
  endsAt,
  everyS,
  runs,
}: {
  base: string;
  recorder: Recorder;
  endsAt: number;
  everyS: number;
  runs: CronRun[];
}): Promise<void> {
  if (!everyS) return;
  for (;;) {
    await sleep(Math.min(everyS * 1000, Math.max(0, endsAt - Date.now())));
    if (Date.now() >= endsAt) return;
    const r = await send(base, "GET", "/__scheduled?cron=*+*+*+*+*");
    // The cron's refusals carry no error code: only the status and the text are recorded.
    recorder.add("GET /__scheduled (cron)", r.status, r.status === "network" ? r.code : undefined, r.ms, r.text);
    if (r.status !== "network") runs.push({ status: r.status, ms: r.ms });
  }
}

/** One cron run as the client saw it. */
interface CronRun {
  status: number;
  ms: number;
}

/** The JSON line the cron logs after each run (the fields read here). */
interface CronLine {
  ms: number;
  failed?: string[];
}

/** The cron's own JSON lines (`{"cron": …, "failed": […]}`) written to the wrangler log during the run. */
function cronLines(server: DevServer, offset: number): CronLine[] {
  return server
    .logSince(offset)
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.startsWith('{"cron":'))
    .flatMap((l) => {
      try {
        return [JSON.parse(l)];
      } catch {
        return [];
      }
    });
}

export type SoakResult = Awaited<ReturnType<typeof runSoakScenario>>;

export async function runSoakScenario({
  workDir,
  port,
  agents: agentCount,
  durationS,
  cronEveryS,
  log,
}: {
  /** A temporary directory for the state and wrangler.log. */
  workDir: string;
  /** Preferred port. */
  port: number;
  /** Simulated agents in all (split by ROLE_MIX). */
  agents: number;
  /** Seconds of load. */
  durationS: number;
  /** Seconds between cron runs during the load (0: none). */
  cronEveryS: number;
  log: (msg: string) => void;
}) {
  const loadBefore = os.loadavg()[0] ?? 0;
  const startedAt = new Date();
  mkdirSync(workDir, { recursive: true });
  const state = path.join(workDir, "state");
  const logFile = path.join(workDir, "wrangler.log");
  const setupToken = randomBytes(16).toString("hex");
  log(`soak: applying migrations to ${state}`);
  await applyMigrations(state, logFile);
  const server = new DevServer({
    persistTo: state,
    envFile: path.join(workDir, "bench.env"),
    logFile,
    setupToken,
    port,
    extraArgs: ["--test-scheduled"],
    logLevel: "log", // "log": the cron's JSON line reaches the file
  });
  try {
    const api = new Client(await server.start());
    log(`soak: server ready at ${api.base}`);
    const counts = roleCounts(agentCount);
    const s0 = performance.now();
    const { adminPassword, agents } = await setUp({ api, setupToken, counts, log });
    const setupS = (performance.now() - s0) / 1000;

    const recorder = new Recorder();
    const ledger = new Ledger();
    const ctx: SoakContext = { ledger };
    const cronRuns: CronRun[] = [];
    const logOffset = server.logOffset();
    const endsAt = Date.now() + durationS * 1000;
    recorder.startedAt = performance.now();
    log(
      `soak: ${agents.length} agents (${Object.entries(counts)
        .map(([r, n]) => `${n} ${r}s`)
        .join(", ")}) for ${durationS} s`,
    );
    const progress = setInterval(() => {
      const t = recorder.totals();
      log(
        `soak: ${((performance.now() - recorder.startedAt) / 1000).toFixed(0)} s: ${recorder.requests} requests, ${t.race} races, ${t.client + t.server} errors; ${ledger.counts.submits} submissions, ${ledger.counts.approved} approved`,
      );
    }, 10_000);
    try {
      await Promise.all([
        ...agents.map((agent) => live(new AgentApi({ base: api.base, recorder, endsAt, agent }), ctx)),
        cronLoop({ base: api.base, recorder, endsAt, everyS: cronEveryS, runs: cronRuns }),
      ]);
    } finally {
      clearInterval(progress);
    }
    const elapsedS = (performance.now() - recorder.startedAt) / 1000;
    const loadAfter = os.loadavg()[0] ?? 0;
    log(`soak: load stopped after ${elapsedS.toFixed(1)} s; checking the stored state`);
    await sleep(500); // the last cron line reaches the log file a little later
    const cron = cronLines(server, logOffset);
    // wrangler dev rebuilds and restarts the Worker when a file of the project changes: requests in
    // flight are cut (503 "Your worker restarted mid-request", terminated sockets).
    const reloads = (server.logSince(logOffset).match(/Reloading local server/g) ?? []).length;

    let checked: Checked;
    try {
      checked = await verify({ api, ledger, agents, adminPassword });
    } catch (err) {
      // The figures of the load are still worth printing when the server cannot answer the checks.
      checked = {
        problems: [`could not check the stored state: ${err instanceof Error ? err.message : String(err)}`],
        integrity: { available: false, notChecked: true },
        byStatus: {},
        systemEvents: 0,
        totals: {},
        unacknowledged: 0,
        logs: { agents: agents.length, acked: NaN, stored: NaN },
        events: { subTasks: ledger.transitions.size, acked: NaN, stored: NaN },
      };
    }
    const cronFailed = cron.filter((l) => l.failed?.length);
    if (cronFailed.length)
      checked.problems.push(
        `${cronFailed.length} cron run(s) with failed steps: ${cronFailed.map((l) => l.failed?.join(",")).join("; ")}`,
      );
    if (reloads)
      checked.problems.push(
        `wrangler dev reloaded the Worker ${reloads} time(s) during the load because files of the project changed; the run is not representative`,
      );
    if (recorder.replays.mismatched.length) {
      checked.problems.push(
        `${recorder.replays.mismatched.length} retried request(s) not replayed: ${recorder.replays.mismatched.slice(0, 5).join("; ")}`,
      );
    }
    const totals = recorder.totals();
    return {
      startedAt,
      loadBefore,
      loadAfter,
      durationS,
      elapsedS,
      setupS,
      cronEveryS,
      counts,
      agents: agents.length,
      recorder,
      ledger,
      cron,
      cronRuns,
      checked,
      totals,
      reloads,
      pass: totals.client === 0 && totals.server === 0 && checked.problems.length === 0,
      serverLogTail: () => server.logTail(60),
    };
  } finally {
    await server.stop({ onSlow: () => log("soak: wrangler did not stop within 10 s; killing it") });
  }
}
