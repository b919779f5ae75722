// A patrol run's record writes as multi-row statements (a few per table, not a few per record), so a
// run can record dozens of blocks within the cron's D1 budget. All of them go in one atomic batch.
import { type SQL, sql } from "drizzle-orm";
import { boundList, chunks, rowsPerStatement, valuesTable } from "../db/chunks";
import { EVENTS_PER_STATEMENT, enqueueEvents } from "../db/outbox";
import { activityLog, patrolRecord } from "../db/schema";
import type { Anomaly } from "../domain/anomalies";

/** The server acting on its own; activity it writes carries this agent id. */
export const SYSTEM_AGENT_ID = "system";

/** Per record: id, type, severity, sub-task, agent, description, action, target; per statement: the time twice. */
export const RECORD_ROWS = rowsPerStatement(8, 2);
/** Per activity log: id, sub-task, summary, its record's id; per statement: the agent and the time. */
const LOG_ROWS = rowsPerStatement(4, 2);
/** Per refresh: id, description, severity; per statement: the time. */
export const REFRESH_ROWS = rowsPerStatement(3, 1);
/** Per resolution: the id; per statement: the time and the note. */
export const RESOLVE_ROWS = rowsPerStatement(1, 2);

export interface NewRecord {
  anomaly: Anomaly;
  actionTaken: string;
  /** The open warning this critical record replaces (an escalation), if any. */
  replaces: string | null;
}

const perStatement = (n: number, rows: number) => Math.ceil(n / rows);

/** Statements that open `n` records at most (counting an escalation for each). */
export const openStatements = (n: number): number =>
  perStatement(n, RESOLVE_ROWS) +
  perStatement(n, RECORD_ROWS) +
  perStatement(n, LOG_ROWS) +
  perStatement(n, EVENTS_PER_STATEMENT);

/**
 * New open records, each with its `patrol` activity log and its alert; a record's log and alert are
 * written only if the record landed (the unique index on open (type, target) turns a concurrent run's
 * duplicate into a no-op, and then its log and alert are not written either).
 */
export function openRecords(records: NewRecord[], now: string, escalatedNote: string): SQL[] {
  const rows = records.map((r) => ({ ...r, id: crypto.randomUUID() }));
  const landed = (id: SQL) => sql`exists (select 1 from ${patrolRecord} p where p.id = ${id})`;
  const replaced = rows.flatMap((r) => (r.replaces ? [r.replaces] : []));
  return [
    // First, so the warnings leave the open (type, target) slot their critical records take.
    ...resolveRecords(replaced, now, escalatedNote),
    // `where true`: SQLite needs a WHERE before the upsert clause of an INSERT … SELECT.
    ...chunks(rows, RECORD_ROWS).map(
      (part) => sql`insert into ${patrolRecord} (id, type, severity, sub_task_id, agent_id,
        description, action_taken, target, status, created_at, last_seen_at, source, resolution_note)
      select v.column1, v.column2, v.column3, v.column4, v.column5, v.column6, v.column7, v.column8, 'open', ${now}, ${now}, 'cron', ''
      from ${valuesTable(
        part.map(({ id, anomaly: a, actionTaken }) => [
          id,
          a.type,
          a.severity,
          a.subTaskId,
          a.agentId,
          a.description,
          actionTaken,
          a.target,
        ]),
      )}
      where true on conflict do nothing`,
    ),
    ...chunks(rows, LOG_ROWS).map(
      (part) => sql`insert into ${activityLog} (id, agent_id, sub_task_id, action, summary, created_at)
      select v.column1, ${SYSTEM_AGENT_ID}, v.column2, 'patrol', v.column3, ${now}
      from ${valuesTable(
        part.map(({ id, anomaly: a, actionTaken }) => [
          crypto.randomUUID(),
          a.subTaskId,
          `[${a.severity}] ${a.type}: ${a.description}${actionTaken ? ` (${actionTaken})` : ""}`,
          id,
        ]),
      )}
      where ${landed(sql`v.column4`)}`,
    ),
    ...enqueueEvents(
      "patrol_alert",
      rows.map(({ id, anomaly: a }) => ({
        payload: { patrol: { type: a.type, severity: a.severity, description: a.description, target: a.target } },
        key: id,
      })),
      now,
      landed,
    ),
  ];
}

/** New text, severity and last_seen_at for open records (a record resolved meanwhile is left alone). */
export function refreshRecords(rows: { id: string; description: string; severity: string }[], now: string): SQL[] {
  return chunks(rows, REFRESH_ROWS).map(
    (part) => sql`update ${patrolRecord}
    set last_seen_at = ${now}, description = v.column2, severity = v.column3
    from ${valuesTable(part.map((r) => [r.id, r.description, r.severity]))}
    where ${patrolRecord}.id = v.column1 and ${patrolRecord}.status = 'open'`,
  );
}

/** Resolves open records; `+status` keeps SQLite on the primary key for the id list (the status index would scan every open record). */
export function resolveRecords(ids: string[], now: string, note: string): SQL[] {
  return chunks(ids, RESOLVE_ROWS).map(
    (part) => sql`update ${patrolRecord} set status = 'resolved', resolved_at = ${now},
    resolution_note = ${note} where id in ${boundList(part)} and +status = 'open'`,
  );
}
