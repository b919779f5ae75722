// An admin resolving a patrol record (the records themselves are written by patrol/records.ts).
import { and, eq, type SQL, sql } from "drizzle-orm";
import { atomicWrite, type Db } from "./client";
import { patrolRecord } from "./schema";

export type PatrolRecordRow = typeof patrolRecord.$inferSelect;

/**
 * Resolves the record with `note` if it is still open; `alongside` statements (the audit row) go first
 * in the same batch under that condition. Returns whether this call resolved it, and the record as it
 * stands afterwards (undefined if it does not exist).
 */
export async function resolvePatrolRecord(
  db: Db,
  recordId: string,
  note: string,
  now: string,
  alongside: (stillOpen: SQL) => SQL[],
): Promise<{ resolved: boolean; record: PatrolRecordRow | undefined }> {
  const open = and(eq(patrolRecord.id, recordId), eq(patrolRecord.status, "open"));
  const [, updated] = await atomicWrite(db, [
    ...alongside(sql`exists (select 1 from ${patrolRecord} where ${open})`),
    db.update(patrolRecord).set({ status: "resolved", resolvedAt: now, resolutionNote: note }).where(open),
  ]);
  const [record] = await db.select().from(patrolRecord).where(eq(patrolRecord.id, recordId)).limit(1);
  return { resolved: updated?.meta.changes === 1, record };
}
