// Independent MCP clients against the suite's local Worker, as users run them: `mcp-remote` (the
// stdio bridge Claude Desktop uses) connects with a valid key and lists the tools, and with a bad
// key exits showing the server's "invalid API key"; the MCP Inspector's CLI with `--strict` finds no
// tool schema that some host's schema dialect would reject, for any role. Each runs in a throw-away
// HOME (auth state and catalogs stay there) and never gets as far as opening a browser.
import { spawn } from "node:child_process";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, runCli, setupToken } from "../cli/harness";
import { packageBin, root, scratchHome } from "./clients-kit";
import { adminSession, createAgent } from "./world";

type Role = "planner" | "executor" | "reviewer" | "patrol";
const ROLES: Role[] = ["planner", "executor", "reviewer", "patrol"];
const keys = {} as Record<Role, string>;
const home = scratchHome("clients");
const mcpUrl = `${baseUrl}/mcp`;
const mcpRemote = packageBin("mcp-remote", "mcp-remote");
const inspector = packageBin("@modelcontextprotocol/inspector", "mcp-inspector");
/** The arguments of the Claude Desktop snippet in docs/mcp.md (http-only: the Worker has no SSE endpoint). */
const remoteArgs = (key: string) => [
  mcpRemote,
  mcpUrl,
  "--header",
  `Authorization:Bearer ${key}`,
  "--transport",
  "http-only",
];

beforeAll(async () => {
  const admin = await adminSession(baseUrl, setupToken);
  const run = Math.random().toString(36).slice(2, 8);
  for (const role of ROLES) keys[role] = (await createAgent(baseUrl, admin, `client-${role}-${run}`, role)).api_key;
});

afterAll(() => home.remove());

/** Runs mcp-remote with `key`, offers it an initialize on stdin, and resolves with its exit code and stderr. */
function mcpRemoteOnce(key: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, remoteArgs(key), {
    cwd: root,
    env: { ...process.env, ...home.env },
    timeout: 30_000,
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(
    `${JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "openmoss-test", version: "1" } } })}\n`,
  );
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stderr })));
}

describe("mcp-remote, the stdio bridge of Claude Desktop", () => {
  it("connects with an executor's key and lists its tools", async () => {
    const client = new Client({ name: "openmoss-mcp-remote-test", version: "1.0.0" });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: remoteArgs(keys.executor),
      cwd: root,
      env: { ...(process.env as Record<string, string>), ...home.env },
      stderr: "pipe",
    });
    try {
      await client.connect(transport);
      expect(client.getServerVersion()?.name).toBe("openmoss-edge");
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(["get_briefing", "claim_sub_task", "submit_sub_task"]));
      expect(names).not.toContain("create_task");
    } finally {
      await client.close();
    }
  });

  it("exits with the server's 'invalid API key' for a bad key, without starting a browser sign-in", async () => {
    const { code, stderr } = await mcpRemoteOnce("ak_not-a-real-key");
    expect(code, stderr).not.toBe(0);
    expect(stderr).toContain("invalid API key");
    expect(stderr).not.toMatch(/Waiting for authorization|open the browser|Please authorize/i);
  });
});

describe("the MCP Inspector's CLI", () => {
  it("reports no tool schema portability finding (--strict) for any role", async () => {
    const runs = await Promise.all(
      ROLES.map((role) =>
        runCli(
          inspector,
          [
            "--cli",
            mcpUrl,
            "--method",
            "tools/list",
            "--header",
            `Authorization: Bearer ${keys[role]}`,
            "--strict",
            "--format",
            "json",
          ],
          { cwd: root, env: home.env },
        ),
      ),
    );
    for (const [i, run] of runs.entries()) {
      const role = ROLES[i]!;
      expect(run.code, `${role}: ${run.stderr}`).toBe(0);
      const envelope = JSON.parse(run.stdout) as { result: { tools: { name: string }[] }; schemaFindings?: unknown };
      expect(
        envelope.result.tools.map((t) => t.name),
        role,
      ).toContain("get_briefing");
      expect(envelope.schemaFindings, `${role}: ${run.stderr}`).toBeUndefined();
    }
  });
});
