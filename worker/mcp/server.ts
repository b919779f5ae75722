// The MCP server for one agent: its role's tools, the resources and the prompts, over the SDK's Web-standard
// Streamable HTTP transport. Workers keep no process between requests, so the server is stateless:
// every POST /mcp gets a fresh Server and transport (no session id) and a plain JSON answer.
// JSON-RPC batches (protocol 2025-03-26; later versions dropped them) are bounded to a few messages.
// The low-level Server is used because the tools' input schemas are JSON Schemas taken from the
// OpenAPI document (already derived from the routes' zod schemas), not zod shapes to register.
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  LoggingLevelSchema,
  McpError,
  ReadResourceRequestSchema,
  SetLevelRequestSchema,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import type { jsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/types.js";
import { z } from "zod";
import type { Role } from "../../contract/vocabulary";
import { catalogue, type Language } from "../i18n";
import { MAX_JSON_DEPTH, scanJsonText } from "../lib/json-scan";
import { PACKAGE_VERSION } from "../lib/version";
import { type ApiCall, callTool, errorResult } from "./call";
import { callRawTool } from "./call-files";
import { getPrompt, listPrompts } from "./prompts";
import { listResources, readResource } from "./resources";
import type { McpTool, ToolCatalog } from "./tools";

export const SERVER_NAME = "openmoss-edge";
export const SERVER_VERSION = PACKAGE_VERSION;

export interface McpCaller {
  name: string;
  role: Role;
}

export interface McpContext {
  caller: McpCaller;
  catalog: ToolCatalog;
  /** The API, called with the caller's own key. */
  api: ApiCall;
  /** The language of descriptions, instructions and the server's own errors (the request's). */
  lang: Language;
}

/** The most JSON-RPC messages one POST may carry; each tool call in it is one API request. */
export const MAX_BATCH_MESSAGES = 10;

/**
 * A larger batch is refused whole, before any message runs: HTTP 400 with a JSON-RPC "Invalid
 * Request" error and no id, as the SDK's transport answers its own (looser) batch bound.
 */
const invalidRequest = (message: string): Response =>
  Response.json({ jsonrpc: "2.0", id: null, error: { code: ErrorCode.InvalidRequest, message } }, { status: 400 });

const batchTooLarge = (size: number): Response =>
  invalidRequest(
    `Invalid Request: a batch may hold at most ${MAX_BATCH_MESSAGES} messages, this one has ${size}; send the rest in another POST`,
  );

/**
 * The SDK validates elicitation answers with Ajv by default, which compiles schemas into code at
 * run time (not allowed on Workers) and costs a setup per request. This server never elicits.
 */
const noElicitation: jsonSchemaValidator = {
  getValidator: () => () => ({
    valid: false,
    data: undefined,
    errorMessage: "this server does not validate JSON Schemas",
  }),
};

/**
 * logging/setLevel with any string as the level: the SDK's own handler answers a level outside the
 * list with -32603 and a raw validation dump, this server with -32602 naming the levels. There is
 * nothing to remember: the server lives for one request and sends no log messages so far.
 */
const SetAnyLevelRequestSchema = SetLevelRequestSchema.extend({ params: z.object({ level: z.string() }) });

const setLevel = (level: string): Record<string, never> => {
  if (!LoggingLevelSchema.safeParse(level).success) {
    throw new McpError(
      ErrorCode.InvalidParams,
      `Invalid level ${JSON.stringify(level).slice(0, 40)}; use one of ${LoggingLevelSchema.options.join(", ")}`,
    );
  }
  return {};
};

/** What the model reads before the tool list: who it is, where to start, how CLI steps map to tools. */
export function instructionsFor(caller: McpCaller, tools: McpTool[], lang: Language = "en"): string {
  const mapped = tools.filter((t) => t.cli).map((t) => `\`${t.cli}\` → ${t.name}`);
  return catalogue(lang)
    .mcp.instructions({ name: caller.name, role: caller.role, mapped: mapped.join(", ") })
    .join("\n\n");
}

/** A tool as tools/list shows it: only the description follows the language, never the name or schema. */
const toolListing = (t: McpTool, lang: Language): Tool => ({
  name: t.name,
  title: t.title,
  description: (catalogue(lang).mcp.tools as Record<string, string>)[t.name] ?? t.description,
  inputSchema: t.inputSchema as Tool["inputSchema"],
  annotations: t.annotations,
});

export function createMcpServer(ctx: McpContext): Server {
  const tools = ctx.catalog.forRole(ctx.caller.role);
  const server = new Server(
    { name: SERVER_NAME, title: "OpenMOSS Edge", version: SERVER_VERSION },
    {
      capabilities: {
        tools: { listChanged: false },
        resources: { listChanged: false },
        prompts: { listChanged: false },
        logging: {},
      },
      instructions: instructionsFor(ctx.caller, tools, ctx.lang),
      jsonSchemaValidator: noElicitation,
    },
  );
  const texts = catalogue(ctx.lang).mcp;
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: tools.map((t) => toolListing(t, ctx.lang)) }));
  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const { name, arguments: args } = request.params;
    const tool = tools.find((t) => t.name === name);
    if (!tool) {
      const other = ctx.catalog.byName.get(name);
      if (!other) throw new McpError(ErrorCode.InvalidParams, texts.unknownTool({ name }));
      // The same refusal the API gives for an operation of another role.
      return errorResult(
        {
          status: 403,
          code: "wrong_role",
          detail: texts.wrongRole({ tool: name, roles: other.roles.join("/"), role: ctx.caller.role }),
        },
        ctx.lang,
      );
    }
    // A tool that moves a file's bytes (not JSON) has its own call path.
    return tool.raw ? callRawTool(tool, args ?? {}, ctx.api, ctx.lang) : callTool(tool, args ?? {}, ctx.api, ctx.lang);
  });
  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: listResources(ctx.lang) }));
  server.setRequestHandler(ReadResourceRequestSchema, (request) => readResource(request.params.uri, ctx.api, ctx.lang));
  server.setRequestHandler(SetAnyLevelRequestSchema, (request) => setLevel(request.params.level));
  server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: listPrompts(ctx.lang) }));
  server.setRequestHandler(GetPromptRequestSchema, (request) =>
    getPrompt(request.params.name, request.params.arguments ?? {}, ctx.api, ctx.lang),
  );
  return server;
}

/**
 * Answers one MCP HTTP request whose body (already read, bounded) is `body`; the caller is already
 * authenticated. The body is parsed once here; one that is not JSON goes to the transport as text,
 * which answers it with its own parse error.
 */
export async function handleMcpRequest(request: Request, body: string, ctx: McpContext): Promise<Response> {
  // The API's body check (lib/body.ts) does not run on /mcp: refuse deep nesting before anything
  // parses or validates it. A lone surrogate needs no check here: each tool call re-enters the API
  // as re-serialized JSON, where that check refuses it.
  if (scanJsonText(body) === "too_deep")
    return invalidRequest(`Invalid Request: the body nests more than ${MAX_JSON_DEPTH} levels deep`);
  let parsed: { value: unknown } | null = null;
  try {
    parsed = { value: JSON.parse(body) };
  } catch {
    // left to the transport
  }
  if (parsed && Array.isArray(parsed.value) && parsed.value.length > MAX_BATCH_MESSAGES)
    return batchTooLarge(parsed.value.length);
  const server = createMcpServer(ctx);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  await server.connect(transport);
  try {
    // In JSON mode the response is complete once this resolves, so the server can close at once.
    return await (parsed
      ? transport.handleRequest(request, { parsedBody: parsed.value })
      : transport.handleRequest(new Request(request, { body })));
  } finally {
    await server.close();
  }
}
