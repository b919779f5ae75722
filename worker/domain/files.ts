// The rules of deliverable files (docs/files.md), pure: when a sub-task takes uploads, which version an
// upload goes to, and when a file can no longer change. The routes and the guarded SQL of
// db/file-writes.ts follow these; the invariant checker holds the stored rows to them.
import type { SubTaskStatus } from "../../contract/vocabulary";

/** The one state in which the holder may attach, replace or delete files: working on it. */
export const UPLOAD_STATUS: SubTaskStatus = "in_progress";

/**
 * The version an upload goes to: the sub-task's rework count. A submit freezes it; a rejection raises
 * the count, so the rework's uploads start the next version and the reviewed files stay as they were.
 */
export const currentVersion = (subTask: { reworkCount: number }): number => subTask.reworkCount;

/** Whether a file can no longer be replaced or deleted: its version was submitted, or work on it stopped. */
export const isFrozen = (file: { version: number }, subTask: { status: SubTaskStatus; reworkCount: number }): boolean =>
  !(subTask.status === UPLOAD_STATUS && file.version === subTask.reworkCount);

/** Where a file's bytes are read (with the reader's key). */
export const contentPath = (subTaskId: string, fileId: string): string =>
  `/api/sub-tasks/${encodeURIComponent(subTaskId)}/files/${encodeURIComponent(fileId)}/content`;

/** The object's key in R2: grouped by task, so a task's objects share a prefix. */
export const objectKey = (taskId: string, subTaskId: string, fileId: string): string =>
  `files/${taskId}/${subTaskId}/${fileId}`;
