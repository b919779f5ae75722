// Review records as admins read them (§6.16): each review with its task, module, sub-task and agent
// names joined in, filtered and paged, or one with the sub-task's brief. Agents read plain rows
// (review-reads.ts): another answer shape, paging order and filter set, so another query, not a
// variant of this one.
import { type SQL, sql } from "drizzle-orm";
import type { AdminReview, AdminReviewDetail } from "../../contract/api/records";
import type { ReviewResult } from "../../contract/vocabulary";
import type { SortOrder } from "../domain/ranking";
import type { Envelope, PageRequest } from "../lib/pagination";
import type { Db } from "./client";
import { allOf, byCreatedAt, joinedPage, keywordMatch } from "./joined-page";
import { agent, module, reviewRecord, subTask, task } from "./schema";

export interface ReviewRecordFilter {
  taskId?: string | undefined;
  subTaskId?: string | undefined;
  reviewerAgent?: string | undefined;
  result?: ReviewResult | undefined;
  /** Only reviews written at or after this instant. */
  since?: string | undefined;
  /** In task or sub-task name, comment, issues, reviewer or rework-agent name. */
  keyword?: string | undefined;
}

const REVIEW_SELECT = sql`select r.id as id, s.task_id as task_id, t.name as task_name, s.module_id as module_id, m.name as module_name,
  r.sub_task_id as sub_task_id, s.name as sub_task_name, r.reviewer_agent as reviewer_agent, ra.name as reviewer_agent_name,
  r.round as round, r.result as result, r.score as score, r.issues as issues, r.comment as comment,
  r.rework_agent as rework_agent, wa.name as rework_agent_name, r.created_at as created_at`;
const REVIEW_FROM = sql`from ${reviewRecord} r
  left join ${subTask} s on s.id = r.sub_task_id
  left join ${task} t on t.id = s.task_id
  left join ${module} m on m.id = s.module_id
  left join ${agent} ra on ra.id = r.reviewer_agent
  left join ${agent} wa on wa.id = r.rework_agent`;

function reviewWhere(f: ReviewRecordFilter): SQL {
  const parts: SQL[] = [];
  if (f.taskId) parts.push(sql`s.task_id = ${f.taskId}`);
  if (f.subTaskId) parts.push(sql`r.sub_task_id = ${f.subTaskId}`);
  if (f.reviewerAgent) parts.push(sql`r.reviewer_agent = ${f.reviewerAgent}`);
  if (f.result) parts.push(sql`r.result = ${f.result}`);
  if (f.since) parts.push(sql`r.created_at >= ${f.since}`);
  if (f.keyword) {
    const named = [sql`t.name`, sql`s.name`, sql`r.comment`, sql`r.issues`, sql`ra.name`, sql`wa.name`];
    parts.push(keywordMatch(f.keyword, named));
  }
  return allOf(parts);
}

/** One page of reviews with names, by creation time. */
export function reviewRecordPage(
  db: Db,
  filter: ReviewRecordFilter,
  order: SortOrder,
  paging: PageRequest,
): Promise<Envelope<AdminReview>> {
  const query = {
    select: REVIEW_SELECT,
    from: REVIEW_FROM,
    where: reviewWhere(filter),
    orderBy: byCreatedAt("r", order),
  };
  return joinedPage<AdminReview>(db, query, paging);
}

/** One review with names and its sub-task's description, deliverable and acceptance; undefined if none. */
export async function reviewRecordDetail(db: Db, id: string): Promise<AdminReviewDetail | undefined> {
  const [row] = await db.all<AdminReviewDetail>(sql`${REVIEW_SELECT},
    s.description as sub_task_description, s.deliverable as sub_task_deliverable, s.acceptance as sub_task_acceptance
    ${REVIEW_FROM} where r.id = ${id}`);
  return row;
}
