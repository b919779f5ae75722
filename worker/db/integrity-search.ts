// What the invariant checker reads of the team memory index (domain/integrity-search.ts), as named
// queries for the one batch of db/integrity.ts. SQL compares every entry with its source and the FTS
// rows with the entries, and answers only the disagreements (at most SEARCH_PROBLEMS_READ), so the texts
// stay in the database however large the index grows. One query of three parts, each a compound SELECT
// of its own: D1 caps the terms of one compound SELECT at a handful.
import { sql } from "drizzle-orm";
import { SEARCHED_LOG_ACTIONS } from "../../contract/vocabulary";
import type { SearchProblem } from "../domain/integrity-search";
import type { Db } from "./client";

/** Disagreements read, at most (the checker lists 100 violations in all). */
export const SEARCH_PROBLEMS_READ = 100;

const logActions = sql.join(
  SEARCHED_LOG_ACTIONS.map((a) => sql`${a}`),
  sql`, `,
);

/**
 * `e` (search_entry) against its source's composed columns: a problem text, or null when they agree.
 * Arguments are SQL expressions over the source's alias (migration 0010 composes the same).
 */
const differs = (c: {
  source: string;
  empty: string;
  text: string;
  taskId: string;
  subTaskId: string;
  agentId: string;
  tag: string;
}) =>
  sql.raw(`case when ${c.source} is null then 'its source row does not exist'
    when ${c.empty} then 'its source has no text to index'
    when e.text is not ${c.text} then 'text differs from its source''s'
    when e.task_id is not ${c.taskId} then 'task_id ' || coalesce(e.task_id, 'null') || ', its source''s is ' || coalesce(${c.taskId}, 'null')
    when e.sub_task_id is not ${c.subTaskId} then 'sub_task_id ' || coalesce(e.sub_task_id, 'null') || ', its source''s is ' || coalesce(${c.subTaskId}, 'null')
    when e.agent_id is not ${c.agentId} then 'agent_id differs from its source''s'
    when e.tag is not ${c.tag} then 'tag ' || coalesce(e.tag, 'null') || ', its source''s is ' || coalesce(${c.tag}, 'null')
    end`);

/**
 * (a, b) Every entry has its source, which still has text, and equals what the source composes to. A
 * review's task is its sub-task's: when that sub-task is gone, the reference invariant reports it.
 */
const staleEntries = sql`select 'stale' as problem, e.kind as kind, e.source_id as source_id, e.id as entry_id, case
      when e.kind in (${logActions}) then ${differs({ source: "l.id", empty: "l.summary = ''", text: "l.summary", taskId: "l.task_id", subTaskId: "l.sub_task_id", agentId: "l.agent_id", tag: "null" })}
      when e.kind = 'review' then ${differs({ source: "r.id", empty: "r.issues = '' and r.comment = ''", text: "r.issues || char(10) || r.comment", taskId: "coalesce(rs.task_id, e.task_id)", subTaskId: "r.sub_task_id", agentId: "r.reviewer_agent", tag: "r.result" })}
      when e.kind = 'rule' then ${differs({ source: "ru.id", empty: "ru.content = ''", text: "ru.content", taskId: "ru.task_id", subTaskId: "ru.sub_task_id", agentId: "null", tag: "ru.scope" })}
      when e.kind = 'sub_task' then ${differs({ source: "s.id", empty: "0", text: "s.name || char(10) || s.description || char(10) || s.deliverable || char(10) || s.acceptance", taskId: "s.task_id", subTaskId: "s.id", agentId: "null", tag: "null" })}
      else 'unknown kind' end as detail
    from search_entry e
      left join activity_log l on e.kind in (${logActions}) and l.id = e.source_id and l.action = e.kind
      left join review_record r on e.kind = 'review' and r.id = e.source_id
      left join sub_task rs on rs.id = r.sub_task_id
      left join rule ru on e.kind = 'rule' and ru.id = e.source_id
      left join sub_task s on e.kind = 'sub_task' and s.id = e.source_id`;

/** (a) Every indexable source has an entry. */
const missingEntries = sql`select 'missing' as problem, l.action as kind, l.id as source_id, null as entry_id, 'no search entry' as detail
      from activity_log l where l.action in (${logActions}) and l.summary <> ''
        and not exists (select 1 from search_entry e where e.kind = l.action and e.source_id = l.id)
    union all
    select 'missing', 'review', r.id, null, 'no search entry' from review_record r
      where (r.issues <> '' or r.comment <> '')
        and not exists (select 1 from search_entry e where e.kind = 'review' and e.source_id = r.id)
    union all
    select 'missing', 'rule', r.id, null, 'no search entry' from rule r
      where r.content <> '' and not exists (select 1 from search_entry e where e.kind = 'rule' and e.source_id = r.id)
    union all
    select 'missing', 'sub_task', s.id, null, 'no search entry' from sub_task s
      where not exists (select 1 from search_entry e where e.kind = 'sub_task' and e.source_id = s.id)`;

/** (c) Tokens exist exactly for the entries marked indexed (search_fts's rowid is the entry's id). */
const tokenMismatches = sql`select 'tokens' as problem, e.kind as kind, e.source_id as source_id, e.id as entry_id,
        'indexed = 1 but search_fts has no row for it' as detail
      from search_entry e where e.indexed = 1 and not exists (select 1 from search_fts f where f.rowid = e.id)
    union all
    select 'tokens', e.kind, e.source_id, f.rowid,
        case when e.id is null then 'search_fts has a row for an entry that does not exist'
          else 'indexed = 0 (waiting for the back-fill) but search_fts already has its tokens' end
      from search_fts f left join search_entry e on e.id = f.rowid
      where e.id is null or e.indexed = 0`;

export const searchIntegrityQueries = (db: Db) => ({
  // A select over an SQL subquery: drizzle's batch takes query builders (not db.all).
  searchEntries: db
    .select({
      problem: sql<SearchProblem["problem"]>`problem`,
      kind: sql<string | null>`kind`,
      source_id: sql<string | null>`source_id`,
      entry_id: sql<number | null>`entry_id`,
      detail: sql<string | null>`detail`,
    })
    .from(
      sql`(select * from (${staleEntries}) union all select * from (${missingEntries})
        union all select * from (${tokenMismatches})) as search_problem`,
    )
    .where(sql`detail is not null`)
    .limit(SEARCH_PROBLEMS_READ),
});
