// Modules: the planner's groups of sub-tasks within a task.
import { asc, eq } from "drizzle-orm";
import { checkTaskOpen } from "../domain/task-lifecycle";
import { text } from "../i18n";
import { conflict } from "../lib/errors";
import { atomicWrite, type Db, guardedInsert } from "./client";
import { module } from "./schema";
import { getTask, taskIsOpen } from "./tasks";

export type ModuleRow = typeof module.$inferSelect;

/** Creates a module in an open task; inserted only while the task is still open (it may be closed meanwhile). */
export async function createModule(
  db: Db,
  taskId: string,
  input: { name: string; description: string },
  now: string,
): Promise<ModuleRow> {
  checkTaskOpen((await getTask(db, taskId)).status, taskId);
  const row: ModuleRow = { id: crypto.randomUUID(), taskId, ...input, createdAt: now };
  const [inserted] = await atomicWrite(db, [guardedInsert(module, row, taskIsOpen(taskId))]);
  if (inserted?.meta.changes !== 1) throw conflict("task_closed", text("taskClosedMeanwhile"));
  return row;
}

/** A task's modules, oldest first; none for an unknown task. */
export function listModules(db: Db, taskId: string, limit: number): Promise<ModuleRow[]> {
  return db.select().from(module).where(eq(module.taskId, taskId)).orderBy(asc(module.createdAt)).limit(limit);
}
