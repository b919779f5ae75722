// Reads of deliverable files (docs/files.md): a sub-task's list and one file, each with who uploaded it,
// the sub-task's state (for `frozen`) and whether the reader may see them, in ONE D1 batch.
import { and, asc, desc, eq, type SQL, sql } from "drizzle-orm";
import type { SubTaskStatus } from "../../contract/vocabulary";
import type { FileRow } from "../routes/file-json";
import type { Db } from "./client";
import { agent, subTask, subTaskEvent } from "./schema";
import { subTaskFile } from "./schema-files";
import { settingNumber } from "./settings";

/** At most this many rows in one list (20 per version by default: ten versions). `?version=` reaches older ones. */
export const MAX_LISTED_FILES = 200;

/** The sub-task operations after which an executor counts as having worked on it (as for review: execute-transition.ts). */
const WORK_OPS = ["claim", "start", "submit"];

/**
 * Who reads: an admin, or an agent. Planners and reviewers read every file; an executor only those of
 * sub-tasks it holds now, uploaded to, or claimed, started or submitted before (patrol agents are
 * refused by the route's roles).
 */
export type FileReader = { kind: "admin" } | { kind: "agent"; id: string; role: string };

/** The sub-task as a file read needs it; `canRead` says whether the reader may see its files. */
export interface FileSubTask {
  id: string;
  status: SubTaskStatus;
  reworkCount: number;
  canRead: boolean;
}

export interface ListedFile {
  row: FileRow;
  uploaderName: string | null;
}

/** 1 when the reader may see the sub-task's files; `s` is the sub-task's alias in the outer query. */
function readable(reader: FileReader): SQL<number> {
  if (reader.kind === "admin" || reader.role !== "executor") return sql<number>`1`;
  const me = reader.id;
  return sql<number>`(${subTask}.assigned_agent = ${me}
    or exists (select 1 from ${subTaskFile} f where f.sub_task_id = ${subTask}.id and f.uploaded_by = ${me})
    or exists (select 1 from ${subTaskEvent} e where e.sub_task_id = ${subTask}.id and e.actor_id = ${me}
      and e.op in ${WORK_OPS}))`;
}

const subTaskQuery = (db: Db, subTaskId: string, reader: FileReader) =>
  db
    .select({
      id: subTask.id,
      status: subTask.status,
      reworkCount: subTask.reworkCount,
      canRead: readable(reader).as("can_read"),
      maxFileBytes: settingNumber("files.max_file_bytes").as("max_file_bytes"),
      maxFilesPerVersion: settingNumber("files.max_files_per_version").as("max_files_per_version"),
    })
    .from(subTask)
    .where(eq(subTask.id, subTaskId))
    .limit(1);

const filesQuery = (db: Db, where: SQL | undefined) =>
  db
    // Aliased: D1 returns columns by name, and the file's `name` would otherwise meet the agent's.
    .select({ row: subTaskFile, uploaderName: sql<string | null>`${agent.name}`.as("uploader_name") })
    .from(subTaskFile)
    .leftJoin(agent, eq(agent.id, subTaskFile.uploadedBy))
    .where(and(where, eq(subTaskFile.state, "stored")));

export interface FileList {
  subTask: FileSubTask | undefined;
  files: ListedFile[];
  limits: { maxFileBytes: number; maxFilesPerVersion: number };
}

/**
 * A sub-task's stored files, newest version first then by name, at most MAX_LISTED_FILES; `version`
 * narrows to one version. The files are read whatever `canRead` says: the caller refuses before using them.
 */
export async function listFiles(
  db: Db,
  subTaskId: string,
  reader: FileReader,
  version: number | undefined,
): Promise<FileList> {
  const [[found], files] = await db.batch([
    subTaskQuery(db, subTaskId, reader),
    filesQuery(
      db,
      and(eq(subTaskFile.subTaskId, subTaskId), version === undefined ? undefined : eq(subTaskFile.version, version)),
    )
      .orderBy(desc(subTaskFile.version), asc(subTaskFile.name), asc(subTaskFile.id))
      .limit(MAX_LISTED_FILES),
  ]);
  return {
    subTask: found && toSubTask(found),
    files,
    limits: {
      maxFileBytes: Number(found?.maxFileBytes ?? 0),
      maxFilesPerVersion: Number(found?.maxFilesPerVersion ?? 0),
    },
  };
}

/** One stored file of the sub-task (undefined: no such file there, or it is still uploading). */
export async function findFile(
  db: Db,
  subTaskId: string,
  fileId: string,
  reader: FileReader,
): Promise<{ subTask: FileSubTask | undefined; file: ListedFile | undefined }> {
  const [[found], [file]] = await db.batch([
    subTaskQuery(db, subTaskId, reader),
    filesQuery(db, and(eq(subTaskFile.id, fileId), eq(subTaskFile.subTaskId, subTaskId))).limit(1),
  ]);
  return { subTask: found && toSubTask(found), file };
}

const toSubTask = (r: { id: string; status: SubTaskStatus; reworkCount: number; canRead: number }): FileSubTask => ({
  id: r.id,
  status: r.status,
  reworkCount: r.reworkCount,
  canRead: Boolean(r.canRead),
});
