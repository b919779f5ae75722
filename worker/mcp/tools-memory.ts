// The MCP tools of team memory (search) and deliverable files, kept apart from the main table
// (tools.ts) like tools-recurring.ts. Same rules: roles and schemas come from the OpenAPI document,
// descriptions from i18n/<lang>/mcp.ts. Two tools move bytes, not JSON (`raw`): mcp/call-files.ts
// runs them, and RAW_ARGS below are the arguments they take instead of a JSON body.
import type { JsonSchema, ToolSpec } from "./tools";

const SUB_TASK_ID = { id: { name: "sub_task_id", description: "Id of the sub-task" } };
const FILE_ARGS = { ...SUB_TASK_ID, file_id: { name: "file_id", description: "Id of the file" } };
const FILES = "/api/sub-tasks/{id}/files";
const FILE = `${FILES}/{file_id}`;

/**
 * The largest file attach_sub_task_file takes: the MCP POST body is at most 256 KiB (lib/body.ts),
 * and base64 makes bytes a third larger, so 180 KiB of bytes still fit with the JSON-RPC around them.
 */
export const MCP_ATTACH_MAX_BYTES = 180 * 1024;
/** read_sub_task_file shows up to this much of a text file (a Range request: the rest is not read). */
export const MCP_READ_TEXT_BYTES = 64 * 1024;
/** …and images up to this size, as an image block; larger ones get the note. */
export const MCP_READ_IMAGE_BYTES = 1024 * 1024;

/** Which bytes a raw tool moves: a file's content up (attach) or down (read). */
export type RawKind = "upload" | "content";

/** The arguments a raw tool takes besides the operation's path and query parameters. */
export const RAW_ARGS: Record<RawKind, Record<string, { schema: JsonSchema; required: boolean }>> = {
  upload: {
    content: {
      schema: { type: "string", description: "The file's text (UTF-8); give this or content_base64" },
      required: false,
    },
    content_base64: {
      schema: { type: "string", description: "The file's bytes, base64; give this or content" },
      required: false,
    },
    content_type: {
      schema: {
        type: "string",
        maxLength: 200,
        description:
          "e.g. text/markdown, application/json, image/png (default: text/plain; charset=utf-8 with content, application/octet-stream with content_base64)",
      },
      required: false,
    },
  },
  content: {},
};

/** Every role reads the team memory. */
export const MEMORY_READ_TOOLS: readonly ToolSpec[] = [
  { name: "search_memory", method: "GET", path: "/api/search", cli: "search" },
];

/** The readers of files (the API decides who: planners, reviewers, executors on their sub-tasks). */
export const FILE_READ_TOOLS: readonly ToolSpec[] = [
  { name: "list_sub_task_files", method: "GET", path: FILES, cli: "st files", pathArgs: SUB_TASK_ID },
  { name: "get_sub_task_file", method: "GET", path: FILE, pathArgs: FILE_ARGS },
  {
    name: "read_sub_task_file",
    method: "GET",
    path: `${FILE}/content`,
    cli: "st download",
    pathArgs: FILE_ARGS,
    raw: "content",
  },
];

/** The executor holding a sub-task attaches and deletes its files. */
export const FILE_EXECUTOR_TOOLS: readonly ToolSpec[] = [
  { name: "attach_sub_task_file", method: "POST", path: FILES, cli: "st attach", pathArgs: SUB_TASK_ID, raw: "upload" },
  {
    name: "delete_sub_task_file",
    method: "DELETE",
    path: FILE,
    pathArgs: FILE_ARGS,
    destructive: true,
  },
];
