// Statements that keep the team memory index in step with what it indexes (docs/search.md). Every write
// of an indexed text (a log, a review record, a rule, a sub-task) adds these to its own batch, under
// the same guard, so the index never disagrees with the source, even when the batch writes nothing.
// The builders below (logEntry, reviewEntry, ruleEntry, subTaskEntry) compose an entry from its source
// row exactly as migration 0010's back-fill does, so a call site stays one line.
import { type SQL, sql } from "drizzle-orm";
import { isOneOf, SEARCHED_LOG_ACTIONS, type SearchKind } from "../../contract/vocabulary";
import { type EntrySource, indexText, reviewHasText, reviewText, subTaskText } from "../domain/search-text";

/**
 * An entry to write. Besides plain values, a column may be an SQL expression evaluated inside the batch
 * (e.g. the task of a log's sub-task, read from the sub-task row the same batch writes the log from).
 * The text is always a value: its tokens are computed here.
 */
export type IndexedEntry = {
  [Column in keyof EntrySource]: Column extends "kind" | "text" ? EntrySource[Column] : EntrySource[Column] | SQL;
};

const entryId = (kind: SearchKind, sourceId: string | SQL) =>
  sql`(select id from search_entry where kind = ${kind} and source_id = ${sourceId})`;

/**
 * Puts one source's entry in the index, or replaces it (an edit): its row in search_entry and its tokens
 * in search_fts under the row's id. Three statements; each writes only where `guard` holds.
 */
export function indexEntry(e: IndexedEntry, guard: SQL = sql`1`): SQL[] {
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

/** Removes one source's entry, if it has one (two statements). */
export const unindexSource = (kind: SearchKind, sourceId: string | SQL, guard: SQL = sql`1`): SQL[] =>
  unindexWhere(sql`kind = ${kind} and source_id = ${sourceId} and ${guard}`);

/** An entry, or its removal when the source has no text to index: what an edit of any source writes. */
export const reindex = (kind: SearchKind, sourceId: string | SQL, e: IndexedEntry | null, guard: SQL): SQL[] =>
  e ? indexEntry(e, guard) : unindexSource(kind, sourceId, guard);

// ---------------------------------------------------------------------------------------------
// Entries of each kind, from the source row (null: the row is not indexed)
// ---------------------------------------------------------------------------------------------

/** An activity log: indexed when its action is searched (reflection, delivery, …) and it says something. */
export function logEntry(log: {
  id: string;
  action: string;
  summary: string;
  agentId: string;
  subTaskId: string | null;
  taskId: string | null | SQL;
  createdAt: string;
}): IndexedEntry | null {
  if (!isOneOf(SEARCHED_LOG_ACTIONS, log.action) || log.summary === "") return null;
  return {
    kind: log.action,
    sourceId: log.id,
    taskId: log.taskId,
    subTaskId: log.subTaskId,
    agentId: log.agentId,
    tag: null,
    text: log.summary,
    createdAt: log.createdAt,
  };
}

/** A review record with issues or a comment; its task is its sub-task's. */
export function reviewEntry(
  r: {
    id: string;
    subTaskId: string;
    reviewerAgent: string;
    result: string;
    issues: string;
    comment: string;
    createdAt: string;
  },
  taskId: string | SQL,
): IndexedEntry | null {
  if (!reviewHasText(r)) return null;
  return {
    kind: "review",
    sourceId: r.id,
    taskId,
    subTaskId: r.subTaskId,
    agentId: r.reviewerAgent,
    tag: r.result,
    text: reviewText(r),
    createdAt: r.createdAt,
  };
}

/** A rule with content; tagged with its scope. */
export function ruleEntry(r: {
  id: string | SQL;
  scope: string | SQL;
  taskId: string | null | SQL;
  subTaskId: string | null | SQL;
  content: string;
  createdAt: string | SQL;
}): IndexedEntry | null {
  if (r.content === "") return null;
  return {
    kind: "rule",
    sourceId: r.id,
    taskId: r.taskId,
    subTaskId: r.subTaskId,
    agentId: null,
    tag: r.scope,
    text: r.content,
    createdAt: r.createdAt,
  };
}

/** A sub-task: always indexed (its name is never empty). */
export function subTaskEntry(s: {
  id: string;
  taskId: string;
  name: string;
  description: string;
  deliverable: string;
  acceptance: string;
  createdAt: string;
}): IndexedEntry {
  return {
    kind: "sub_task",
    sourceId: s.id,
    taskId: s.taskId,
    subTaskId: s.id,
    agentId: null,
    tag: null,
    text: subTaskText(s),
    createdAt: s.createdAt,
  };
}

/** `indexEntry` of an entry that may be null (an unindexed source): nothing then. */
export const indexIf = (e: IndexedEntry | null, guard: SQL = sql`1`): SQL[] => (e ? indexEntry(e, guard) : []);
