// Which records an id prefix names: each kind read as a range of its primary key with a limit, so a
// prefix costs at most MAX_ID_MATCHES rows per kind, never a scan. One D1 batch for all kinds (D1
// refuses a UNION of more than a few SELECTs).
import { and, gte, lt, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { type IdKind, MAX_ID_MATCHES, prefixEnd } from "../domain/ids";
import type { Db } from "./client";
import { agent, module, patrolRecord, reviewRecord, subTask, task } from "./schema";

export interface IdMatch {
  kind: IdKind;
  id: string;
  /** What an agent recognizes the record by. */
  name: string;
}

/** Each kind's table, id column and the name shown for a match (records without a name get a short label). */
const SOURCES = {
  task: { table: task, id: task.id, name: sql<string>`${task.name}` },
  module: { table: module, id: module.id, name: sql<string>`${module.name}` },
  sub_task: { table: subTask, id: subTask.id, name: sql<string>`${subTask.name}` },
  agent: { table: agent, id: agent.id, name: sql<string>`${agent.name}` },
  patrol_record: {
    table: patrolRecord,
    id: patrolRecord.id,
    name: sql<string>`${patrolRecord.type} || ' (' || ${patrolRecord.severity} || ', ' || ${patrolRecord.status} || ')'`,
  },
  review: {
    table: reviewRecord,
    id: reviewRecord.id,
    name: sql<string>`'round ' || ${reviewRecord.round} || ': ' || ${reviewRecord.result}`,
  },
} satisfies Record<IdKind, { table: SQLiteTable; id: SQLiteColumn; name: SQL<string> }>;

function lookup(db: Db, kind: IdKind, prefix: string) {
  const { table, id, name } = SOURCES[kind];
  return db
    .select({ kind: sql<IdKind>`${kind}`, id, name })
    .from(table)
    .where(and(gte(id, prefix), lt(id, prefixEnd(prefix))))
    .orderBy(id)
    .limit(MAX_ID_MATCHES);
}

/** Up to MAX_ID_MATCHES records of each kind whose id starts with `prefix` (lowercase), in the order of `kinds`, then by id. */
export async function findIdsByPrefix(
  db: Db,
  prefix: string,
  kinds: readonly [IdKind, ...IdKind[]],
): Promise<IdMatch[]> {
  const [first, ...rest] = kinds.map((kind) => lookup(db, kind, prefix));
  const results = await db.batch([first!, ...rest]);
  return results.flat();
}
