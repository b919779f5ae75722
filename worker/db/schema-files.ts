// D1 tables of deliverable files (ours): the bytes live in R2 (binding FILES), these rows say whose they
// are and what they are. docs/files.md explains the model.
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { FileState } from "../../contract/vocabulary";

export const subTaskFile = sqliteTable(
  "sub_task_file",
  {
    id: text("id").primaryKey(),
    subTaskId: text("sub_task_id").notNull(),
    taskId: text("task_id").notNull(),
    // The sub-task's rework_count when uploaded: a submit freezes a version, a rework starts the next.
    version: integer("version").notNull(),
    // Sanitized (domain/file-names.ts): one path segment of visible characters.
    name: text("name").notNull(),
    contentType: text("content_type").notNull(),
    // Bytes: the declared Content-Length while uploading, what R2 stored once stored.
    size: integer("size").notNull(),
    // Lower-case hex SHA-256 of the bytes, computed while they streamed (null while uploading).
    sha256: text("sha256"),
    // The object's key in R2: files/<task_id>/<sub_task_id>/<file id>.
    r2Key: text("r2_key").notNull(),
    state: text("state").$type<FileState>().notNull(),
    uploadedBy: text("uploaded_by").notNull(),
    createdAt: text("created_at").notNull(),
    storedAt: text("stored_at"),
  },
  (t) => [
    // One file per name in a version; an upload under the same name while working replaces it.
    uniqueIndex("ux_sub_task_file_name").on(t.subTaskId, t.version, t.name),
    index("ix_sub_task_file_task").on(t.taskId),
    index("ix_sub_task_file_uploading").on(t.createdAt).where(sql`state = 'uploading'`),
  ],
);

/**
 * R2 objects to delete (an outbox): written in the same batch as whatever made them unreachable (a
 * replaced or deleted file, a deleted task, an abandoned upload); the cron deletes them from R2.
 */
export const fileDeletion = sqliteTable("file_deletion", {
  r2Key: text("r2_key").primaryKey(),
  createdAt: text("created_at").notNull(),
});

/** One row (id 1): the bytes every file row holds, checked against files.max_total_bytes in the upload's guard. */
export const fileUsage = sqliteTable("file_usage", {
  id: integer("id").primaryKey(),
  bytes: integer("bytes").notNull().default(0),
  files: integer("files").notNull().default(0),
});
