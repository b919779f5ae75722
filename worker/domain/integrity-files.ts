// The invariants of deliverable files, as pure checks over plain rows (read by db/integrity-files.ts
// with the rest; domain/integrity.ts runs them).
import { FILE_STATES, isOneOf } from "../../contract/vocabulary";
import { objectKey } from "./files";
import type { IntegrityRows, Violations } from "./integrity";

export interface FileRows {
  files: {
    id: string;
    subTaskId: string;
    taskId: string;
    version: number;
    state: string;
    size: number;
    /** Optional only so fixtures of the other checks may leave them out. */
    name?: string;
    sha256?: string | null;
    storedAt?: string | null;
    r2Key?: string;
    /** Truthy when its R2 key is queued in file_deletion. */
    queued?: number | boolean;
  }[];
  /** The file_usage counter row(s) (exactly one, id 1); optional only so fixtures of the other checks may leave it out. */
  fileUsage?: { id: number; bytes: number; files: number }[];
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * - reference: a file belongs to a sub-task that exists, of the task it names.
 * - file_state:
 *   - its version is one its sub-task had (0..rework_count) and its state a known one;
 *   - a stored file has a hex SHA-256, a stored_at and a plain name (no `/`: db/file-writes.ts gives an
 *     uploading row the name `<id>/<name>` until it is stored);
 *   - an uploading row has no SHA-256 or stored_at yet. It may sit on a sub-task that is no longer in
 *     progress: a submit wins over an upload and the upload releases its row right after, and a crash
 *     between the two leaves it until the cron gives it up (worker/patrol/file-sweep.ts, after an hour),
 *     so the checker does not flag that;
 *   - its object key is files/<task>/<sub-task>/<file id>, and that key is not queued for deletion;
 *   - file_usage (one row, id 1) counts every row (uploading ones are reserved): bytes = Σ size, files = count.
 */
export function checkFiles(rows: IntegrityRows, out: Violations): void {
  const subTasks = new Map(rows.subTasks.map((s) => [s.id, s]));
  for (const f of rows.files) {
    const subTask = subTasks.get(f.subTaskId);
    if (subTask === undefined)
      out.add("reference", "sub_task_file", f.id, `sub_task_id → sub-task ${f.subTaskId}, which does not exist`);
    else if (subTask.taskId !== f.taskId)
      out.add("reference", "sub_task_file", f.id, `task_id ${f.taskId}, but its sub-task is in task ${subTask.taskId}`);
    else if (f.version < 0 || f.version > subTask.reworkCount)
      out.add(
        "file_state",
        "sub_task_file",
        f.id,
        `version ${f.version}, but its sub-task's rework_count is ${subTask.reworkCount}`,
      );
    checkFileRow(f, out);
  }
  if (rows.fileUsage !== undefined) checkUsage(rows, rows.fileUsage, out);
}

function checkFileRow(f: FileRows["files"][number], out: Violations): void {
  if (!isOneOf(FILE_STATES, f.state)) {
    out.add("file_state", "sub_task_file", f.id, `state ${f.state}`);
    return;
  }
  if (f.r2Key !== undefined && f.r2Key !== objectKey(f.taskId, f.subTaskId, f.id))
    out.add("file_state", "sub_task_file", f.id, `r2_key ${f.r2Key}, not ${objectKey(f.taskId, f.subTaskId, f.id)}`);
  if (f.size < 0) out.add("file_state", "sub_task_file", f.id, `size ${f.size}`);
  if (f.queued) out.add("file_state", "sub_task_file", f.id, `its object ${f.r2Key} is queued in file_deletion`);
  if (f.state === "stored") {
    if (f.sha256 !== undefined && (f.sha256 === null || !SHA256_HEX.test(f.sha256)))
      out.add("file_state", "sub_task_file", f.id, `stored with sha256 ${f.sha256 ?? "null"}`);
    if (f.storedAt === null) out.add("file_state", "sub_task_file", f.id, "stored without stored_at");
    if (f.name !== undefined && (f.name === "" || /[/\\]/.test(f.name)))
      out.add("file_state", "sub_task_file", f.id, `stored under the name ${JSON.stringify(f.name)}`);
  } else {
    if ((f.sha256 ?? null) !== null || (f.storedAt ?? null) !== null)
      out.add("file_state", "sub_task_file", f.id, "uploading, yet it has a sha256 or stored_at");
    if (f.name !== undefined && !f.name.startsWith(`${f.id}/`))
      out.add(
        "file_state",
        "sub_task_file",
        f.id,
        `uploading under the name ${JSON.stringify(f.name)}, not <id>/<name>`,
      );
  }
}

function checkUsage(rows: IntegrityRows, usage: NonNullable<FileRows["fileUsage"]>, out: Violations): void {
  const counter = usage.find((u) => u.id === 1);
  if (counter === undefined || usage.length !== 1) {
    out.add("file_state", "file_usage", "1", `${usage.length} row(s), expected exactly the row id 1`);
    if (counter === undefined) return;
  }
  const bytes = rows.files.reduce((sum, f) => sum + f.size, 0);
  if (counter.bytes !== bytes || counter.files !== rows.files.length)
    out.add(
      "file_state",
      "file_usage",
      "1",
      `counts ${counter.bytes} bytes in ${counter.files} files; the rows hold ${bytes} bytes in ${rows.files.length}`,
    );
}
