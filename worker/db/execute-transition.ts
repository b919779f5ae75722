// The one place that turns a sub-task transition into SQL. Called only from the sub-task's Durable
// Object, which serializes calls; the revision guard below is the second line of defence.
import { and, eq, getTableColumns, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { Actor, AgentStatus, Role, SubTaskStatus, TaskStatus } from "../../contract/vocabulary";
import { idHint } from "../domain/hints";
import type { EventData } from "../domain/notifications";
import { eventsOf, type Plan, planTransition, type Snapshot, type SubTaskCommand } from "../domain/sub-task-machine";
import { text } from "../i18n";
import { ApiError, conflict, type ErrorBody, notFound } from "../lib/errors";
import { nowIso } from "../lib/time";
import { atomicWrite, type Db, guardedInsert } from "./client";
import { enqueueEvent, subscribed } from "./outbox";
import {
  agent,
  notificationOutbox,
  reviewRecord,
  rewardLog,
  subTask,
  subTaskDependency,
  subTaskEvent,
  task,
} from "./schema";
import { taskRound, taskSchedule } from "./schema-recurring";
import { indexEntry, indexIf, reviewEntry, subTaskEntry } from "./search-index";
import { subTaskIsOpen, taskIsOpen } from "./tasks";

export type SubTaskRow = typeof subTask.$inferSelect;
export type ReviewRow = typeof reviewRecord.$inferSelect;

export type TransitionOutcome =
  | { ok: true; subTask: SubTaskRow; review: ReviewRow | null; notified: boolean }
  | { ok: false; error: ErrorBody };

const WORK_OPS = ["claim", "start", "submit"];
/** The columns a sub-task's search entry is composed of (domain/search-text.ts subTaskText). */
const SUB_TASK_TEXTS = ["name", "description", "deliverable", "acceptance"] as const;

export async function executeTransition(
  db: Db,
  subTaskId: string,
  cmd: SubTaskCommand,
  actor: Actor,
): Promise<TransitionOutcome> {
  try {
    const now = nowIso();
    const { row, snapshot, taskName } = await readSnapshot(db, subTaskId, cmd);
    const plan = planTransition(snapshot, cmd, actor, now);
    return await writePlan(db, row, taskName, plan, cmd, actor, now);
  } catch (err) {
    if (err instanceof ApiError) return { ok: false, error: err.toJSON() };
    throw err;
  }
}

/**
 * Everything the decision needs, in one statement: the row, and as scalar subqueries its task,
 * its holder's name and, only for the operations that use them, review rounds, who worked on it,
 * open dependencies (at most MAX_DEPENDENCIES, named by a refusal) and the target agent.
 */
async function readSnapshot(
  db: Db,
  id: string,
  cmd: SubTaskCommand,
): Promise<{ row: SubTaskRow; snapshot: Snapshot; taskName: string }> {
  const targetId =
    cmd.op === "reassign" ? cmd.agentId : cmd.op === "review" || cmd.op === "rework" ? cmd.reworkAgent : null;
  const decides = cmd.op === "review" || cmd.op === "complete" || cmd.op === "rework";
  const waits = cmd.op === "claim" || cmd.op === "start";
  const none = sql<string>`'[]'`;
  // Subqueries name their tables with aliases and take the id as a parameter: in a one-table select
  // drizzle writes the outer columns unqualified, which an inner table would capture.
  const ofRow = (column: string) => sql`(select s.${sql.raw(column)} from ${subTask} s where s.id = ${id})`;
  const [found] = await db
    .select({
      ...getTableColumns(subTask),
      taskStatus: sql<TaskStatus | null>`(select t.status from ${task} t where t.id = ${ofRow("task_id")})`.as(
        "snap_task_status",
      ),
      taskName: sql<string | null>`(select t.name from ${task} t where t.id = ${ofRow("task_id")})`.as(
        "snap_task_name",
      ),
      holderName: sql<string | null>`(select a.name from ${agent} a where a.id = ${ofRow("assigned_agent")})`.as(
        "snap_holder",
      ),
      reviewRounds: (decides
        ? sql<number>`(select count(*) from ${reviewRecord} r where r.sub_task_id = ${id})`
        : sql<number>`0`
      ).as("snap_rounds"),
      workedOnBy: (decides
        ? sql<string>`(select json_group_array(distinct e.actor_id) from ${subTaskEvent} e
            where e.sub_task_id = ${id} and e.op in ${WORK_OPS} and e.actor_id is not null)`
        : none
      ).as("snap_workers"),
      openDependencies: (waits
        ? sql<string>`(select json_group_array(json_object('id', o.id, 'name', o.name, 'status', o.status)) from (
            select d.id, d.name, d.status from ${subTaskDependency} x join ${subTask} d on d.id = x.depends_on
            where x.sub_task_id = ${id} and d.status <> 'done' order by d.name) o)`
        : none
      ).as("snap_open_deps"),
      targetAgent: (targetId
        ? sql<
            string | null
          >`(select json_object('id', a.id, 'role', a.role, 'status', a.status) from ${agent} a where a.id = ${targetId})`
        : sql<string | null>`null`
      ).as("snap_target"),
    })
    .from(subTask)
    .where(eq(subTask.id, id));
  if (!found) throw notFound("sub_task_not_found", text("subTaskNotFound", { id }), idHint("sub_task", id));
  const { taskStatus, taskName, holderName, reviewRounds, workedOnBy, openDependencies, targetAgent, ...row } = found;
  const target = targetAgent ? (JSON.parse(targetAgent) as { id: string; role: Role; status: AgentStatus }) : null;
  return {
    row,
    taskName: taskName ?? "",
    snapshot: {
      subTask: {
        id: row.id,
        status: row.status,
        assignedAgent: row.assignedAgent,
        reworkCount: row.reworkCount,
      },
      taskId: row.taskId,
      taskStatus: taskStatus ?? "cancelled",
      holderName,
      reviewRounds,
      workedOnBy: JSON.parse(workedOnBy) as string[],
      openDependencies: JSON.parse(openDependencies) as { id: string; name: string; status: SubTaskStatus }[],
      targetAgent: target,
    },
  };
}

async function writePlan(
  db: Db,
  row: SubTaskRow,
  taskName: string,
  plan: Plan,
  cmd: SubTaskCommand,
  actor: Actor,
  now: string,
): Promise<TransitionOutcome> {
  const revision = crypto.randomUUID();
  // True only inside the batch whose update below landed.
  const landed = sql`exists (select 1 from ${subTask} where ${subTask.id} = ${row.id} and ${subTask.revision} = ${revision})`;
  const next: SubTaskRow = { ...row, ...plan.set, status: plan.to, updatedAt: now, revision };

  const review: ReviewRow | null = plan.review
    ? {
        id: crypto.randomUUID(),
        subTaskId: row.id,
        reviewerAgent: actor.id ?? actor.kind,
        // The holder whose submission is decided: retrospectives count rejections by it.
        executorAgent: row.assignedAgent,
        createdAt: now,
        ...plan.review,
      }
    : null;

  const statements: SQLWrapper[] = [
    db
      .update(subTask)
      .set({ ...plan.set, status: plan.to, updatedAt: now, revision })
      .where(
        and(
          eq(subTask.id, row.id),
          eq(subTask.revision, row.revision),
          plan.requiresOpenTask ? taskIsOpen(row.taskId) : undefined,
          plan.requiresDependenciesDone
            ? sql`not exists (select 1 from ${subTaskDependency} where ${dependencyNotDone(row.id)})`
            : undefined,
          // A new assignee must still exist when the batch lands: an agent delete checks "holds no open
          // work" at its own commit, so a claim or reassign racing it must not hand work to a ghost.
          plan.set.assignedAgent
            ? sql`exists (select 1 from ${agent} where ${agent.id} = ${plan.set.assignedAgent})`
            : undefined,
        ),
      ),
    guardedInsert(
      subTaskEvent,
      {
        id: crypto.randomUUID(),
        subTaskId: row.id,
        op: cmd.op,
        fromStatus: row.status,
        toStatus: plan.to,
        actorKind: actor.kind,
        actorId: actor.id,
        detail: eventDetail(cmd),
        createdAt: now,
      },
      landed,
    ),
  ];
  if (review)
    statements.push(guardedInsert(reviewRecord, review, landed), ...indexIf(reviewEntry(review, row.taskId), landed));
  // An edit of the sub-task's texts re-indexes it (3 statements); other transitions leave its entry alone.
  if (SUB_TASK_TEXTS.some((field) => field in plan.set)) statements.push(...indexEntry(subTaskEntry(next), landed));
  if (plan.reward) {
    const { agentId, delta, reason } = plan.reward;
    statements.push(
      guardedInsert(
        rewardLog,
        { id: crypto.randomUUID(), agentId, subTaskId: row.id, reason, scoreDelta: delta, createdAt: now },
        landed,
      ),
      sql`update ${agent} set total_score = total_score + ${delta} where ${agent.id} = ${agentId} and ${landed}`,
    );
  }
  if (plan.taskEffect) statements.push(taskEffectStatement(row.taskId, plan.taskEffect, now, landed));
  // A round's sub-task approved or cancelled may finish its round (before the task: independent of it).
  const closesRound = plan.taskEffect === "settled" && row.roundId !== null;
  if (closesRound && row.roundId) statements.push(settleRoundSql(row.roundId, now, landed));

  const payload: EventData = {
    task: { id: row.taskId, name: taskName },
    sub_task: { id: row.id, name: next.name, status: next.status, assigned_agent: next.assignedAgent },
    actor: { kind: actor.kind, id: actor.id, name: actor.name },
    ...(review
      ? {
          review: {
            round: review.round,
            result: review.result,
            score: review.score,
            issues: review.issues,
            comment: review.comment,
          },
        }
      : {}),
  };
  // From here on, the statements queue notifications (an event no channel wants queues nothing).
  const firstEvent = statements.length;
  for (const event of eventsOf(cmd, plan)) statements.push(enqueueEvent(event, payload, now, landed));
  if (plan.taskEffect === "settled") {
    // Raised only by the batch whose settle statement just completed the task.
    const completedHere = sql`${landed} and exists (select 1 from ${task} where ${task.id} = ${row.taskId} and ${task.status} = 'completed' and ${task.updatedAt} = ${now})`;
    statements.push(enqueueEvent("all_done", payload, now, completedHere));
  }
  if (closesRound && row.roundId) statements.push(roundCompletedEvent(row.roundId, payload, now, landed));

  const results = await atomicWrite(db, statements);
  if (results[0]?.meta.changes !== 1) {
    throw conflict("concurrent_change", text("subTaskChanged"));
  }
  // Only a queued row is worth a dispatch run after the response.
  const notified = results.slice(firstEvent).some((r) => r.meta.changes > 0);
  return { ok: true, subTask: next, review, notified };
}

/** A `sub_task_dependency` row of `subTaskId` whose dependency is not done (uses the primary key). */
function dependencyNotDone(subTaskId: string): SQL {
  return sql`${subTaskDependency.subTaskId} = ${subTaskId} and not exists (select 1 from ${subTask}
    where ${subTask.id} = ${subTaskDependency.dependsOn} and ${subTask.status} = 'done')`;
}

/** Task lifecycle, evaluated inside the same atomic batch so concurrent sub-tasks cannot miss it. */
function taskEffectStatement(taskId: string, effect: "started" | "settled", now: string, landed: SQL) {
  if (effect === "started") {
    return sql`update ${task} set status = 'in_progress', updated_at = ${now}
      where ${task.id} = ${taskId} and ${task.status} in ('planning', 'active') and ${landed}`;
  }
  return settleTaskSql(taskId, now, landed);
}

/**
 * A task is completed once it has a done sub-task and every other one is done or cancelled — unless
 * it has an active or paused schedule: a recurring task stays open between rounds, and completes
 * only after its schedule ended and its last round finished.
 */
export function settleTaskSql(taskId: string, now: string, guard: SQL = sql`1`): SQL {
  return sql`update ${task} set status = 'completed', updated_at = ${now}
    where ${task.id} = ${taskId} and ${task.status} in ('planning', 'active', 'in_progress')
      and not exists (select 1 from ${subTask} where ${subTask.taskId} = ${taskId} and ${subTaskIsOpen})
      and exists (select 1 from ${subTask} where ${subTask.taskId} = ${taskId} and ${subTask.status} = 'done')
      and not exists (select 1 from ${taskSchedule} where ${taskSchedule.taskId} = ${taskId}
        and ${taskSchedule.status} in ('active', 'paused'))
      and ${guard}`;
}

/** A round is done once none of its sub-tasks is open and one is done; cancelled if all were cancelled. */
export function settleRoundSql(roundId: string, now: string, guard: SQL = sql`1`): SQL {
  return sql`update ${taskRound} set completed_at = ${now},
      status = case when exists (select 1 from ${subTask} where ${subTask.roundId} = ${roundId} and ${subTask.status} = 'done')
        then 'done' else 'cancelled' end
    where ${taskRound.id} = ${roundId} and ${taskRound.status} = 'open'
      and not exists (select 1 from ${subTask} where ${subTask.roundId} = ${roundId} and ${subTaskIsOpen})
      and ${guard}`;
}

/**
 * `round_completed`, queued by the batch that finished the round (the round closes once: `landed`
 * and its completed_at of this instant). The counts are read in SQL when the batch runs: another
 * sub-task of the round may have finished since this one was read.
 */
function roundCompletedEvent(roundId: string, payload: EventData, now: string, landed: SQL): SQL {
  return sql`insert into ${notificationOutbox} (id, event, payload, created_at)
    select ${crypto.randomUUID()}, 'round_completed', json_set(${JSON.stringify(payload)}, '$.round', json_object(
        'id', r.id, 'round_no', r.round_no, 'status', r.status,
        'done', (select count(*) from ${subTask} where ${subTask.roundId} = r.id and ${subTask.status} = 'done'),
        'total', (select count(*) from ${subTask} where ${subTask.roundId} = r.id))), ${now}
    from ${taskRound} r
    where r.id = ${roundId} and r.status in ('done', 'cancelled') and r.completed_at = ${now}
      and ${landed} and ${subscribed("round_completed")}`;
}

function eventDetail(cmd: SubTaskCommand): string {
  switch (cmd.op) {
    case "reassign":
      return `to ${cmd.agentId}`;
    case "review":
      return `${cmd.result}, score ${cmd.score}`;
    case "block":
      return cmd.reason ?? "";
    case "edit":
      return Object.keys(cmd.changes).join(", ");
    default:
      return "";
  }
}
