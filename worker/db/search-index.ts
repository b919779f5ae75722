// Statements that keep the team memory index in step with what it indexes (docs/search.md). Every write
// of an indexed text (a log, a review record, a rule, a sub-task) adds these to its own batch, under
// the same guard, so the index never disagrees with the source, even when the batch writes nothing.
import { type SQL, sql } from "drizzle-orm";
import type { SearchKind } from "../../contract/vocabulary";
import { type EntrySource, indexText } from "../domain/search-text";

const entryId = (kind: SearchKind, sourceId: string) =>
  sql`(select id from search_entry where kind = ${kind} and source_id = ${sourceId})`;

/**
 * Puts one source's entry in the index, or replaces it (an edit): its row in search_entry and its tokens
 * in search_fts under the row's id. Three statements; each writes only where `guard` holds.
 */
export function indexEntry(e: EntrySource, guard: SQL = sql`1`): SQL[] {
  return [
    // An edit: the old tokens go first (an entry still waiting for the back-fill has none).
    sql`delete from search_fts where rowid = (select id from search_entry where kind = ${e.kind} and source_id = ${e.sourceId} and indexed = 1) and ${guard}`,
    sql`insert into search_entry (kind, source_id, task_id, sub_task_id, agent_id, tag, text, created_at, indexed)
      select ${e.kind}, ${e.sourceId}, ${e.taskId}, ${e.subTaskId}, ${e.agentId}, ${e.tag}, ${e.text}, ${e.createdAt}, 1 where ${guard}
      on conflict (kind, source_id) do update set task_id = excluded.task_id, sub_task_id = excluded.sub_task_id,
        agent_id = excluded.agent_id, tag = excluded.tag, text = excluded.text, indexed = 1`,
    sql`insert into search_fts (rowid, body) select ${entryId(e.kind, e.sourceId)}, ${indexText(e.text)} where ${guard}`,
  ];
}

/**
 * Removes the entries matching `where` (a condition on search_entry's columns, guard included), their
 * tokens first. Two statements.
 */
export function unindexWhere(where: SQL): SQL[] {
  return [
    sql`delete from search_fts where rowid in (select id from search_entry where indexed = 1 and (${where}))`,
    sql`delete from search_entry where ${where}`,
  ];
}
