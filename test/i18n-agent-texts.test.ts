// What a zh-CN project hands its agents in Chinese (docs/i18n.md): the briefing's next steps, the
// enrollment and standing prompts, the MCP tools and prompts, notifications and the patrol's own
// records. Each is compared with the English answer of the same state: the same commands, the same
// `code`s, the same JSON keys; only the prose changes.
import { createScheduledController } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { beforeEach, describe, expect, it } from "vitest";
import { catalogue } from "../worker/i18n";
import worker from "../worker/index";
import { call, env, initialize, register, type TestAgent } from "./helpers";
import { channel, configure, dispatch, fakeFetch } from "./notification-helpers";

const CJK = /[\u4e00-\u9fff]/;

const setProjectLanguage = (lang: string) =>
  env.DB.prepare("insert or replace into setting (key, value, updated_at) values ('project.language', ?, ?)")
    .bind(JSON.stringify(lang), new Date().toISOString())
    .run();

/** The backquoted commands of a text, in order: what must not change with the language. */
const commands = (text: string) => [...text.matchAll(/`[^`]+`/g)].map((m) => m[0]);

/** Every key path of a JSON value (array items share their index-free path). */
function keyPaths(value: unknown, at = ""): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap((item) => keyPaths(item, `${at}[]`)))].sort();
  if (typeof value !== "object" || value === null) return [at];
  return Object.entries(value)
    .flatMap(([key, inner]) => keyPaths(inner, `${at}.${key}`))
    .sort();
}

let admin: string;
let planner: TestAgent, exec: TestAgent;
beforeEach(async () => {
  admin = await initialize();
  [planner, exec] = await Promise.all([register("planner"), register("executor")]);
});

describe("the briefing of a zh-CN project", () => {
  const brief = async (agent: TestAgent) => {
    const res = await call("GET", "/api/agents/me/briefing", { key: agent.key, query: { rules: "full" } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res;
  };

  it("says its next steps in Chinese, with the same commands and JSON keys as in English", async () => {
    const task = await call("POST", "/api/tasks", { key: planner.key, body: { name: "Docs", workspace: "/ws/docs" } });
    const ready = await call("POST", "/api/tasks", { key: planner.key, body: { name: "Site" } });
    await call("POST", "/api/sub-tasks", { key: planner.key, body: { task_id: ready.body.id, name: "Page" } });
    const rule = await call("POST", "/api/rules", {
      key: planner.key,
      body: { scope: "task", task_id: ready.body.id, content: "Use tabs." },
    });
    expect([task.status, rule.status]).toEqual([200, 200]);

    const english = { planner: await brief(planner), exec: await brief(exec) };
    await setProjectLanguage("zh-CN");
    const chinese = { planner: await brief(planner), exec: await brief(exec) };

    for (const who of ["planner", "exec"] as const) {
      const en = english[who].body.next_steps as string[];
      const zh = chinese[who].body.next_steps as string[];
      expect(chinese[who].headers.get("content-language")).toBe("zh-CN");
      expect(en.length, who).toBeGreaterThan(0);
      expect(zh).toHaveLength(en.length);
      zh.forEach((step, i) => {
        expect(step, step).toMatch(CJK);
        expect(commands(step), step).toEqual(commands(en[i]!));
      });
      expect(keyPaths(chinese[who].body)).toEqual(keyPaths(english[who].body));
      // The steps' budget is in characters (STEPS_CHARS): Chinese must not crowd steps out.
      const chars = (steps: string[]) => steps.join("").length;
      expect(chars(zh), who).toBeLessThanOrEqual(chars(en));
    }
    // The task rules' label follows the project's language too.
    expect(chinese.exec.body.rules.content).toContain('**任务 "Site" 的规则**');
    expect(english.exec.body.rules.content).toContain('**Rules of task "Site"**');
  });

  it("tells an outdated CLI how to update in Chinese, with the same download commands", async () => {
    const rules = () => call("GET", "/api/rules", { key: exec.key });
    const english = (await rules()).body;
    await setProjectLanguage("zh-CN");
    const chinese = (await rules()).body;
    const curls = (text: string) => text.split("\n").filter((l) => l.startsWith("curl "));
    expect(chinese.content).toContain("## ⚠️ 工具更新通知");
    expect(chinese.update_instructions).toMatch(CJK);
    expect(curls(chinese.update_instructions)).toEqual(curls(english.update_instructions));
    expect(curls(chinese.content)).toEqual(curls(english.content));
    expect(curls(english.content)).toHaveLength(2);
    const fenced = (text: string) => [...text.matchAll(/```bash\n[\s\S]*?```/g)].map((m) => m[0]);
    expect(fenced(chinese.content)).toEqual(fenced(english.content));
    expect(keyPaths(chinese)).toEqual(keyPaths(english));
  });

  it("stays English for an agent that asks for English", async () => {
    await setProjectLanguage("zh-CN");
    await call("POST", "/api/tasks", { key: planner.key, body: { name: "Docs" } });
    const res = await call("GET", "/api/agents/me/briefing", {
      key: planner.key,
      headers: { "accept-language": "en" },
    });
    expect(res.body.next_steps[0]).toMatch(/^Split "Docs" into sub-tasks: /);
  });
});

describe("the prompts of a zh-CN project", () => {
  const zh = catalogue("zh-CN").prompts;
  const en = catalogue("en").prompts;
  const occurrences = (text: string, part: string) => text.split(part).length - 1;
  /** The fenced code blocks of a prompt: the commands, which no language changes. */
  const codeBlocks = (text: string) => [...text.matchAll(/```bash\n[\s\S]*?```/g)].map((m) => m[0]);
  const compose = async (slug: string) => {
    const res = await call("GET", `/api/admin/prompts/compose/${slug}`, { admin });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  it("are in Chinese, whatever language the admin reads, with the same commands and one platform section", async () => {
    const english = await compose("executor");
    await setProjectLanguage("zh-CN");
    const chinese = await compose("executor");
    expect(chinese.enrollment_prompt.startsWith(zh.enrollmentMarker)).toBe(true);
    expect(chinese.enrollment_prompt).toContain(zh.enrollment.tokenNeeded({ role: "executor" }));
    expect(codeBlocks(chinese.enrollment_prompt)).toEqual(codeBlocks(english.enrollment_prompt));
    expect(codeBlocks(english.enrollment_prompt)).toHaveLength(3);
    expect(occurrences(chinese.standing_prompt, zh.standingMarker)).toBe(1);
    expect(chinese.standing_prompt).not.toContain(en.standingMarker);
    expect(chinese.standing_prompt).toContain("`node task-cli.mjs briefing`");
    expect(Object.keys(chinese).sort()).toEqual(Object.keys(english).sort());
    // The admin's own language (the dashboard always sends it) does not change the agent's prompt.
    const fromEnglishUi = await call("GET", "/api/admin/prompts/compose/executor", {
      admin,
      headers: { "accept-language": "en-US" },
    });
    expect(fromEnglishUi.body.standing_prompt).toBe(chinese.standing_prompt);
  });

  it("add no second platform section to a text that has one in either language", async () => {
    await setProjectLanguage("zh-CN");
    for (const [slug, marker] of [
      ["own-en", en.standingMarker],
      ["own-zh", zh.standingMarker],
    ] as const) {
      const body = { slug, name: slug, role: "executor", description: "d", content: `Body.\n\n${marker}\nmine` };
      expect((await call("POST", "/api/admin/prompts/agents", { admin, body })).status).toBe(201);
      const { standing_prompt: prompt } = await compose(`executor-${slug}`);
      expect(occurrences(prompt, en.standingMarker) + occurrences(prompt, zh.standingMarker), slug).toBe(1);
    }
  });
});

describe("the MCP server of a zh-CN project", () => {
  const noValidation = {
    getValidator: () => (input: unknown) => ({ valid: true as const, data: input as never, errorMessage: undefined }),
  };
  const connect = async (key: string) => {
    const client = new Client({ name: "i18n-test", version: "1.0.0" }, { jsonSchemaValidator: noValidation });
    const transport = new StreamableHTTPClientTransport(new URL("http://openmoss.test/mcp"), {
      fetch: (url, init) => exports.default.fetch(new Request(url, init)),
      requestInit: { headers: { Authorization: `Bearer ${key}` } },
    });
    await client.connect(transport);
    return client;
  };
  /** Everything an MCP host shows the model before any call. */
  const listing = async (key: string) => {
    const client = await connect(key);
    const [tools, prompts, resources] = [
      (await client.listTools()).tools,
      (await client.listPrompts()).prompts,
      (await client.listResources()).resources,
    ];
    const wrongRole = (await client.callTool({ name: "create_task", arguments: { name: "x" } })) as CallToolResult;
    const badArgument = (await client.callTool({ name: "get_my_score", arguments: { nope: 1 } })) as CallToolResult;
    const briefing = (await client.getPrompt({ name: "briefing" })).messages[0]!.content as { text: string };
    return {
      instructions: client.getInstructions() ?? "",
      tools,
      prompts,
      resources,
      wrongRole,
      badArgument,
      briefing,
    };
  };
  const machine = (tools: { name: string; inputSchema: unknown; annotations?: unknown }[]) =>
    tools.map(({ name, inputSchema, annotations }) => ({ name, inputSchema, annotations }));

  it("describes the same tools, prompts and resources in Chinese, and refuses in Chinese with the same code", async () => {
    const english = await listing(exec.key);
    await setProjectLanguage("zh-CN");
    const chinese = await listing(exec.key);

    expect(machine(chinese.tools)).toEqual(machine(english.tools));
    expect(chinese.tools.length).toBeGreaterThan(20);
    for (const tool of chinese.tools) expect(tool.description, tool.name).toMatch(CJK);
    expect(english.tools.find((t) => t.name === "claim_sub_task")?.description).toMatch(/^Claim a pending sub-task/);

    expect(chinese.instructions).toMatch(CJK);
    expect(commands(chinese.instructions)).toEqual(commands(english.instructions));
    expect(chinese.prompts.map((p) => p.name)).toEqual(english.prompts.map((p) => p.name));
    for (const prompt of [...chinese.prompts, ...chinese.resources]) expect(prompt.description).toMatch(CJK);
    expect(chinese.resources.map((r) => [r.uri, r.name])).toEqual(english.resources.map((r) => [r.uri, r.name]));

    const refusal = (r: CallToolResult) => r.structuredContent as { code: string; detail: string; hint: string };
    expect(chinese.wrongRole.isError).toBe(true);
    expect(refusal(chinese.wrongRole).code).toBe(refusal(english.wrongRole).code);
    expect(refusal(chinese.wrongRole).detail).toMatch(CJK);
    expect(refusal(chinese.wrongRole).hint).toMatch(CJK);
    expect(Object.keys(refusal(chinese.wrongRole)).sort()).toEqual(Object.keys(refusal(english.wrongRole)).sort());
    expect(refusal(chinese.badArgument).code).toBe("invalid_input");
    expect(refusal(english.badArgument).detail).toBe("unknown argument nope; get_my_score takes no arguments");
    expect(refusal(chinese.badArgument).detail).toMatch(CJK);
    expect(chinese.briefing.text).toMatch(/^你是 /);
    expect(english.briefing.text).toMatch(/^You are /);
  });
});

/** A sub-task the executor holds in progress, in a task of its own. */
async function inProgress(name: string): Promise<string> {
  const task = await call("POST", "/api/tasks", { key: planner.key, body: { name: `Task ${name}` } });
  const st = await call("POST", "/api/sub-tasks", { key: planner.key, body: { task_id: task.body.id, name } });
  for (const op of ["claim", "start"]) {
    const res = await call("POST", `/api/sub-tasks/${st.body.id}/${op}`, { key: exec.key, body: {} });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  return st.body.id;
}

describe("what the server writes on its own in a zh-CN project", () => {
  it("sends notifications in Chinese, with the same event and JSON keys", async () => {
    await configure(
      [channel({ id: "hook", type: "webhook", url: "https://receiver.example/hook" })],
      ["sub_task_submitted"],
    );
    const submitAndSend = async (name: string) => {
      const id = await inProgress(name);
      await call("POST", `/api/sub-tasks/${id}/submit`, { key: exec.key, body: {} });
      const { fetcher, sent } = fakeFetch();
      await dispatch(new Date(), fetcher);
      expect(sent).toHaveLength(1);
      return JSON.parse(sent[0]!.body);
    };
    const english = await submitAndSend("Parser");
    await setProjectLanguage("zh-CN");
    const chinese = await submitAndSend("Lexer");
    expect(english.text).toBe(
      `[Test Project] Sub-task "Parser" of task "Task Parser" was submitted for review by ${exec.name}.`,
    );
    expect(chinese.text).toBe(`[Test Project] 任务“Task Lexer”的子任务“Lexer”已提交审查（提交者 ${exec.name}）。`);
    expect(chinese.event).toBe(english.event);
    expect(keyPaths(chinese)).toEqual(keyPaths(english));
  });

  it("describes the patrol's own records in Chinese, with the same type and JSON keys", async () => {
    const cronFinds = async (name: string) => {
      const id = await inProgress(name);
      await env.DB.prepare("update sub_task set started_at = ? where id = ?")
        .bind(new Date(Date.now() - 61 * 60_000).toISOString(), id)
        .run();
      await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "* * * * *" }), env);
      const records = await call("GET", "/api/patrol/records", { key: exec.key });
      const record = records.body.items.find((r: { sub_task_id: string }) => r.sub_task_id === id);
      expect(record, JSON.stringify(records.body)).toBeDefined();
      return record;
    };
    const english = await cronFinds("Parser");
    await setProjectLanguage("zh-CN");
    const chinese = await cronFinds("Lexer");
    expect(english.description).toMatch(/^"Parser" has been in progress for 6\d min/);
    expect(chinese.description).toMatch(/^"Lexer" 已进行 6\d 分钟/);
    expect([chinese.type, chinese.severity, chinese.source]).toEqual([english.type, english.severity, english.source]);
    expect(Object.keys(chinese).sort()).toEqual(Object.keys(english).sort());

    // The condition clears: the cron closes its record with a note in the project's language.
    await env.DB.prepare("update sub_task set started_at = ?, updated_at = ? where id = ?")
      .bind(new Date().toISOString(), new Date().toISOString(), chinese.sub_task_id)
      .run();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "* * * * *" }), env);
    const after = await call("GET", "/api/patrol/records", { key: exec.key });
    const closed = after.body.items.find((r: { id: string }) => r.id === chinese.id);
    expect(closed).toMatchObject({ status: "resolved", resolution_note: "情况已消除" });
  });
});
