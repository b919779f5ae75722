// Routes that change deliverable files: upload (a streamed body, not JSON) and delete (docs/files.md).
// An upload is three steps: reserve (a guarded row + the bytes counted against the limits), stream to
// R2 while hashing, finalize (guarded again: a submit during the upload wins). Whatever fails after the
// reservation releases it, so a refused upload leaves no row, no counted bytes and no reachable object.
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { SubTaskFileSchema } from "../../contract/api/files";
import type { App } from "../app";
import type { AppEnv } from "../app-types";
import {
  deleteFile,
  type FileRow,
  finalizeUpload,
  type ReserveRefusal,
  releaseUpload,
  reserveUpload,
} from "../db/file-writes";
import { fileNameProblem, MAX_SENT_NAME_CHARS, sanitizeFileName } from "../domain/file-names";
import { storedContentType } from "../domain/file-types";
import { idHint } from "../domain/hints";
import { render, text } from "../i18n";
import { ApiError, badRequest, conflict, forbidden, notFound } from "../lib/errors";
import { nowIso } from "../lib/time";
import { LengthMismatch, streamToBucket } from "../lib/upload-stream";
import { defineRoute, id } from "./define";
import { fileJson } from "./file-json";

const SubTaskId = z.object({ id });
const FileIds = z.object({ id, file_id: id });

/** The sent name: one line of visible characters, checked before sanitizing (invisible ones are refused, not fixed). */
const FileName = z
  .string()
  .min(1)
  .max(MAX_SENT_NAME_CHARS)
  .superRefine((value, ctx) => {
    const problem = fileNameProblem(value);
    if (problem) {
      ctx.addIssue({
        code: "custom",
        message: problem.detail,
        params: { code: problem.code, said: problem.said },
        input: value,
      });
    }
  })
  .transform(sanitizeFileName)
  .openapi({
    description:
      "The file's name (≤255 characters). Stored sanitized: the last path segment, no leading dots, no Windows-reserved names or characters, ≤255 UTF-8 bytes",
  });

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The declared size: 411 without Content-Length, 400 when it is not a whole number of bytes. */
function declaredLength(header: string | undefined): number {
  if (header === undefined || header.trim() === "")
    throw new ApiError(411, "length_required", text("fileLengthRequired"));
  const trimmed = header.trim();
  if (!/^\d{1,16}$/.test(trimmed))
    throw badRequest("invalid_input", text("fileLengthInvalid", { sent: trimmed.slice(0, 40) }));
  return Number(trimmed);
}

/** X-Content-SHA256 when sent: 64 hex characters, compared in lower case. */
function expectedChecksum(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = header.trim().toLowerCase();
  if (!SHA256_HEX.test(value)) throw badRequest("invalid_input", text("checksumMalformed"));
  return value;
}

/** Sub-task statuses from which `st start` leads to in_progress (then uploads are taken). */
const STARTABLE = new Set(["assigned", "rework"]);
/** Statuses in which the version just worked on is frozen (submitted or decided). */
const SUBMITTED = new Set(["review", "done"]);

/** What to do when a sub-task in `status` takes no files: start it, or attach to the next version after a rework. */
const statusHint = (subTaskId: string, status: string) =>
  STARTABLE.has(status)
    ? text("nextStartBeforeUpload", { id: subTaskId })
    : SUBMITTED.has(status)
      ? text("nextFrozenVersion", { id: subTaskId })
      : undefined;

const notInProgress = (subTaskId: string, status: string): ApiError =>
  conflict("sub_task_not_in_progress", text("filesNotInProgress", { status }), statusHint(subTaskId, status));

function reserveRefusal(subTaskId: string, size: number, r: ReserveRefusal): ApiError {
  switch (r.refused) {
    case "sub_task_not_found":
      return notFound("sub_task_not_found", text("subTaskNotFound", { id: subTaskId }), idHint("sub_task", subTaskId));
    case "not_owner":
      return forbidden("not_owner", text("notYourFiles"));
    case "not_in_progress":
      return notInProgress(subTaskId, r.status ?? "");
    case "file_too_large":
      return new ApiError(413, "file_too_large", text("fileTooLarge", { size, max: r.maxFileBytes }));
    case "too_many_files":
      return conflict("too_many_files", text("tooManyFiles", { max: r.maxFiles, version: r.version ?? 0 }));
    case "storage_full":
      return conflict("storage_full", text("storageFull", { size, used: r.usedBytes, max: r.maxTotalBytes }));
  }
}

/** Streams the body to R2; on any failure the reservation is released before the error goes on. */
async function storeBytes(c: Context<AppEnv>, row: FileRow, length: number, checksum: string | undefined) {
  try {
    const streamed = await streamToBucket(c.env.FILES, row.r2Key, c.req.raw.body, length, {
      httpMetadata: { contentType: row.contentType },
      customMetadata: { sub_task_id: row.subTaskId, file_id: row.id },
    });
    if (checksum !== undefined && checksum !== streamed.sha256) {
      throw badRequest("checksum_mismatch", text("checksumMismatch", { sent: checksum, computed: streamed.sha256 }));
    }
    return streamed;
  } catch (err) {
    await releaseUpload(c.var.db, row, nowIso());
    if (err instanceof LengthMismatch) {
      throw badRequest("length_mismatch", text("lengthMismatch", { declared: err.declared, received: err.received }));
    }
    throw err;
  }
}

export function registerFileUploadRoutes(app: App): void {
  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/sub-tasks/{id}/files",
      tag: "Files",
      auth: ["executor"],
      summary:
        "Attach a file to a sub-task you hold while it is in_progress (the same name in the same version replaces the earlier file). The body is the raw bytes; Idempotency-Key is not supported here: a retry with the same name replaces, which is idempotent in effect",
      params: SubTaskId,
      query: z.object({ name: FileName }),
      rawBody: {
        contentType: "application/octet-stream",
        description:
          "The file's bytes, with Content-Length (required; at most files.max_file_bytes) and its own Content-Type (kept if on the allow-list, else stored as application/octet-stream). Optional X-Content-SHA256: the bytes' hex SHA-256, verified",
      },
      response: SubTaskFileSchema,
      status: 201,
    }),
    async (c) => {
      const db = c.var.db;
      const agent = c.var.agent;
      const subTaskId = c.req.valid("param").id;
      const { name } = c.req.valid("query");
      const length = declaredLength(c.req.header("content-length"));
      const checksum = expectedChecksum(c.req.header("x-content-sha256"));
      const upload = {
        fileId: crypto.randomUUID(),
        subTaskId,
        agentId: agent.id,
        name,
        contentType: storedContentType(c.req.header("content-type")),
        size: length,
        now: nowIso(),
      };
      const reserved = await reserveUpload(db, upload);
      if (!reserved.ok) throw reserveRefusal(subTaskId, length, reserved);
      const { row } = reserved;
      const streamed = await storeBytes(c, row, length, checksum);
      const { stored, ...after } = await finalizeUpload(db, {
        row,
        name,
        agentId: agent.id,
        ...streamed,
        now: nowIso(),
      });
      if (!stored) {
        await releaseUpload(db, row, nowIso());
        const { status, holder } = "status" in after ? after : { status: "deleted", holder: null };
        // It changed hands (a reassign) while the bytes streamed.
        if (status !== "deleted" && holder !== agent.id) throw forbidden("not_owner", text("notYourFiles"));
        throw conflict(
          "sub_task_not_in_progress",
          text("submittedWhileUploading", { status }),
          statusHint(subTaskId, status),
        );
      }
      const context = {
        uploaderName: agent.name,
        subTask: { status: "in_progress" as const, reworkCount: stored.version },
      };
      return c.json(fileJson(stored, context), 201);
    },
  );

  app.openapi(
    defineRoute({
      method: "delete",
      path: "/api/sub-tasks/{id}/files/{file_id}",
      tag: "Files",
      auth: ["executor"],
      summary: "Delete a file of the current version of a sub-task you hold, while it is in_progress",
      params: FileIds,
      response: z.object({ message: z.string(), id: z.string() }).openapi("FileDeleted"),
    }),
    async (c) => {
      const { id: subTaskId, file_id: fileId } = c.req.valid("param");
      const outcome = await deleteFile(c.var.db, { subTaskId, fileId, agentId: c.var.agent.id, now: nowIso() });
      if (!outcome.ok) {
        switch (outcome.refused) {
          case "sub_task_not_found":
            throw notFound(
              "sub_task_not_found",
              text("subTaskNotFound", { id: subTaskId }),
              idHint("sub_task", subTaskId),
            );
          case "file_not_found":
            throw notFound("file_not_found", text("fileToDeleteNotFound", { id: fileId }));
          case "not_owner":
            throw forbidden("not_owner", text("notYourFiles"));
          case "frozen":
            throw conflict(
              "file_frozen",
              text("fileFrozen", { status: outcome.status }),
              statusHint(subTaskId, outcome.status),
            );
          case "not_in_progress":
            throw notInProgress(subTaskId, outcome.status);
        }
      }
      return c.json({ message: render(text("fileDeleted"), c.var.lang), id: fileId }, 200);
    },
  );
}
