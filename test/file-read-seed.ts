// Stored files written straight into D1 and R2 for the read, download and deletion suites: a row as the
// upload's finalize leaves it (state stored, sha256, stored_at), its object, and file_usage raised by
// its size, so the invariant checker agrees. The upload route itself is tested in files-upload.test.ts.
import { env } from "cloudflare:workers";
import { uploadingName } from "../worker/db/file-writes";
import { objectKey } from "../worker/domain/files";
import { bytesOf, sha256Hex } from "./file-fixtures";

export interface SeedFile {
  taskId: string;
  subTaskId: string;
  name: string;
  body?: string | Uint8Array;
  contentType?: string;
  version?: number;
  uploadedBy: string;
  state?: "stored" | "uploading";
  /** ISO time of created_at (default now). */
  createdAt?: string;
  /** false: the row only, no R2 object (a lost object). */
  putObject?: boolean;
}

export interface SeededFile {
  id: string;
  key: string;
  sha256: string;
  bytes: Uint8Array;
}

export async function seedFile(f: SeedFile): Promise<SeededFile> {
  const id = crypto.randomUUID();
  const key = objectKey(f.taskId, f.subTaskId, id);
  const bytes = bytesOf(f.body ?? `content of ${f.name}`);
  const sha256 = await sha256Hex(bytes);
  const state = f.state ?? "stored";
  const now = f.createdAt ?? new Date().toISOString();
  if (f.putObject !== false) await env.FILES.put(key, bytes);
  await env.DB.batch([
    env.DB.prepare(
      `insert into sub_task_file (id, sub_task_id, task_id, version, name, content_type, size, sha256, r2_key, state,
        uploaded_by, created_at, stored_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).bind(
      id,
      f.subTaskId,
      f.taskId,
      f.version ?? 0,
      // While uploading, a row is named <id>/<name> (db/file-writes.ts: the unique index stays free).
      state === "stored" ? f.name : uploadingName(id, f.name),
      f.contentType ?? "text/plain",
      bytes.byteLength,
      state === "stored" ? sha256 : null,
      key,
      state,
      f.uploadedBy,
      now,
      state === "stored" ? now : null,
    ),
    env.DB.prepare("update file_usage set bytes = bytes + ?, files = files + 1 where id = 1").bind(bytes.byteLength),
  ]);
  return { id, key, sha256, bytes };
}

/** Random bytes (crypto.getRandomValues fills at most 64 KiB at a time). */
export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65_536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65_536)));
  return out;
}
