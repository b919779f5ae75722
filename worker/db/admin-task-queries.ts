// The admin's reads of tasks, modules and sub-tasks (upstream §6.15): filtered, sorted, paged lists
// with per-status sub-task counts and joined names, and the sub-task detail with its whole timeline.
// Joins alias every column (see metered.ts); counts are computed for the page's rows only.
import { and, eq, type SQL, sql } from "drizzle-orm";
import type { AdminSubTask, AdminSubTaskDetail } from "../../contract/api/sub-tasks";
import type { AdminModule, AdminTask } from "../../contract/api/tasks";
import { SUB_TASK_STATUSES, TASK_STATUSES } from "../../contract/vocabulary";
import { text } from "../i18n";
import { badRequest, notFound } from "../lib/errors";
import { type Envelope, envelope, type PageRequest, pageWindow } from "../lib/pagination";
import type { Db } from "./client";
import {
  activityLog,
  agent,
  module,
  patrolRecord,
  reviewRecord,
  rewardLog,
  subTask,
  subTaskEvent,
  task,
} from "./schema";

/** Each list in a sub-task's detail holds its most recent this-many entries (oldest first). */
export const DETAIL_LIMIT = 200;

export const TASK_SORTS = ["created_at", "updated_at", "name", "status"] as const;
export const MODULE_SORTS = ["created_at", "name"] as const;
export const SUB_TASK_SORTS = ["created_at", "updated_at", "priority", "status", "rework_count"] as const;
export type SortOrder = "asc" | "desc";

/** `case <column> when 'a' then 0 when 'b' then 1 … end`, for sorting enums in their natural order. */
const rankOf = (column: string, values: readonly string[]) =>
  `case ${column} ${values.map((v, i) => `when '${v}' then ${i}`).join(" ")} else ${values.length} end`;

/**
 * ORDER BY for a whitelisted sort key on table alias `t`, ties by id ascending. Priority sorts
 * high > medium > low (upstream sorted the strings, high < low < medium); statuses sort in lifecycle order.
 */
function orderBy(t: string, sortBy: string, order: SortOrder): SQL {
  const dir = order === "asc" ? "asc" : "desc";
  const key =
    sortBy === "priority"
      ? rankOf(`${t}.priority`, ["low", "medium", "high"])
      : sortBy === "status"
        ? rankOf(`${t}.status`, t === "st" ? SUB_TASK_STATUSES : TASK_STATUSES)
        : `${t}.${sortBy}`;
  return sql.raw(`${key} ${dir}, ${t}.id asc`);
}

const countColumns = (alias: string) =>
  sql.raw(
    [
      `coalesce(${alias}.sub_task_count, 0) as sub_task_count`,
      ...SUB_TASK_STATUSES.map((s) => `coalesce(${alias}.${s}_count, 0) as ${s}_count`),
    ].join(", "),
  );
const countAggregates = sql.raw(
  ["count(*) as sub_task_count", ...SUB_TASK_STATUSES.map((s) => `sum(status = '${s}') as ${s}_count`)].join(", "),
);

/** Case-insensitive (ASCII) substring match on name or description. */
const keywordMatch = (nameCol: SQL, descCol: SQL, keyword: string): SQL =>
  sql`(instr(lower(${nameCol}), lower(${keyword})) > 0 or instr(lower(${descCol}), lower(${keyword})) > 0)`;

async function total(db: Db, from: SQL, where: SQL | undefined): Promise<number> {
  const [row] = await db.all<{ n: number }>(
    sql`select count(*) as n from ${from} ${where ? sql`where ${where}` : sql``}`,
  );
  return row?.n ?? 0;
}

const limitClause = (page: PageRequest) => {
  const { limit, offset } = pageWindow(page);
  return sql`limit ${limit} offset ${offset}`;
};

// ---------------------------------------------------------------------------------------------
// Tasks
// ---------------------------------------------------------------------------------------------

async function taskItems(db: Db, where: SQL | undefined, order: [string, SortOrder], limit: SQL): Promise<AdminTask[]> {
  return db.all<AdminTask>(sql`
    with page as (select * from ${task} tk ${where ? sql`where ${where}` : sql``} order by ${orderBy("tk", ...order)} ${limit})
    select tk.id as id, tk.name as name, tk.description as description, tk.type as type, tk.status as status, tk.workspace as workspace,
      tk.created_at as created_at, tk.updated_at as updated_at, coalesce(m.n, 0) as module_count, ${countColumns("c")}
    from page tk
    left join (select task_id, count(*) as n from ${module} where task_id in (select id from page) group by task_id) m on m.task_id = tk.id
    left join (select task_id, ${countAggregates} from ${subTask} where task_id in (select id from page) group by task_id) c on c.task_id = tk.id
    order by ${orderBy("tk", ...order)}`);
}

export interface TaskFilters {
  status?: string;
  type?: string;
  keyword?: string;
}

export async function listAdminTasks(
  db: Db,
  f: TaskFilters,
  sortBy: string,
  order: SortOrder,
  page: PageRequest,
): Promise<Envelope<AdminTask>> {
  const where = and(
    f.status ? sql`tk.status = ${f.status}` : undefined,
    f.type ? sql`tk.type = ${f.type}` : undefined,
    f.keyword ? keywordMatch(sql`tk.name`, sql`tk.description`, f.keyword) : undefined,
  );
  const [items, n] = await Promise.all([
    taskItems(db, where, [sortBy, order], limitClause(page)),
    total(db, sql`${task} tk`, where),
  ]);
  return envelope(items, n, page);
}

export async function getAdminTask(db: Db, id: string): Promise<AdminTask> {
  const [item] = await taskItems(db, sql`tk.id = ${id}`, ["created_at", "desc"], sql`limit 1`);
  if (!item) throw notFound("task_not_found", text("taskNotFound", { id }));
  return item;
}

// ---------------------------------------------------------------------------------------------
// Modules
// ---------------------------------------------------------------------------------------------

async function moduleItems(
  db: Db,
  where: SQL,
  order: [string, SortOrder],
  limit: SQL,
): Promise<(AdminModule & { task_name: string | null })[]> {
  return db.all(sql`
    with page as (select * from ${module} md where ${where} order by ${orderBy("md", ...order)} ${limit})
    select md.id as id, md.task_id as task_id, md.name as name, md.description as description, md.created_at as created_at,
      tk.name as task_name, ${countColumns("c")}
    from page md
    left join ${task} tk on tk.id = md.task_id
    left join (select module_id, ${countAggregates} from ${subTask} where module_id in (select id from page) group by module_id) c on c.module_id = md.id
    order by ${orderBy("md", ...order)}`);
}

export async function listAdminModules(
  db: Db,
  taskId: string,
  sortBy: string,
  order: SortOrder,
  page: PageRequest,
): Promise<Envelope<AdminModule>> {
  await assertTaskExists(db, taskId);
  const where = sql`md.task_id = ${taskId}`;
  const [rows, n] = await Promise.all([
    moduleItems(db, where, [sortBy, order], limitClause(page)),
    total(db, sql`${module} md`, where),
  ]);
  return envelope(
    rows.map(({ task_name: _, ...m }) => m),
    n,
    page,
  );
}

export async function getAdminModule(db: Db, id: string): Promise<AdminModule & { task_name: string | null }> {
  const [item] = await moduleItems(db, sql`md.id = ${id}`, ["created_at", "desc"], sql`limit 1`);
  if (!item) throw notFound("module_not_found", text("moduleNotFound", { id }));
  return item;
}

export async function assertTaskExists(db: Db, id: string): Promise<void> {
  const [row] = await db.select({ id: task.id }).from(task).where(eq(task.id, id)).limit(1);
  if (!row) throw notFound("task_not_found", text("taskNotFound", { id }));
}

// ---------------------------------------------------------------------------------------------
// Sub-tasks
// ---------------------------------------------------------------------------------------------

export interface SubTaskFilters {
  task_id?: string;
  module_id?: string;
  /** One round of a recurring task (task_round.id). */
  round_id?: string;
  status?: string;
  assigned_agent?: string;
  priority?: string;
  type?: string;
  keyword?: string;
}

const SUB_TASK_ITEM =
  sql.raw(`st.id as id, st.task_id as task_id, tk.name as task_name, st.module_id as module_id, md.name as module_name,
  st.name as name, st.description as description, st.type as type, st.status as status, st.priority as priority,
  st.assigned_agent as assigned_agent, ag.name as assigned_agent_name, st.current_session_id as current_session_id,
  st.rework_count as rework_count, st.created_at as created_at, st.updated_at as updated_at, st.completed_at as completed_at`);
const SUB_TASK_JOINS = sql`left join ${task} tk on tk.id = st.task_id left join ${module} md on md.id = st.module_id left join ${agent} ag on ag.id = st.assigned_agent`;

/** Sub-tasks by the given filters. A module filter must name a module (404) of the task filtered on (400). */
export async function listAdminSubTasks(
  db: Db,
  f: SubTaskFilters,
  sortBy: string,
  order: SortOrder,
  page: PageRequest,
): Promise<Envelope<AdminSubTask>> {
  if (f.module_id) {
    const [m] = await db.select({ taskId: module.taskId }).from(module).where(eq(module.id, f.module_id)).limit(1);
    if (!m) throw notFound("module_not_found", text("moduleNotFound", { id: f.module_id }));
    if (f.task_id && m.taskId !== f.task_id) throw badRequest("module_mismatch", text("moduleOtherTask"));
  }
  const where = and(
    f.task_id ? sql`st.task_id = ${f.task_id}` : undefined,
    f.module_id ? sql`st.module_id = ${f.module_id}` : undefined,
    f.round_id ? sql`st.round_id = ${f.round_id}` : undefined,
    f.status ? sql`st.status = ${f.status}` : undefined,
    f.assigned_agent ? sql`st.assigned_agent = ${f.assigned_agent}` : undefined,
    f.priority ? sql`st.priority = ${f.priority}` : undefined,
    f.type ? sql`st.type = ${f.type}` : undefined,
    f.keyword ? keywordMatch(sql`st.name`, sql`st.description`, f.keyword) : undefined,
  );
  const whereClause = where ? sql`where ${where}` : sql``;
  const [items, n] = await Promise.all([
    db.all<AdminSubTask>(sql`
      with page as (select * from ${subTask} st ${whereClause} order by ${orderBy("st", sortBy, order)} ${limitClause(page)})
      select ${SUB_TASK_ITEM} from page st ${SUB_TASK_JOINS}
      order by ${orderBy("st", sortBy, order)}`),
    total(db, sql`${subTask} st`, where),
  ]);
  return envelope(items, n, page);
}

/** The list item plus deliverable, acceptance and the sub-task's whole timeline, in one round trip. */
export async function getAdminSubTask(db: Db, id: string): Promise<AdminSubTaskDetail> {
  const recent = (select: SQL, from: SQL, where: SQL) =>
    sql`select * from (${select} ${from} where ${where} order by x.created_at desc, x.rowid desc limit ${DETAIL_LIMIT}) order by created_at asc, rid asc`;
  const [[item], events, reviews, scores, patrols, logs] = await Promise.all([
    db.all<AdminSubTask & { deliverable: string; acceptance: string }>(sql`
      select ${SUB_TASK_ITEM}, st.deliverable as deliverable, st.acceptance as acceptance
      from ${subTask} st ${SUB_TASK_JOINS} where st.id = ${id}`),
    db.all<AdminSubTaskDetail["events"][number]>(
      recent(
        sql`select x.rowid as rid, x.id as id, x.op as op, x.from_status as from_status, x.to_status as to_status, x.actor_kind as actor_kind,
        x.actor_id as actor_id, coalesce(a.name, case when x.actor_kind <> 'agent' then x.actor_kind end) as actor_name, x.detail as detail, x.created_at as created_at`,
        sql`from ${subTaskEvent} x left join ${agent} a on a.id = x.actor_id`,
        sql`x.sub_task_id = ${id}`,
      ),
    ),
    db.all<AdminSubTaskDetail["reviews"][number]>(sql`
      select x.id as id, x.round as round, x.result as result, x.score as score, x.issues as issues, x.comment as comment,
        x.reviewer_agent as reviewer_agent, ra.name as reviewer_agent_name, x.rework_agent as rework_agent, wa.name as rework_agent_name,
        x.created_at as created_at
      from ${reviewRecord} x left join ${agent} ra on ra.id = x.reviewer_agent left join ${agent} wa on wa.id = x.rework_agent
      where x.sub_task_id = ${id} order by x.round asc limit ${DETAIL_LIMIT}`),
    db.all<AdminSubTaskDetail["score_changes"][number]>(
      recent(
        sql`select x.rowid as rid, x.id as id, x.agent_id as agent_id, a.name as agent_name, x.reason as reason, x.score_delta as score_delta, x.created_at as created_at`,
        sql`from ${rewardLog} x left join ${agent} a on a.id = x.agent_id`,
        sql`x.sub_task_id = ${id}`,
      ),
    ),
    db.all<AdminSubTaskDetail["patrol_records"][number]>(
      recent(
        sql`select x.rowid as rid, x.id as id, x.type as type, x.severity as severity, x.agent_id as agent_id, x.description as description,
        x.action_taken as action_taken, x.status as status, x.source as source, x.created_at as created_at, x.last_seen_at as last_seen_at,
        x.resolved_at as resolved_at, x.resolution_note as resolution_note`,
        sql`from ${patrolRecord} x`,
        sql`x.sub_task_id = ${id}`,
      ),
    ),
    db.all<AdminSubTaskDetail["activity_logs"][number]>(
      recent(
        sql`select x.rowid as rid, x.id as id, x.agent_id as agent_id, a.name as agent_name, x.action as action, x.summary as summary,
        x.session_id as session_id, x.created_at as created_at`,
        sql`from ${activityLog} x left join ${agent} a on a.id = x.agent_id`,
        sql`x.sub_task_id = ${id}`,
      ),
    ),
  ]);
  if (!item) throw notFound("sub_task_not_found", text("subTaskNotFound", { id }));
  const strip = <T extends object>(rows: T[]) => rows.map(({ rid: _, ...rest }: T & { rid?: unknown }) => rest as T);
  return {
    ...item,
    events: strip(events),
    reviews,
    score_changes: strip(scores),
    patrol_records: strip(patrols),
    activity_logs: strip(logs),
  };
}
