import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-types";
import { text } from "../i18n";
import { ApiError } from "./errors";
import { MAX_JSON_DEPTH, scanJsonText } from "./json-scan";

export const MAX_BODY_BYTES = 256 * 1024;

/**
 * The one route whose body is not JSON: a file upload streams raw bytes (up to files.max_file_bytes,
 * far above MAX_BODY_BYTES) straight to R2 while hashing them (routes/file-uploads.ts reads
 * `c.req.raw.body` itself). Exactly POST /api/sub-tasks/{id}/files: one path segment for the id, no
 * trailing parts, so …/files/{file_id} and every other route still get the JSON checks below.
 */
const RAW_UPLOAD_PATH = /^\/api\/sub-tasks\/[^/]+\/files$/;

/** Whether `method` `pathname` is the raw file upload, whose body normalizeBody leaves unread. */
export const isRawUpload = (method: string, pathname: string): boolean =>
  method === "POST" && RAW_UPLOAD_PATH.test(pathname);

/**
 * Reads the body once, refusing oversized ones before parsing. Upstream's CLI sends
 * `Content-Type: application/json` with no body on submit/claim/cancel, so an empty body counts as
 * `{}`; a body without a content type is taken as JSON.
 */
export const normalizeBody = createMiddleware<AppEnv>(async (c, next) => {
  c.set("rawBody", null);
  const method = c.req.method;
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return next();
  if (isRawUpload(method, new URL(c.req.url).pathname)) return next();
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const bytes = await readBounded(c.req.raw);
  const raw = new TextDecoder().decode(bytes);
  // Before anything parses the body or queries D1: no nesting deeper than MAX_JSON_DEPTH, and no JSON
  // escape that smuggles in half of a surrogate pair (D1 would silently store U+FFFD).
  const problem = scanJsonText(raw);
  if (problem === "too_deep") {
    throw new ApiError(400, "too_deep", text("bodyTooDeep", { depth: MAX_JSON_DEPTH }));
  }
  if (problem === "lone_surrogate") {
    throw new ApiError(400, "invalid_text", text("bodyLoneSurrogate"));
  }
  c.set("rawBody", raw);
  const headers = new Headers(c.req.raw.headers);
  const type = headers.get("content-type");
  if (!type || type.trim() === "") headers.set("content-type", "application/json");
  headers.delete("content-length");
  c.req.raw = new Request(c.req.url, { method, headers, body: raw.trim() === "" ? "{}" : raw });
  await next();
});

/** The body's bytes, read as they stream in; 413 as soon as they pass MAX_BODY_BYTES (POST /mcp reads with it too). */
export async function readBounded(req: Request): Promise<Uint8Array> {
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

export const tooLarge = () => new ApiError(413, "payload_too_large", text("bodyTooLarge", { bytes: MAX_BODY_BYTES }));
