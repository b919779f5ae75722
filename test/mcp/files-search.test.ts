// The MCP tools of team memory and deliverable files (issue 19), over the network with the official
// SDK client against the suite's `wrangler dev` (as recurring.test.ts): which role sees which tool,
// search_memory finding a reflection, and an executor attaching files through MCP (text, an image,
// a zip, a long text) that a planner lists and reads back: the same text, the image as an image
// block, a note naming the CLI for the zip, the first 64 KiB of the long text. Bad content
// arguments and a patrol's read are refused.
import { createHash } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, setupToken } from "../cli/harness";
import { adminSession, createAgent } from "./world";

const ROLES = ["planner", "executor", "reviewer", "patrol"] as const;
type Role = (typeof ROLES)[number];
const FILE_READS = ["list_sub_task_files", "get_sub_task_file", "read_sub_task_file"];
const FILE_WRITES = ["attach_sub_task_file", "delete_sub_task_file"];
/** A 1×1 transparent PNG. */
const PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

const clients = {} as Record<Role, Client>;
const tag = Math.random().toString(36).slice(2, 8);

async function call(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const first = JSON.parse((result.content[0] as { type: "text"; text: string }).text);
  return { error: result.isError === true, body: first, result };
}
async function ok(client: Client, name: string, args: Record<string, unknown> = {}) {
  const { error, body, result } = await call(client, name, args);
  if (error) throw new Error(`${name} failed: ${JSON.stringify(body)}`);
  return { body, result };
}
const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");

beforeAll(async () => {
  const admin = await adminSession(baseUrl, setupToken);
  for (const role of ROLES) {
    const agent = await createAgent(baseUrl, admin, `mcp-files-${role}-${tag}`, role);
    const client = new Client({ name: "openmoss-mcp-files-test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL("/mcp", baseUrl), {
        requestInit: { headers: { Authorization: `Bearer ${agent.api_key}` } },
      }),
    );
    clients[role] = client;
  }
});
afterAll(async () => {
  await Promise.all(Object.values(clients).map((c) => c.close()));
});

describe("team memory and files over MCP", () => {
  it("gives every role search_memory, the readers the file reads, only executors attach and delete, patrols no file tool", async () => {
    const names = Object.fromEntries(
      await Promise.all(ROLES.map(async (r) => [r, (await clients[r].listTools()).tools.map((t) => t.name)] as const)),
    ) as Record<Role, string[]>;
    for (const role of ROLES) expect(names[role]).toContain("search_memory");
    for (const role of ["planner", "executor", "reviewer"] as const)
      expect(names[role]).toEqual(expect.arrayContaining(FILE_READS));
    expect(names.executor).toEqual(expect.arrayContaining(FILE_WRITES));
    for (const role of ["planner", "reviewer", "patrol"] as const)
      expect(names[role].filter((n) => FILE_WRITES.includes(n))).toEqual([]);
    expect(names.patrol.filter((n) => [...FILE_READS, ...FILE_WRITES].includes(n))).toEqual([]);

    const tools = new Map((await clients.executor.listTools()).tools.map((t) => [t.name, t]));
    const attach = tools.get("attach_sub_task_file")!;
    // The bytes' arguments instead of a body; no Idempotency-Key on a stream (a retry replaces).
    expect(Object.keys(attach.inputSchema.properties ?? {}).sort()).toEqual(
      ["content", "content_base64", "content_type", "name", "sub_task_id"].sort(),
    );
    expect(attach.inputSchema.required).toEqual(expect.arrayContaining(["sub_task_id", "name"]));
    expect(attach.description).toContain("180 KiB");
    expect(tools.get("delete_sub_task_file")!.annotations).toMatchObject({ destructiveHint: true });
    expect(tools.get("read_sub_task_file")!.annotations).toMatchObject({ readOnlyHint: true });
    expect(tools.get("read_sub_task_file")!.inputSchema.required).toEqual(["sub_task_id", "file_id"]);
    expect(clients.executor.getInstructions()).toContain("`search` → search_memory");
  });

  it("search_memory finds a reflection by an English word and by Chinese", async () => {
    const word = `mcpbackoff${tag}`;
    await ok(clients.executor, "write_log", { action: "reflection", summary: `Use ${word} before 重试超时 again` });
    const { body } = await ok(clients.planner, "search_memory", { q: word });
    expect(body.hits).toHaveLength(1);
    expect(body.hits[0]).toMatchObject({ kind: "reflection", agent_name: `mcp-files-executor-${tag}` });
    expect(body.hits[0].snippet).toContain(`[${word}]`);
    const chinese = await ok(clients.reviewer, "search_memory", { q: "重试超时", kinds: "reflection", limit: 50 });
    expect(chinese.body.hits.some((h: { snippet: string }) => h.snippet.includes(word))).toBe(true);
    const refused = await call(clients.planner, "search_memory", { q: "" });
    expect(refused.error).toBe(true);
    expect(refused.body.status).toBe(400);
  });

  it("attaches files through MCP that a planner lists and reads back: text, image, zip (a note), long text (64 KiB)", async () => {
    const { planner, executor, patrol } = clients;
    const task = (await ok(planner, "create_task", { name: `MCP files ${tag}` })).body;
    const st = (await ok(planner, "create_sub_task", { task_id: task.id, name: "Write the report" })).body;
    await ok(executor, "claim_sub_task", { sub_task_id: st.id });
    await ok(executor, "start_sub_task", { sub_task_id: st.id });

    const text = "# Report\n\n中文也可以 ✓ — done.\n";
    const md = (
      await ok(executor, "attach_sub_task_file", {
        sub_task_id: st.id,
        name: "report.md",
        content: text,
        content_type: "text/markdown",
      })
    ).body;
    expect(md).toMatchObject({ name: "report.md", size: Buffer.byteLength(text), sha256: sha256(text), version: 0 });
    expect(md.content_type).toMatch(/^text\/markdown/);
    const png = (
      await ok(executor, "attach_sub_task_file", {
        sub_task_id: st.id,
        name: "dot.png",
        content_base64: PNG_BASE64,
        content_type: "image/png",
      })
    ).body;
    expect(png.sha256).toBe(sha256(Buffer.from(PNG_BASE64, "base64")));
    const zip = (
      await ok(executor, "attach_sub_task_file", {
        sub_task_id: st.id,
        name: "bundle.zip",
        content_base64: Buffer.from("PK\u0005\u0006".padEnd(22, "\u0000"), "latin1").toString("base64"),
        content_type: "application/zip",
      })
    ).body;
    // 30,000 × "ab中" = 150,000 bytes: more than read shows, less than attach takes.
    const long = "ab中".repeat(30_000);
    const big = (await ok(executor, "attach_sub_task_file", { sub_task_id: st.id, name: "long.txt", content: long }))
      .body;
    expect(big.size).toBe(150_000);

    const listed = (await ok(planner, "list_sub_task_files", { sub_task_id: st.id })).body;
    expect(listed.files.map((f: { name: string }) => f.name).sort()).toEqual(
      ["bundle.zip", "dot.png", "long.txt", "report.md"].sort(),
    );
    expect((await ok(planner, "get_sub_task_file", { sub_task_id: st.id, file_id: md.id })).body).toMatchObject({
      id: md.id,
      sha256: md.sha256,
    });

    const readMd = await ok(planner, "read_sub_task_file", { sub_task_id: st.id, file_id: md.id });
    expect(readMd.body).toMatchObject({ id: md.id, name: "report.md", truncated: false, shown_bytes: md.size });
    expect(readMd.result.content[1]).toEqual({ type: "text", text });

    const readPng = await ok(planner, "read_sub_task_file", { sub_task_id: st.id, file_id: png.id });
    expect(readPng.result.content[1]).toEqual({ type: "image", data: PNG_BASE64, mimeType: "image/png" });

    const readZip = await ok(planner, "read_sub_task_file", { sub_task_id: st.id, file_id: zip.id });
    expect(readZip.result.content).toHaveLength(1);
    expect(readZip.body.note).toContain(`st download ${st.id} ${zip.id}`);

    const readLong = await ok(executor, "read_sub_task_file", { sub_task_id: st.id, file_id: big.id });
    expect(readLong.body).toMatchObject({ truncated: true, shown_bytes: 64 * 1024 });
    const shown = (readLong.result.content[1] as { text: string }).text;
    // Cut on a character boundary: a prefix of the original, no replacement character.
    expect(long.startsWith(shown)).toBe(true);
    expect(Buffer.byteLength(shown)).toBeGreaterThan(64 * 1024 - 4);

    const patrolRead = await call(patrol, "read_sub_task_file", { sub_task_id: st.id, file_id: md.id });
    expect({ error: patrolRead.error, code: patrolRead.body.code }).toEqual({ error: true, code: "wrong_role" });

    const both = await call(executor, "attach_sub_task_file", {
      sub_task_id: st.id,
      name: "x.txt",
      content: "a",
      content_base64: "YQ==",
    });
    expect({ error: both.error, code: both.body.code }).toEqual({ error: true, code: "invalid_input" });
    const badBase64 = await call(executor, "attach_sub_task_file", {
      sub_task_id: st.id,
      name: "x.bin",
      content_base64: "%%%",
    });
    expect(badBase64.body).toMatchObject({ code: "invalid_input", detail: "content_base64: not valid base64" });

    await ok(executor, "delete_sub_task_file", { sub_task_id: st.id, file_id: zip.id });
    const after = (await ok(planner, "list_sub_task_files", { sub_task_id: st.id })).body;
    expect(after.files.map((f: { id: string }) => f.id)).not.toContain(zip.id);
  });
});
