// The queries behind GET /api/agents/me/briefing. Every one walks an index and stops at a small limit,
// so rows read follow what the caller holds and its queue, not the size of the database.
import { and, asc, desc, eq, gte, inArray, or, sql } from "drizzle-orm";
import type { AgentRow } from "../app-types";
import { BRIEFING_LIMITS as LIMITS, nextSteps } from "../domain/briefing";
import type { Role, SubTaskStatus } from "../domain/model";
import { mergeRules } from "../domain/rules";
import { type Clipped, clip } from "../domain/text-rules";
import { DAY, isoPlus } from "../lib/time";
import type { Db } from "./client";
import { activityLog, agent, patrolRecord, reviewRecord, rewardLog, rule, subTask, task } from "./schema";
import type { Settings } from "./settings";
import { claimableNow } from "./sub-tasks";
import type { SubTaskRow } from "./transitions";

const HELD: SubTaskStatus[] = ["assigned", "in_progress", "review", "rework", "blocked"];

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
  id: s.id, task_id: s.taskId, name: s.name, status: s.status, priority: s.priority,
  assigned_agent: s.assignedAgent, rework_count: s.reworkCount, updated_at: s.updatedAt,
  latest_review: null,
});

const subTaskQueue = (db: Db, where: ReturnType<typeof and>, order: ReturnType<typeof asc>[]) =>
  db.select().from(subTask).where(where).orderBy(...order).limit(LIMITS.queue + 1);

const taskQueue = (db: Db, where: ReturnType<typeof and>, order: ReturnType<typeof asc>) =>
  db.select({ id: task.id, name: task.name, status: task.status, type: task.type, updated_at: task.updatedAt })
    .from(task).where(where).orderBy(order).limit(LIMITS.queue + 1);

/** The role's own work list(s), cut to size. */
async function roleQueue(db: Db, role: Role, now: string, cut: Cutter) {
  const subTasks = (rows: SubTaskRow[]) => cut.list(rows, LIMITS.queue).map(queueItem);
  switch (role) {
    case "executor":
      return { available: subTasks(await subTaskQueue(db, claimableNow, [desc(subTask.createdAt), desc(subTask.id)])) };
    case "reviewer":
      // Oldest submission first: nobody waits behind newer work.
      return { awaiting_review: subTasks(await subTaskQueue(db, eq(subTask.status, "review"), [asc(subTask.updatedAt)])) };
    case "planner": {
      const [blocked, toDecompose, completed] = await Promise.all([
        subTaskQueue(db, eq(subTask.status, "blocked"), [asc(subTask.updatedAt)]),
        taskQueue(db, and(inArray(task.status, ["planning", "active"]),
          sql`not exists (select 1 from ${subTask} where ${subTask.taskId} = ${task.id})`), asc(task.createdAt)),
        taskQueue(db, and(eq(task.status, "completed"), gte(task.updatedAt, isoPlus(now, -LIMITS.recentDays * DAY))), desc(task.updatedAt)),
      ]);
      return {
        blocked: subTasks(blocked),
        tasks_to_decompose: cut.list(toDecompose, LIMITS.queue),
        recently_completed: cut.list(completed, LIMITS.queue),
      };
    }
    case "patrol": {
      const open = await db.select().from(patrolRecord).where(eq(patrolRecord.status, "open"))
        .orderBy(desc(patrolRecord.createdAt)).limit(LIMITS.queue + 1);
      return {
        open_anomalies: cut.list(open, LIMITS.queue).map((a) => ({
          id: a.id, type: a.type, severity: a.severity, sub_task_id: a.subTaskId, agent_id: a.agentId,
          description: cut.text(a.description), source: a.source, created_at: a.createdAt, last_seen_at: a.lastSeenAt,
        })),
      };
    }
  }
}

export interface BriefingContext {
  db: Db;
  me: AgentRow;
  settings: Settings;
  now: string;
  cli: { update_available: boolean; latest_version: number | null; update_instructions: string };
}

export async function loadBriefing({ db, me, settings, now, cli }: BriefingContext) {
  const role = me.role as Role; // validated on every write
  const cut = new Cutter();
  const [mineRows, higher, agents, changes, reflections, queue] = await Promise.all([
    db.select().from(subTask).where(and(eq(subTask.assignedAgent, me.id), inArray(subTask.status, HELD)))
      .orderBy(desc(subTask.updatedAt)).limit(LIMITS.mySubTasks + 1),
    db.$count(agent, sql`${agent.totalScore} > ${me.totalScore}`),
    db.$count(agent),
    db.select().from(rewardLog).where(eq(rewardLog.agentId, me.id)).orderBy(desc(rewardLog.createdAt), sql`rowid desc`).limit(LIMITS.scoreChanges),
    db.select().from(activityLog).where(and(eq(activityLog.agentId, me.id), eq(activityLog.action, "reflection")))
      .orderBy(desc(activityLog.createdAt)).limit(LIMITS.reflections),
    roleQueue(db, role, now, cut),
  ]);

  const mine = cut.list(mineRows, LIMITS.mySubTasks);
  const ids = mine.map((s) => s.id);
  const taskIds = [...new Set(mine.map((s) => s.taskId))];
  const [reviews, rules] = await Promise.all([
    ids.length === 0 ? [] : db.select().from(reviewRecord).where(and(inArray(reviewRecord.subTaskId, ids),
      sql`${reviewRecord.round} = (select max(r2.round) from ${reviewRecord} r2 where r2.sub_task_id = ${reviewRecord.subTaskId})`)),
    db.select({ scope: rule.scope, content: rule.content }).from(rule).where(or(
      eq(rule.scope, "global"),
      // Both columns of ix_rule_task_scope: sub-task rules carry their task's id too.
      taskIds.length > 0 ? and(inArray(rule.taskId, taskIds), eq(rule.scope, "task")) : undefined,
      // `+scope` keeps SQLite on ix_rule_sub_task: with an IN list it would otherwise pick
      // ix_rule_scope_created and read every sub-task rule there is (measured by npm run bench).
      ids.length > 0 ? and(sql`+${rule.scope} = 'sub_task'`, inArray(rule.subTaskId, ids)) : undefined,
    )).orderBy(asc(rule.createdAt), sql`rowid`).limit(LIMITS.ruleRows + 1),
  ]);

  const latestReview = new Map(reviews.map((r) => [r.subTaskId, r]));
  const my_sub_tasks = mine.map((s) => {
    const r = latestReview.get(s.id);
    return {
      ...queueItem(s),
      description: cut.text(s.description), deliverable: cut.text(s.deliverable), acceptance: cut.text(s.acceptance),
      latest_review: r ? { round: r.round, result: r.result, score: r.score, comment: cut.text(r.comment), issues: cut.text(r.issues), created_at: r.createdAt } : null,
    };
  });
  const kept = cut.list(rules, LIMITS.ruleRows);
  const of = (scope: string) => kept.filter((r) => r.scope === scope).map((r) => r.content);
  const merged = mergeRules(of("global"), of("task"), of("sub_task"), { workspaceRoot: settings["workspace.root"], projectName: settings["project.name"] });
  const rulesText = clip(merged, LIMITS.rules);

  const recent_score_changes = changes.map((c) => ({ score_delta: c.scoreDelta, reason: cut.text(c.reason), sub_task_id: c.subTaskId, created_at: c.createdAt }));

  return {
    agent: { id: me.id, name: me.name, role, status: me.status },
    generated_at: now,
    cli,
    rules: { content: rulesText.text, truncated: rulesText.cut },
    score: { total_score: me.totalScore, rank: higher + 1, total_agents: agents },
    recent_score_changes,
    reflections: reflections.map((l) => ({ summary: cut.text(l.summary), sub_task_id: l.subTaskId, created_at: l.createdAt })),
    my_sub_tasks,
    queue,
    next_steps: nextSteps({
      role, updateAvailable: cli.update_available, mySubTasks: my_sub_tasks, scoreChanges: recent_score_changes,
      lastReflectionAt: reflections[0]?.createdAt ?? null, queue,
    }),
    truncated: cut.cut || rulesText.cut,
  };
}
