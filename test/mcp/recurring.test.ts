// The MCP tools of recurring tasks and retrospectives, over the network with the official SDK client
// against the suite's `wrangler dev` (as mcp.test.ts): which role sees which tool, and one call of
// each, the planner scheduling a task from its sub-tasks, starting a round and ending the schedule,
// writing yesterday's retrospective, an executor reading it and logging a retro entry on it.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, setupToken } from "../cli/harness";
import { adminSession, createAgent } from "./world";

const READ_TOOLS = ["get_task_schedule", "list_task_rounds", "list_retrospectives", "get_retrospective"];
const PLANNER_TOOLS = [
  "set_task_schedule",
  "pause_task_schedule",
  "resume_task_schedule",
  "end_task_schedule",
  "start_task_round",
  "run_retrospective",
  "rule_from_finding",
];
const clients = {} as Record<"planner" | "executor", Client>;

/** The tool's answer: its JSON, and whether it is a tool error (then the API's {status, code, detail}). */
async function call(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const body = JSON.parse((result.content[0] as { type: "text"; text: string }).text);
  return { error: result.isError === true, body };
}
async function ok(client: Client, name: string, args: Record<string, unknown> = {}) {
  const { error, body } = await call(client, name, args);
  if (error) throw new Error(`${name} failed: ${JSON.stringify(body)}`);
  return body;
}

beforeAll(async () => {
  const admin = await adminSession(baseUrl, setupToken);
  const tag = Math.random().toString(36).slice(2, 8);
  for (const role of ["planner", "executor"] as const) {
    const agent = await createAgent(baseUrl, admin, `mcp-recurring-${role}-${tag}`, role);
    const client = new Client({ name: "openmoss-mcp-recurring-test", version: "1.0.0" });
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

describe("recurring tasks and retrospectives over MCP", () => {
  it("gives every role the reads and only planners the changes; ending a schedule is marked destructive", async () => {
    const planner = (await clients.planner.listTools()).tools;
    const executor = (await clients.executor.listTools()).tools.map((t) => t.name);
    expect(planner.map((t) => t.name)).toEqual(expect.arrayContaining([...READ_TOOLS, ...PLANNER_TOOLS]));
    expect(executor).toEqual(expect.arrayContaining(READ_TOOLS));
    expect(executor.filter((name) => PLANNER_TOOLS.includes(name))).toEqual([]);
    const byName = new Map(planner.map((t) => [t.name, t]));
    expect(byName.get("end_task_schedule")!.annotations).toMatchObject({ destructiveHint: true });
    expect(byName.get("get_retrospective")!.inputSchema).toMatchObject({ required: ["retrospective_id"] });
    expect(Object.keys(byName.get("set_task_schedule")!.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(["task_id", "schedule", "template", "policy", "from_sub_tasks"]),
    );
    expect(clients.planner.getInstructions()).toContain("`task schedule --pause` → pause_task_schedule");
  });

  it("schedules a task from its sub-tasks, starts a round, lists it, pauses, resumes and ends the schedule", async () => {
    const { planner, executor } = clients;
    const task = await ok(planner, "create_task", { name: "MCP weekly report" });
    await ok(planner, "create_sub_task", { task_id: task.id, name: "Report for {date}", deliverable: "report.md" });
    const schedule = { kind: "every", every: 7, unit: "days", tz: "Europe/Berlin" };
    const set = await ok(planner, "set_task_schedule", { task_id: task.id, schedule, from_sub_tasks: true });
    expect(set).toMatchObject({ task_id: task.id, status: "active", rounds_created: 0 });
    expect(await ok(executor, "get_task_schedule", { task_id: task.id })).toMatchObject({ status: "active" });

    // Rounds start once the task is active.
    expect(await call(planner, "start_task_round", { task_id: task.id })).toMatchObject({
      error: true,
      body: { code: "task_not_started" },
    });
    await ok(planner, "set_task_status", { task_id: task.id, status: "active" });
    const round = await ok(planner, "start_task_round", { task_id: task.id });
    expect(round).toMatchObject({ task_id: task.id, round_no: 1, status: "open", sub_tasks: { total: 1, done: 0 } });
    const rounds = await ok(executor, "list_task_rounds", { task_id: task.id });
    expect(rounds.items.map((r: { id: string }) => r.id)).toEqual([round.id]);

    expect((await ok(planner, "pause_task_schedule", { task_id: task.id })).status).toBe("paused");
    expect((await ok(planner, "resume_task_schedule", { task_id: task.id })).status).toBe("active");
    const ended = await ok(planner, "end_task_schedule", { task_id: task.id });
    expect(ended).toMatchObject({ status: "ended", ended_reason: "manual", next_run_at: null });
    const refused = await call(executor, "pause_task_schedule", { task_id: task.id });
    expect(refused).toMatchObject({ error: true, body: { code: "wrong_role" } });
  });

  it("writes yesterday's retrospective, reads it, logs a retro entry on it; an unknown finding is a tool error", async () => {
    const { planner, executor } = clients;
    const retro = await ok(planner, "run_retrospective", { period: "daily" });
    expect(retro).toMatchObject({ scope: "team", period_kind: "daily", text: expect.any(String) });
    const listed = await ok(executor, "list_retrospectives", { scope: "team" });
    expect(listed.items.map((r: { id: string }) => r.id)).toContain(retro.id);
    expect(await ok(executor, "get_retrospective", { retrospective_id: retro.id })).toMatchObject({
      id: retro.id,
      text: retro.text,
    });
    const log = await ok(executor, "write_log", {
      action: "retro",
      summary: "Run the tests before submitting",
      retrospective_id: retro.id,
    });
    expect(log).toMatchObject({ action: "retro" });
    const rule = await call(planner, "rule_from_finding", { retrospective_id: retro.id, finding_id: "f99" });
    expect(rule).toMatchObject({ error: true, body: { status: 404, code: "finding_not_found" } });
  });
});
