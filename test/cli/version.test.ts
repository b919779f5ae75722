// One version string: package.json's, as /api/health, the OpenAPI document, MCP serverInfo and the
// built CLI's `version` report it (the CLI's own number is its update protocol, printed beside it).
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { version } from "../../package.json";
import { adminSession, createAgent } from "../mcp/world";
import { baseUrl, cliBuild, json, runCli, setupToken } from "./harness";

const get = async (path: string) => (await fetch(`${baseUrl}${path}`)).json() as Promise<any>;

describe("the version", () => {
  it("is package.json's everywhere: health, OpenAPI, MCP serverInfo, the CLI", async () => {
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    expect((await get("/api/health")).version).toBe(version);
    expect((await get("/api/openapi.json")).info.version).toBe(version);

    const admin = await adminSession(baseUrl, setupToken);
    const agent = await createAgent(baseUrl, admin, `version-${Math.random().toString(36).slice(2, 8)}`, "patrol");
    const init = await fetch(`${baseUrl}/mcp`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${agent.api_key}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-03-26", capabilities: {}, clientInfo: { name: "version-test", version: "0" } },
      }),
    });
    expect(((await init.json()) as any).result.serverInfo).toMatchObject({ name: "openmoss-edge", version });

    const cli = json(await runCli(cliBuild, ["version", "--json", "--base-url", baseUrl], { cwd: tmpdir() }));
    expect(cli).toMatchObject({ version: expect.any(Number), package_version: version });
    const text = await runCli(cliBuild, ["version", "--base-url", baseUrl], { cwd: tmpdir() });
    expect(text.stdout).toContain(`task-cli v${cli.version} (OpenMOSS Edge ${version})`);
  });
});
