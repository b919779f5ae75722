// The queries behind GET /api/agents/me/briefing. Every one walks an index and stops at a small limit,
// so rows read follow what the caller holds and its queue, not the size of the database.
import { aliasedTable, and, asc, desc, eq, gte, inArray, sql } from "drizzle-orm";
import type { Role, SubTaskStatus } from "../../contract/vocabulary";
import type { AgentRow } from "../app-types";
import { type BriefAnomaly, firstLine, BRIEFING_LIMITS as LIMITS, nextSteps } from "../domain/briefing";
import { LESSON_LIMITS } from "../domain/briefing-lessons";
import { briefRetrospective } from "../domain/briefing-retro";
import { taskWorkspace } from "../domain/rules";
import { type Clipped, clip } from "../domain/text-rules";
import { catalogue, type Language } from "../i18n";
import { DAY, isoPlus } from "../lib/time";
import { briefingLessons, type LessonSubject } from "./briefing-lessons";
import { briefingRules } from "./briefing-rules";
import type { Db } from "./client";
import type { SubTaskRow } from "./execute-transition";
import { takePendingRetrospective } from "./retrospectives";
import { activityLog, agent, patrolRecord, reviewRecord, rewardLog, subTask, task } from "./schema";
import { taskSchedule } from "./schema-recurring";
import type { Settings } from "./settings";
import { claimableNow } from "./sub-tasks";

const HELD: SubTaskStatus[] = ["assigned", "in_progress", "review", "rework", "blocked"];
/** Held sub-tasks the executor works on now or next: lessons help there (not in review, not blocked). */
const WORKING: ReadonlySet<SubTaskStatus> = new Set(["assigned", "in_progress", "rework"]);
/** Characters of a previous verdict's first issue line in a queue item. */
const FIRST_ISSUE_MAX = 200;

/** Tracks whether anything was left out, so the response can say so. */
class Cutter {
  cut = false;
  text(value: string, max: number = LIMITS.text): string {
    const clipped: Clipped = clip(value, max);
    this.cut ||= clipped.cut;
    return clipped.text;
  }
  /** Lists are fetched with one extra row: its presence means there is more. */
  list<T>(rows: T[], max: number): T[] {
    if (rows.length <= max) return rows;
    this.cut = true;
    return rows.slice(0, max);
  }
}

const queueItem = (s: SubTaskRow) => ({
  id: s.id,
  task_id: s.taskId,
  name: s.name,
  status: s.status,
  priority: s.priority,
  assigned_agent: s.assignedAgent,
  rework_count: s.reworkCount,
  updated_at: s.updatedAt,
  latest_review: null,
});

const subTaskQueue = (db: Db, where: ReturnType<typeof and>, order: ReturnType<typeof asc>[]) =>
  db
    .select()
    .from(subTask)
    .where(where)
    .orderBy(...order)
    .limit(LIMITS.queue + 1);

const taskQueue = (db: Db, where: ReturnType<typeof and>, order: ReturnType<typeof asc>) =>
  db
    .select({ id: task.id, name: task.name, status: task.status, type: task.type, updated_at: task.updatedAt })
    .from(task)
    .where(where)
    .orderBy(order)
    .limit(LIMITS.queue + 1);

/**
 * A completed task's closing report: a delivery log naming the task and no sub-task, written by a
 * planner (ix_activity_log_task_action, then the author by primary key). Any agent may write a
 * task-level delivery log; only a planner's silences the planners' reminder.
 */
const closingReportWritten = sql`exists (select 1 from ${activityLog} join ${agent} on ${agent.id} = ${activityLog.agentId}
  where ${activityLog.taskId} = ${task.id} and ${activityLog.action} = 'delivery' and ${activityLog.subTaskId} is null
  and ${agent.role} = 'planner')`;

const holder = aliasedTable(agent, "holder");

/** Open patrol records, newest first, with the names of the sub-task and agent they are about. */
const openAnomalies = (db: Db) =>
  db
    .select({
      id: patrolRecord.id,
      type: patrolRecord.type,
      severity: patrolRecord.severity,
      subTaskId: patrolRecord.subTaskId,
      agentId: patrolRecord.agentId,
      description: patrolRecord.description,
      source: patrolRecord.source,
      createdAt: patrolRecord.createdAt,
      lastSeenAt: patrolRecord.lastSeenAt,
      // Aliased: both tables have a `name` column.
      subTaskName: sql<string | null>`${subTask.name}`.as("sub_task_name"),
      subTaskStatus: sql<SubTaskStatus | null>`${subTask.status}`.as("sub_task_status"),
      agentName: sql<string | null>`${holder.name}`.as("agent_name"),
    })
    .from(patrolRecord)
    .leftJoin(subTask, eq(subTask.id, patrolRecord.subTaskId))
    .leftJoin(holder, eq(holder.id, patrolRecord.agentId))
    .where(eq(patrolRecord.status, "open"))
    .orderBy(desc(patrolRecord.createdAt))
    .limit(LIMITS.queue + 1);

type TaskBriefRow = Awaited<ReturnType<typeof taskQueue>>[number];
type AnomalyRow = Awaited<ReturnType<typeof openAnomalies>>[number];

/** The lists of one role (the others are absent). */
interface RoleQueue {
  available?: SubTaskRow[];
  awaiting_review?: SubTaskRow[];
  blocked?: SubTaskRow[];
  tasks_to_decompose?: TaskBriefRow[];
  recently_completed?: TaskBriefRow[];
  open_anomalies?: AnomalyRow[];
}

/** The role's own work list(s), cut to size. Sub-task lists keep their rows for the rules and reviews. */
async function roleQueue(db: Db, role: Role, now: string, cut: Cutter): Promise<RoleQueue> {
  const subTasks = (rows: SubTaskRow[]) => cut.list(rows, LIMITS.queue);
  switch (role) {
    case "executor":
      return { available: subTasks(await subTaskQueue(db, claimableNow, [desc(subTask.createdAt), desc(subTask.id)])) };
    case "reviewer":
      // Oldest submission first: nobody waits behind newer work.
      return {
        awaiting_review: subTasks(await subTaskQueue(db, eq(subTask.status, "review"), [asc(subTask.updatedAt)])),
      };
    case "planner": {
      const [blocked, toDecompose, completed] = await Promise.all([
        subTaskQueue(db, eq(subTask.status, "blocked"), [asc(subTask.updatedAt)]),
        taskQueue(
          db,
          and(
            inArray(task.status, ["planning", "active"]),
            sql`not exists (select 1 from ${subTask} where ${subTask.taskId} = ${task.id})`,
            // A scheduled task's rounds come from its template: nothing for a planner to split.
            sql`not exists (select 1 from ${taskSchedule} where ${taskSchedule.taskId} = ${task.id})`,
          ),
          asc(task.createdAt),
        ),
        // Completed lately and still waiting for its closing report.
        taskQueue(
          db,
          and(
            eq(task.status, "completed"),
            gte(task.updatedAt, isoPlus(now, -LIMITS.recentDays * DAY)),
            sql`not ${closingReportWritten}`,
          ),
          desc(task.updatedAt),
        ),
      ]);
      return {
        blocked: subTasks(blocked),
        tasks_to_decompose: cut.list(toDecompose, LIMITS.queue),
        recently_completed: cut.list(completed, LIMITS.queue),
      };
    }
    case "patrol":
      return { open_anomalies: cut.list(await openAnomalies(db), LIMITS.queue) };
  }
}

const anomalyJson = (cut: Cutter) => (a: AnomalyRow) =>
  ({
    id: a.id,
    type: a.type,
    severity: a.severity,
    sub_task_id: a.subTaskId,
    sub_task_name: a.subTaskName,
    sub_task_status: a.subTaskStatus,
    agent_id: a.agentId,
    agent_name: a.agentName,
    description: cut.text(a.description),
    source: a.source,
    created_at: a.createdAt,
    last_seen_at: a.lastSeenAt,
  }) satisfies BriefAnomaly & Record<string, unknown>;

/**
 * The sub-tasks an executor gets lessons for: those it works on now, and when it has nothing to work
 * on (all it holds is in review), the top of its queue, what it is about to claim. Other roles: none.
 */
function lessonSubjects(role: Role, mine: SubTaskRow[], available: SubTaskRow[]): LessonSubject[] {
  if (role !== "executor") return [];
  const working = mine.filter((s) => WORKING.has(s.status));
  const idle = mine.every((s) => s.status === "review");
  return [...working, ...(idle ? available.slice(0, LESSON_LIMITS.available) : [])];
}

export interface BriefingContext {
  db: Db;
  me: AgentRow;
  settings: Settings;
  now: string;
  cli: { update_available: boolean; latest_version: number | null; update_instructions: string };
  /** Send the rules even when the agent was sent this revision before. */
  fullRules: boolean;
  /** The language of the next steps (the response's). */
  lang: Language;
}

export async function loadBriefing({ db, me, settings, now, cli, fullRules, lang }: BriefingContext) {
  const role = me.role;
  const cut = new Cutter();
  const [mineRows, higher, agents, changes, reflections, queue, pendingRetro] = await Promise.all([
    db
      .select()
      .from(subTask)
      .where(and(eq(subTask.assignedAgent, me.id), inArray(subTask.status, HELD)))
      .orderBy(desc(subTask.updatedAt))
      .limit(LIMITS.mySubTasks + 1),
    db.$count(agent, sql`${agent.totalScore} > ${me.totalScore}`),
    db.$count(agent),
    db
      .select()
      .from(rewardLog)
      .where(eq(rewardLog.agentId, me.id))
      .orderBy(desc(rewardLog.createdAt), sql`rowid desc`)
      .limit(LIMITS.scoreChanges),
    db
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.agentId, me.id), eq(activityLog.action, "reflection")))
      .orderBy(desc(activityLog.createdAt))
      .limit(LIMITS.reflections),
    roleQueue(db, role, now, cut),
    // Nothing pending (the agent row is read anyway): no query at all.
    me.pendingRetroId ? takePendingRetrospective(db, me.id, me.pendingRetroId) : undefined,
  ]);
  const retrospective = pendingRetro ? briefRetrospective(pendingRetro, role, (t, max) => cut.text(t, max)) : null;

  const mine = cut.list(mineRows, LIMITS.mySubTasks);
  // The work whose rules apply: what the agent holds and what its queue offers it.
  const queued: SubTaskRow[] = [...(queue.available ?? []), ...(queue.awaiting_review ?? []), ...(queue.blocked ?? [])];
  const subTaskNames = new Map([...mine, ...queued].map((s) => [s.id, s.name]));
  const taskIds = [
    ...new Set([...mine, ...queued].map((s) => s.taskId).concat((queue.tasks_to_decompose ?? []).map((t) => t.id))),
  ];
  const reviewed = [...mine.map((s) => s.id), ...(queue.awaiting_review ?? []).map((s) => s.id)];
  const [reviews, tasks] = await Promise.all([
    reviewed.length === 0
      ? []
      : db
          .select()
          .from(reviewRecord)
          .where(
            and(
              inArray(reviewRecord.subTaskId, reviewed),
              sql`${reviewRecord.round} = (select max(r2.round) from ${reviewRecord} r2 where r2.sub_task_id = ${reviewRecord.subTaskId})`,
            ),
          ),
    taskIds.length === 0
      ? []
      : db
          .select({ id: task.id, name: task.name, workspace: task.workspace })
          .from(task)
          .where(inArray(task.id, taskIds)),
  ]);
  const [rules, lessons] = await Promise.all([
    briefingRules(db, me, { tasks: new Map(tasks.map((t) => [t.id, t])), subTasks: subTaskNames }, settings, fullRules),
    briefingLessons(db, lessonSubjects(role, mine, queue.available ?? [])),
  ]);
  // Where each task's shared work lives: its own workspace, else the default the global rule describes.
  const workspaces = new Map(tasks.map((t) => [t.id, taskWorkspace(t, settings["workspace.root"])]));

  const latestReview = new Map(reviews.map((r) => [r.subTaskId, r]));
  const my_sub_tasks = mine.map((s) => {
    const r = latestReview.get(s.id);
    return {
      ...queueItem(s),
      description: cut.text(s.description),
      deliverable: cut.text(s.deliverable),
      acceptance: cut.text(s.acceptance),
      workspace: workspaces.get(s.taskId) ?? "",
      latest_review: r
        ? {
            round: r.round,
            result: r.result,
            score: r.score,
            comment: cut.text(r.comment),
            issues: cut.text(r.issues),
            created_at: r.createdAt,
          }
        : null,
    };
  });
  /** A submission as the reviewer sees it: the round this review would be, and the verdict before it. */
  const submission = (s: SubTaskRow) => {
    const r = latestReview.get(s.id);
    return {
      ...queueItem(s),
      round: (r?.round ?? 0) + 1,
      latest_review: r
        ? { round: r.round, result: r.result, score: r.score, issues: clip(firstLine(r.issues), FIRST_ISSUE_MAX).text }
        : null,
    };
  };
  const queueJson = {
    ...(queue.available && { available: queue.available.map(queueItem) }),
    ...(queue.awaiting_review && { awaiting_review: queue.awaiting_review.map(submission) }),
    ...(queue.blocked && { blocked: queue.blocked.map(queueItem) }),
    ...(queue.tasks_to_decompose && { tasks_to_decompose: queue.tasks_to_decompose }),
    ...(queue.recently_completed && { recently_completed: queue.recently_completed }),
    ...(queue.open_anomalies && { open_anomalies: queue.open_anomalies.map(anomalyJson(cut)) }),
  };
  const recent_score_changes = changes.map((c) => ({
    score_delta: c.scoreDelta,
    reason: cut.text(c.reason),
    sub_task_id: c.subTaskId,
    created_at: c.createdAt,
  }));

  return {
    agent: { id: me.id, name: me.name, role, status: me.status },
    generated_at: now,
    cli,
    rules: rules.json,
    score: { total_score: me.totalScore, rank: higher + 1, total_agents: agents },
    recent_score_changes,
    reflections: reflections.map((l) => ({
      summary: cut.text(l.summary),
      sub_task_id: l.subTaskId,
      created_at: l.createdAt,
    })),
    retrospective,
    my_sub_tasks,
    queue: queueJson,
    lessons,
    next_steps: nextSteps(
      {
        role,
        updateAvailable: cli.update_available,
        mySubTasks: my_sub_tasks,
        scoreChanges: recent_score_changes,
        lastReflectionAt: reflections[0]?.createdAt ?? null,
        queue: queueJson,
        workspaces,
        ruled: rules.ruled,
        rulesIncluded: !rules.json.unchanged,
        retrospective,
        lessons: lessons.length,
      },
      catalogue(lang).briefing,
    ),
    truncated: cut.cut || rules.json.truncated || rules.rowsCut,
  };
}
