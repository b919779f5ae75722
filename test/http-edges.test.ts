// The HTTP edges MCP clients and browsers meet before any API work: OAuth discovery paths answer a
// JSON 404, every 401 carries a WWW-Authenticate challenge, and a web page from a foreign origin
// (DNS rebinding included) gets 403 before authentication, changing nothing (worker/lib/cors.ts).
import { exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { call, env, initialize, register, snapshotAllTables, type TestAgent } from "./helpers";

const INITIALIZE = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "edges-test", version: "1.0.0" } },
});

/** POST /mcp `initialize` at `url` (its host is the Host header the Worker sees), with extra headers. */
const mcpInitialize = (url: string, headers: Record<string, string>) =>
  exports.default.fetch(
    new Request(url, {
      method: "POST",
      headers: { accept: "application/json, text/event-stream", "content-type": "application/json", ...headers },
      body: INITIALIZE,
    }),
  );

/** Every row of every table, agents' rate-limit buckets included: a refused origin takes no token either. */
const everything = async () => ({
  ...(await snapshotAllTables()),
  buckets: (await env.DB.prepare("select * from rate_bucket order by rowid").all()).results,
});

let admin: string;
let planner: TestAgent;
beforeEach(async () => {
  admin = await initialize();
  planner = await register("planner");
});

describe("OAuth discovery paths", () => {
  it("answer 404 JSON {detail, code, hint}, never the dashboard", async () => {
    for (const path of [
      "/.well-known/oauth-protected-resource",
      "/.well-known/oauth-protected-resource/mcp",
      "/.well-known/oauth-authorization-server",
      "/.well-known/oauth-authorization-server/mcp",
      "/.well-known/openid-configuration",
    ]) {
      const res = await call("GET", path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type"), path).toContain("application/json");
      expect(res.body, path).toMatchObject({
        code: "not_found",
        detail: expect.stringContaining("API key"),
        hint: expect.stringContaining("Bearer"),
      });
    }
  });

  it("OAuth's default endpoints answer with the key's own 401 (what mcp-remote shows), else (a valid key, or none) a JSON 404", async () => {
    const register = (key: string) => call("POST", "/register", { key, body: { client_name: "MCP CLI Proxy" } });
    const wrong = await register("ak_wrong");
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ code: "invalid_api_key", detail: "invalid API key" });
    expect(wrong.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(await register(planner.key)).toMatchObject({ status: 404, body: { code: "not_found" } });
    // No key at all: there is no OAuth to find, which is what such a client needs to hear.
    expect(await call("GET", "/authorize")).toMatchObject({
      status: 404,
      body: { code: "not_found", detail: expect.stringContaining("no OAuth") },
    });
  });
});

describe("WWW-Authenticate on 401", () => {
  it("names the error on a wrong or malformed key and stays bare without one (RFC 6750 §3.1), on /api and /mcp", async () => {
    const invalidKey = 'Bearer realm="OpenMOSS", error="invalid_token", error_description="invalid API key"';
    const cases: [string, Promise<Response>, string, string][] = [
      [
        "/api wrong key",
        apiGet("/api/agents", { authorization: `Bearer ak_${"0".repeat(32)}` }),
        invalidKey,
        "invalid_api_key",
      ],
      ["/api no key", apiGet("/api/agents", {}), 'Bearer realm="OpenMOSS"', "missing_credentials"],
      [
        "/api malformed",
        apiGet("/api/agents", { authorization: "Basic abc" }),
        'Bearer realm="OpenMOSS", error="invalid_request", error_description="Authorization must be Bearer <api_key>"',
        "bad_credentials",
      ],
      [
        "/mcp wrong key",
        mcpInitialize("http://openmoss.test/mcp", { authorization: "Bearer ak_wrong" }),
        invalidKey,
        "invalid_api_key",
      ],
      ["/mcp no key", mcpInitialize("http://openmoss.test/mcp", {}), 'Bearer realm="OpenMOSS"', "missing_credentials"],
      [
        "admin expired session",
        apiGet("/api/admin/config", { "x-admin-token": "not-a-session" }),
        'Bearer realm="OpenMOSS", error="invalid_token", error_description="admin session invalid or expired; log in again"',
        "invalid_session",
      ],
    ];
    for (const [name, pending, challenge, code] of cases) {
      const res = await pending;
      expect(res.status, name).toBe(401);
      expect(res.headers.get("www-authenticate"), name).toBe(challenge);
      const body = (await res.json()) as { code: string; detail: string; hint?: string };
      expect(body.code, name).toBe(code);
      if (code === "invalid_api_key") expect(body.detail).toContain("invalid API key");
    }
    // An authenticated answer carries no challenge.
    expect(
      (await apiGet("/api/agents", { authorization: `Bearer ${planner.key}` })).headers.get("www-authenticate"),
    ).toBeNull();
  });
});

/** A GET to the API with only the given headers, as a raw Response. */
function apiGet(path: string, headers: Record<string, string>): Promise<Response> {
  return exports.default.fetch(new Request(`http://openmoss.test${path}`, { headers }));
}

describe("browser origins", () => {
  it("a foreign Origin (or a rebound Host) gets 403 origin_not_allowed on /mcp and /api before auth, changing nothing", async () => {
    const before = await everything();
    const refused: [string, Promise<Response>][] = [
      [
        "/mcp foreign origin",
        mcpInitialize("http://openmoss.test/mcp", {
          authorization: `Bearer ${planner.key}`,
          origin: "https://evil.example",
        }),
      ],
      // The conformance suite's DNS-rebinding probe: Host and Origin both on the attacker's name.
      [
        "/mcp rebound host",
        mcpInitialize("http://evil.example.com/mcp", {
          authorization: `Bearer ${planner.key}`,
          origin: "http://evil.example.com",
        }),
      ],
      ["/mcp no key", mcpInitialize("http://openmoss.test/mcp", { origin: "https://evil.example" })],
      [
        "/api write",
        exports.default.fetch(
          new Request("http://openmoss.test/api/tasks", {
            method: "POST",
            headers: {
              authorization: `Bearer ${planner.key}`,
              origin: "https://evil.example",
              "content-type": "application/json",
            },
            body: JSON.stringify({ name: "planted", description: "x" }),
          }),
        ),
      ],
      [
        "/api admin",
        exports.default.fetch(
          new Request("http://openmoss.test/api/admin/config", { headers: { "x-admin-token": admin, origin: "null" } }),
        ),
      ],
      // Plain http under a name that is not loopback: the request's own origin proves nothing.
      [
        "/api own http origin",
        apiGet("/api/agents", { authorization: `Bearer ${planner.key}`, origin: "http://openmoss.test" }),
      ],
    ];
    for (const [name, pending] of refused) {
      const res = await pending;
      expect(res.status, name).toBe(403);
      expect(res.headers.get("access-control-allow-origin"), name).toBeNull();
      expect(await res.json(), name).toMatchObject({
        code: "origin_not_allowed",
        hint: expect.stringContaining("CORS_ORIGINS"),
      });
    }
    expect(await everything()).toEqual(before);
    // A preflight from that origin gets no CORS headers: the browser never sends the request.
    const preflight = await exports.default.fetch(
      new Request("http://openmoss.test/mcp", {
        method: "OPTIONS",
        headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
      }),
    );
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("no Origin, the server's own (https, loopback, IP), a local tool, CORS_ORIGINS and server.external_url are served", async () => {
    const key = { authorization: `Bearer ${planner.key}` };
    const served: [string, string, string | undefined][] = [
      ["no Origin (agents, CLIs)", "http://openmoss.test/mcp", undefined],
      ["own https origin", "https://openmoss.test/mcp", "https://openmoss.test"],
      [
        "own loopback origin (the conformance suite's valid case)",
        "http://localhost:8787/mcp",
        "http://localhost:8787",
      ],
      ["own IP origin", "http://192.168.1.20:8787/mcp", "http://192.168.1.20:8787"],
      ["a local tool on another port", "http://127.0.0.1:8787/mcp", "http://localhost:6274"],
    ];
    for (const [name, url, origin] of served) {
      const res = await mcpInitialize(url, { ...key, ...(origin ? { origin } : {}) });
      expect(res.status, name).toBe(200);
      if (origin) expect(res.headers.get("access-control-allow-origin"), name).toBe(origin);
    }
    const corsBefore = env.CORS_ORIGINS;
    env.CORS_ORIGINS = "https://dash.example.pages.dev";
    try {
      const listed = await apiGet("/api/agents", { ...key, origin: "https://dash.example.pages.dev" });
      expect(listed.status).toBe(200);
      expect(listed.headers.get("access-control-allow-origin")).toBe("https://dash.example.pages.dev");
    } finally {
      env.CORS_ORIGINS = corsBefore;
    }
    // A plain-http deployment names its address in server.external_url.
    const origin = "http://moss.lan:8787";
    expect((await apiGet("/api/agents", { ...key, origin })).status).toBe(403);
    expect(
      (await call("PUT", "/api/admin/config", { admin, body: { server: { external_url: `${origin}/` } } })).status,
    ).toBe(200);
    expect((await apiGet("/api/agents", { ...key, origin })).status).toBe(200);
  });
});
