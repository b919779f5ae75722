// The reads of one retrospective generation (docs/retrospectives.md): one statement per kind of fact,
// for the team and every agent at once (the composer splits them per agent). Each is bounded by the
// period through an index on created_at or (status, updated_at), so rows read grow with the period's
// activity, not with history.
import { sql } from "drizzle-orm";
import type { RetroKeys } from "../../contract/api/retrospective-body";
import type { RetroPeriodKind } from "../../contract/vocabulary";
import type { RetroRows } from "../domain/retro-compose";
import type { PreviousKeys } from "../domain/retro-patterns";
import type { Db } from "./client";
import { activityLog, agent, patrolRecord, reviewRecord, rewardLog, subTask } from "./schema";
import { retrospective } from "./schema-retrospectives";

/** Earlier team retrospectives whose keys decide "again" (the last week of days, the last month of weeks). */
export const LOOKBACK = { daily: 7, weekly: 4 } as const;

/** Statements readPeriod runs (the benchmark and the budget test count them). */
export const PERIOD_READS = 7;

type ReviewRow = Omit<RetroRows["reviews"][number], "subTaskName" | "taskId" | "templateKey"> & {
  subTask: string | null;
};

/**
 * Q1: every review of the period (ix_review_record_created). Only rejections need their sub-task, so
 * only they look it up, as one JSON array; approvals are counted and carry no text.
 */
const reviewsOf = (db: Db, from: string, to: string) =>
  db.all<ReviewRow>(sql`
    select r.id, r.sub_task_id as subTaskId, r.round, r.result, r.score,
      case when r.result = 'rejected' then r.issues else '' end as issues,
      r.reviewer_agent as reviewerAgent, r.executor_agent as executorAgent, r.created_at as createdAt,
      case when r.result = 'rejected' then (select json_array(s.name, s.task_id, json_extract(s.recurring_config, '$.key'))
        from ${subTask} s where s.id = r.sub_task_id) end as subTask
    from ${reviewRecord} r
    where r.created_at >= ${from} and r.created_at < ${to}`);

/**
 * Q2: reflections and retro logs. The CROSS JOIN makes SQLite start from the (small) agent table and
 * seek ix_activity_log_agent_action_created per agent; a plain join walks every log of the period.
 */
const reflectionsOf = (db: Db, from: string, to: string) =>
  db.all<RetroRows["reflections"][number]>(sql`
    select l.id, a.id as agentId, l.action, l.summary, l.sub_task_id as subTaskId, l.created_at as createdAt
    from ${agent} a cross join ${activityLog} l
      on l.agent_id = a.id and l.action in ('reflection', 'retro') and l.created_at >= ${from} and l.created_at < ${to}`);

/** Q3: anomalies by type, severity and agent (ix_patrol_record_status_created, one range per status). */
const anomaliesOf = (db: Db, from: string, to: string) =>
  db.all<RetroRows["anomalies"][number]>(sql`
    select type, severity, agent_id as agentId, count(*) as n from ${patrolRecord}
    where status in ('open', 'resolved', 'ignored') and created_at >= ${from} and created_at < ${to}
    group by type, severity, agent_id`);

/** Q4: each agent's score movement. */
const scoresOf = (db: Db, from: string, to: string) =>
  db.all<RetroRows["scores"][number]>(sql`
    select agent_id as agentId, sum(score_delta) as net, sum(min(score_delta, 0)) as lost, count(*) as n
    from ${rewardLog} where created_at >= ${from} and created_at < ${to} group by agent_id`);

/**
 * Q5: sub-tasks finished in the period (ix_sub_task_status_updated: a done row's updated_at is at or
 * after its completed_at, so the updated_at bound is exact and only narrows the scan). Top-N in JS:
 * sorting in SQL reads the rows several times over.
 */
const doneOf = (db: Db, from: string, to: string) =>
  db.all<RetroRows["done"][number]>(sql`
    select id, name, task_id as taskId, assigned_agent as assignedAgent, created_at as createdAt,
      started_at as startedAt, completed_at as completedAt, rework_count as reworkCount
    from ${subTask} where status = 'done' and updated_at >= ${from} and completed_at >= ${from} and completed_at < ${to}`);

/** Q6: the keys of the last team retrospectives of this kind before the period, newest first. */
async function previousKeysOf(db: Db, kind: RetroPeriodKind, before: string): Promise<PreviousKeys[]> {
  const rows = await db.all<{ periodKey: string; keys: string | null }>(sql`
    select period_key as periodKey, json_extract(body, '$.keys') as keys from ${retrospective}
    where scope = 'team' and period_kind = ${kind} and period_start < ${before}
    order by period_start desc limit ${LOOKBACK[kind]}`);
  return rows.map((r) => ({ periodKey: r.periodKey, keys: parseKeys(r.keys) }));
}

function parseKeys(raw: string | null): RetroKeys {
  const keys = raw ? (JSON.parse(raw) as Partial<RetroKeys>) : {};
  return { issue: keys.issue ?? {}, type: keys.type ?? {} };
}

/** Q7: every agent's display name, for the stored text. */
export const agentNames = async (db: Db): Promise<Map<string, string>> =>
  new Map((await db.all<{ id: string; name: string }>(sql`select id, name from ${agent}`)).map((a) => [a.id, a.name]));

export interface PeriodFacts {
  rows: RetroRows;
  previous: PreviousKeys[];
  names: Map<string, string>;
}

/** Everything a period's retrospectives are made of: PERIOD_READS statements. */
export async function readPeriod(db: Db, kind: RetroPeriodKind, from: string, to: string): Promise<PeriodFacts> {
  const [reviews, reflections, anomalies, scores, done, previous, names] = await Promise.all([
    reviewsOf(db, from, to),
    reflectionsOf(db, from, to),
    anomaliesOf(db, from, to),
    scoresOf(db, from, to),
    doneOf(db, from, to),
    previousKeysOf(db, kind, from),
    agentNames(db),
  ]);
  return {
    rows: {
      reviews: reviews.map(({ subTask: joined, ...r }) => {
        const [subTaskName, taskId, templateKey] = joined
          ? (JSON.parse(joined) as [string, string, string | null])
          : ["", "", null];
        return { ...r, subTaskName, taskId, templateKey };
      }),
      reflections,
      anomalies,
      scores,
      done,
    },
    previous,
    names,
  };
}
