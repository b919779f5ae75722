// The MCP endpoint inside the Workers runtime: the official SDK client talks to POST /mcp through the
// Worker's own fetch handler. The tool table is checked against the OpenAPI document (every tool is
// an agent operation, schemas come from zod), the role split, the HTTP-level refusals, and that a
// tool call really is an API request (errors, idempotency, request log).

import { exports } from "cloudflare:workers";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { beforeEach, describe, expect, it } from "vitest";
import { ROLES, type Role } from "../contract/vocabulary";
import { STANDING_MARKER } from "../worker/domain/prompts";
import { buildCatalog, type OpenApiDocument, rolesOf, TOOL_TABLE } from "../worker/mcp/tools";
import {
  call,
  env,
  eventually,
  initialize,
  insertSubTask,
  login,
  ok,
  REGISTRATION_TOKEN,
  register,
  type TestAgent,
} from "./helpers";

const ORIGIN = "http://openmoss.test";
const workerFetch = (url: string | URL, init?: RequestInit) => exports.default.fetch(new Request(url, init));
const noValidation = {
  getValidator: () => (input: unknown) => ({ valid: true as const, data: input as never, errorMessage: undefined }),
};

async function connect(key: string): Promise<Client> {
  const client = new Client({ name: "workers-test", version: "1.0.0" }, { jsonSchemaValidator: noValidation });
  const transport = new StreamableHTTPClientTransport(new URL("/mcp", ORIGIN), {
    fetch: workerFetch,
    requestInit: { headers: { Authorization: `Bearer ${key}` } },
  });
  await client.connect(transport);
  return client;
}

const toolNames = async (client: Client) => (await client.listTools()).tools.map((t) => t.name).sort();
const json = (r: CallToolResult) => JSON.parse((r.content[0] as { text: string }).text);
const rawMcp = (init: RequestInit & { headers?: Record<string, string> }) =>
  workerFetch(`${ORIGIN}/mcp`, {
    ...init,
    headers: { accept: "application/json, text/event-stream", "content-type": "application/json", ...init.headers },
  });

let openapi: OpenApiDocument;
beforeEach(async () => {
  await initialize();
  openapi = (await call("GET", "/api/openapi.json")).body;
});

describe("the tool table", () => {
  it("maps every tool to an agent operation of the OpenAPI document, with its zod-derived schema", () => {
    const catalog = buildCatalog(openapi);
    expect(catalog.all.map((t) => t.name)).toEqual(TOOL_TABLE.map((t) => t.name));
    const claim = catalog.byName.get("claim_sub_task")!;
    expect(claim.inputSchema.required).toEqual(["sub_task_id"]);
    // Nullable in the API (null = not given), optional here: no type arrays.
    expect(claim.inputSchema.properties.session_id).toEqual({ type: "string", maxLength: 200 });
    const create = catalog.byName.get("create_sub_task")!;
    expect(create.inputSchema.required).toEqual(["task_id", "name"]);
    expect(create.inputSchema.properties.priority).toMatchObject({
      enum: ["high", "medium", "low"],
      default: "medium",
    });
    const review = catalog.byName.get("review_sub_task")!;
    expect(review.inputSchema.properties.score).toMatchObject({ type: "integer", minimum: 1, maximum: 5 });
    expect(review.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    // Hidden and fixed query parameters are not offered; reads take no idempotency key.
    expect(Object.keys(catalog.byName.get("get_briefing")!.inputSchema.properties)).toEqual(["rules"]);
    expect(catalog.byName.get("get_rules")!.inputSchema.properties).not.toHaveProperty("cli_version");
    expect(catalog.byName.get("get_rules")!.annotations.readOnlyHint).toBe(true);
    expect(catalog.byName.get("cancel_sub_task")!.annotations.destructiveHint).toBe(true);
  });

  it("covers every operation an agent role may call (admin-only and downloads aside)", () => {
    const mapped = new Set(TOOL_TABLE.map((t) => `${t.method} ${t.path}`));
    const notTools = new Set([
      "GET /api/tools/cli",
      "GET /api/agents/me/skill",
      "GET /api/agents/me/skill-bundle",
      "GET /api/agents/me/standing-prompt",
    ]);
    const missing: string[] = [];
    for (const [path, ops] of Object.entries(openapi.paths ?? {})) {
      for (const [method, op] of Object.entries(ops ?? {})) {
        const key = `${method.toUpperCase()} ${path}`;
        if (op && rolesOf(op).length > 0 && !mapped.has(key) && !notTools.has(key)) missing.push(key);
      }
    }
    expect(missing).toEqual([]);
  });

  it("refuses a table entry that is not an agent operation", () => {
    expect(() => buildCatalog(openapi, [{ name: "x", method: "GET", path: "/api/admin/agents" }])).toThrow(
      /no agent role/,
    );
    expect(() => buildCatalog(openapi, [{ name: "x", method: "GET", path: "/api/nope" }])).toThrow(/no such operation/);
  });
});

describe("POST /mcp", () => {
  const agents = {} as Record<Role, TestAgent>;
  beforeEach(async () => {
    for (const role of ROLES) agents[role] = await register(role);
  });

  it("lists each role's operations as tools", async () => {
    const names = Object.fromEntries(
      await Promise.all(ROLES.map(async (r) => [r, await toolNames(await connect(agents[r].key))] as const)),
    );
    const everyone = [
      "get_briefing",
      "heartbeat",
      "get_rules",
      "get_sub_task",
      "write_log",
      "list_available_sub_tasks",
    ];
    for (const role of ROLES) expect(names[role]).toEqual(expect.arrayContaining(everyone));
    expect(names.planner).toEqual(
      expect.arrayContaining([
        "create_task",
        "create_sub_task",
        "set_task_status",
        "reassign_sub_task",
        "create_rule",
        "adjust_score",
      ]),
    );
    expect(names.executor).toEqual(
      expect.arrayContaining(["claim_sub_task", "start_sub_task", "submit_sub_task", "set_sub_task_session"]),
    );
    expect(names.reviewer).toEqual(
      expect.arrayContaining(["review_sub_task", "complete_sub_task", "rework_sub_task", "adjust_score"]),
    );
    expect(names.patrol).toEqual(
      expect.arrayContaining(["block_sub_task", "create_patrol_record", "resolve_patrol_record"]),
    );
    expect(names.executor).not.toContain("review_sub_task");
    expect(names.executor).not.toContain("create_task");
    expect(names.reviewer).not.toContain("claim_sub_task");
    expect(names.patrol).not.toContain("create_sub_task");
    expect(names.planner).not.toContain("block_sub_task");
  });

  it("serves exactly the schemas of /api/openapi.json (built from a slimmer document of the same routes)", async () => {
    const full = buildCatalog(openapi);
    for (const role of ROLES) {
      const { tools } = await (await connect(agents[role].key)).listTools();
      expect(tools.map((t) => ({ name: t.name, inputSchema: t.inputSchema, description: t.description }))).toEqual(
        full.forRole(role).map((t) => ({ name: t.name, inputSchema: t.inputSchema, description: t.description })),
      );
    }
  });

  it("writes portable schemas (no type arrays, no nullable) and says which arguments go together", async () => {
    const found: string[] = [];
    const walk = (value: unknown, where: string): void => {
      if (Array.isArray(value)) {
        for (const [i, v] of value.entries()) walk(v, `${where}[${i}]`);
        return;
      }
      if (!value || typeof value !== "object") return;
      for (const [key, v] of Object.entries(value)) {
        if (
          (key === "type" && Array.isArray(v)) ||
          key === "nullable" ||
          (key === "enum" && Array.isArray(v) && v.includes(null))
        )
          found.push(`${where}.${key}`);
        walk(v, `${where}.${key}`);
      }
    };
    const described = new Map<string, string>();
    for (const role of ROLES) {
      for (const t of (await (await connect(agents[role].key)).listTools()).tools) {
        walk({ input: t.inputSchema, output: t.outputSchema }, t.name);
        described.set(t.name, t.description ?? "");
      }
    }
    expect(found).toEqual([]);
    expect(described.get("create_patrol_record")).toContain("give sub_task_id or agent_id");
    expect(described.get("create_rule")).toMatch(/scope task needs task_id, scope sub_task needs sub_task_id/);
    expect(described.get("review_sub_task")).toContain("a rejection needs issues");
  });

  it("offers the standing prompt, the rules and the briefing as prompts, each through the API", async () => {
    const prompts = await Promise.all(
      ROLES.map(async (r) => (await (await connect(agents[r].key)).listPrompts()).prompts.map((p) => p.name)),
    );
    for (const names of prompts) expect(names).toEqual(["briefing", "standing_prompt", "rules"]);

    const client = await connect(agents.executor.key);
    const text = async (name: string, args?: Record<string, string>) =>
      (
        (await client.getPrompt({ name, ...(args ? { arguments: args } : {}) })).messages[0]!.content as {
          text: string;
        }
      ).text;
    const briefing = await text("briefing");
    expect(briefing).toContain(`You are ${agents.executor.name} (executor)`);
    expect(briefing).toContain("Next steps:");
    const standing = await text("standing_prompt");
    expect(standing).toContain(STANDING_MARKER);
    expect(standing).toContain("**executor**");
    expect(standing).not.toContain(agents.executor.key);
    expect(standing).not.toContain(REGISTRATION_TOKEN);
    const subTaskId = await insertSubTask();
    const fromApi = await call("GET", "/api/rules", {
      key: agents.executor.key,
      query: { cli_version: 999, sub_task_id: subTaskId },
    });
    expect(await text("rules", { sub_task_id: subTaskId })).toBe(fromApi.body.content);
    // The API's refusal, an unknown argument and an unknown prompt: JSON-RPC errors.
    await expect(text("rules", { task_id: "x".repeat(65) })).rejects.toThrow(/invalid_input/);
    await expect(text("rules", { scope: "x" })).rejects.toThrow(/unknown: scope/);
    await expect(text("poem")).rejects.toThrow(/Unknown prompt: poem/);
  });

  it("takes logging/setLevel: {} for a level, a JSON-RPC error for a bad one", async () => {
    const client = await connect(agents.patrol.key);
    expect(client.getServerCapabilities()).toMatchObject({ logging: {}, prompts: {} });
    expect(await client.setLoggingLevel("debug")).toEqual({});
    const bad = await rawMcp({
      method: "POST",
      headers: { authorization: `Bearer ${agents.patrol.key}` },
      body: JSON.stringify({ jsonrpc: "2.0", id: 7, method: "logging/setLevel", params: { level: "loud" } }),
    });
    expect(await bad.json()).toMatchObject({
      jsonrpc: "2.0",
      id: 7,
      error: { code: -32602, message: expect.stringContaining("use one of debug, info") },
    });
  });

  it("introduces itself and points to the briefing first", async () => {
    const client = await connect(agents.executor.key);
    expect(client.getServerVersion()).toMatchObject({ name: "openmoss-edge" });
    const instructions = client.getInstructions() ?? "";
    expect(instructions).toContain("get_briefing");
    expect(instructions).toContain(agents.executor.name);
    expect(instructions).toContain("`st claim` → claim_sub_task");
  });

  it("answers 401 {detail, code} without a key or with a bad one, before any MCP processing", async () => {
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    const none = await rawMcp({ method: "POST", body });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ code: "missing_credentials" });
    const bad = await rawMcp({ method: "POST", body, headers: { authorization: "Bearer ak_not-a-key" } });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ code: "invalid_api_key", detail: "invalid API key" });
    await expect(connect("ak_not-a-key")).rejects.toThrow();
  });

  it("answers 403 for a disabled agent, 405 for GET and DELETE, 413 for a body over the limit", async () => {
    const admin = await call("POST", "/api/admin/login", { body: { password: "correct horse battery" } });
    await call("PUT", `/api/admin/agents/${agents.patrol.id}/status`, {
      admin: admin.body.token,
      body: { status: "disabled" },
    });
    const disabled = await rawMcp({
      method: "POST",
      body: "{}",
      headers: { authorization: `Bearer ${agents.patrol.key}` },
    });
    expect(disabled.status).toBe(403);
    expect(await disabled.json()).toMatchObject({ code: "agent_disabled" });

    for (const method of ["GET", "DELETE"]) {
      const res = await rawMcp({ method, headers: { authorization: `Bearer ${agents.executor.key}` } });
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("POST");
      expect(await res.json()).toMatchObject({ code: "method_not_allowed" });
    }
    const big = await rawMcp({
      method: "POST",
      body: `{"x":"${"a".repeat(300 * 1024)}"}`,
      headers: { authorization: `Bearer ${agents.executor.key}` },
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: "payload_too_large" });
  });

  it("runs a tool as the API request it stands for: same errors, idempotency, request log", async () => {
    const subTaskId = await insertSubTask();
    const executor = await connect(agents.executor.key);

    const claimed = await executor.callTool({
      name: "claim_sub_task",
      arguments: { sub_task_id: subTaskId, idempotency_key: "claim-1" },
    });
    expect(claimed.isError).toBeFalsy();
    expect(claimed.structuredContent).toMatchObject({
      id: subTaskId,
      status: "assigned",
      assigned_agent: agents.executor.id,
    });
    // A retry with the same key replays the first answer instead of failing.
    const replay = await executor.callTool({
      name: "claim_sub_task",
      arguments: { sub_task_id: subTaskId, idempotency_key: "claim-1" },
    });
    expect(replay.isError).toBeFalsy();
    expect(replay.structuredContent).toMatchObject({ status: "assigned" });

    const again = (await executor.callTool({
      name: "claim_sub_task",
      arguments: { sub_task_id: subTaskId },
    })) as CallToolResult;
    expect(again.isError).toBe(true);
    expect(json(again)).toEqual({
      status: 409,
      code: "illegal_transition",
      detail: expect.stringContaining("already yours"),
      hint: expect.stringContaining("st start"),
    });
    expect(again.structuredContent).toMatchObject({ status: 409, code: "illegal_transition" });

    // The API's validation and not-found answers, unchanged.
    const invalid = (await executor.callTool({
      name: "write_log",
      arguments: { action: "dancing" },
    })) as CallToolResult;
    expect(json(invalid)).toMatchObject({ status: 400, code: "invalid_input" });
    const missing = (await executor.callTool({
      name: "get_sub_task",
      arguments: { sub_task_id: "nope" },
    })) as CallToolResult;
    expect(json(missing)).toMatchObject({ status: 404, code: "sub_task_not_found" });
    // What a URL cannot carry is refused before the API.
    const unknownArg = (await executor.callTool({
      name: "get_sub_task",
      arguments: { sub_task_id: subTaskId, subtask: 1 },
    })) as CallToolResult;
    expect(json(unknownArg)).toMatchObject({
      status: 400,
      code: "invalid_input",
      detail: expect.stringContaining("unknown argument subtask"),
    });
    const noId = (await executor.callTool({ name: "start_sub_task", arguments: {} })) as CallToolResult;
    expect(json(noId)).toMatchObject({ status: 400, code: "invalid_input", detail: "sub_task_id: required" });
    // Another role's tool: the API's wrong_role refusal; no tool at all: a protocol error.
    const review = (await executor.callTool({
      name: "review_sub_task",
      arguments: { sub_task_id: subTaskId, result: "approved", score: 5 },
    })) as CallToolResult;
    expect(json(review)).toMatchObject({ status: 403, code: "wrong_role" });
    await expect(executor.callTool({ name: "fly", arguments: {} })).rejects.toThrow(/Unknown tool/);

    const claimStatuses = (r: { results: { path: string; response_status: number }[] }) =>
      new Set(r.results.filter((row) => row.path.endsWith("/claim")).map((row) => row.response_status));
    const logged = await eventually(
      () =>
        env.DB.prepare(
          "select method, path, response_status from request_log where agent_id = ? order by timestamp, rowid",
        )
          .bind(agents.executor.id)
          .all<{ path: string; response_status: number }>(),
      (r) => claimStatuses(r).has(200) && claimStatuses(r).has(409),
    );
    expect(logged.results).toEqual(
      expect.arrayContaining([
        { method: "POST", path: `/api/sub-tasks/${subTaskId}/claim`, response_status: 200 },
        { method: "POST", path: `/api/sub-tasks/${subTaskId}/claim`, response_status: 409 },
      ]),
    );
  });

  describe("limits", () => {
    const logCall = (id: number) => ({
      jsonrpc: "2.0",
      id,
      method: "tools/call",
      params: { name: "write_log", arguments: { action: "reflection", summary: `call ${id}` } },
    });
    const batch = (size: number) =>
      rawMcp({
        method: "POST",
        body: JSON.stringify(Array.from({ length: size }, (_, i) => logCall(i + 1))),
        headers: { authorization: `Bearer ${agents.executor.key}` },
      });
    const logCount = async () =>
      (await env.DB.prepare("select count(*) as n from activity_log where agent_id = ?")
        .bind(agents.executor.id)
        .first<{ n: number }>())!.n;
    const setLimit = async (perMinute: number, burst: number) =>
      ok(
        call("PUT", "/api/admin/config", {
          admin: await login(),
          body: { agent: { rate_limit_per_minute: perMinute, rate_limit_burst: burst } },
        }),
      );
    type RpcAnswer = { id: number; result?: CallToolResult; error?: unknown };

    it("refuses a JSON-RPC batch of more than 10 messages before any of them runs; 10 run", async () => {
      const eleven = await batch(11);
      expect(eleven.status).toBe(400);
      expect(await eleven.json()).toEqual({
        jsonrpc: "2.0",
        id: null,
        error: { code: -32600, message: expect.stringContaining("at most 10 messages, this one has 11") },
      });
      expect(await logCount()).toBe(0);

      const ten = await batch(10);
      expect(ten.status).toBe(200);
      const answers = (await ten.json()) as RpcAnswer[];
      expect(answers.map((a) => a.id).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      for (const a of answers) expect(a.result?.isError, JSON.stringify(a)).toBeFalsy();
      expect(await logCount()).toBe(10);
      // A body that is not JSON still gets the transport's own parse error.
      const garbled = await rawMcp({
        method: "POST",
        body: "[{",
        headers: { authorization: `Bearer ${agents.executor.key}` },
      });
      expect(garbled.status).toBe(400);
      expect(await garbled.json()).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32700 } });
    });

    it("refuses a body nested deeper than 400 levels before parsing it, and nothing runs", async () => {
      const deep = (levels: number) =>
        JSON.stringify(logCall(1)).replace(
          '"summary":"call 1"',
          `"summary":"deep","extra":${"[".repeat(levels)}${"]".repeat(levels)}`,
        );
      const res = await rawMcp({
        method: "POST",
        body: deep(401),
        headers: { authorization: `Bearer ${agents.executor.key}` },
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        jsonrpc: "2.0",
        id: null,
        error: { code: -32600, message: expect.stringContaining("more than 400 levels") },
      });
      const flood = await rawMcp({
        method: "POST",
        body: "[".repeat(200_000),
        headers: { authorization: `Bearer ${agents.executor.key}` },
      });
      expect(flood.status).toBe(400);
      expect(await logCount()).toBe(0);
    });

    it("takes tokens from the agent's one bucket: the POST and each tool call, shared with the API", async () => {
      await setLimit(1, 3);
      // One POST /mcp with one tool call: two tokens.
      const first = await batch(1);
      expect(first.status).toBe(200);
      expect(((await first.json()) as RpcAnswer).result?.isError).toBeFalsy();
      expect(
        (await call("POST", "/api/logs", { key: agents.executor.key, body: { action: "reflection" } })).status,
      ).toBe(200);
      const refused = await batch(1);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(await refused.json()).toEqual({
        code: "rate_limited",
        detail: expect.stringContaining("retry in"),
        hint: expect.any(String),
      });
      expect((await call("GET", "/api/tasks", { key: agents.executor.key })).status).toBe(429);
      expect(await logCount()).toBe(2);
      // Another agent is not affected.
      expect((await connect(agents.planner.key)).getServerVersion()).toMatchObject({ name: "openmoss-edge" });
    });

    it("cannot run more tool calls in a batch than the bucket holds: the rest are 429 tool errors", async () => {
      await setLimit(1, 5);
      const res = await batch(10);
      expect(res.status).toBe(200);
      const results = ((await res.json()) as RpcAnswer[]).map((a) => a.result!);
      const refused = results.filter((r) => r.isError);
      // The POST took one token, four tool calls the other four.
      expect(results.filter((r) => !r.isError)).toHaveLength(4);
      expect(refused).toHaveLength(6);
      for (const r of refused)
        expect(json(r)).toEqual({
          status: 429,
          code: "rate_limited",
          detail: expect.stringMatching(/retry in \d+ s$/),
          hint: expect.any(String),
        });
      expect(await logCount()).toBe(4);
    });
  });

  it("offers the rules, the role's skill and the briefing as resources", async () => {
    const client = await connect(agents.reviewer.key);
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(["openmoss://rules", "openmoss://skill", "openmoss://briefing"]);
    const skill = await client.readResource({ uri: "openmoss://skill" });
    expect(skill.contents[0]).toMatchObject({ uri: "openmoss://skill", mimeType: "text/markdown" });
    expect((skill.contents[0] as { text: string }).text).toContain(agents.reviewer.key);
    const rules = (await client.readResource({ uri: "openmoss://rules" })).contents[0] as { text: string };
    const fromApi = await call("GET", "/api/rules", { key: agents.reviewer.key, query: { cli_version: 999 } });
    expect(rules.text).toBe(fromApi.body.content);
    const briefing = (await client.readResource({ uri: "openmoss://briefing" })).contents[0] as { text: string };
    expect(JSON.parse(briefing.text)).toMatchObject({ agent: { name: agents.reviewer.name, role: "reviewer" } });
    await expect(client.readResource({ uri: "openmoss://nothing" })).rejects.toThrow(/Resource not found/);
  });
});
