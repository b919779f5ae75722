// The MCP server end to end: the official TypeScript SDK client connects over the network to the
// suite's local `wrangler dev` (Streamable HTTP, POST /mcp, the agent's key as Bearer), lists each
// role's tools, and a whole sub-task lifecycle runs through MCP alone: a planner creates and
// activates a task with a sub-task, an executor reads its briefing, claims, starts, logs a delivery
// and submits, a reviewer rejects with issues, the executor reworks and resubmits, the reviewer
// approves. Then the final state and scores (read through MCP), a refused claim as a tool error,
// a bad key at connect, the prompts, logging/setLevel and the resources.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, setupToken } from "../cli/harness";
import { adminSession, createAgent } from "./world";

type Role = "planner" | "executor" | "reviewer" | "patrol";
const ROLES: Role[] = ["planner", "executor", "reviewer", "patrol"];
const run = Math.random().toString(36).slice(2, 8);

const keys = {} as Record<Role | "executor2", string>;
const ids = {} as Record<Role | "executor2", string>;
const clients = {} as Record<Role | "executor2", Client>;
const open: Client[] = [];

async function connect(key: string): Promise<Client> {
  const client = new Client({ name: "openmoss-mcp-test", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL("/mcp", baseUrl), {
    requestInit: { headers: { Authorization: `Bearer ${key}` } },
  });
  await client.connect(transport);
  open.push(client);
  return client;
}

/** Calls a tool that must succeed; returns its JSON. */
async function ok<T = any>(client: Client, name: string, args: Record<string, unknown> = {}): Promise<T> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = (result.content[0] as { type: "text"; text: string }).text;
  if (result.isError) throw new Error(`${name} failed: ${text}`);
  return JSON.parse(text) as T;
}

/** Calls a tool that must fail; returns the API's {status, code, detail}. */
async function refused(client: Client, name: string, args: Record<string, unknown>) {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  expect(result.isError).toBe(true);
  return JSON.parse((result.content[0] as { type: "text"; text: string }).text) as {
    status: number;
    code: string;
    detail: string;
    hint?: string;
  };
}

beforeAll(async () => {
  const admin = await adminSession(baseUrl, setupToken);
  for (const who of [...ROLES, "executor2"] as const) {
    const role = who === "executor2" ? "executor" : who;
    const agent = await createAgent(baseUrl, admin, `mcp-${who}-${run}`, role);
    keys[who] = agent.api_key;
    ids[who] = agent.id;
    clients[who] = await connect(agent.api_key);
  }
});

afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
});

describe("the MCP server over HTTP, with the official SDK client", () => {
  it("identifies itself and tells the agent to start with the briefing", () => {
    const client = clients.executor;
    expect(client.getServerVersion()?.name).toBe("openmoss-edge");
    expect(client.getServerCapabilities()).toMatchObject({ tools: {}, resources: {} });
    expect(client.getInstructions()).toContain("get_briefing");
  });

  it("lists the tools of each role", async () => {
    const tools = Object.fromEntries(
      await Promise.all(ROLES.map(async (r) => [r, (await clients[r].listTools()).tools] as const)),
    ) as Record<Role, { name: string; description?: string; inputSchema: { type: string } }[]>;
    const names = Object.fromEntries(ROLES.map((r) => [r, tools[r].map((t) => t.name)])) as Record<Role, string[]>;
    for (const role of ROLES) {
      expect(names[role]).toEqual(
        expect.arrayContaining([
          "get_briefing",
          "heartbeat",
          "get_rules",
          "get_sub_task",
          "list_sub_tasks",
          "write_log",
          "list_tasks",
        ]),
      );
      for (const t of tools[role]) {
        expect(t.inputSchema.type, t.name).toBe("object");
        expect(t.description, t.name).toBeTruthy();
      }
    }
    expect(names.planner).toEqual(
      expect.arrayContaining([
        "create_task",
        "create_sub_task",
        "set_task_status",
        "create_module",
        "reassign_sub_task",
        "cancel_sub_task",
        "create_rule",
      ]),
    );
    expect(names.executor).toEqual(
      expect.arrayContaining(["claim_sub_task", "start_sub_task", "submit_sub_task", "set_sub_task_session"]),
    );
    expect(names.reviewer).toEqual(expect.arrayContaining(["review_sub_task", "complete_sub_task", "rework_sub_task"]));
    expect(names.patrol).toEqual(
      expect.arrayContaining(["block_sub_task", "create_patrol_record", "resolve_patrol_record", "check_patrol"]),
    );
    // The split: nobody sees another role's operations.
    expect(names.executor).not.toContain("review_sub_task");
    expect(names.executor).not.toContain("create_sub_task");
    expect(names.reviewer).not.toContain("claim_sub_task");
    expect(names.planner).not.toContain("submit_sub_task");
    expect(names.patrol).not.toContain("review_sub_task");
    const claim = tools.executor.find((t) => t.name === "claim_sub_task")!;
    expect(claim.inputSchema).toMatchObject({
      type: "object",
      required: ["sub_task_id"],
      properties: { sub_task_id: { type: "string" } },
    });
  });

  it("drives a whole sub-task lifecycle through MCP alone", async () => {
    const { planner, executor, executor2, reviewer } = clients;

    // The planner plans.
    const task = await ok(planner, "create_task", { name: `MCP relaunch ${run}`, description: "Driven over MCP" });
    expect(task.status).toBe("planning");
    const subTask = await ok(planner, "create_sub_task", {
      task_id: task.id,
      name: "Write the release notes",
      deliverable: "NOTES.md",
      acceptance: "Covers every change",
      priority: "high",
    });
    expect(subTask).toMatchObject({ status: "pending", task_id: task.id, priority: "high", assigned_agent: null });
    expect((await ok(planner, "set_task_status", { task_id: task.id, status: "active" })).status).toBe("active");

    // The executor wakes up, finds the work and claims it.
    const briefing = await ok(executor, "get_briefing");
    expect(briefing.agent).toMatchObject({ name: `mcp-executor-${run}`, role: "executor" });
    expect(briefing.queue.available.map((s: { id: string }) => s.id)).toContain(subTask.id);
    const claimed = await ok(executor, "claim_sub_task", { sub_task_id: subTask.id });
    expect(claimed).toMatchObject({ status: "assigned", assigned_agent: ids.executor });

    // A second executor is too late: the API's 409 comes back as a tool error with its code.
    const late = await refused(executor2, "claim_sub_task", { sub_task_id: subTask.id });
    expect(late).toMatchObject({ status: 409, code: "illegal_transition" });
    expect(late.detail).toMatch(/holds this sub-task \(status assigned\); only pending sub-tasks can be claimed/);
    expect(late.hint).toContain("st available");

    expect((await ok(executor, "start_sub_task", { sub_task_id: subTask.id })).status).toBe("in_progress");
    await ok(executor, "write_log", { action: "delivery", summary: "NOTES.md written", sub_task_id: subTask.id });
    expect((await ok(executor, "submit_sub_task", { sub_task_id: subTask.id })).status).toBe("review");

    // The reviewer sends it back.
    const toReview = await ok(reviewer, "get_briefing");
    expect(toReview.queue.awaiting_review.map((s: { id: string }) => s.id)).toContain(subTask.id);
    const deliveries = await ok(reviewer, "list_logs", { sub_task_id: subTask.id, action: "delivery" });
    expect(deliveries.map((l: { summary: string }) => l.summary)).toEqual(["NOTES.md written"]);
    const rejection = await ok(reviewer, "review_sub_task", {
      sub_task_id: subTask.id,
      result: "rejected",
      score: 2,
      issues: "The breaking change is missing.",
      comment: "Close",
    });
    expect(rejection).toMatchObject({ result: "rejected", score: 2, round: 1, sub_task_id: subTask.id });
    expect((await ok(executor, "get_sub_task", { sub_task_id: subTask.id })).status).toBe("rework");

    // The executor reads why, reworks and resubmits.
    const mine = (await ok(executor, "get_briefing")).my_sub_tasks.find((s: { id: string }) => s.id === subTask.id);
    expect(mine).toMatchObject({
      status: "rework",
      rework_count: 1,
      latest_review: { result: "rejected", issues: "The breaking change is missing." },
    });
    expect((await ok(executor, "start_sub_task", { sub_task_id: subTask.id })).status).toBe("in_progress");
    await ok(executor, "write_log", {
      action: "delivery",
      summary: "NOTES.md now lists the breaking change",
      sub_task_id: subTask.id,
    });
    expect(
      (await ok(executor, "submit_sub_task", { sub_task_id: subTask.id, idempotency_key: `submit-2-${run}` })).status,
    ).toBe("review");

    // The reviewer approves.
    const approval = await ok(reviewer, "review_sub_task", {
      sub_task_id: subTask.id,
      result: "approved",
      score: 5,
      comment: "Good",
    });
    expect(approval).toMatchObject({ result: "approved", score: 5, round: 2 });

    // The final state, read through MCP.
    const done = await ok(planner, "get_sub_task", { sub_task_id: subTask.id });
    expect(done).toMatchObject({ status: "done", rework_count: 1, assigned_agent: ids.executor, depends_on: [] });
    expect(done.completed_at).toEqual(expect.any(String));
    expect((await ok(planner, "get_task", { task_id: task.id })).status).toBe("completed");
    const reviews = await ok(planner, "list_reviews", { sub_task_id: subTask.id });
    expect(reviews.items.map((r: { result: string }) => r.result)).toEqual(["approved", "rejected"]);
    const events = await ok(planner, "list_sub_task_events", { sub_task_id: subTask.id });
    expect(events.map((e: { to_status: string }) => e.to_status)).toEqual([
      "pending",
      "assigned",
      "in_progress",
      "review",
      "rework",
      "in_progress",
      "review",
      "done",
    ]);

    // Scores: −5 for the rejected round (score 2), +5 for the approval (score 5).
    const ledger = await ok(executor, "list_my_score_logs");
    expect(ledger.items.map((r: { score_delta: number; reason: string }) => [r.score_delta, r.reason])).toEqual([
      [5, "review score 5"],
      [-5, "review score 2"],
    ]);
    expect((await ok(executor, "get_my_score")).total_score).toBe(0);
    const board = await ok(reviewer, "get_leaderboard");
    expect(board.find((e: { agent_id: string }) => e.agent_id === ids.executor)).toMatchObject({
      total_score: 0,
      role: "executor",
    });
  });

  it("returns the API's refusals as tool errors with their code", async () => {
    expect(await refused(clients.executor, "get_sub_task", { sub_task_id: "no-such-sub-task" })).toMatchObject({
      status: 404,
      code: "sub_task_not_found",
    });
    expect(await refused(clients.planner, "create_sub_task", { task_id: "no-such-task", name: "x" })).toMatchObject({
      status: 404,
    });
    expect(
      await refused(clients.executor, "review_sub_task", { sub_task_id: "x", result: "approved", score: 5 }),
    ).toMatchObject({ status: 403, code: "wrong_role" });
    expect(
      await refused(clients.reviewer, "review_sub_task", { sub_task_id: "x", result: "maybe", score: 5 }),
    ).toMatchObject({ status: 400, code: "invalid_input" });
  });

  it("refuses a bad key with HTTP 401 at connect", async () => {
    const attempt = connect("ak_wrong-key");
    await expect(attempt).rejects.toMatchObject({ code: 401 });
    await expect(attempt).rejects.toThrow(/invalid_api_key/);
  });

  it("offers the briefing, the standing prompt and the rules as prompts, and takes logging/setLevel", async () => {
    for (const role of ROLES) {
      expect(
        (await clients[role].listPrompts()).prompts.map((p) => p.name),
        role,
      ).toEqual(["briefing", "standing_prompt", "rules"]);
    }
    const text = async (name: string, args?: Record<string, string>) =>
      (
        (await clients.reviewer.getPrompt({ name, ...(args ? { arguments: args } : {}) })).messages[0]!.content as {
          text: string;
        }
      ).text;
    expect(await text("briefing")).toContain(`You are mcp-reviewer-${run} (reviewer)`);
    const standing = await text("standing_prompt");
    expect(standing).toContain("**reviewer**");
    expect(standing).not.toContain(keys.reviewer);
    expect(standing).not.toMatch(/ak_[A-Za-z0-9_-]{8}/);
    const api = await fetch(`${baseUrl}/api/rules?cli_version=999`, {
      headers: { authorization: `Bearer ${keys.reviewer}` },
    });
    expect(await text("rules")).toBe(((await api.json()) as { content: string }).content);
    await expect(text("poem")).rejects.toThrow(/Unknown prompt/);

    expect(clients.reviewer.getServerCapabilities()).toMatchObject({ prompts: {}, logging: {} });
    expect(await clients.reviewer.setLoggingLevel("warning")).toEqual({});
    await expect(clients.reviewer.setLoggingLevel("loud" as never)).rejects.toMatchObject({ code: -32602 });
  });

  it("offers the rules and the role's skill as resources", async () => {
    const { resources } = await clients.patrol.listResources();
    expect(resources.map((r) => r.uri)).toEqual(
      expect.arrayContaining(["openmoss://rules", "openmoss://skill", "openmoss://briefing"]),
    );

    const rules = (await clients.patrol.readResource({ uri: "openmoss://rules" })).contents[0] as {
      text: string;
      mimeType: string;
    };
    const api = await fetch(`${baseUrl}/api/rules?cli_version=999`, {
      headers: { authorization: `Bearer ${keys.patrol}` },
    });
    expect(rules.mimeType).toBe("text/markdown");
    expect(rules.text).toBe(((await api.json()) as { content: string }).content);
    expect(rules.text.length).toBeGreaterThan(0);

    const skill = (await clients.patrol.readResource({ uri: "openmoss://skill" })).contents[0] as { text: string };
    expect(skill.text).toContain(keys.patrol);
    expect(skill.text).toContain(baseUrl);
  });
});
