// The server-side patrol: read what is open, apply the anomaly rules, block critical timeouts through
// the sub-task's Durable Object, and keep exactly one open patrol record per (type, target).
import { sql } from "drizzle-orm";
import type { Actor } from "../../contract/vocabulary";
import { atomicWrite, type Db } from "../db/client";
import type { Usage } from "../db/metered";
import { patrolRecord } from "../db/schema";
import { readSettings, type Settings } from "../db/settings";
import {
  type AgentScoreHistory,
  type Anomaly,
  detectAnomalies,
  type OpenSubTask,
  type PatrolTexts,
  type PatrolThresholds,
} from "../domain/anomalies";
import { runInCoordinator } from "../durable/run-in-coordinator";
import type { Env } from "../env";
import { catalogue } from "../i18n";
import { inParallel } from "../lib/parallel";
import { isoMinus, MINUTE } from "../lib/time";
import {
  type NewRecord,
  openRecords,
  openStatements,
  RECORD_ROWS,
  REFRESH_ROWS,
  RESOLVE_ROWS,
  refreshRecords,
  resolveRecords,
} from "./records";

export { SYSTEM_AGENT_ID } from "./records";

const PATROL_ACTOR: Actor = { kind: "system", id: null, name: "patrol (server)" };

/** Upper bound on the open sub-tasks one run looks at. */
const MAX_OPEN_SUB_TASKS = 10_000;
/** How stale last_seen_at may get before a run rewrites it. */
const LAST_SEEN_STEP_MS = 5 * MINUTE;
/**
 * A cron run must stay within the Free plan's 50 D1 queries and 50 subrequests (we keep 45 each;
 * the split is in cron.ts). A block is one Durable Object call (a subrequest; the transition's D1
 * statements are the object's own invocation's). 45 subrequests = blocks + the live notice (1) +
 * the deliveries dispatch can pay for with the queries left (cron.ts: at worst 6), so at most 38
 * blocks; we take 36, three full statements of records (RECORD_ROWS = 12). The rest wait for the
 * next runs, still detected, and are recorded in the run that blocks them.
 */
export const MAX_BLOCKS_PER_RUN = 3 * RECORD_ROWS;
/** New records per run: this run's blocks first, and one more statement's worth of others. */
const MAX_OPENED_PER_RUN = MAX_BLOCKS_PER_RUN + RECORD_ROWS;
/**
 * Patrol write statements per run, at most: the new records with their logs, alerts and replaced
 * warnings (openStatements(48) = 1 + 4 + 2 + 2), one statement of refreshes (33 records) and one of
 * resolutions (98). What does not fit goes next run, where a condition not yet recorded is still
 * detected and a stale record is still stale.
 */
export const PATROL_WRITE_STATEMENTS = openStatements(MAX_OPENED_PER_RUN) + 2;
/** Block calls in flight at once. */
const PARALLEL_BLOCKS = 6;
/** D1 statements a patrol run makes besides its writes: settings, open sub-tasks, score history, open records. */
export const PATROL_READS = 4;

export const thresholdsOf = (s: Settings): PatrolThresholds => ({
  timeoutWarningMinutes: s["patrol.timeout_warning_minutes"],
  timeoutCriticalMinutes: s["patrol.timeout_critical_minutes"],
  stuckMinutes: s["patrol.stuck_minutes"],
  orphanMinutes: s["patrol.orphan_minutes"],
  reworkOverflowCount: s["patrol.rework_overflow_count"],
  scoreDropStreak: s["patrol.score_drop_streak"],
});

export interface PatrolCheck {
  anomalies: Anomaly[];
  /** The project's patrol texts, for what the cron stores besides the descriptions. */
  texts: PatrolTexts;
  /** False when there were more open sub-tasks than one run reads; nothing is then resolved. */
  complete: boolean;
}

/** Current anomalies, without writing anything (GET /api/patrol/check and each cron run). */
export async function checkAnomalies(db: Db, now: string): Promise<PatrolCheck> {
  const settings = await readSettings(db);
  const thresholds = thresholdsOf(settings);
  const texts = catalogue(settings["project.language"]).patrol;
  // Both queries walk indexes: the open sub-tasks by status, each agent's latest ledger rows.
  const [subTasks, deltas] = await Promise.all([
    db.all<OpenSubTask>(sql`
      select s.id as id, s.name as name, s.status as status, t.status as taskStatus,
        s.assigned_agent as assignedAgent, a.status as agentStatus, s.rework_count as reworkCount,
        s.created_at as createdAt, s.updated_at as updatedAt, s.started_at as startedAt,
        -- Pending rows only, each a walk of its own dependency rows (primary-key prefix) and their ids.
        case when s.status = 'pending' then (select count(*) from sub_task_dependency d join sub_task dep on dep.id = d.depends_on
          where d.sub_task_id = s.id and dep.status <> 'done') else 0 end as pendingDependencies,
        case when s.status = 'pending' then (select max(dep.completed_at) from sub_task_dependency d
          join sub_task dep on dep.id = d.depends_on where d.sub_task_id = s.id) end as dependenciesDoneAt
      from sub_task s
        join task t on t.id = s.task_id
        left join agent a on a.id = s.assigned_agent
      where s.status in ('pending', 'assigned', 'in_progress', 'review', 'rework', 'blocked')
      limit ${MAX_OPEN_SUB_TASKS + 1}`),
    db.all<{ agentId: string; name: string; delta: number }>(sql`
      select a.id as agentId, a.name as name, r.score_delta as delta
      from agent a join reward_log r on r.id in (
        select r2.id from reward_log r2 where r2.agent_id = a.id
        order by r2.created_at desc, r2.rowid desc limit ${thresholds.scoreDropStreak})
      where a.status = 'active'
      order by a.id, r.created_at desc, r.rowid desc`),
  ]);
  const agents = new Map<string, AgentScoreHistory>();
  for (const d of deltas) {
    const entry = agents.get(d.agentId) ?? { agentId: d.agentId, name: d.name, recentDeltas: [] };
    entry.recentDeltas.push(d.delta);
    agents.set(d.agentId, entry);
  }
  const complete = subTasks.length <= MAX_OPEN_SUB_TASKS;
  if (!complete)
    console.warn(`patrol: more than ${MAX_OPEN_SUB_TASKS} open sub-tasks; checked the first ${MAX_OPEN_SUB_TASKS}`);
  return {
    // Stored descriptions: written once, in the project's language (docs/i18n.md).
    anomalies: detectAnomalies(subTasks.slice(0, MAX_OPEN_SUB_TASKS), [...agents.values()], thresholds, now, texts),
    complete,
    texts,
  };
}

export interface PatrolReport {
  anomalies: number;
  opened: number;
  refreshed: number;
  resolved: number;
  blocked: number;
  /** Anomalies, refreshes and resolutions left for the next run by the per-run caps. */
  deferred: number;
}

/**
 * One cron run. Returns what it found and did; the Durable Objects' calls and D1 work are added to
 * `usage`. Bounded per run (MAX_BLOCKS_PER_RUN, PATROL_WRITE_STATEMENTS); `deferred` counts the
 * anomalies left for the next run.
 */
export async function runPatrol(env: Env, db: Db, now: string, usage: Usage): Promise<PatrolReport> {
  const { anomalies, complete, texts } = await checkAnomalies(db, now);

  // Blocking goes through the Durable Object like an agent's action, so it never interleaves with a
  // claim or submit of the same sub-task; a sub-task that moved on meanwhile is simply not blocked.
  // A blockable anomaly past the cap is left whole (no block, no record) for a later run.
  const blockable = anomalies.filter((a) => a.block && a.subTaskId);
  const waiting = new Set(blockable.slice(MAX_BLOCKS_PER_RUN));
  const actions = new Map<Anomaly, string>();
  let blocked = 0;
  // Distinct sub-tasks, so distinct objects: the calls can overlap without touching the same row.
  await inParallel(blockable.slice(0, MAX_BLOCKS_PER_RUN), PARALLEL_BLOCKS, async (anomaly) => {
    const outcome = await runInCoordinator(
      env,
      anomaly.subTaskId!,
      { op: "block", reason: anomaly.description },
      PATROL_ACTOR,
      usage,
    );
    if (outcome.ok) blocked++;
    actions.set(anomaly, outcome.ok ? texts.blocked : texts.notBlocked({ code: outcome.error.code }));
  });

  const open = await db.select().from(patrolRecord).where(sql`${patrolRecord.status} = 'open'`);
  const openByKey = new Map(open.map((r) => [`${r.type}|${r.target}`, r]));
  const seen = new Set<string>();
  const opened: NewRecord[] = [];
  const others: NewRecord[] = [];
  const refreshed: { id: string; description: string; severity: string }[] = [];

  for (const anomaly of anomalies) {
    const key = `${anomaly.type}|${anomaly.target}`;
    seen.add(key);
    if (waiting.has(anomaly)) continue;
    const existing = openByKey.get(key);
    if (existing && !(existing.severity === "warning" && anomaly.severity === "critical")) {
      // The text is recomputed: a new wording or severity is written at once; last_seen_at and the
      // minutes in the text move in steps, so a quiet minute costs reads but almost no writes.
      if (existing.lastSeenAt < isoMinus(now, LAST_SEEN_STEP_MS) || reworded(existing, anomaly)) {
        refreshed.push({ id: existing.id, description: anomaly.description, severity: anomaly.severity });
      }
      continue;
    }
    // New, or escalated: the warning is replaced by a critical record, announced like a new one.
    // This run's blocks are recorded first, so the cap never leaves a block unrecorded.
    const record = { anomaly, actionTaken: actions.get(anomaly) ?? "", replaces: existing?.id ?? null };
    (actions.has(anomaly) ? opened : others).push(record);
  }
  opened.push(...others);

  // A condition not seen is cleared only if every open sub-task was looked at.
  const cleared = complete
    ? open.filter((r) => r.source === "cron" && !seen.has(`${r.type}|${r.target}`)).map((r) => r.id)
    : [];
  const kept = {
    opened: opened.slice(0, MAX_OPENED_PER_RUN),
    refreshed: refreshed.slice(0, REFRESH_ROWS),
    resolved: cleared.slice(0, RESOLVE_ROWS),
  };
  // One atomic batch, at most PATROL_WRITE_STATEMENTS statements.
  const writes = [
    ...openRecords(kept.opened, now, texts.escalated),
    ...refreshRecords(kept.refreshed, now),
    ...resolveRecords(kept.resolved, now, texts.cleared),
  ];
  if (writes.length > 0) await atomicWrite(db, writes);

  const left =
    opened.length +
    refreshed.length +
    cleared.length -
    kept.opened.length -
    kept.refreshed.length -
    kept.resolved.length;
  return {
    anomalies: anomalies.length,
    opened: kept.opened.length,
    refreshed: kept.refreshed.length,
    resolved: kept.resolved.length,
    blocked,
    deferred: waiting.size + left,
  };
}

/** The record's text or severity differs from the anomaly's other than in its numbers (the minutes). */
const reworded = (record: { description: string; severity: string }, anomaly: Anomaly): boolean =>
  record.severity !== anomaly.severity ||
  record.description.replace(/\d+/g, "#") !== anomaly.description.replace(/\d+/g, "#");
