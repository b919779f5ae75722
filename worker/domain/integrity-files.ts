// The invariants of deliverable files, as pure checks over plain rows (read by db/integrity-files.ts
// with the rest; domain/integrity.ts runs them).
import type { IntegrityRows, Violations } from "./integrity";

export interface FileRows {
  files: { id: string; subTaskId: string; taskId: string; version: number; state: string; size: number }[];
}

/** - A file belongs to a sub-task that exists, of the task it names. */
export function checkFiles(rows: IntegrityRows, out: Violations): void {
  const taskOf = new Map(rows.subTasks.map((s) => [s.id, s.taskId]));
  for (const f of rows.files) {
    const taskId = taskOf.get(f.subTaskId);
    if (taskId === undefined)
      out.add("reference", "sub_task_file", f.id, `sub_task_id → sub-task ${f.subTaskId}, which does not exist`);
    else if (taskId !== f.taskId)
      out.add("reference", "sub_task_file", f.id, `task_id ${f.taskId}, but its sub-task is in task ${taskId}`);
  }
}
