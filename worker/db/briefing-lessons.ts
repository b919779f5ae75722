// The briefing's lessons (domain/briefing-lessons.ts): one statement for all the sub-tasks, a UNION ALL
// of one arm per sub-task (nested in groups of five: D1's limit on a compound SELECT). Each arm takes the newest `window` index entries matching the sub-task's
// words (search_fts walks its rowids newest first and stops there), keeps the reflections and the
// rejected reviews among them, and ranks those by bm25. Rows read: at most `window` matches and as
// many entries per arm, whatever the size of the index.
import { type SQL, sql } from "drizzle-orm";
import {
  type BriefLesson,
  LESSON_LIMITS,
  type LessonArm,
  type LessonRow,
  lessonMatch,
  lessonTerms,
  pickLessons,
} from "../domain/briefing-lessons";
import type { Db } from "./client";

/** A sub-task searched for: what its words come from. */
export interface LessonSubject {
  id: string;
  name: string;
  description: string;
}

/**
 * Entries of the sub-task itself are left out (its holder sees its own reflections and latest review in
 * the briefing already), except its earlier rejections: after a rework, what the round before the last
 * one said is a lesson the latest review does not repeat.
 */
const notItsOwn = (subTaskId: string) =>
  sql`(e.sub_task_id is not ${subTaskId} or (e.kind = 'review' and e.source_id is not
    (select r.id from review_record r where r.sub_task_id = ${subTaskId} order by r.round desc limit 1)))`;

// Numbers of ours, written into the text: D1 binds at most 100 parameters, kept for the stored words and ids.
const WINDOW = sql.raw(String(LESSON_LIMITS.window));
const PER_SUB_TASK = sql.raw(String(LESSON_LIMITS.perSubTask));

const arm = (index: number, match: string, subTaskId: string): SQL =>
  sql`select * from (
    select ${sql.raw(String(index))} as arm, e.id as entryId, e.kind as kind, e.source_id as sourceId, e.text as text,
      e.created_at as createdAt, m.rank as rank
    from (
      select rowid as rid, bm25(search_fts) as rank from search_fts
      where search_fts match ${match} order by rowid desc limit ${WINDOW}
    ) m
    -- CROSS JOIN: the matches drive, each entry by its key. A plain join lets SQLite start from the
    -- kind index instead (every reflection and review there is: rows read grew with the index).
    cross join search_entry e on e.id = m.rid
    where (e.kind = 'reflection' or (e.kind = 'review' and e.tag = 'rejected')) and ${notItsOwn(subTaskId)}
    order by m.rank limit ${PER_SUB_TASK}
  )`;

/** D1 takes at most 5 terms in one compound SELECT; a subquery's compound counts on its own. */
const COMPOUND_TERMS = 5;

/** One SELECT of all the arms: groups of up to 5 in subqueries, nested as deep as needed. */
function unionAll(selects: SQL[]): SQL {
  if (selects.length <= COMPOUND_TERMS) return sql.join(selects, sql` union all `);
  const groups: SQL[] = [];
  for (let i = 0; i < selects.length; i += COMPOUND_TERMS)
    groups.push(sql`select * from (${sql.join(selects.slice(i, i + COMPOUND_TERMS), sql` union all `)})`);
  return unionAll(groups);
}

/**
 * Up to three lessons for each of `subjects` (in briefing order, the first ones first when the byte
 * budget runs out), each once. No statement when no subject has a distinctive word.
 */
export async function briefingLessons(db: Db, subjects: readonly LessonSubject[]): Promise<BriefLesson[]> {
  const arms: LessonArm[] = subjects
    .map((s) => ({ subTaskId: s.id, terms: lessonTerms(s) }))
    .filter((a) => a.terms.length > 0);
  if (arms.length === 0) return [];
  const rows = await db.all<LessonRow>(unionAll(arms.map((a, i) => arm(i, lessonMatch(a.terms), a.subTaskId))));
  return pickLessons(arms, rows);
}
