// Sub-task dependencies: validating a dependency set, writing it with a new sub-task, and replacing it.
import { eq, inArray, type SQL, sql } from "drizzle-orm";
import { findDependencyCycle } from "../domain/dependencies";
import { idHint } from "../domain/hints";
import { text } from "../i18n";
import { badRequest, conflict, notFound } from "../lib/errors";
import { atomicWrite, type Db, guardedInsert } from "./client";
import { subTask, subTaskDependency } from "./schema";

/** Every id must name a sub-task of `taskId`: 404 sub_task_not_found, else 400 dependency_other_task. */
export async function checkDependencies(db: Db, taskId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const rows = await db
    .select({ id: subTask.id, taskId: subTask.taskId })
    .from(subTask)
    .where(inArray(subTask.id, [...ids]));
  const found = new Map(rows.map((r) => [r.id, r.taskId]));
  for (const dep of ids) {
    const owner = found.get(dep);
    if (owner === undefined)
      throw notFound("sub_task_not_found", text("subTaskNotFound", { id: dep }), idHint("sub_task", dep));
    if (owner !== taskId) throw badRequest("dependency_other_task", text("dependencyOtherTask", { id: dep }));
  }
}

/** Inserts of the dependency rows of `subTaskId`, each landing only when `guard` holds in the batch. */
export const dependencyInserts = (subTaskId: string, ids: readonly string[], guard: SQL): SQL[] =>
  ids.map((dependsOn) => guardedInsert(subTaskDependency, { subTaskId, dependsOn }, guard));

/** The ids the sub-task depends on, in a stable order. */
export async function dependenciesOf(db: Db, subTaskId: string): Promise<string[]> {
  const rows = await db
    .select({ dependsOn: subTaskDependency.dependsOn })
    .from(subTaskDependency)
    .where(eq(subTaskDependency.subTaskId, subTaskId))
    .orderBy(subTaskDependency.dependsOn);
  return rows.map((r) => r.dependsOn);
}

/**
 * Replaces the dependency set of a sub-task (the task's other edges are loaded and checked for a cycle,
 * 409 dependency_cycle). The delete and inserts are one atomic batch, guarded on the sub-task existing.
 */
export async function replaceDependencies(db: Db, subTaskId: string, ids: readonly string[]): Promise<string[]> {
  const [row] = await db.select({ taskId: subTask.taskId }).from(subTask).where(eq(subTask.id, subTaskId)).limit(1);
  if (!row)
    throw notFound("sub_task_not_found", text("subTaskNotFound", { id: subTaskId }), idHint("sub_task", subTaskId));
  await checkDependencies(db, row.taskId, ids);
  const edges = await db
    .select({ subTaskId: subTaskDependency.subTaskId, dependsOn: subTaskDependency.dependsOn })
    .from(subTaskDependency)
    .innerJoin(subTask, eq(subTask.id, subTaskDependency.subTaskId))
    .where(eq(subTask.taskId, row.taskId));
  const cycle = findDependencyCycle(edges, subTaskId, ids);
  if (cycle) throw conflict("dependency_cycle", text("dependencyCycle", { cycle: cycle.join(" → ") }));
  const exists = sql`exists (select 1 from ${subTask} where ${subTask.id} = ${subTaskId})`;
  await atomicWrite(db, [
    sql`delete from ${subTaskDependency} where ${subTaskDependency.subTaskId} = ${subTaskId}`,
    ...dependencyInserts(subTaskId, ids, exists),
  ]);
  return [...ids].sort();
}
