// The official MCP conformance suite (@modelcontextprotocol/conformance, server mode) against the
// suite's local Worker, every server scenario in one run. The suite cannot send an API key, so a
// small proxy in this process adds `Authorization: Bearer <key>` and forwards everything else as it
// came, `Host` and `Origin` included: the dns-rebinding scenario's foreign Host/Origin reach the
// Worker as sent (it then sees its own URL as http://evil.example.com/mcp). Scenarios that need the
// suite's fixture server are listed with the reason in conformance-baseline.json; every other one
// must pass, and a baselined one that the suite no longer has fails the test (a suite upgrade shows).
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, runCli, setupToken } from "../cli/harness";
import { packageBin, root, scratchHome } from "./clients-kit";
import { adminSession, createAgent } from "./world";

/** What the acceptance of issue 13 names: these must run and pass, whatever the baseline says. */
const REQUIRED = [
  "server-initialize",
  "ping",
  "tools-list",
  "resources-list",
  "dns-rebinding-protection",
  "logging-set-level",
  "prompts-list",
];

interface Check {
  id: string;
  status: "SUCCESS" | "FAILURE" | "WARNING" | "INFO" | "SKIPPED";
  errorMessage?: string;
}

const baseline = JSON.parse(readFileSync(path.join(import.meta.dirname, "conformance-baseline.json"), "utf8")) as {
  notApplicable: Record<string, string>;
};
const conformance = packageBin("@modelcontextprotocol/conformance", "conformance");
const home = scratchHome("conformance");
let proxy: http.Server;
let scenarios: string[] = [];
/** Scenario → its checks, from the suite's results folders (server-<scenario>-<timestamp>/checks.json). */
const results = new Map<string, Check[]>();

/** Forwards every request to the Worker with the agent's key added; all other headers as they came. */
function keyProxy(key: string): Promise<http.Server> {
  const target = new URL(baseUrl);
  const server = http.createServer((req, res) => {
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, authorization: `Bearer ${key}` },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", (err) => res.writeHead(502).end(String(err)));
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

beforeAll(async () => {
  const admin = await adminSession(baseUrl, setupToken);
  const agent = await createAgent(baseUrl, admin, `conformance-${Math.random().toString(36).slice(2, 8)}`, "executor");
  proxy = await keyProxy(agent.api_key);
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/mcp`;

  const list = await runCli(conformance, ["list", "--server"], { cwd: root, env: home.env });
  scenarios = [...list.stdout.matchAll(/^\s+- (\S+)/gm)].map((m) => m[1]!);

  // One run of every scenario, pending ones included (~5 s); its exit code only says something failed.
  const out = path.join(home.dir, "results");
  mkdirSync(out);
  const run = await runCli(conformance, ["server", "--url", url, "--suite", "all", "-o", out], {
    cwd: root,
    env: home.env,
  });
  for (const dir of readdirSync(out)) {
    const scenario = /^server-(.+)-\d{4}-\d{2}-\d{2}T[\d-]+Z$/.exec(dir)?.[1];
    if (scenario)
      results.set(scenario, JSON.parse(readFileSync(path.join(out, dir, "checks.json"), "utf8")) as Check[]);
  }
  if (results.size === 0)
    throw new Error(`the conformance suite wrote no results (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  home.remove();
});

const failures = (scenario: string) =>
  (results.get(scenario) ?? []).filter((c) => c.status === "FAILURE").map((c) => `${c.id}: ${c.errorMessage}`);

describe("the official MCP conformance suite, server mode", () => {
  it("knows every scenario of the baseline and ran every scenario it lists", () => {
    expect(scenarios.length).toBeGreaterThan(REQUIRED.length);
    expect(
      Object.keys(baseline.notApplicable).filter((s) => !scenarios.includes(s)),
      "baselined scenarios the suite no longer has",
    ).toEqual([]);
    expect(
      scenarios.filter((s) => !results.has(s)),
      "scenarios without results",
    ).toEqual([]);
  });

  it("passes the scenarios that apply: initialize, ping, tools, resources, DNS rebinding, logging, prompts", () => {
    for (const scenario of REQUIRED) {
      expect(baseline.notApplicable[scenario], `${scenario} is required, not baselined`).toBeUndefined();
      expect(failures(scenario), scenario).toEqual([]);
      expect(
        results.get(scenario)?.some((c) => c.status === "SUCCESS"),
        `${scenario} passed a check`,
      ).toBe(true);
    }
  });

  it("fails no scenario outside the baseline", () => {
    const applicable = scenarios.filter((s) => !(s in baseline.notApplicable));
    expect(
      Object.fromEntries(applicable.map((s) => [s, failures(s)] as const).filter(([, f]) => f.length > 0)),
    ).toEqual({});
  });
});
