// Fixtures of deliverable-file tests (files-upload, files-races, and the read/clients suites reuse
// them): a sub-task held in_progress by an executor, and a raw upload through the Worker's real fetch
// handler (the body is bytes, not JSON, so test/helpers.ts's call() does not fit).
import { env, exports } from "cloudflare:workers";
import { type CallResult, call, initialize, ok, register, type TestAgent } from "./helpers";

export interface FilesWorld {
  admin: string;
  planner: TestAgent;
  /** Holds `subTaskId`, in_progress. */
  exec: TestAgent;
  /** Another executor: holds nothing. */
  exec2: TestAgent;
  reviewer: TestAgent;
  patrol: TestAgent;
  taskId: string;
  subTaskId: string;
}

/** A new sub-task of `taskId`, claimed and started by `exec` (status in_progress, rework_count 0). */
export async function heldSubTask(planner: TestAgent, exec: TestAgent, taskId: string, name = "S"): Promise<string> {
  const created = await ok(call("POST", "/api/sub-tasks", { key: planner.key, body: { task_id: taskId, name } }));
  for (const op of ["claim", "start"]) await ok(call("POST", `/api/sub-tasks/${created.id}/${op}`, { key: exec.key }));
  return created.id as string;
}

/** Every role, a task, and one sub-task held in_progress by `exec`. Call it in beforeEach (tables are wiped per test). */
export async function filesWorld(): Promise<FilesWorld> {
  const admin = await initialize();
  const [planner, exec, exec2, reviewer, patrol] = await Promise.all([
    register("planner"),
    register("executor"),
    register("executor"),
    register("reviewer"),
    register("patrol"),
  ]);
  const task = await ok(call("POST", "/api/tasks", { key: planner.key, body: { name: "Files" } }));
  const subTaskId = await heldSubTask(planner, exec, task.id);
  return { admin, planner, exec, exec2, reviewer, patrol, taskId: task.id, subTaskId };
}

export interface UploadOptions {
  /** The Content-Type header (default text/plain; null: none). */
  contentType?: string | null;
  /** Sent as X-Content-SHA256. */
  sha256?: string;
  /** The Content-Length header (default: the body's length; null: none, the body streams chunked). */
  contentLength?: number | null;
  headers?: Record<string, string>;
}

export const bytesOf = (body: string | Uint8Array): Uint8Array =>
  typeof body === "string" ? new TextEncoder().encode(body) : body;

/** A stream of `bytes` with no known length (what a chunked upload looks like to the Worker). */
const unsizedStream = (bytes: Uint8Array): ReadableStream<Uint8Array> =>
  new ReadableStream({
    start(controller) {
      if (bytes.byteLength > 0) controller.enqueue(bytes);
      controller.close();
    },
  });

/**
 * A body that sends `bytes` in two halves, the second once `gate` settles: an upload that is still
 * streaming while something else happens (send it with contentLength: bytes.byteLength).
 */
export const gatedBody = (bytes: Uint8Array, gate: Promise<unknown>): ReadableStream<Uint8Array> => {
  const half = Math.floor(bytes.byteLength / 2);
  return new ReadableStream({
    async start(controller) {
      controller.enqueue(bytes.slice(0, half));
      await gate;
      controller.enqueue(bytes.slice(half));
      controller.close();
    },
  });
};

/** POST /api/sub-tasks/{id}/files?name=… with `body` as the raw bytes, as `key`. */
export async function upload(
  key: string,
  subTaskId: string,
  name: string,
  body: string | Uint8Array | ReadableStream<Uint8Array>,
  opts: UploadOptions = {},
): Promise<CallResult> {
  const stream = body instanceof ReadableStream ? body : undefined;
  const bytes = stream ? new Uint8Array() : bytesOf(body as string | Uint8Array);
  const url = new URL(`/api/sub-tasks/${encodeURIComponent(subTaskId)}/files`, "http://openmoss.test");
  url.searchParams.set("name", name);
  const headers: Record<string, string> = { authorization: `Bearer ${key}`, ...opts.headers };
  const type = opts.contentType === undefined ? "text/plain" : opts.contentType;
  if (type !== null) headers["content-type"] = type;
  if (opts.sha256 !== undefined) headers["x-content-sha256"] = opts.sha256;
  const length = opts.contentLength === undefined ? bytes.byteLength : opts.contentLength;
  if (length !== null) headers["content-length"] = String(length);
  const res = await exports.default.fetch(
    new Request(url, { method: "POST", headers, body: stream ?? (length === null ? unsizedStream(bytes) : bytes) }),
  );
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** Lower-case hex SHA-256 of `body`. */
export async function sha256Hex(body: string | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytesOf(body));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Sets one setting straight in D1 (no audit row), e.g. files.max_files_per_version for a limit test. */
export async function setSetting(key: string, value: unknown): Promise<void> {
  await env.DB.prepare("insert or replace into setting (key, value, updated_at) values (?, ?, ?)")
    .bind(key, JSON.stringify(value), new Date().toISOString())
    .run();
}

/** The file rows of a sub-task, straight from D1. */
export async function fileRows(subTaskId: string): Promise<Record<string, unknown>[]> {
  const res = await env.DB.prepare("select * from sub_task_file where sub_task_id = ? order by version, name")
    .bind(subTaskId)
    .all();
  return res.results as Record<string, unknown>[];
}

/** The file_usage counter row. */
export async function fileUsage(): Promise<{ bytes: number; files: number }> {
  return (await env.DB.prepare("select bytes, files from file_usage where id = 1").first()) as {
    bytes: number;
    files: number;
  };
}

/** Every key in the R2 bucket. */
export async function r2Keys(): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await env.FILES.list({ cursor });
    keys.push(...page.objects.map((o) => o.key));
    if (!page.truncated) return keys;
    cursor = page.cursor;
  }
}

/** The R2 keys queued for deletion. */
export async function queuedDeletions(): Promise<string[]> {
  const res = await env.DB.prepare("select r2_key from file_deletion order by r2_key").all<{ r2_key: string }>();
  return res.results.map((r) => r.r2_key);
}
