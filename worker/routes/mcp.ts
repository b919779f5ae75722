// POST /mcp: the MCP server (Streamable HTTP, stateless), authenticated with the agent's API key.
// It lives outside /api/*, so the API's middleware does not run here: this route sets up what it
// needs (CORS, a body limit, the database for the key lookup, agentAuth, the agent's rate limit) and
// answers 401/403/413/429 with the API's `{detail, code}` before any MCP processing. Each tool call
// then goes back into the app as an ordinary /api request with the same key (see worker/mcp/call.ts),
// which takes a token of its own: a POST with n tool calls costs n + 1.
import { OpenAPIHono } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import { type App, meteredDb } from "../app";
import type { AppEnv } from "../app-types";
import { agentAuth } from "../auth/agent";
import { MAX_BODY_BYTES, readBounded, tooLarge } from "../lib/body";
import { corsPolicy, originGuard } from "../lib/cors";
import { notFound } from "../lib/errors";
import { PACKAGE_VERSION } from "../lib/version";
import type { ApiCall } from "../mcp/call";
import { handleMcpRequest } from "../mcp/server";
import { buildCatalog, type OpenApiDocument, TOOL_TABLE, type ToolCatalog } from "../mcp/tools";

export const MCP_PATH = "/mcp";

const catalogs = new WeakMap<App, ToolCatalog>();

/**
 * The OpenAPI document of just the operations the tools stand for, without their responses: the
 * same generator and zod schemas as /api/openapi.json, for a fraction of its work.
 */
function toolOperations(app: App): OpenApiDocument {
  const wanted = new Set(TOOL_TABLE.map((t) => `${t.method.toLowerCase()} ${t.path}`));
  const slim = new OpenAPIHono();
  for (const def of app.openAPIRegistry.definitions) {
    if (def.type === "route" && wanted.has(`${def.route.method} ${def.route.path}`)) {
      slim.openAPIRegistry.registerPath({ ...def.route, responses: {} });
    }
  }
  return slim.getOpenAPI31Document({
    openapi: "3.1.0",
    info: { title: "OpenMOSS Edge MCP tools", version: PACKAGE_VERSION },
  }) as unknown as OpenApiDocument;
}

/** The tools, built once per isolate (on the first MCP request, when every route is registered). */
export function toolCatalog(app: App): ToolCatalog {
  let catalog = catalogs.get(app);
  if (!catalog) {
    catalog = buildCatalog(toolOperations(app));
    catalogs.set(app, catalog);
  }
  return catalog;
}

/** OAuth's endpoints when a server publishes no metadata (MCP authorization spec, 2025-03-26 fallback). */
export const OAUTH_DEFAULT_PATHS = ["/register", "/token", "/authorize"] as const;

const noOAuth = () =>
  notFound(
    "not_found",
    "no OAuth here: this server takes an agent's API key",
    "Send the key as Authorization: Bearer <key>; docs/mcp.md shows the setup of each client.",
  );

const limitBody = createMiddleware<AppEnv>(async (c, next) => {
  // A declared size is refused here, before any D1 query; a streamed one when it is read.
  if (Number(c.req.header("content-length") ?? "0") > MAX_BODY_BYTES) throw tooLarge();
  await next();
});

export function registerMcpRoutes(app: App) {
  // Browser-based MCP clients (e.g. the MCP Inspector) need CORS; same origin policy as /api/*, and
  // a foreign origin is refused before authentication (the specification's DNS-rebinding rule).
  app.use(MCP_PATH, originGuard);
  app.use(
    MCP_PATH,
    corsPolicy({
      allowMethods: ["POST", "GET", "DELETE", "OPTIONS"],
      allowHeaders: [
        "Authorization",
        "Content-Type",
        "Accept",
        "Mcp-Protocol-Version",
        "Mcp-Session-Id",
        "Last-Event-ID",
      ],
      exposeHeaders: ["Mcp-Session-Id"],
    }),
  );

  app.post(MCP_PATH, limitBody, meteredDb, agentAuth, async (c) => {
    const me = c.var.agent;
    const authorization = c.req.header("authorization") ?? "";
    const origin = new URL(c.req.url).origin;
    const userAgent = c.req.header("user-agent");
    const api: ApiCall = async (method, pathAndQuery, init = {}) =>
      app.request(
        `${origin}${pathAndQuery}`,
        {
          method,
          headers: {
            ...init.headers,
            authorization,
            accept: "application/json",
            ...(userAgent ? { "user-agent": userAgent } : {}),
            // A language the client asked for holds inside too; else each request finds the project's.
            ...(c.var.langAsked ? { "accept-language": c.var.lang } : {}),
          },
          ...(init.body === undefined ? {} : { body: init.body }),
        },
        c.env,
        c.executionCtx,
      );
    const body = new TextDecoder().decode(await readBounded(c.req.raw));
    return handleMcpRequest(c.req.raw, body, {
      caller: { name: me.name, role: me.role },
      catalog: toolCatalog(app),
      api,
      lang: c.var.lang,
    });
  });

  // After a 401, MCP clients look for OAuth metadata here (RFC 9728, RFC 8414, OpenID discovery): a
  // JSON 404 that says what to send instead, never the dashboard's HTML (wrangler.toml routes it here).
  app.all("/.well-known/*", () => {
    throw noOAuth();
  });
  // Finding no metadata, they try OAuth's default endpoints with the headers they were given
  // (mcp-remote: POST /register), and show that answer: the key's own 401 ("invalid API key"). A
  // client that sent no key at all (the Inspector's CLI) learns there is no OAuth, not a CLI flag.
  const keyGiven = createMiddleware<AppEnv>((c, next) =>
    c.req.header("authorization") === undefined ? next() : agentAuth(c, next),
  );
  for (const path of OAUTH_DEFAULT_PATHS) {
    app.all(path, originGuard, meteredDb, keyGiven, () => {
      throw noOAuth();
    });
  }

  // Stateless: no server-initiated SSE stream (GET) and no session to end (DELETE).
  app.all(MCP_PATH, (c) =>
    c.json(
      { detail: "the MCP endpoint takes POST only (stateless Streamable HTTP)", code: "method_not_allowed" },
      405,
      { Allow: "POST" },
    ),
  );
}
