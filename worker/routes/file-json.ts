// A file row as the API shows it (contract/api/files.ts): shared by the upload and the read routes.
import type { SubTaskFile } from "../../contract/api/files";
import type { SubTaskStatus } from "../../contract/vocabulary";
import type { subTaskFile } from "../db/schema-files";
import { contentPath, isFrozen } from "../domain/files";

export type FileRow = typeof subTaskFile.$inferSelect;

/** What a file's JSON needs beside its row: who uploaded it (null: agent deleted) and where its sub-task is now. */
export interface FileContext {
  uploaderName: string | null;
  subTask: { status: SubTaskStatus; reworkCount: number };
}

export const fileJson = (row: FileRow, ctx: FileContext): SubTaskFile => ({
  id: row.id,
  sub_task_id: row.subTaskId,
  task_id: row.taskId,
  version: row.version,
  name: row.name,
  content_type: row.contentType,
  size: row.size,
  sha256: row.sha256 ?? "",
  uploaded_by: row.uploadedBy,
  uploaded_by_name: ctx.uploaderName ?? "",
  created_at: row.storedAt ?? row.createdAt,
  frozen: isFrozen(row, ctx.subTask),
  download_path: contentPath(row.subTaskId, row.id),
});
