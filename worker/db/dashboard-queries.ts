// Queries behind the admin dashboard (spec §6.19). Counts are grouped in SQL over indexed columns;
// every trend series is one grouped query over its window, zero-filled here. "Today" and days are UTC.
import { type SQL, sql } from "drizzle-orm";
import type {
  HighlightAgent,
  HighlightReview,
  HighlightSubTask,
  Highlights,
  Overview,
  Trends,
} from "../../contract/api/dashboard";
import {
  AGENT_STATUSES,
  REVIEW_RESULTS,
  ROLES,
  SEVERITIES,
  SUB_TASK_STATUSES,
  TASK_STATUSES,
} from "../../contract/vocabulary";
import { DAY, HOUR, isoMinus } from "../lib/time";
import type { Db } from "./client";
import { activityLog, agent, patrolRecord, requestLog, reviewRecord, rewardLog, subTask, task } from "./schema";

export const REVIEW_WINDOW_DAYS = 7;
const OPEN_TASK_STATUSES = ["planning", "active", "in_progress"] as const;
/** A sub-task in one of these states is someone's open workload. */
const ACTIVE_SUB_TASK_STATUSES = ["assigned", "in_progress", "review", "rework", "blocked"] as const;

const list = (values: readonly string[]): SQL =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

/** `YYYY-MM-DD` of an ISO time (UTC). */
export const dayOf = (iso: string): string => iso.slice(0, 10);
export const utcMidnight = (iso: string): string => `${dayOf(iso)}T00:00:00.000Z`;

/** The `days` UTC calendar days ending with the day of `now`, oldest first. */
export function dayKeys(now: string, days: number): string[] {
  const today = Date.parse(utcMidnight(now));
  return Array.from({ length: days }, (_, i) => new Date(today - (days - 1 - i) * DAY).toISOString().slice(0, 10));
}

/** One point per day, in order; days without a row get `empty`. */
export function zeroFill<T extends object>(
  days: string[],
  rows: (T & { day: string })[],
  empty: T,
): ({ date: string } & T)[] {
  const byDay = new Map(rows.map(({ day, ...rest }) => [day, rest as unknown as T]));
  return days.map((date) => ({ date, ...(byDay.get(date) ?? empty) }));
}

/** Counts for every key of a vocabulary, 0 when absent; values outside it are ignored. */
export function countsFor<K extends string>(
  keys: readonly K[],
  rows: { key: string | null; n: number }[],
): Record<K, number> {
  const out = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const { key, n } of rows) if (key !== null && key in out) out[key as K] += n;
  return out;
}

const sum = (counts: Record<string, number>, keys: readonly string[]) => keys.reduce((s, k) => s + (counts[k] ?? 0), 0);

/** rejected ÷ total × 100, two decimals; 0 without reviews. */
export const rejectRate = (rejected: number, total: number): number =>
  total === 0 ? 0 : Math.round((rejected / total) * 10_000) / 100;

type KeyCount = { key: string | null; n: number };

export async function overview(db: Db, now: string): Promise<Overview> {
  const midnight = utcMidnight(now);
  const windowStart = isoMinus(now, REVIEW_WINDOW_DAYS * DAY);
  const [tasks, subTasks, agents, completed, reviews, score, patrol] = await Promise.all([
    db.all<KeyCount>(sql`select status as key, count(*) as n from ${task} group by status`),
    db.all<KeyCount>(sql`select status as key, count(*) as n from ${subTask} group by status`),
    db.all<{ status: string; role: string; n: number }>(
      sql`select status, role, count(*) as n from ${agent} group by status, role`,
    ),
    // completed_at is set only on the way to `done` (terminal) together with updated_at, so the
    // (status, updated_at) index narrows the scan to today's completions.
    db.all<{ n: number }>(sql`select count(*) as n from ${subTask}
      where status = 'done' and updated_at >= ${midnight} and completed_at >= ${midnight}`),
    // The rolling 7-day window always contains today (UTC midnight is less than 24 h ago).
    db.all<{ key: string; n: number; today: number }>(sql`select result as key, count(*) as n,
      sum(case when created_at >= ${midnight} then 1 else 0 end) as today
      from ${reviewRecord} where created_at >= ${windowStart} group by result`),
    db.all<{ n: number | null }>(sql`select sum(score_delta) as n from ${rewardLog} where created_at >= ${midnight}`),
    db.all<KeyCount>(
      sql`select severity as key, count(*) as n from ${patrolRecord} where status = 'open' group by severity`,
    ),
  ]);
  const taskCounts = countsFor(TASK_STATUSES, tasks);
  const subTaskCounts = countsFor(SUB_TASK_STATUSES, subTasks);
  const agentStatus = countsFor(
    AGENT_STATUSES,
    agents.map((a) => ({ key: a.status, n: a.n })),
  );
  const agentRole = countsFor(
    ROLES,
    agents.map((a) => ({ key: a.role, n: a.n })),
  );
  const todayReviews = countsFor(
    REVIEW_RESULTS,
    reviews.map((r) => ({ key: r.key, n: r.today })),
  );
  const todayReviewCount = reviews.reduce((s, r) => s + r.today, 0);
  const openBySeverity = countsFor(SEVERITIES, patrol);
  return {
    generated_at: now,
    review_window_days: REVIEW_WINDOW_DAYS,
    core_cards: {
      open_task_count: sum(taskCounts, OPEN_TASK_STATUSES),
      active_sub_task_count: sum(subTaskCounts, ACTIVE_SUB_TASK_STATUSES),
      review_queue_count: subTaskCounts.review,
      blocked_sub_task_count: subTaskCounts.blocked,
      active_agent_count: agentStatus.active,
      today_completed_sub_task_count: completed[0]?.n ?? 0,
    },
    secondary_cards: {
      disabled_agent_count: agentStatus.disabled,
      today_review_count: todayReviewCount,
      today_rejected_review_count: todayReviews.rejected,
      today_reject_rate: rejectRate(todayReviews.rejected, todayReviewCount),
      today_net_score_delta: score[0]?.n ?? 0,
    },
    distributions: {
      task_status_distribution: taskCounts,
      sub_task_status_distribution: subTaskCounts,
      agent_status_distribution: agentStatus,
      agent_role_distribution: agentRole,
      review_result_distribution_7d: countsFor(REVIEW_RESULTS, reviews),
    },
    patrol: { open_record_count: patrol.reduce((s, r) => s + r.n, 0), open_by_severity: openBySeverity },
  };
}

const subTasksIn = (db: Db, status: string, limit: number) =>
  db.all<HighlightSubTask>(sql`select s.id as id, s.task_id as task_id, t.name as task_name, s.name as name,
      s.status as status, s.assigned_agent as assigned_agent, a.name as assigned_agent_name,
      s.updated_at as updated_at, s.rework_count as rework_count
    from ${subTask} s left join ${task} t on t.id = s.task_id left join ${agent} a on a.id = s.assigned_agent
    where s.status = ${status} order by s.updated_at desc, s.rowid desc limit ${limit}`);

/** Latest agent call and latest journal entry, each one probe of an (agent, time) index. */
const lastSeenColumns = (alias: SQL) => sql`
  (select max(r.timestamp) from ${requestLog} r where r.agent_id = ${alias}.id) as last_request_at,
  (select max(l.created_at) from ${activityLog} l where l.agent_id = ${alias}.id) as last_activity_at`;

const openCountOf = (alias: SQL) => sql`(select count(*) from ${subTask} s
  where s.assigned_agent = ${alias}.id and s.status in (${list(ACTIVE_SUB_TASK_STATUSES)}))`;

export async function highlights(db: Db, now: string, limit: number, inactiveHours: number): Promise<Highlights> {
  const cutoff = isoMinus(now, inactiveHours * HOUR);
  const [blocked, pendingReview, busy, idle, recent] = await Promise.all([
    subTasksIn(db, "blocked", limit),
    subTasksIn(db, "review", limit),
    // Starts from the open sub-tasks (grouped by owner), so only agents with work are looked at.
    db.all<HighlightAgent>(sql`with w as (
        select assigned_agent as agent_id, count(*) as n from ${subTask}
        where status in (${list(ACTIVE_SUB_TASK_STATUSES)}) and assigned_agent is not null group by assigned_agent)
      select a.id as id, a.name as name, a.role as role, a.status as status, a.total_score as total_score,
        w.n as open_sub_task_count, ${lastSeenColumns(sql`a`)}
      from w join ${agent} a on a.id = w.agent_id
      order by w.n desc, case when a.status = 'active' then 0 else 1 end, last_request_at desc,
        last_activity_at desc, a.created_at asc, a.id asc
      limit ${limit}`),
    // Last seen = the later of the two; never-seen agents first, then the longest silent.
    db.all<HighlightAgent>(sql`with x as (
        select a.id as id, a.name as name, a.role as role, a.status as status, a.total_score as total_score,
          a.created_at as created_at, ${lastSeenColumns(sql`a`)}
        from ${agent} a),
      y as (
        select x.*, case when last_request_at is null then last_activity_at when last_activity_at is null then last_request_at
          when last_request_at > last_activity_at then last_request_at else last_activity_at end as last_seen
        from x),
      z as (
        select * from y where last_seen is null or last_seen < ${cutoff}
        order by last_seen is not null, last_seen asc, created_at asc, id asc limit ${limit})
      select z.id as id, z.name as name, z.role as role, z.status as status, z.total_score as total_score,
        ${openCountOf(sql`z`)} as open_sub_task_count, z.last_request_at as last_request_at, z.last_activity_at as last_activity_at
      from z order by z.last_seen is not null, z.last_seen asc, z.created_at asc, z.id asc`),
    db.all<HighlightReview>(sql`select r.id as id, s.task_id as task_id, t.name as task_name, r.sub_task_id as sub_task_id,
        s.name as sub_task_name, r.reviewer_agent as reviewer_agent, a.name as reviewer_agent_name, r.result as result,
        r.score as score, r.created_at as created_at
      from ${reviewRecord} r left join ${subTask} s on s.id = r.sub_task_id left join ${task} t on t.id = s.task_id
        left join ${agent} a on a.id = r.reviewer_agent
      order by r.created_at desc, r.rowid desc limit ${limit}`),
  ]);
  return {
    generated_at: now,
    limit,
    inactive_hours: inactiveHours,
    blocked_sub_tasks: blocked,
    pending_review_sub_tasks: pendingReview,
    busy_agents: busy,
    low_activity_agents: idle,
    recent_reviews: recent,
  };
}

type DayCount = { day: string; count: number };

export async function trends(db: Db, now: string, days: number): Promise<Trends> {
  const keys = dayKeys(now, days);
  const start = `${keys[0]}T00:00:00.000Z`;
  const perDay = (table: SQL, column: string, extra: SQL = sql``) =>
    db.all<DayCount>(sql`select substr(${sql.raw(column)}, 1, 10) as day, count(*) as count from ${table}
      where ${sql.raw(column)} >= ${start} ${extra} group by day`);
  const [created, completed, reviews, scores, requests, activity] = await Promise.all([
    perDay(sql`${subTask}`, "created_at"),
    // See overview: completions are `done` rows, narrowed by (status, updated_at).
    perDay(sql`${subTask}`, "completed_at", sql`and status = 'done' and updated_at >= ${start}`),
    db.all<{
      day: string;
      total: number;
      approved: number;
      rejected: number;
    }>(sql`select substr(created_at, 1, 10) as day,
        count(*) as total, sum(case when result = 'approved' then 1 else 0 end) as approved,
        sum(case when result = 'rejected' then 1 else 0 end) as rejected
      from ${reviewRecord} where created_at >= ${start} group by day`),
    db.all<{ day: string; positive_score_delta: number; negative_score_delta: number; net_score_delta: number }>(sql`
      select substr(created_at, 1, 10) as day,
        sum(case when score_delta > 0 then score_delta else 0 end) as positive_score_delta,
        sum(case when score_delta < 0 then score_delta else 0 end) as negative_score_delta,
        sum(score_delta) as net_score_delta
      from ${rewardLog} where created_at >= ${start} group by day`),
    perDay(sql`${requestLog}`, "timestamp"),
    perDay(sql`${activityLog}`, "created_at"),
  ]);
  return {
    generated_at: now,
    days,
    start_date: keys[0]!,
    end_date: keys[keys.length - 1]!,
    sub_task_created_trend: zeroFill(keys, created, { count: 0 }),
    sub_task_completed_trend: zeroFill(keys, completed, { count: 0 }),
    review_trend: zeroFill(keys, reviews, { total: 0, approved: 0, rejected: 0 }),
    score_delta_trend: zeroFill(keys, scores, { positive_score_delta: 0, negative_score_delta: 0, net_score_delta: 0 }),
    request_trend: zeroFill(keys, requests, { count: 0 }),
    activity_trend: zeroFill(keys, activity, { count: 0 }),
  };
}
