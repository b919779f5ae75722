// A tool call becomes one request to our own API, run in-process by the Hono app: validation, roles,
// ownership, the sub-task Durable Objects, idempotency and the request log all apply unchanged. The
// API's answer becomes the tool result; its `{detail, code}` errors become MCP tool errors.
import { type CallToolResult, McpError } from "@modelcontextprotocol/sdk/types.js";
import { catalogue, defaultHint, type Language } from "../i18n";
import type { McpTool } from "./tools";

/** Sends one request to the API (path with its query string) with the caller's credentials. */
export type ApiCall = (
  method: string,
  pathAndQuery: string,
  init?: { body?: string | ArrayBuffer; headers?: Record<string, string> },
) => Promise<Response>;

/** The API's error body, with the HTTP status (the shape `task-cli --json` prints too). */
export interface ApiErrorBody {
  status: number;
  code: string;
  detail: string;
  /** The next step (domain/hints.ts), in CLI form; docs/mcp.md maps commands to tools. */
  hint?: string;
}

export interface ApiAnswer {
  status: number;
  contentType: string;
  text: string;
  /** The parsed body when the answer is JSON. */
  json: unknown;
}

export async function fetchApi(
  api: ApiCall,
  method: string,
  pathAndQuery: string,
  init?: { body?: string | ArrayBuffer; headers?: Record<string, string> },
): Promise<ApiAnswer> {
  const res = await api(method, pathAndQuery, init);
  const text = await res.text();
  const contentType = res.headers.get("content-type") ?? "";
  let json: unknown;
  if (/json/i.test(contentType)) {
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON after all: keep the text
    }
  }
  return { status: res.status, contentType, text, json };
}

/** The `{status, code, detail}` of a failed answer (any body that is not the API's shape still gives one). */
export function errorOf(answer: ApiAnswer): ApiErrorBody {
  const body = answer.json as { detail?: unknown; code?: unknown; hint?: unknown } | undefined;
  if (body && typeof body.detail === "string" && typeof body.code === "string") {
    return {
      status: answer.status,
      code: body.code,
      detail: body.detail,
      ...(typeof body.hint === "string" ? { hint: body.hint } : {}),
    };
  }
  return { status: answer.status, code: "http_error", detail: answer.text.slice(0, 500) || `HTTP ${answer.status}` };
}

/**
 * A failed answer to a resource read or a prompt: JSON-RPC -32603 (internal error) carrying the
 * API's own status, code and detail (tools answer with a tool error instead).
 */
export function throwProtocolError(answer: ApiAnswer): never {
  const error = errorOf(answer);
  throw new McpError(-32603, `${error.code}: ${error.detail}`, error);
}

/** A refusal as a tool error; one made here (not by the API) gets its code's default hint. */
export function errorResult(error: ApiErrorBody, lang: Language): CallToolResult {
  const hint = error.hint ?? defaultHint(error.code, lang);
  const body = hint ? { ...error, hint } : error;
  return { isError: true, content: [{ type: "text", text: JSON.stringify(body) }], structuredContent: { ...body } };
}

const invalid = (detail: string): ApiErrorBody => ({ status: 400, code: "invalid_input", detail });

interface PlannedRequest {
  method: string;
  pathAndQuery: string;
  body?: string;
  headers: Record<string, string>;
}

const scalar = (v: unknown): v is string | number | boolean =>
  typeof v === "string" || typeof v === "number" || typeof v === "boolean";

/**
 * Where each argument goes. Only what a URL or a header cannot carry is checked here (unknown
 * arguments, missing path ids, non-scalar query values); every other rule is the API's.
 */
export function planRequest(
  tool: McpTool,
  args: Record<string, unknown>,
  lang: Language,
): PlannedRequest | ApiErrorBody {
  const t = catalogue(lang).mcp;
  const known = Object.keys(tool.args);
  const unknown = Object.keys(args).filter((k) => !(k in tool.args));
  if (unknown.length > 0) {
    return invalid(
      t.unknownArguments({
        count: unknown.length,
        unknown: unknown.join(", "),
        tool: tool.name,
        known: known.join(", "),
      }),
    );
  }
  let path = tool.path;
  const query = new URLSearchParams(tool.fixedQuery);
  const body: Record<string, unknown> = {};
  const headers: Record<string, string> = {};
  let hasBody = false;
  for (const [arg, { place, name }] of Object.entries(tool.args)) {
    if (place === "body") hasBody = true;
    // A raw tool's own arguments (mcp/call-files.ts) become bytes there, not part of the request.
    if (place === "raw") continue;
    const value = args[arg];
    if (place === "path") {
      if (value === undefined || value === null || value === "") return invalid(t.argumentRequired({ arg }));
      if (typeof value !== "string" && typeof value !== "number") return invalid(t.expectedString({ arg }));
      path = path.replace(`{${name}}`, encodeURIComponent(String(value)));
    } else if (value === undefined) {
      // An omitted optional argument sends nothing.
    } else if (place === "body") {
      body[name] = value;
    } else if (place === "query") {
      if (value === null) continue;
      const values = Array.isArray(value) ? value : [value];
      if (!values.every(scalar)) return invalid(t.expectedScalar({ arg }));
      for (const v of values) query.append(name, String(v));
    } else {
      if (typeof value !== "string") return invalid(t.expectedString({ arg }));
      headers[name] = value;
    }
  }
  const qs = query.toString();
  const planned: PlannedRequest = { method: tool.method, pathAndQuery: qs ? `${path}?${qs}` : path, headers };
  if (hasBody) {
    planned.body = JSON.stringify(body);
    headers["content-type"] = "application/json";
  }
  return planned;
}

/** Runs a tool: one API request, its JSON as the result, or its error as a tool error. */
export async function callTool(
  tool: McpTool,
  args: Record<string, unknown>,
  api: ApiCall,
  lang: Language,
): Promise<CallToolResult> {
  const planned = planRequest(tool, args, lang);
  if ("code" in planned) return errorResult(planned, lang);
  const answer = await fetchApi(api, planned.method, planned.pathAndQuery, {
    headers: planned.headers,
    ...(planned.body === undefined ? {} : { body: planned.body }),
  });
  return answerResult(answer, lang);
}

/** The API's answer as a tool result: its JSON (structured when an object), or its error. */
export function answerResult(answer: ApiAnswer, lang: Language): CallToolResult {
  // The API's own refusal is already in the caller's language (same key, same Accept-Language).
  if (answer.status >= 400) return errorResult(errorOf(answer), lang);
  if (answer.json === undefined) return { content: [{ type: "text", text: answer.text }] };
  const result: CallToolResult = { content: [{ type: "text", text: JSON.stringify(answer.json) }] };
  if (answer.json !== null && typeof answer.json === "object" && !Array.isArray(answer.json)) {
    result.structuredContent = answer.json as Record<string, unknown>;
  }
  return result;
}
