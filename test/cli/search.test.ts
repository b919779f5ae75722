// `search` with the built CLI. A stand-in server checks the query each call sends and what it
// prints (two lines per hit, the snippet's marks kept, the capped and empty lines, --json as sent,
// bad flags refused before any request); the real server then finds a reflection an executor
// logged, by an English word and by Chinese, and refuses a query that is too long.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminSession, createAgent } from "../mcp/world";
import { baseUrl, json, runCli, setupToken } from "./harness";
import { cliFor, type LocalServer, localServer } from "./local-server";

const TASK = "7d3e9a10-1111-4c4c-8888-00000000000b";
const SUB = "5a6b7c8d-2222-4c4c-8888-00000000000c";
const hit = (extra: Record<string, unknown>) => ({
  kind: "reflection",
  id: "0f1e2d3c-3333-4c4c-8888-000000000001",
  task_id: TASK,
  sub_task_id: SUB,
  sub_task_name: "Login form",
  agent_id: "a-1",
  agent_name: "exec-1",
  tag: null,
  created_at: "2026-12-04T10:11:12.000Z",
  snippet: "forgot the [timeout] on the\nretry loop",
  ...extra,
});
const RESULT = {
  query: "timeout",
  hits: [
    hit({}),
    hit({
      kind: "review",
      id: "0f1e2d3c-3333-4c4c-8888-000000000002",
      tag: "rejected",
      agent_name: "rev-1",
      snippet: "no [timeout] test",
    }),
    hit({
      kind: "rule",
      id: "0f1e2d3c-3333-4c4c-8888-000000000003",
      tag: "global",
      sub_task_id: null,
      sub_task_name: null,
      agent_id: null,
      agent_name: null,
      snippet: "Always set a [timeout]",
    }),
  ],
  capped: true,
};

describe("search against a stand-in server", () => {
  let tmp = "";
  let server: LocalServer;
  let empty: LocalServer;
  let cli = "";
  const run = (...args: string[]) => runCli(cli, ["--key", "ak_test", ...args], { cwd: tmp });
  const last = () => server.seen.at(-1)!;

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), "openmoss-cli-search-"));
    server = await localServer({ "/api/search": { status: 200, body: RESULT } });
    empty = await localServer({ "/api/search": { status: 200, body: { query: "x", hits: [], capped: false } } });
    cli = cliFor(server.base, path.join(tmp, "skill"));
  });
  afterAll(async () => {
    await server?.close();
    await empty?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it("prints two lines per hit (kind/tag, short id, day, agent, sub-task; the snippet on one line) and the capped line", async () => {
    const found = await run("search", "retry", "timeout");
    expect(last()).toMatchObject({ method: "GET", path: "/api/search", query: "?q=retry+timeout" });
    expect(found.stdout).toBe(
      [
        "reflection 0f1e2d3c 2026-12-04 exec-1 · Login form (5a6b7c8d)",
        "  forgot the [timeout] on the retry loop",
        "review/rejected 0f1e2d3c 2026-12-04 rev-1 · Login form (5a6b7c8d)",
        "  no [timeout] test",
        "rule/global 0f1e2d3c 2026-12-04",
        "  Always set a [timeout]",
        "More entries matched than were ranked: narrow it with --task-id or --kinds.",
        "",
      ].join("\n"),
    );
  });

  it("sends --kinds (deduplicated), --task-id and --limit; --json prints the result as sent", async () => {
    const asJson = await run(
      "--json",
      "search",
      "timeout",
      "--kinds",
      "review,reflection,review",
      "--task-id",
      TASK,
      "--limit",
      "5",
    );
    expect(last().query).toBe(`?q=timeout&kinds=review%2Creflection&task_id=${TASK}&limit=5`);
    expect(json(asJson)).toEqual(RESULT);
  });

  it("says how to widen an empty result", async () => {
    const none = await runCli(cliFor(empty.base, path.join(tmp, "empty")), ["--key", "k", "search", "nothing"], {
      cwd: tmp,
    });
    expect({ code: none.code, stdout: none.stdout }).toEqual({
      code: 0,
      stdout: "No match. Try other or fewer words, or drop --kinds/--task-id.\n",
    });
  });

  it("refuses an unknown kind, a limit out of range, no words and too many characters before sending anything", async () => {
    const before = server.seen.length;
    const kind = await run("search", "x", "--kinds", "reflection,lesson");
    expect(kind.code).toBe(2);
    expect(kind.stderr.split("\n")[0]).toContain("lesson");
    expect((await run("search", "x", "--limit", "51")).code).toBe(2);
    const noWords = await run("search");
    expect({ code: noWords.code, first: noWords.stderr.split("\n")[0] }).toEqual({
      code: 2,
      first: "❌ give the words to search for",
    });
    expect((await run("search", "字".repeat(201))).code).toBe(2);
    expect(server.seen.length).toBe(before);
  });

  it("speaks Chinese with --lang zh-CN", async () => {
    const none = await runCli(
      cliFor(empty.base, path.join(tmp, "zh")),
      ["--key", "k", "--lang", "zh-CN", "search", "超时"],
      {
        cwd: tmp,
      },
    );
    expect(none.stdout).toBe("没有匹配。换些词或少用几个词，或去掉 --kinds/--task-id。\n");
  });
});

describe("search against the real server", () => {
  let tmp = "";
  let cli = "";
  const keys = { planner: "", executor: "" };
  const as = (who: keyof typeof keys, ...args: string[]) => runCli(cli, ["--key", keys[who], ...args], { cwd: tmp });
  const tag = Math.random().toString(36).slice(2, 8);

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), "openmoss-cli-search-real-"));
    cli = cliFor(baseUrl, path.join(tmp, "skill"));
    const admin = await adminSession(baseUrl, setupToken);
    for (const role of ["planner", "executor"] as const)
      keys[role] = (await createAgent(baseUrl, admin, `search-${role}-${tag}`, role)).api_key;
  });
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("finds a reflection by an English word and by Chinese, and narrows by kind", async () => {
    const word = `flakyretry${tag}`;
    const logged = await as(
      "executor",
      "--json",
      "log",
      "create",
      "reflection",
      `The ${word} loop needs a 超时重试 limit`,
    );
    expect(logged.code).toBe(0);
    const found = json(await as("planner", "--json", "search", word));
    expect(found.hits.map((h: { kind: string }) => h.kind)).toEqual(["reflection"]);
    expect(found.hits[0].snippet).toContain(`[${word}]`);
    const human = await as("planner", "search", word);
    expect(human.stdout.split("\n")[0]).toMatch(
      new RegExp(`^reflection [0-9a-f]{8} \\d{4}-\\d\\d-\\d\\d search-executor-${tag}$`),
    );

    const chinese = json(await as("executor", "--json", "search", "超时重试", "--kinds", "reflection"));
    expect(chinese.hits.some((h: { snippet: string }) => h.snippet.includes(word))).toBe(true);
    const otherKind = json(await as("planner", "--json", "search", word, "--kinds", "rule"));
    expect(otherKind.hits).toEqual([]);
  });
});
