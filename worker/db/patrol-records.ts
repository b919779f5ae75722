// Patrol records as agents see them: the shared list, and the records a patrol agent files and
// resolves (the cron's own writes are in patrol/run.ts).
import { and, desc, eq, ne, sql } from "drizzle-orm";
import type { AnomalyType, PatrolRecordStatus, PatrolSource, Severity } from "../../contract/vocabulary";
import type { EventData } from "../domain/notifications";
import type { Envelope, PageRequest } from "../lib/pagination";
import { atomicWrite, type Db, guardedInsert } from "./client";
import { enqueueEvent } from "./outbox";
import { selectPage } from "./page";
import { agent, patrolRecord, subTask } from "./schema";

type PatrolRecordRow = typeof patrolRecord.$inferSelect;

export interface PatrolRecordQuery extends PageRequest {
  status?: PatrolRecordStatus;
  type?: AnomalyType;
  severity?: Severity;
  source?: PatrolSource;
  sub_task_id?: string;
  agent_id?: string;
}

/** One page of patrol records, newest first, each shaped by `toItem`. */
export function pageOfPatrolRecords<Item>(
  db: Db,
  q: PatrolRecordQuery,
  toItem: (row: PatrolRecordRow) => Item,
): Promise<Envelope<Item>> {
  const where = and(
    q.status ? eq(patrolRecord.status, q.status) : undefined,
    q.type ? eq(patrolRecord.type, q.type) : undefined,
    q.severity ? eq(patrolRecord.severity, q.severity) : undefined,
    q.source ? eq(patrolRecord.source, q.source) : undefined,
    q.sub_task_id ? eq(patrolRecord.subTaskId, q.sub_task_id) : undefined,
    q.agent_id ? eq(patrolRecord.agentId, q.agent_id) : undefined,
  );
  return selectPage(db, patrolRecord, where, [desc(patrolRecord.createdAt), sql`rowid desc`], q, toItem);
}

/** Whether the sub-task and the agent a record names exist (one look-up each, concurrently; unnamed: true). */
export async function patrolTargetsExist(
  db: Db,
  subTaskId: string | null,
  agentId: string | null,
): Promise<{ subTask: boolean; agent: boolean }> {
  const [subTaskRows, agentRows] = await Promise.all([
    subTaskId ? db.select({ id: subTask.id }).from(subTask).where(eq(subTask.id, subTaskId)).limit(1) : null,
    agentId ? db.select({ id: agent.id }).from(agent).where(eq(agent.id, agentId)).limit(1) : null,
  ]);
  return { subTask: subTaskRows === null || subTaskRows.length > 0, agent: agentRows === null || agentRows.length > 0 };
}

/**
 * Files an agent's record with its patrol_alert notification in one batch; false when nothing was
 * written: an open record of the same type and target exists, or the target was deleted meanwhile.
 */
export async function fileAgentPatrolRecord(
  db: Db,
  row: PatrolRecordRow,
  actor: NonNullable<EventData["actor"]>,
): Promise<boolean> {
  const landed = sql`exists (select 1 from ${patrolRecord} where id = ${row.id})`;
  const [inserted] = await atomicWrite(db, [
    // Only while its sub-task and agent still exist (a delete may commit after the caller's checks).
    sql`${guardedInsert(
      patrolRecord,
      row,
      and(
        row.subTaskId ? sql`exists (select 1 from ${subTask} where ${subTask.id} = ${row.subTaskId})` : undefined,
        row.agentId ? sql`exists (select 1 from ${agent} where ${agent.id} = ${row.agentId})` : undefined,
      ) ?? sql`1`,
    )} on conflict do nothing`,
    enqueueEvent(
      "patrol_alert",
      {
        patrol: { type: row.type, severity: row.severity, description: row.description, target: row.target },
        actor,
      },
      row.createdAt,
      landed,
    ),
  ]);
  return inserted?.meta.changes === 1;
}

/** Whether an open record of this type and target exists. */
export async function openPatrolRecordExists(db: Db, type: AnomalyType, target: string): Promise<boolean> {
  const [open] = await db
    .select({ id: patrolRecord.id })
    .from(patrolRecord)
    .where(and(eq(patrolRecord.type, type), eq(patrolRecord.target, target), eq(patrolRecord.status, "open")))
    .limit(1);
  return open !== undefined;
}

/**
 * Resolves an open record an agent filed; undefined when none was changed. The cron's records reopen
 * while their condition holds, so only the cron (or an admin) closes them.
 */
export async function resolveAgentPatrolRecord(
  db: Db,
  id: string,
  note: string,
  now: string,
): Promise<PatrolRecordRow | undefined> {
  const [row] = await db
    .update(patrolRecord)
    .set({ status: "resolved", resolvedAt: now, resolutionNote: note })
    .where(and(eq(patrolRecord.id, id), eq(patrolRecord.status, "open"), ne(patrolRecord.source, "cron")))
    .returning();
  return row;
}

/** A record's status and sub-task, to explain why it could not be resolved; undefined if missing. */
export async function findPatrolRecordState(
  db: Db,
  id: string,
): Promise<{ status: PatrolRecordStatus; subTaskId: string | null } | undefined> {
  const [found] = await db
    .select({ status: patrolRecord.status, subTaskId: patrolRecord.subTaskId })
    .from(patrolRecord)
    .where(eq(patrolRecord.id, id));
  return found;
}
