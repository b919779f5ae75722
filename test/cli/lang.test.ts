// The CLI's language, end to end with the built CLI: --lang and $OPENMOSS_LANG give Chinese help,
// usage errors and command output; an invalid choice is a usage error; --json is the same in both
// languages. A stand-in server shows the rest of the order: a server's Content-Language is followed
// unless the agent asked for a language, Accept-Language is sent only when it did, and a language
// baked in at download is the default before any answer.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminSession, createAgent } from "../mcp/world";
import { baseUrl, json, type Run, runCli, setupToken } from "./harness";
import { cliFor, localServer } from "./local-server";

const CJK = /[\u4e00-\u9fff]/;
/**
 * The Accept-Language a request carried, with no preference as "none": Node's fetch sends `*` when the
 * CLI sets nothing, which asks for no language (the server then speaks the project language).
 */
const asked = (value: string | undefined) => (value === undefined || value === "*" ? "none" : value);
let tmp = "";
let cli = "";
let key = "";
let admin = "";

const run = (args: string[], env: Record<string, string> = {}) =>
  runCli(cli, ["--key", key, ...args], { cwd: tmp, env });
/** Exit 2, nothing on stdout, the mistake on stderr's first line. */
function usage(r: Run): string[] {
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: "" });
  return r.stderr.trimEnd().split("\n");
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), "openmoss-cli-lang-"));
  cli = cliFor(baseUrl, path.join(tmp, "skill"));
  admin = await adminSession(baseUrl, setupToken);
  key = (await createAgent(baseUrl, admin, `lang-planner-${Math.random().toString(36).slice(2, 8)}`, "planner"))
    .api_key;
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("--lang and OPENMOSS_LANG", () => {
  it("print Chinese help (the same page either way); commands, flags and metavars stay as they are", async () => {
    const english = await run(["help", "st", "create"]);
    const flag = await run(["--lang", "zh-CN", "help", "st", "create"]);
    const env = await run(["help", "st", "create"], { OPENMOSS_LANG: "zh-CN" });
    expect(english.stdout.startsWith("Usage: node task-cli.mjs st create <task_id> <name> [options]")).toBe(true);
    expect(flag.stdout.startsWith("用法：node task-cli.mjs st create <task_id> <name> [options]")).toBe(true);
    expect(flag.stdout).toContain("选项：");
    expect(flag.stdout).toContain("--depends-on ID[,ID…]");
    expect(flag.stdout).not.toContain("Options:");
    expect(env).toEqual(flag);
    // The top page names --lang among the global options, in both languages.
    expect((await run(["--lang", "zh-CN"])).stdout).toMatch(/--lang LANG +消息语言/);
    expect((await run([])).stdout).toMatch(/--lang LANG +language of messages: en or zh-CN/);
  });

  it("report a usage mistake in Chinese, with the English command names it suggests", async () => {
    const flag = usage(await run(["--lang=zh-CN", "st", "craete"]));
    expect(flag).toEqual([
      "❌ 未知命令 'st craete'；是不是想输入 'st create'？",
      "用法：node task-cli.mjs st <command> [arguments] [options]",
      "运行 `node task-cli.mjs help st` 查看它的命令。",
    ]);
    expect(usage(await run(["st", "craete"], { OPENMOSS_LANG: "zh-CN" }))).toEqual(flag);
    expect(usage(await run(["st", "craete"]))[0]).toBe("❌ unknown command 'st craete'; did you mean 'st create'?");
  });

  it("print a real command's output in Chinese", async () => {
    const created = await run(["--lang", "zh-CN", "task", "create", "语言测试"]);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^✅ 任务已创建：[0-9a-f-]{36} "语言测试" \(planning\)\n$/);
    const listed = await run(["task", "list", "--status", "planning", "--page-size", "1"], { OPENMOSS_LANG: "zh-CN" });
    expect(listed.stdout).toMatch(/^\[第 1\/\d+ 页，共 \d+ 条\]\n/);
  });

  it("refuse a language that is not en or zh-CN: exit 2, the choices named, before anything is sent", async () => {
    const server = await localServer({});
    try {
      const local = cliFor(server.base, path.join(tmp, "refuse"));
      const flag = usage(await runCli(local, ["--key", "k", "--lang", "fr", "agents"], { cwd: tmp }));
      expect(flag[0]).toBe("❌ --lang: invalid choice 'fr' (choose from en, zh-CN)");
      const env = usage(await runCli(local, ["--key", "k", "agents"], { cwd: tmp, env: { OPENMOSS_LANG: "zh" } }));
      expect(env[0]).toBe("❌ OPENMOSS_LANG: invalid choice 'zh' (choose from en, zh-CN); did you mean 'zh-CN'?");
      expect(server.seen).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe("--json", () => {
  it("is the same in English and Chinese: an answer, a list and a failure", async () => {
    const task = json(await run(["task", "create", "JSON twin", "--json"])).id as string;
    const both = async (args: string[]) => {
      const [en, zh] = await Promise.all([run([...args, "--json"]), run(["--lang", "zh-CN", ...args, "--json"])]);
      return { en, zh };
    };
    const got = await both(["task", "get", task]);
    expect(json(got.zh)).toEqual(json(got.en));
    expect(json(got.en).name).toBe("JSON twin");
    const list = await both(["task", "list", "--status", "planning"]);
    expect(json(list.zh)).toEqual(json(list.en));
    expect(json(list.en).items.length).toBeGreaterThan(0);
    // A failure: the same status and code; only detail and hint are text a reader gets in their language.
    const missing = await both(["task", "get", "00000000-0000-4000-8000-000000000000"]);
    const failure = (r: Run) => {
      const { status, code } = JSON.parse(r.stderr) as { status: number; code: string };
      return { exit: r.code, stdout: r.stdout, status, code };
    };
    expect(failure(missing.en)).toMatchObject({ exit: 1, stdout: "", status: 404 });
    expect(failure(missing.zh)).toEqual(failure(missing.en));
    expect(Object.keys(JSON.parse(missing.zh.stderr)).sort()).toEqual(
      Object.keys(JSON.parse(missing.en.stderr)).sort(),
    );
  });
});

/** Sets the project language as the admin does in the dashboard's settings. */
async function projectLanguage(language: string): Promise<void> {
  const res = await fetch(`${baseUrl}/api/admin/config`, {
    method: "PUT",
    headers: { "content-type": "application/json", "x-admin-token": admin },
    body: JSON.stringify({ project: { language } }),
  });
  expect(res.status, await res.text()).toBe(200);
}

describe("the project language (real server)", () => {
  it("reaches a CLI without --lang at its next call, and is baked into a CLI downloaded then", async () => {
    const list = (args: string[] = []) => run([...args, "task", "list", "--status", "planning", "--page-size", "1"]);
    expect((await list()).stdout).toMatch(/^\[page 1 of \d+ pages, \d+ records\]\n/);
    await projectLanguage("zh-CN");
    try {
      expect((await list()).stdout).toMatch(/^\[第 1\/\d+ 页，共 \d+ 条\]\n/);
      // Asked for, English wins over the project's language.
      expect((await list(["--lang", "en"])).stdout).toMatch(/^\[page 1 of \d+ pages/);
      // The CLI downloaded now speaks Chinese before it has asked the server anything.
      const downloaded = path.join(tmp, "downloaded");
      const updated = await runCli(cliFor(baseUrl, downloaded), ["--key", key, "update"], { cwd: tmp });
      expect(updated.code, updated.stderr).toBe(0);
      const help = await runCli(path.join(downloaded, "task-cli.mjs"), ["help"], { cwd: tmp });
      expect(help.stdout.split("\n")[0]).toMatch(/^task-cli v\d+：OpenMOSS 智能体命令行工具$/);
    } finally {
      await projectLanguage("en");
    }
    expect((await list()).stdout).toMatch(/^\[page 1 of \d+ pages/);
  });
});

describe("the server's language and the baked one (stand-in server)", () => {
  const EMPTY = { items: [], total: 0, page: 1, page_size: 0 };

  it("follows Content-Language unless --lang or OPENMOSS_LANG says otherwise; sends Accept-Language only then", async () => {
    const server = await localServer({
      "/api/tasks": { status: 200, body: EMPTY, headers: { "content-language": "zh-CN" } },
    });
    try {
      const local = cliFor(server.base, path.join(tmp, "server-lang"));
      const list = (args: string[], env: Record<string, string> = {}) =>
        runCli(local, ["--key", "k", ...args, "task", "list"], { cwd: tmp, env });
      expect((await list([])).stdout).toBe("没有任务\n");
      expect((await list(["--lang", "en"])).stdout).toBe("No tasks\n");
      expect((await list([], { OPENMOSS_LANG: "en" })).stdout).toBe("No tasks\n");
      expect((await list(["--lang", "zh-CN"])).stdout).toBe("没有任务\n");
      expect(server.seen.map((r) => asked(r.acceptLanguage))).toEqual(["none", "en", "en", "zh-CN"]);
    } finally {
      await server.close();
    }
  });

  it("speaks the language baked in at download until an answer says otherwise", async () => {
    const server = await localServer({
      "/api/tasks": { status: 200, body: EMPTY, headers: { "content-language": "en" } },
    });
    try {
      const baked = cliFor(server.base, path.join(tmp, "baked-zh"), "zh-CN");
      const help = await runCli(baked, ["help"], { cwd: tmp });
      expect(help.stdout.split("\n")[0]).toMatch(/^task-cli v\d+：OpenMOSS 智能体命令行工具$/);
      // The project language changed to English since the download: the answer's header wins.
      expect((await runCli(baked, ["--key", "k", "task", "list"], { cwd: tmp })).stdout).toBe("No tasks\n");
      expect(server.seen.map((r) => asked(r.acceptLanguage))).toEqual(["none"]);
      // A language the CLI does not know, baked or sent, changes nothing.
      const unknown = cliFor(server.base, path.join(tmp, "baked-fr"), "fr");
      expect((await runCli(unknown, ["help"], { cwd: tmp })).stdout).toMatch(/^task-cli v\d+: the OpenMOSS agent CLI/);
    } finally {
      await server.close();
    }
  });

  it("writes no Chinese when nothing asks for it", async () => {
    const english = await run(["help"]);
    expect(CJK.test(english.stdout)).toBe(false);
  });
});
