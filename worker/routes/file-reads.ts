// Routes that read deliverable files: the list, one file's metadata, and its bytes (docs/files.md).
// Admins, planners and reviewers read every file; an executor those of sub-tasks it holds or worked on
// (db/file-reads.ts); patrol agents none. The bytes stream from R2 straight into the response.
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { SubTaskFileListSchema, SubTaskFileSchema } from "../../contract/api/files";
import type { App } from "../app";
import type { AppEnv } from "../app-types";
import {
  type FileReader,
  type FileSubTask,
  findFile,
  type ListedFile,
  listFiles,
  MAX_LISTED_FILES,
} from "../db/file-reads";
import {
  bodyHeaders,
  type DownloadFile,
  downloadHeaders,
  etagMatches,
  fileEtag,
  parseRange,
  type RangeRequest,
  rangeApplies,
} from "../domain/file-download";
import { idHint } from "../domain/hints";
import { text as message } from "../i18n";
import { ApiError, forbidden, notFound } from "../lib/errors";
import { defineRoute, id } from "./define";
import { fileJson } from "./file-json";

const TAG = "Files";
/** Who may read files; patrol agents get 403 wrong_role. */
const READERS = ["admin", "planner", "reviewer", "executor"] as const;
const SubTaskParam = z.object({ id });
const FileParam = z.object({ id, file_id: id });

const readerOf = (c: Context<AppEnv>): FileReader => {
  const agent = c.get("agent");
  return agent ? { kind: "agent", id: agent.id, role: agent.role } : { kind: "admin" };
};

const subTaskMissing = (subTaskId: string) =>
  notFound("sub_task_not_found", message("subTaskNotFound", { id: subTaskId }), idHint("sub_task", subTaskId));

/**
 * The stored file the reader may see, or the refusal. An executor who never worked on the sub-task gets
 * the same 404 as for a file that does not exist: a file id is not confirmed to those who cannot read it.
 */
async function readableFile(
  c: Context<AppEnv>,
  subTaskId: string,
  fileId: string,
): Promise<{ subTask: FileSubTask; file: ListedFile }> {
  const { subTask, file } = await findFile(c.var.db, subTaskId, fileId, readerOf(c));
  if (!subTask) throw subTaskMissing(subTaskId);
  if (!file || !subTask.canRead) throw notFound("file_not_found", message("fileNotFound", { id: fileId, subTaskId }));
  return { subTask, file };
}

export function registerFileReadRoutes(app: App): void {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/sub-tasks/{id}/files",
      tag: TAG,
      auth: [...READERS],
      summary: `The sub-task's stored files, newest version first then by name (at most ${MAX_LISTED_FILES}; ?version= for one version). Executors: only sub-tasks they hold or worked on`,
      params: SubTaskParam,
      query: z.object({
        version: z.coerce
          .number()
          .int()
          .min(0)
          .max(1_000_000)
          .optional()
          .openapi({ description: "Only this version (the sub-task's rework count when uploaded)" }),
      }),
      response: SubTaskFileListSchema,
    }),
    async (c) => {
      const subTaskId = c.req.valid("param").id;
      const { subTask, files, limits } = await listFiles(
        c.var.db,
        subTaskId,
        readerOf(c),
        c.req.valid("query").version,
      );
      if (!subTask) throw subTaskMissing(subTaskId);
      // The sub-task itself is readable by every agent (GET /api/sub-tasks/{id}): saying its files are
      // not yours confirms nothing new.
      if (!subTask.canRead) throw forbidden("files_not_yours", message("filesNotYours", { id: subTaskId }));
      return c.json(
        {
          sub_task_id: subTask.id,
          current_version: subTask.reworkCount,
          files: files.map((f) => fileJson(f.row, { uploaderName: f.uploaderName, subTask })),
          limits: { max_file_bytes: limits.maxFileBytes, max_files_per_version: limits.maxFilesPerVersion },
        },
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/sub-tasks/{id}/files/{file_id}",
      tag: TAG,
      auth: [...READERS],
      summary:
        "One stored file's metadata (404 file_not_found for a file still uploading, of another sub-task, or not yours)",
      params: FileParam,
      response: SubTaskFileSchema,
    }),
    async (c) => {
      const { id: subTaskId, file_id: fileId } = c.req.valid("param");
      const { subTask, file } = await readableFile(c, subTaskId, fileId);
      return c.json(fileJson(file.row, { uploaderName: file.uploaderName, subTask }), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/sub-tasks/{id}/files/{file_id}/content",
      tag: TAG,
      auth: [...READERS],
      contentType: "application/octet-stream",
      summary:
        "The file's bytes, always as an attachment (Content-Disposition with filename*, nosniff, a sandboxing CSP). One Range (bytes=a-b, a-, -n) answers 206; If-None-Match with the ETag (the SHA-256) answers 304; HEAD sends the headers alone",
      params: FileParam,
      response: z.string().openapi({ format: "binary" }),
    }),
    async (c) => {
      const { id: subTaskId, file_id: fileId } = c.req.valid("param");
      const { row } = (await readableFile(c, subTaskId, fileId)).file;
      const download: DownloadFile = {
        name: row.name,
        contentType: row.contentType,
        size: row.size,
        sha256: row.sha256 ?? "",
      };
      const etag = fileEtag(download.sha256);
      // The bytes under a file id never change, so a client holding them needs nothing more.
      if (etagMatches(c.req.header("if-none-match"), etag)) return c.body(null, 304, downloadHeaders(download));
      const range: RangeRequest = rangeApplies(c.req.header("if-range"), etag)
        ? parseRange(c.req.header("range"), row.size)
        : { kind: "full" };
      if (range.kind === "unsatisfiable") {
        c.header("Content-Range", `bytes */${row.size}`);
        throw new ApiError(416, "range_not_satisfiable", message("rangeNotSatisfiable", { size: row.size }));
      }
      const part = range.kind === "partial" ? { start: range.start, end: range.end } : undefined;
      const status = part ? 206 : 200;
      const missing = () => notFound("file_content_missing", message("fileContentMissing", { id: fileId }));
      // HEAD (Hono runs the GET handler for it): R2's head, no body fetched.
      if (c.req.method === "HEAD") {
        if (!(await c.env.FILES.head(row.r2Key))) throw missing();
        return c.body(null, status, bodyHeaders(download, part));
      }
      const object = await c.env.FILES.get(
        row.r2Key,
        part ? { range: { offset: part.start, length: part.end - part.start + 1 } } : undefined,
      );
      if (!object) throw missing();
      return c.body(object.body, status, bodyHeaders(download, part));
    },
  );
}
