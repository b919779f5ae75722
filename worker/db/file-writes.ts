// The guarded writes of deliverable files (docs/files.md): reserve an upload, finalize it (replacing a
// file of the same name), release it, delete a file. Each is one D1 batch whose every statement checks
// the same guard, so a submit, a reassign or another upload racing it either happened before (the
// batch writes nothing) or after (it sees the finished batch). The bytes live in R2; file_usage counts
// every row's size (uploading ones too: a reservation), and a key that no row reaches any more is
// queued in file_deletion in the batch that made it unreachable.
import { type SQL, sql } from "drizzle-orm";
import { UPLOAD_STATUS } from "../domain/files";
import { atomicWrite, type Db, rowOf } from "./client";
import { subTaskFile } from "./schema-files";
import { settingNumber } from "./settings";

export type FileRow = typeof subTaskFile.$inferSelect;

/**
 * While uploading, a row's name is `<file id>/<name>`: the unique index (sub_task_id, version, name)
 * must let a replacement upload exist beside the stored file it replaces (and two uploads of one name
 * race to the end: the last to finish wins). A stored name never holds `/` (domain/file-names.ts), so
 * this never collides with one; finalize writes the plain name.
 */
export const uploadingName = (fileId: string, name: string): string => `${fileId}/${name}`;
/** The name an uploading row will be stored under (SQL), for the per-version count. */
const finalName = sql`(case when f.state = 'uploading' then substr(f.name, length(f.id) + 2) else f.name end)`;

export interface UploadRequest {
  fileId: string;
  subTaskId: string;
  agentId: string;
  name: string;
  contentType: string;
  /** The declared Content-Length. */
  size: number;
  now: string;
}

/** What the reservation's guard found, read only when it refused (one extra query). */
export interface ReserveRefusal {
  refused:
    | "sub_task_not_found"
    | "not_owner"
    | "not_in_progress"
    | "file_too_large"
    | "too_many_files"
    | "storage_full";
  status?: string;
  /** The version an upload now goes to (the sub-task's rework count). */
  version?: number;
  maxFileBytes: number;
  maxFiles: number;
  maxTotalBytes: number;
  usedBytes: number;
}

export type ReserveOutcome = { ok: true; row: FileRow } | ({ ok: false } & ReserveRefusal);

/**
 * Inserts the `uploading` row and adds its declared size to file_usage, in one batch, only if: the
 * sub-task is in_progress and held by the agent; the size is within files.max_file_bytes; the version
 * holds fewer than files.max_files_per_version files of other names (uploading ones included); and
 * the reserved total stays within files.max_total_bytes. The limits are read inside the statement.
 */
export async function reserveUpload(db: Db, u: UploadRequest): Promise<ReserveOutcome> {
  const name = uploadingName(u.fileId, u.name);
  const othersInVersion = sql`(select count(*) from sub_task_file f where f.sub_task_id = s.id
    and f.version = s.rework_count and ${finalName} <> ${u.name})`;
  const results = await atomicWrite(db, [
    sql`insert into sub_task_file (id, sub_task_id, task_id, version, name, content_type, size, sha256, r2_key,
        state, uploaded_by, created_at, stored_at)
      select ${u.fileId}, s.id, s.task_id, s.rework_count, ${name}, ${u.contentType}, ${u.size}, null,
        'files/' || s.task_id || '/' || s.id || '/' || ${u.fileId}, 'uploading', ${u.agentId}, ${u.now}, null
      from sub_task s
      where s.id = ${u.subTaskId} and s.status = ${UPLOAD_STATUS} and s.assigned_agent = ${u.agentId}
        and ${u.size} <= ${settingNumber("files.max_file_bytes")}
        and ${othersInVersion} < ${settingNumber("files.max_files_per_version")}
        and (select bytes from file_usage where id = 1) + ${u.size} <= ${settingNumber("files.max_total_bytes")}`,
    sql`update file_usage set bytes = bytes + ${u.size}, files = files + 1
      where id = 1 and exists (select 1 from sub_task_file where id = ${u.fileId} and state = 'uploading')`,
    sql`select * from sub_task_file where id = ${u.fileId}`,
  ]);
  const raw = results[2]?.results[0] as Record<string, unknown> | undefined;
  if (raw) return { ok: true, row: rowOf(subTaskFile, raw) };
  return { ok: false, ...(await whyNotReserved(db, u)) };
}

interface ReserveRead {
  status: string | null;
  holder: string | null;
  version: number | null;
  others: number | null;
  used: number;
  max_file_bytes: number;
  max_files: number;
  max_total_bytes: number;
}

/** Which of the reservation's conditions failed, in the order an agent should fix them. */
async function whyNotReserved(db: Db, u: UploadRequest): Promise<ReserveRefusal> {
  const found = (await db.get<ReserveRead>(sql`select s.status as status, s.assigned_agent as holder,
      s.rework_count as version,
      (select count(*) from sub_task_file f where f.sub_task_id = s.id and f.version = s.rework_count
        and ${finalName} <> ${u.name}) as others,
      (select bytes from file_usage where id = 1) as used,
      ${settingNumber("files.max_file_bytes")} as max_file_bytes,
      ${settingNumber("files.max_files_per_version")} as max_files,
      ${settingNumber("files.max_total_bytes")} as max_total_bytes
    from (select 1) left join sub_task s on s.id = ${u.subTaskId}`))!;
  const limits = {
    maxFileBytes: found.max_file_bytes,
    maxFiles: found.max_files,
    maxTotalBytes: found.max_total_bytes,
    usedBytes: found.used,
    status: found.status ?? undefined,
    version: found.version ?? undefined,
  };
  if (found.status === null) return { refused: "sub_task_not_found", ...limits };
  if (found.holder !== u.agentId) return { refused: "not_owner", ...limits };
  if (found.status !== UPLOAD_STATUS) return { refused: "not_in_progress", ...limits };
  if (u.size > found.max_file_bytes) return { refused: "file_too_large", ...limits };
  if ((found.others ?? 0) >= found.max_files) return { refused: "too_many_files", ...limits };
  return { refused: "storage_full", ...limits };
}

/** Statements that drop the rows matching `where` (on `f`): keys to the outbox, usage down, rows gone. Order matters. */
function dropFiles(where: SQL, now: string): SQL[] {
  return [
    sql`insert into file_deletion (r2_key, created_at) select f.r2_key, ${now} from sub_task_file f where ${where}
      on conflict (r2_key) do nothing`,
    sql`update file_usage set
        bytes = bytes - (select coalesce(sum(f.size), 0) from sub_task_file f where ${where}),
        files = files - (select count(*) from sub_task_file f where ${where})
      where id = 1`,
    sql`delete from sub_task_file as f where ${where}`,
  ];
}

export interface Finalize {
  row: FileRow;
  name: string;
  agentId: string;
  sha256: string;
  size: number;
  now: string;
}

/**
 * Marks the reserved row stored with what R2 received, only while the sub-task is still in_progress,
 * held by the same agent, in the same version (a submit during the upload wins). A stored file of the
 * same name in that version is replaced in the same batch. Returns the stored row, or, when the guard
 * failed, the sub-task's status and holder then (status "deleted" if gone; the caller releases the
 * reservation).
 */
export async function finalizeUpload(
  db: Db,
  f: Finalize,
): Promise<{ stored: FileRow } | { stored: null; status: string; holder: string | null }> {
  const { row } = f;
  const stillWorking = sql`exists (select 1 from sub_task s where s.id = ${row.subTaskId}
      and s.status = ${UPLOAD_STATUS} and s.assigned_agent = ${f.agentId} and s.rework_count = ${row.version})
    and exists (select 1 from sub_task_file u where u.id = ${row.id} and u.state = 'uploading')`;
  const replaced = sql`f.sub_task_id = ${row.subTaskId} and f.version = ${row.version} and f.name = ${f.name}
    and f.state = 'stored' and f.id <> ${row.id} and ${stillWorking}`;
  const results = await atomicWrite(db, [
    ...dropFiles(replaced, f.now),
    // The declared size was reserved; R2 stored exactly that (FixedLengthStream), so usage stays.
    sql`update sub_task_file set state = 'stored', name = ${f.name}, sha256 = ${f.sha256}, size = ${f.size},
        stored_at = ${f.now}
      where id = ${row.id} and ${stillWorking}`,
    sql`select * from sub_task_file where id = ${row.id} and state = 'stored'`,
    sql`select status, assigned_agent from sub_task where id = ${row.subTaskId}`,
  ]);
  const raw = results[4]?.results[0] as Record<string, unknown> | undefined;
  if (raw) return { stored: rowOf(subTaskFile, raw) };
  const now = results[5]?.results[0] as { status: string; assigned_agent: string | null } | undefined;
  return { stored: null, status: now?.status ?? "deleted", holder: now?.assigned_agent ?? null };
}

/**
 * Gives up a reservation (the stream failed, the checksum differed, the sub-task was submitted): the
 * row goes, its size leaves file_usage, and the key is queued for deletion whether or not a row was
 * still there (the cron may have given the upload up already, and R2 may hold the bytes since).
 */
export async function releaseUpload(db: Db, row: FileRow, now: string): Promise<void> {
  await atomicWrite(db, [
    sql`insert into file_deletion (r2_key, created_at) values (${row.r2Key}, ${now}) on conflict (r2_key) do nothing`,
    ...dropFiles(sql`f.id = ${row.id} and f.state = 'uploading'`, now).slice(1),
  ]);
}

interface DeleteRead {
  status: string | null;
  holder: string | null;
  rework: number | null;
  version: number | null;
  state: string | null;
}

export type DeleteOutcome =
  | { ok: true }
  | { ok: false; refused: "sub_task_not_found" | "file_not_found" | "not_owner" }
  /** `frozen`: the file's version was submitted; `not_in_progress`: work on the sub-task stopped. */
  | { ok: false; refused: "frozen" | "not_in_progress"; status: string };

/**
 * Deletes a stored file of the current version while its holder works on the sub-task: row gone, key
 * to the outbox, usage down, in one batch. On refusal, one read says why.
 */
export async function deleteFile(
  db: Db,
  d: { subTaskId: string; fileId: string; agentId: string; now: string },
): Promise<DeleteOutcome> {
  const deletable = sql`f.id = ${d.fileId} and f.sub_task_id = ${d.subTaskId} and f.state = 'stored'
    and exists (select 1 from sub_task s where s.id = f.sub_task_id and s.status = ${UPLOAD_STATUS}
      and s.assigned_agent = ${d.agentId} and s.rework_count = f.version)`;
  const results = await atomicWrite(db, dropFiles(deletable, d.now));
  if ((results[2]?.meta.changes ?? 0) === 1) return { ok: true };
  const found = (await db.get<DeleteRead>(sql`select s.status as status, s.assigned_agent as holder,
      s.rework_count as rework, f.version as version,
      f.state as state
    from (select 1) left join sub_task s on s.id = ${d.subTaskId}
    left join sub_task_file f on f.id = ${d.fileId} and f.sub_task_id = ${d.subTaskId}`))!;
  if (found.status === null) return { ok: false, refused: "sub_task_not_found" };
  if (found.state !== "stored") return { ok: false, refused: "file_not_found" };
  if (found.holder !== d.agentId) return { ok: false, refused: "not_owner" };
  const frozen = found.status === "review" || found.status === "done" || (found.version ?? 0) < (found.rework ?? 0);
  return { ok: false, refused: frozen ? "frozen" : "not_in_progress", status: found.status };
}
