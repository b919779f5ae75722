// The human rendering of `briefing` (generic over the queue's lists), and its size on a realistic world.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Briefing, renderBriefing } from "../../skills/cli/commands/briefing";
import { reviewMark } from "../../skills/cli/output";
import { adminSession, createAgent } from "../mcp/world";
import { baseUrl, cliBuild, runCli, setupToken } from "./harness";

const base: Briefing = {
  agent: { name: "ada", role: "executor", status: "active" },
  cli: { update_available: false, latest_version: null, update_instructions: "" },
  rules: { content: "Be kind.", truncated: false, revision: "0123456789ab", unchanged: false },
  score: { total_score: 5, rank: 1, reward_count: 1, penalty_count: 0 },
  recent_score_changes: [{ score_delta: 5, reason: "approved" }],
  reflections: [],
  my_sub_tasks: [],
  queue: {},
  next_steps: [],
  truncated: false,
};

describe("renderBriefing", () => {
  it("lists only what the next steps do not cover, with a heading from each list's key, rules last", () => {
    const text = renderBriefing({
      ...base,
      queue: {
        awaiting_review: [
          { id: "s1", name: "Write docs", status: "review", priority: "high", round: 1, latest_review: null },
          {
            id: "s2",
            name: "Fix parser",
            status: "review",
            priority: "medium",
            round: 2,
            latest_review: { round: 1, result: "rejected", score: 2, issues: "No tests" },
          },
        ],
        open_anomalies: [{ id: "p1", type: "timeout", severity: "critical", description: "no progress" }],
        blocked: [],
      },
      next_steps: ['Review "Write docs": `node task-cli.mjs st get s1`'],
    }).join("\n");
    expect(text).toContain('Next steps:\n  1. Review "Write docs"');
    // s1 is in a step: not listed again; s2 is, with its round and the previous verdict.
    expect(text).toContain(
      `Awaiting review (1 more):\n  - Fix parser · round 2 (round 1 ${reviewMark("rejected")} rejected 2/5: No tests) · ID:s2`,
    );
    expect(text).not.toContain("Write docs · ");
    expect(text).toContain("Open anomalies (1):\n  - [critical] timeout: no progress · ID:p1");
    expect(text).not.toContain("Blocked");
    expect(text).toContain("👤 ada (executor) · score 5 · rank 1 · 1 reward, 0 penalties\n   Recent: +5 approved");
    expect(text.endsWith("── Rules (rev 0123456789ab) ──\nBe kind.")).toBe(true);
  });

  it("says in one line when the rules are unchanged, and leaves out empty sections", () => {
    const text = renderBriefing({
      ...base,
      recent_score_changes: [],
      rules: { content: "", truncated: false, revision: "0123456789ab", unchanged: true },
    }).join("\n");
    expect(text).toBe(
      [
        "👤 ada (executor) · score 5 · rank 1 · 1 reward, 0 penalties",
        "Next steps: nothing to do right now.",
        "Rules unchanged since your last briefing (rev 0123456789ab): `node task-cli.mjs briefing --rules full` prints them.",
      ].join("\n"),
    );
    // A server without revisions: the rules as before.
    expect(renderBriefing({ ...base, rules: { content: "Old", truncated: false } }).slice(-2)).toEqual([
      "── Rules ──",
      "Old",
    ]);
  });

  it("shows my other sub-tasks with their latest verdict, the update notice, and caps every list", () => {
    const available = Array.from({ length: 12 }, (_, i) => ({
      id: `q${i}`,
      name: `Item ${i}`,
      status: "pending",
      priority: "medium",
    }));
    const text = renderBriefing({
      ...base,
      cli: { update_available: true, latest_version: 99, update_instructions: "run update" },
      my_sub_tasks: [
        {
          id: "s1",
          name: "Write docs",
          status: "review",
          priority: "medium",
          rework_count: 1,
          latest_review: { round: 1, result: "rejected", score: 2, issues: "typos" },
        },
        { id: "s2", name: "Parser", status: "in_progress", priority: "medium", rework_count: 0, latest_review: null },
      ],
      queue: { available },
      next_steps: ['Continue "Parser": `node task-cli.mjs st submit s2`'],
      reflections: [{ summary: "r1" }, { summary: "r2" }, { summary: "r3" }, { summary: "x".repeat(400) }],
    }).join("\n");
    expect(text).toContain("Tool update available");
    expect(text).toContain(
      `My sub-tasks (1 more):\n  - Write docs · review · round 1 ${reviewMark("rejected")} rejected 2/5 · ID:s1`,
    );
    expect(text).toContain("Available (12):\n  - Item 0 · ID:q0");
    expect(text).toContain("  - Item 4 · ID:q4\n  … 7 more: `node task-cli.mjs st available`");
    expect(text).not.toContain("Item 5");
    expect(text).toContain("Reflections:\n  - r1\n  - r2\n  - r3\n");
  });
});

// ---------------------------------------------------------------------------------------------------
// Steady-state size, measured on the real CLI against the suite's server: a realistic world (a task of
// five sub-tasks with dependencies and a task rule, a rejection and resubmission, a reflection, queue
// items for every role), then each role's second briefing (rules unchanged since the first).

const api = async (key: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return JSON.parse(text);
};

describe("briefing size, steady state", () => {
  const keys: Record<"planner" | "executor" | "executor2" | "reviewer" | "patrol", string> = {
    planner: "",
    executor: "",
    executor2: "",
    reviewer: "",
    patrol: "",
  };
  let work = "";
  const briefing = (role: keyof typeof keys, json = false) =>
    runCli(cliBuild, ["--key", keys[role], "--base-url", baseUrl, "briefing", ...(json ? ["--json"] : [])], {
      cwd: work,
    });

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), "openmoss-cli-briefing-"));
    const admin = await adminSession(baseUrl, setupToken);
    const tag = Math.random().toString(36).slice(2, 8);
    for (const role of Object.keys(keys) as (keyof typeof keys)[]) {
      keys[role] = (await createAgent(baseUrl, admin, `${role}-${tag}`, role.replace("2", ""))).api_key;
    }
    const { planner, executor, executor2, reviewer, patrol } = keys;
    const step = (key: string, id: string, op: string, body: unknown = {}) =>
      api(key, "POST", `/api/sub-tasks/${id}/${op}`, body);
    const sub = (taskId: string, name: string, depends_on: string[] = []) =>
      api(planner, "POST", "/api/sub-tasks", {
        task_id: taskId,
        name,
        depends_on,
        description: `Implement ${name} in the textstats package, with docstrings and type hints, following the package layout.`,
        deliverable: `textstats/${name.toLowerCase().replace(/\W+/g, "_")}.py and its tests`,
        acceptance: "pytest passes; ruff reports nothing; the README example runs unchanged.",
      }).then((s) => s.id as string);

    const task = await api(planner, "POST", "/api/tasks", {
      name: "Text statistics package",
      description: "A small Python package that counts words, sentences and readability.",
      workspace: "/ws/textstats",
    });
    await api(planner, "POST", "/api/rules", {
      scope: "task",
      task_id: task.id,
      content:
        "Write everything into /ws/textstats (one package, shared by all sub-tasks). Python 3.11, no dependencies beyond the standard library.",
    });
    const tokenizer = await sub(task.id, "Tokenizer");
    const counts = await sub(task.id, "Word counts", [tokenizer]);
    const sentences = await sub(task.id, "Sentence splitter");
    const readability = await sub(task.id, "Readability scores", [counts, sentences]);
    await sub(task.id, "Command-line interface", [readability]);
    await api(planner, "PUT", `/api/tasks/${task.id}/status`, { status: "active" });

    // The executor's tokenizer: rejected once, a reflection, reworked and resubmitted; then it starts the sentence splitter.
    await step(executor, tokenizer, "claim");
    await step(executor, tokenizer, "start");
    await api(executor, "POST", "/api/logs", {
      action: "delivery",
      summary: "textstats/tokenizer.py with 12 tests",
      sub_task_id: tokenizer,
    });
    await step(executor, tokenizer, "submit");
    await api(reviewer, "POST", "/api/review-records", {
      sub_task_id: tokenizer,
      result: "rejected",
      score: 2,
      issues: "Apostrophes split words (don't → don, t).\nNo test for empty input.",
      comment: "Close.",
    });
    await api(executor, "POST", "/api/logs", {
      action: "reflection",
      summary: "Test the edge cases (apostrophes, empty input) before submitting.",
      sub_task_id: tokenizer,
    });
    await step(executor, tokenizer, "start");
    await step(executor, tokenizer, "submit");
    await step(executor, sentences, "claim");
    await step(executor, sentences, "start");

    // Another task with work to claim and its own rule; one of its sub-tasks blocked by the patrol.
    const docs = await api(planner, "POST", "/api/tasks", {
      name: "Documentation site",
      description: "User guide for textstats.",
    });
    await api(planner, "POST", "/api/rules", {
      scope: "task",
      task_id: docs.id,
      content: "Docs are Markdown under /ws/docs; British English.",
    });
    await sub(docs.id, "Getting started page");
    await sub(docs.id, "API reference page");
    const stuck = await sub(docs.id, "Examples page");
    await step(executor2, stuck, "claim");
    await step(executor2, stuck, "start");
    await step(patrol, stuck, "block", { reason: "no progress for two hours" });
    await api(patrol, "POST", "/api/patrol/records", {
      type: "stuck",
      severity: "warning",
      sub_task_id: stuck,
      description: "No log for two hours",
    });

    // A task to split and a task just completed (its closing report not yet written).
    await api(planner, "POST", "/api/tasks", {
      name: "Benchmark suite",
      description: "Measure textstats on large corpora.",
    });
    const release = await api(planner, "POST", "/api/tasks", { name: "Release 0.1", description: "Tag and publish." });
    const tag01 = await sub(release.id, "Tag the release");
    for (const op of ["claim", "start", "submit"]) await step(executor2, tag01, op);
    await api(reviewer, "POST", "/api/review-records", {
      sub_task_id: tag01,
      result: "approved",
      score: 5,
      comment: "Clean.",
    });
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("is at most 3 KB of CLI text for every role once the rules are unchanged; the MCP briefing shrinks too", async () => {
    const sizes: Record<string, { first: number; steady: number; json: number; mcpFull: number; mcp: number }> = {};
    for (const role of ["executor", "reviewer", "planner", "patrol"] as const) {
      const first = await briefing(role);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/── Rules \(rev [0-9a-f]{12}\) ──/);
      const steady = await briefing(role);
      expect(steady.code, steady.stderr).toBe(0);
      expect(steady.stdout).toMatch(
        /Rules unchanged since your last briefing \(rev [0-9a-f]{12}\): `node task-cli.mjs briefing --rules full` prints them\.\n$/,
      );
      const asJson = await briefing(role, true);
      expect(JSON.parse(asJson.stdout).rules).toMatchObject({ content: "", unchanged: true });
      // Over MCP: the same route, so the steady state drops the rules there too.
      const mcp = new Client({ name: "briefing-size", version: "1.0.0" });
      await mcp.connect(
        new StreamableHTTPClientTransport(new URL("/mcp", baseUrl), {
          requestInit: { headers: { Authorization: `Bearer ${keys[role]}` } },
        }),
      );
      const mcpBytes = async (args: Record<string, unknown>) =>
        Buffer.byteLength(JSON.stringify(await mcp.callTool({ name: "get_briefing", arguments: args })));
      const mcpFull = await mcpBytes({ rules: "full" });
      const mcpSteady = await mcpBytes({});
      await mcp.close();
      sizes[role] = {
        first: Buffer.byteLength(first.stdout),
        steady: Buffer.byteLength(steady.stdout),
        json: Buffer.byteLength(asJson.stdout),
        mcpFull,
        mcp: mcpSteady,
      };
    }
    console.log("briefing bytes", JSON.stringify(sizes));
    for (const [role, s] of Object.entries(sizes)) {
      expect(s.steady, role).toBeLessThanOrEqual(3072);
      expect(s.mcp, role).toBeLessThan(s.mcpFull);
    }
    // The executor's first briefing carries the rule of its task (problem 1); later ones say where it is.
    const executor = await briefing("executor", true);
    const step: string = JSON.parse(executor.stdout).next_steps[0];
    const command =
      /Task rules apply: read them first with `node task-cli\.mjs (rules --task-id \S+ --sub-task-id \S+)`\./.exec(
        step,
      );
    expect(command, step).not.toBeNull();
    for (const args of [command![1]!.split(" "), ["briefing", "--rules", "full"]]) {
      const rules = await runCli(cliBuild, ["--key", keys.executor, "--base-url", baseUrl, ...args], { cwd: work });
      expect(rules.stdout, args.join(" ")).toContain("Write everything into /ws/textstats");
    }
  });
});
