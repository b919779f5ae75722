// The two tools that move a file's bytes instead of JSON (ToolSpec.raw, tools-memory.ts). Like every
// tool they are requests to our own API with the caller's key, so the routes' rules (roles, holder,
// limits, content types, immutability) apply unchanged; only the request and the result differ:
// - attach_sub_task_file sends the raw bytes (from `content` or `content_base64`) with Content-Type,
//   Content-Length and X-Content-SHA256 to POST …/files?name=, as `st attach` does;
// - read_sub_task_file reads the file's JSON first, then at most MCP_READ_TEXT_BYTES of a text type
//   (a Range request) as text, a small raster image as an image block, anything else as a note
//   naming the CLI command, so a model never receives bytes it cannot read.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { SubTaskFile } from "../../contract/api/files";
import { isImagePreviewable, isTextPreviewable, mediaEssence } from "../domain/file-types";
import { catalogue, type Language } from "../i18n";
import { type ApiCall, type ApiErrorBody, answerResult, errorResult, fetchApi, planRequest } from "./call";
import type { McpTool } from "./tools";
import { MCP_READ_IMAGE_BYTES, MCP_READ_TEXT_BYTES } from "./tools-memory";

const invalid = (detail: string): ApiErrorBody => ({ status: 400, code: "invalid_input", detail });

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** Base64 of bytes, in slices (a spread of a whole megabyte would overflow the call stack). */
function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The bytes an attach sends, or why not: exactly one of `content` and `content_base64`. */
function uploadBytes(
  args: Record<string, unknown>,
  lang: Language,
): { bytes: Uint8Array; type: string } | ApiErrorBody {
  const t = catalogue(lang).mcp.fileTools;
  const { content, content_base64: encoded, content_type: type } = args;
  if ((content === undefined) === (encoded === undefined)) return invalid(t.contentOneOf);
  if (type !== undefined && typeof type !== "string")
    return invalid(catalogue(lang).mcp.expectedString({ arg: "content_type" }));
  if (content !== undefined) {
    if (typeof content !== "string") return invalid(catalogue(lang).mcp.expectedString({ arg: "content" }));
    return { bytes: new TextEncoder().encode(content), type: type ?? "text/plain; charset=utf-8" };
  }
  if (typeof encoded !== "string") return invalid(catalogue(lang).mcp.expectedString({ arg: "content_base64" }));
  try {
    const binary = atob(encoded);
    return {
      bytes: Uint8Array.from(binary, (c) => c.charCodeAt(0)),
      type: type ?? "application/octet-stream",
    };
  } catch {
    return invalid(t.badBase64);
  }
}

async function attach(tool: McpTool, args: Record<string, unknown>, api: ApiCall, lang: Language) {
  const planned = planRequest(tool, args, lang);
  if ("code" in planned) return errorResult(planned, lang);
  const body = uploadBytes(args, lang);
  if ("code" in body) return errorResult(body, lang);
  const buffer = body.bytes.slice().buffer;
  const answer = await fetchApi(api, "POST", planned.pathAndQuery, {
    body: buffer,
    headers: {
      "content-type": body.type,
      "content-length": String(body.bytes.byteLength),
      "x-content-sha256": hex(await crypto.subtle.digest("SHA-256", buffer)),
    },
  });
  return answerResult(answer, lang);
}

/** What read_sub_task_file says about the file, before its content (the first block, as JSON). */
type ReadHead = Pick<SubTaskFile, "id" | "sub_task_id" | "name" | "content_type" | "size" | "sha256" | "version"> & {
  shown_bytes: number;
  truncated: boolean;
  note?: string;
};

async function read(tool: McpTool, args: Record<string, unknown>, api: ApiCall, lang: Language) {
  const planned = planRequest(tool, args, lang);
  if ("code" in planned) return errorResult(planned, lang);
  const contentPath = planned.pathAndQuery;
  const meta = await fetchApi(api, "GET", contentPath.replace(/\/content$/, ""));
  if (meta.status >= 400) return answerResult(meta, lang);
  const file = meta.json as SubTaskFile;
  const head: ReadHead = {
    id: file.id,
    sub_task_id: file.sub_task_id,
    name: file.name,
    content_type: file.content_type,
    size: file.size,
    sha256: file.sha256,
    version: file.version,
    shown_bytes: 0,
    truncated: false,
  };
  const asText = isTextPreviewable(file.content_type);
  const asImage = isImagePreviewable(file.content_type) && file.size <= MCP_READ_IMAGE_BYTES;
  if (!asText && !asImage) {
    const note = catalogue(lang).mcp.fileTools.notShown({
      type: file.content_type,
      command: `st download ${file.sub_task_id} ${file.id}`,
    });
    return { content: [{ type: "text", text: JSON.stringify({ ...head, note }) }] } satisfies CallToolResult;
  }
  // Only the part shown is read: a long text file costs one ranged read, not the whole object.
  const ranged = asText && file.size > MCP_READ_TEXT_BYTES;
  const res = await api("GET", contentPath, ranged ? { headers: { range: `bytes=0-${MCP_READ_TEXT_BYTES - 1}` } } : {});
  if (res.status >= 400) return answerResult(await fetchApi(async () => res, "GET", contentPath), lang);
  const bytes = new Uint8Array(await res.arrayBuffer()).subarray(
    0,
    asText ? MCP_READ_TEXT_BYTES : MCP_READ_IMAGE_BYTES,
  );
  head.shown_bytes = bytes.byteLength;
  head.truncated = bytes.byteLength < file.size;
  if (asImage) {
    return {
      content: [
        { type: "text", text: JSON.stringify(head) },
        { type: "image", data: base64(bytes), mimeType: mediaEssence(file.content_type)! },
      ],
    } satisfies CallToolResult;
  }
  // `stream: true` holds back a character the range cut in half instead of showing U+FFFD for it.
  const text = new TextDecoder("utf-8").decode(bytes, { stream: head.truncated });
  return {
    content: [
      { type: "text", text: JSON.stringify(head) },
      { type: "text", text },
    ],
  } satisfies CallToolResult;
}

/** Runs a raw tool (one whose ToolSpec has `raw`). */
export function callRawTool(
  tool: McpTool,
  args: Record<string, unknown>,
  api: ApiCall,
  lang: Language,
): Promise<CallToolResult> {
  return tool.raw === "upload" ? attach(tool, args, api, lang) : read(tool, args, api, lang);
}
