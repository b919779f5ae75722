// Sub-task creation, shared by the planner's POST /api/sub-tasks and the admin's POST /api/admin/sub-tasks.
// (Every later change of a sub-task goes through its Durable Object; see durable/run-in-coordinator.ts.)
import { and, eq, type SQL, sql } from "drizzle-orm";
import { type Actor, CLOSED_TASK_STATUSES, type Priority, type TaskType } from "../../contract/vocabulary";
import { checkTaskOpen } from "../domain/task-lifecycle";
import { text } from "../i18n";
import { badRequest, conflict, notFound } from "../lib/errors";
import { atomicWrite, type Db, guardedInsert } from "./client";
import { checkDependencies, dependencyInserts } from "./dependencies";
import type { SubTaskRow } from "./execute-transition";
import { agent, module, subTask, subTaskDependency, subTaskEvent, task } from "./schema";
import { indexEntry, subTaskEntry } from "./search-index";
import { getTask, taskIsOpen } from "./tasks";

/** Pending, in an open task, and every dependency done: what an executor may claim right now. */
export const claimableNow: SQL = and(
  eq(subTask.status, "pending"),
  // Correlated per pending row (a primary-key lookup), evaluated while ix_sub_task_status_created_id
  // is walked in page order, so the cost follows the page, not the backlog or all tasks. A chain of
  // `<>` rather than `not in (…)`: D1 counts an extra row read per candidate for a 3-value IN list.
  sql`exists (select 1 from ${task} where ${task.id} = ${subTask.taskId}
    and ${sql.join(
      CLOSED_TASK_STATUSES.map((s) => sql`${task.status} <> ${s}`),
      sql` and `,
    )})`,
  // Also per candidate row: its dependency rows (primary-key prefix) joined to each dependency by id.
  sql`not exists (select 1 from ${subTaskDependency} join ${subTask} as dep on dep.id = ${subTaskDependency.dependsOn}
    where ${subTaskDependency.subTaskId} = ${subTask.id} and dep.status <> 'done')`,
)!;

export interface NewSubTask {
  task_id: string;
  name: string;
  description: string;
  deliverable: string;
  acceptance: string;
  priority: Priority;
  module_id?: string | null;
  assigned_agent?: string | null;
  type: TaskType;
  /** Sub-tasks of the same task that must be done before this one can be claimed. */
  depends_on?: string[];
}

/**
 * Creates a sub-task: `assigned` when an (active executor) assignee is given, else `pending`. The row
 * and its `create` event are written only while the parent task is still open, so a concurrent task
 * cancel or delete cannot be missed. `alongside` receives that same guard and returns statements to
 * run first in the batch (e.g. an audit row), so they land exactly when the sub-task does.
 */
export async function createSubTask(
  db: Db,
  input: NewSubTask,
  actor: Actor,
  now: string,
  alongside: (guard: SQL, row: SubTaskRow) => SQL[] = () => [],
): Promise<SubTaskRow> {
  checkTaskOpen((await getTask(db, input.task_id)).status, input.task_id);
  if (input.module_id) {
    const [m] = await db.select({ taskId: module.taskId }).from(module).where(eq(module.id, input.module_id)).limit(1);
    if (!m) throw notFound("module_not_found", text("moduleNotFound", { id: input.module_id }));
    if (m.taskId !== input.task_id) throw badRequest("module_mismatch", text("moduleOtherTask"));
  }
  if (input.assigned_agent) {
    const [a] = await db
      .select({ role: agent.role, status: agent.status })
      .from(agent)
      .where(eq(agent.id, input.assigned_agent))
      .limit(1);
    if (!a) throw notFound("agent_not_found", text("agentNotFound", { id: input.assigned_agent }));
    if (a.role !== "executor" || a.status !== "active") throw badRequest("invalid_agent", text("onlyActiveExecutor"));
  }
  await checkDependencies(db, input.task_id, input.depends_on ?? []);
  const row: SubTaskRow = {
    id: crypto.randomUUID(),
    taskId: input.task_id,
    moduleId: input.module_id ?? null,
    name: input.name,
    description: input.description,
    deliverable: input.deliverable,
    acceptance: input.acceptance,
    type: input.type,
    status: input.assigned_agent ? "assigned" : "pending",
    priority: input.priority,
    assignedAgent: input.assigned_agent ?? null,
    currentSessionId: null,
    reworkCount: 0,
    recurringConfig: null,
    createdAt: now,
    updatedAt: now,
    completedAt: null,
    startedAt: null,
    revision: crypto.randomUUID(),
    roundId: null,
  };
  // The assignee must still exist when the row lands (an agent delete may commit in between).
  const open = input.assigned_agent
    ? sql`${taskIsOpen(input.task_id)} and exists (select 1 from ${agent} where ${agent.id} = ${input.assigned_agent})`
    : taskIsOpen(input.task_id);
  const landed = sql`exists (select 1 from ${subTask} where ${subTask.id} = ${row.id})`;
  const before = alongside(open, row);
  const results = await atomicWrite(db, [
    ...before,
    guardedInsert(subTask, row, open),
    guardedInsert(
      subTaskEvent,
      {
        id: crypto.randomUUID(),
        subTaskId: row.id,
        op: "create",
        fromStatus: null,
        toStatus: row.status,
        actorKind: actor.kind,
        actorId: actor.id,
        detail: "",
        createdAt: now,
      },
      landed,
    ),
    ...dependencyInserts(row.id, input.depends_on ?? [], landed),
    ...indexEntry(subTaskEntry(row), landed),
  ]);
  if (results[before.length]?.meta.changes !== 1) {
    throw input.assigned_agent
      ? conflict("concurrent_change", text("closedOrAssigneeDeleted"))
      : conflict("task_closed", text("taskClosedMeanwhile"));
  }
  return row;
}
