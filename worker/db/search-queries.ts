// The team memory search's read (docs/search.md): FTS5 finds the entries, bm25 ranks them, search_entry
// gives their columns and the filters. One statement.
import { inArray, type SQL, sql } from "drizzle-orm";
import { SEARCH_KINDS, type SearchKind } from "../../contract/vocabulary";
import { SYSTEM_AGENT_ID } from "../patrol/run";
import type { Db } from "./client";
import { agent, subTask } from "./schema";
import { searchEntry } from "./schema-search";

/**
 * How many of the newest matches are ranked. A common word matches a large share of 100,000 entries;
 * ranking them all would read every one. The newest RANKED_MATCHES are what team memory is for, and
 * `capped` tells the reader to narrow the query when there were more.
 */
export const RANKED_MATCHES = 500;

export interface SearchFilter {
  /** A MATCH expression from domain/search-query.ts (never the user's text itself). */
  match: string;
  /** Only these kinds (the ones asked for that the reader may read); undefined: every kind. */
  kinds: readonly SearchKind[] | undefined;
  taskId: string | undefined;
  limit: number;
}

export interface SearchRow {
  id: number;
  kind: SearchKind;
  sourceId: string;
  taskId: string | null;
  subTaskId: string | null;
  subTaskName: string | null;
  agentId: string | null;
  agentName: string | null;
  tag: string | null;
  text: string;
  createdAt: string;
  score: number;
}

export interface SearchAnswer {
  rows: SearchRow[];
  /** RANKED_MATCHES entries matched (within the task, when filtered by one): older ones were not ranked. */
  capped: boolean;
}

/** The same author name as the activity lists: null for a deleted agent, "system" for the server's own logs. */
const authorName = sql`case when ${agent.id} is null and ${searchEntry.agentId} = ${SYSTEM_AGENT_ID}
  then ${SYSTEM_AGENT_ID} else ${agent.name} end`;

/**
 * The best `limit` entries among the newest RANKED_MATCHES that match, best first (bm25: lower is
 * better), ties newest first. A task filter applies inside the FTS scan (a task's entries are few and
 * indexed by task_id, and a task's older hits would otherwise fall behind the newest matches of all
 * tasks); a kinds filter applies to the ranked matches (docs/search.md has the rows-read figures).
 */
export async function searchEntries(db: Db, f: SearchFilter): Promise<SearchAnswer> {
  const inTask: SQL = f.taskId
    ? sql`and rowid in (select ${searchEntry.id} from ${searchEntry} where ${searchEntry.taskId} = ${f.taskId})`
    : sql``;
  // `cross join` keeps the ranked matches the outer loop: otherwise SQLite may walk every entry of the
  // kinds through the (kind, source_id) index, which grows with the index rather than with the matches.
  const ofKinds: SQL =
    f.kinds && f.kinds.length < SEARCH_KINDS.length
      ? sql`cross join ${searchEntry} on ${searchEntry.id} = matched.id and ${inArray(searchEntry.kind, [...f.kinds])}`
      : sql``;
  // `matched` is materialized: read twice (to pick, and to count) but scanned once. Names are joined to
  // the `limit` picked rows only; the outer `left join` keeps one row when nothing is picked, for the count.
  const rows = await db.all<SearchRow & { matched: number }>(sql`
    with matched as materialized (
      select rowid as id, bm25(search_fts) as score from search_fts
      where search_fts match ${f.match} ${inTask}
      order by rowid desc limit ${RANKED_MATCHES}
    ),
    picked as (
      select matched.id as id, matched.score as score from matched ${ofKinds}
      order by matched.score, matched.id desc
      limit ${f.limit}
    )
    select ${searchEntry.id} as id, ${searchEntry.kind} as kind, ${searchEntry.sourceId} as sourceId,
      ${searchEntry.taskId} as taskId, ${searchEntry.subTaskId} as subTaskId, ${subTask.name} as subTaskName,
      ${searchEntry.agentId} as agentId, ${authorName} as agentName, ${searchEntry.tag} as tag,
      ${searchEntry.text} as text, ${searchEntry.createdAt} as createdAt, picked.score as score,
      (select count(*) from matched) as matched
    from (select 1) left join picked on 1
    left join ${searchEntry} on ${searchEntry.id} = picked.id
    left join ${subTask} on ${subTask.id} = ${searchEntry.subTaskId}
    left join ${agent} on ${agent.id} = ${searchEntry.agentId}
    order by picked.score, picked.id desc`);
  const matched = rows[0]?.matched ?? 0;
  return {
    rows: rows.filter((r) => r.id !== null).map(({ matched: _matched, ...row }) => row),
    capped: matched >= RANKED_MATCHES,
  };
}
