// Cron step: tokenizes into search_fts the entries queued with indexed = 0 (migration 0010's back-fill
// of what existed before the index, and the sub-tasks and plan logs of new rounds, whose texts the round
// batch composes in SQL), a slice per minute, oldest first (docs/search.md). Runs on what the minute's
// budget has left (cron.ts `leftover`): one read, then two writes; idle, the read alone.
//
// Race-free without a lock: while an entry has indexed = 0 it has no tokens and its text never changes
// (every edit of a source goes through db/search-index.ts indexEntry, which replaces the entry's text,
// writes its tokens and sets indexed = 1 in one batch; ids are AUTOINCREMENT, never reused). The write
// below inserts tokens only for entries that still exist with indexed = 0 and then sets the flag, both
// in one batch (one transaction). So an edit or delete that lands between our read and our write wins:
// we skip that entry (no second set of tokens); one that lands after our write finds indexed = 1 and
// drops our tokens before writing its own.
import { sql } from "drizzle-orm";
import { atomicWrite, type Db } from "../db/client";
import { indexText } from "../domain/search-text";

/** Entries read per run, at most. */
export const BACKFILL_BATCH = 500;
/** Text read per run, at most (bytes, UTF-8): the first entry is always taken, whatever its size. */
export const BACKFILL_TEXT_BYTES = 512 * 1024;
/**
 * The tokens sent per run, at most (bytes of the JSON parameter): CJK text grows as pairs (about 1.7×),
 * and D1 refuses a string over 2 MB. Entries past this wait for the next run.
 */
export const BACKFILL_TOKEN_BYTES = 1024 * 1024;
/** Statements of a run with work: the read, the token insert and the flag update. */
export const BACKFILL_STATEMENTS = 3;

export interface BackfillReport {
  /** Entries tokenized by this run. */
  indexed: number;
  /** Whether entries were left for the next run (the slice or the budget was full). */
  more: boolean;
}

export async function backfillSearch(db: Db, allowance: { queries: number }): Promise<BackfillReport> {
  if (allowance.queries < BACKFILL_STATEMENTS) return { indexed: 0, more: false };
  // The oldest queued entries (partial index ix_search_entry_unindexed), cut where their text passes
  // the byte budget: the limit applies first, so the running sum reads at most BACKFILL_BATCH rows.
  const queued = await db.all<{ id: number; text: string; before: number }>(sql`
    select id, text, sum(length(cast(text as blob))) over (order by id) - length(cast(text as blob)) as before
    from (select id, text from search_entry where indexed = 0 order by id limit ${BACKFILL_BATCH + 1})
    order by id`);
  if (queued.length === 0) return { indexed: 0, more: false };
  const rows: [number, string][] = [];
  let bytes = 0;
  for (const entry of queued.slice(0, BACKFILL_BATCH)) {
    if (rows.length > 0 && entry.before >= BACKFILL_TEXT_BYTES) break;
    const row: [number, string] = [entry.id, indexText(entry.text)];
    const size = new TextEncoder().encode(JSON.stringify(row)).length + 1;
    if (rows.length > 0 && bytes + size > BACKFILL_TOKEN_BYTES) break;
    rows.push(row);
    bytes += size;
  }
  const tokens = JSON.stringify(rows);
  const ids = JSON.stringify(rows.map(([id]) => id));
  const [, flagged] = await atomicWrite(db, [
    sql`insert into search_fts (rowid, body)
      select e.id, j.value ->> '$[1]' from json_each(${tokens}) j
        join search_entry e on e.id = j.value ->> '$[0]'
      where e.indexed = 0`,
    // `returning`: D1's meta.changes also counts the FTS table's internal writes of the batch.
    sql`update search_entry set indexed = 1 where id in (select value from json_each(${ids})) and indexed = 0 returning id`,
  ]);
  return { indexed: flagged?.results.length ?? 0, more: rows.length < queued.length };
}
