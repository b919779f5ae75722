// The server-side patrol: read what is open, apply the anomaly rules, block critical timeouts through
// the sub-task's Durable Object, and keep exactly one open patrol record per (type, target).
import { type SQL, sql } from "drizzle-orm";
import { atomicWrite, type Db, guardedInsert } from "../db/client";
import type { Usage } from "../db/metered";
import { enqueueEvent } from "../db/outbox";
import { activityLog, patrolRecord } from "../db/schema";
import { readSettings, type Settings } from "../db/settings";
import { runInCoordinator } from "../durable/transition";
import {
  type AgentScoreHistory,
  type Anomaly,
  detectAnomalies,
  type OpenSubTask,
  type PatrolThresholds,
} from "../domain/anomalies";
import type { Actor } from "../domain/model";
import type { Env } from "../env";
import { isoMinus, MINUTE } from "../lib/time";

/** The server acting on its own; activity it writes carries this agent id. */
export const SYSTEM_AGENT_ID = "system";
const PATROL_ACTOR: Actor = { kind: "system", id: null, name: "patrol (server)" };

/** Upper bound on the open sub-tasks one run looks at. */
const MAX_OPEN_SUB_TASKS = 10_000;
/** How stale last_seen_at may get before a run rewrites it. */
const LAST_SEEN_STEP_MS = 5 * MINUTE;
/** D1 allows 100 bound parameters per statement. */
const IDS_PER_STATEMENT = 90;
/**
 * A cron run must stay within the Free plan's 50 D1 queries and 50 subrequests (we keep 45 each;
 * the split is in cron.ts). A block is one Durable Object call (a subrequest; the transition's D1
 * statements are the object's own invocation's): the rest wait for the next runs, still detected,
 * and are recorded in the run that blocks them.
 */
export const MAX_BLOCKS_PER_RUN = 4;
/** A new record with its log and alert, plus the warning it replaces. */
const OPEN_STATEMENTS = 4;
/**
 * Patrol write statements per run: every record of this run's blocks, and room for one more new
 * record (or 4 refreshes, or resolutions of 90 records per statement); the rest go next run, where
 * a condition not yet recorded is still detected and a stale record is still stale.
 */
export const PATROL_WRITE_STATEMENTS = (MAX_BLOCKS_PER_RUN + 1) * OPEN_STATEMENTS;
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
  /** False when there were more open sub-tasks than one run reads; nothing is then resolved. */
  complete: boolean;
}

/** Current anomalies, without writing anything (GET /api/patrol/check and each cron run). */
export async function checkAnomalies(db: Db, now: string): Promise<PatrolCheck> {
  const thresholds = thresholdsOf(await readSettings(db));
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
  if (!complete) console.warn(`patrol: more than ${MAX_OPEN_SUB_TASKS} open sub-tasks; checked the first ${MAX_OPEN_SUB_TASKS}`);
  return { anomalies: detectAnomalies(subTasks.slice(0, MAX_OPEN_SUB_TASKS), [...agents.values()], thresholds, now), complete };
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
  const { anomalies, complete } = await checkAnomalies(db, now);

  // Blocking goes through the Durable Object like an agent's action, so it never interleaves with a
  // claim or submit of the same sub-task; a sub-task that moved on meanwhile is simply not blocked.
  // A blockable anomaly past the cap is left whole (no block, no record) for a later run.
  const blockable = anomalies.filter((a) => a.block && a.subTaskId);
  const waiting = new Set(blockable.slice(MAX_BLOCKS_PER_RUN));
  const actions = new Map<Anomaly, string>();
  let blocked = 0;
  for (const anomaly of blockable.slice(0, MAX_BLOCKS_PER_RUN)) {
    const outcome = await runInCoordinator(env, anomaly.subTaskId!, { op: "block", reason: anomaly.description }, PATROL_ACTOR, usage);
    if (outcome.ok) blocked++;
    actions.set(anomaly, outcome.ok ? "blocked" : `not blocked: ${outcome.error.code}`);
  }

  const open = await db.select().from(patrolRecord).where(sql`${patrolRecord.status} = 'open'`);
  const openByKey = new Map(open.map((r) => [`${r.type}|${r.target}`, r]));
  const seen = new Set<string>();
  // Each unit commits in one batch: a new record with its log and alert (and the warning it replaces).
  // This run's blocks are recorded first; other units fill what PATROL_WRITE_STATEMENTS leaves.
  const units: Unit[] = [];
  const others: Unit[] = [];

  for (const anomaly of anomalies) {
    const key = `${anomaly.type}|${anomaly.target}`;
    seen.add(key);
    if (waiting.has(anomaly)) continue;
    const existing = openByKey.get(key);
    if (existing && !(existing.severity === "warning" && anomaly.severity === "critical")) {
      // The text is recomputed: a new wording or severity is written at once; last_seen_at and the
      // minutes in the text move in steps, so a quiet minute costs reads but almost no writes.
      if (existing.lastSeenAt < isoMinus(now, LAST_SEEN_STEP_MS) || reworded(existing, anomaly)) {
        others.push({ kind: "refreshed", records: 1, statements: [sql`update ${patrolRecord} set last_seen_at = ${now},
          description = ${anomaly.description}, severity = ${anomaly.severity} where id = ${existing.id} and status = 'open'`] });
      }
      continue;
    }
    // Escalated: the warning is replaced by a critical record, announced like a new one.
    const replace = existing
      ? [sql`update ${patrolRecord} set status = 'resolved', resolved_at = ${now},
          resolution_note = 'escalated to critical' where id = ${existing.id} and status = 'open'`]
      : [];
    const unit: Unit = { kind: "opened", records: 1, statements: [...replace, ...openRecord(anomaly, actions.get(anomaly) ?? "", now)] };
    (actions.has(anomaly) ? units : others).push(unit);
  }

  // A condition not seen is cleared only if every open sub-task was looked at.
  const cleared = complete ? open.filter((r) => r.source === "cron" && !seen.has(`${r.type}|${r.target}`)).map((r) => r.id) : [];
  // `+status` keeps SQLite on the primary key for the id list (the status index would scan every open record).
  for (const ids of chunks(cleared)) {
    others.push({ kind: "resolved", records: ids.length, statements: [sql`update ${patrolRecord} set status = 'resolved',
      resolved_at = ${now}, resolution_note = 'condition cleared' where id in ${idList(ids)} and +status = 'open'`] });
  }
  units.push(...others);
  const kept = leading(units, PATROL_WRITE_STATEMENTS);
  for (const batch of batches(kept.map((u) => u.statements))) await atomicWrite(db, batch);

  const report = { anomalies: anomalies.length, opened: 0, refreshed: 0, resolved: 0, blocked, deferred: waiting.size + units.length - kept.length };
  for (const unit of kept) report[unit.kind] += unit.records;
  return report;
}

interface Unit {
  kind: "opened" | "refreshed" | "resolved";
  /** Records the unit opens, refreshes or resolves. */
  records: number;
  statements: SQL[];
}

/** The leading units whose statements fit in `budget` (this run's blocks come first, and the budget reserves room for them). */
function leading(units: Unit[], budget: number): Unit[] {
  const out: Unit[] = [];
  let used = 0;
  for (const unit of units) {
    if (used + unit.statements.length > budget) break;
    out.push(unit);
    used += unit.statements.length;
  }
  return out;
}

/** The record's text or severity differs from the anomaly's other than in its numbers (the minutes). */
const reworded = (record: { description: string; severity: string }, anomaly: Anomaly): boolean =>
  record.severity !== anomaly.severity || record.description.replace(/\d+/g, "#") !== anomaly.description.replace(/\d+/g, "#");

/** A new open record, its `patrol` activity log and its alert; the last two only if the record landed. */
function openRecord(anomaly: Anomaly, actionTaken: string, now: string): SQL[] {
  const id = crypto.randomUUID();
  const record = {
    id, type: anomaly.type, severity: anomaly.severity, subTaskId: anomaly.subTaskId, agentId: anomaly.agentId,
    description: anomaly.description, actionTaken, status: "open", createdAt: now, resolvedAt: null,
    target: anomaly.target, source: "cron", lastSeenAt: now, resolutionNote: "",
  };
  const landed = sql`exists (select 1 from ${patrolRecord} where id = ${id})`;
  return [
    // The unique index on open (type, target) turns a concurrent run's duplicate into a no-op.
    sql`${guardedInsert(patrolRecord, record, sql`1`)} on conflict do nothing`,
    guardedInsert(activityLog, {
      id: crypto.randomUUID(), agentId: SYSTEM_AGENT_ID, subTaskId: anomaly.subTaskId, action: "patrol",
      summary: `[${anomaly.severity}] ${anomaly.type}: ${anomaly.description}${actionTaken ? ` (${actionTaken})` : ""}`,
      sessionId: null, createdAt: now,
    }, landed),
    enqueueEvent("patrol_alert", {
      patrol: { type: anomaly.type, severity: anomaly.severity, description: anomaly.description, target: anomaly.target },
    }, now, landed),
  ];
}

function chunks(ids: string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) out.push(ids.slice(i, i + IDS_PER_STATEMENT));
  return out;
}

const idList = (ids: string[]) => sql`(${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`;

/** Packs units into D1 batches of moderate size without splitting a unit. */
function batches(units: SQL[][], size = 300): SQL[][] {
  const out: SQL[][] = [];
  let current: SQL[] = [];
  for (const unit of units) {
    if (current.length > 0 && current.length + unit.length > size) {
      out.push(current);
      current = [];
    }
    current.push(...unit);
  }
  if (current.length > 0) out.push(current);
  return out;
}
