// GET /api/search (docs/search.md): ranking on a seeded corpus in English and Chinese, the kinds and
// task filters, the limit, the cap on ranked matches, snippets and names, refusals, and an entry
// written through the real POST /api/logs found afterwards.
import { beforeEach, describe, expect, it } from "vitest";
import { SearchHitSchema } from "../contract/api/search";
import { RANKED_MATCHES } from "../worker/db/search-queries";
import { call, env, initialize, ok, register, type TestAgent } from "./helpers";
import { bulkSeed, seedEntries, seedTask } from "./search-seed";

let admin: string;
let exec: TestAgent;

beforeEach(async () => {
  admin = await initialize();
  exec = await register("executor");
});

interface Hit {
  kind: string;
  id: string;
  task_id: string | null;
  sub_task_id: string | null;
  sub_task_name: string | null;
  agent_id: string | null;
  agent_name: string | null;
  tag: string | null;
  created_at: string;
  snippet: string;
}

const search = (query: Record<string, string | number | undefined>, key = exec.key, headers = {}) =>
  call<{ query: string; hits: Hit[]; capped: boolean }>("GET", "/api/search", { key, query, headers });
const ids = async (q: string, query: Record<string, string | number> = {}) =>
  (await ok(search({ q, limit: 50, ...query }))).hits.map((h) => h.id);

describe("ranking: English", () => {
  // 30 entries. `best` has every term, often, in few words; the `all4-*` ones have every term once in
  // longer texts; `some-*` lack one term; `unrelated` shares none.
  const FILLER =
    "we looked at the dashboards, read the runbook, talked to the on-call engineer and wrote down what we saw";
  const corpus: { id: string; text: string }[] = [
    { id: "best", text: "Flaky login test: the login test times out. Timeout raised; flaky login test timeout fixed." },
    ...Array.from({ length: 6 }, (_, i) => ({
      id: `all4-${i}`,
      text: `${FILLER}. ${"Notes. ".repeat(i + 1)}The login test was flaky with a timeout on run ${i}. ${FILLER}.`,
    })),
    ...Array.from({ length: 8 }, (_, i) => ({
      id: `some-${i}`,
      text: `${["flaky login test", "login test timeout", "flaky test timeout", "flaky login timeout"][i % 4]!} case ${i}`,
    })),
    { id: "unrelated", text: "Database backup rotation for the billing service, nightly at 02:00" },
    ...Array.from({ length: 14 }, (_, i) => ({ id: `other-${i}`, text: `Refactored module ${i}: ${FILLER}` })),
  ];

  beforeEach(async () => {
    await seedEntries(corpus.map((c) => ({ kind: "reflection", text: c.text, sourceId: c.id })));
  });

  it("ranks the best match for all the words first and finds only entries with every word", async () => {
    const res = await ok(search({ q: "flaky login test timeout", limit: 50 }));
    expect(res.query).toBe("flaky login test timeout");
    expect(res.capped).toBe(false);
    expect(res.hits[0]!.id).toBe("best");
    expect(res.hits.map((h) => h.id).sort()).toEqual(
      ["best", ...Array.from({ length: 6 }, (_, i) => `all4-${i}`)].sort(),
    );
    for (const hit of res.hits) expect(SearchHitSchema.strict().parse(hit)).toEqual(hit);
  });

  it("marks the words in the snippet and cuts long texts", async () => {
    const [best, second] = (await ok(search({ q: "flaky login test timeout", limit: 2 }))).hits;
    expect(best!.snippet).toBe(
      "[Flaky] [login] [test]: the [login] [test] times out. [Timeout] raised; [flaky] [login] [test] [timeout] fixed.",
    );
    expect(second!.snippet).toMatch(/^….*\[login\] \[test\] was \[flaky\] with a \[timeout\]/);
  });

  it("a rarer word narrows, an unrelated word finds the unrelated entry only", async () => {
    expect(await ids("backup")).toEqual(["unrelated"]);
    expect(await ids("BILLING service")).toEqual(["unrelated"]);
    expect(await ids("flaky backup")).toEqual([]);
  });

  it("takes a prefix and a phrase", async () => {
    expect(await ids("bill*")).toEqual(["unrelated"]);
    const phrase = await ids('"login test timeout"');
    expect(phrase).toContain("best");
    expect(phrase).toContain("some-1");
    expect(phrase).not.toContain("all4-0");
  });

  it("FTS5 syntax typed by an agent is words, never an error or a different query", async () => {
    for (const q of ["flaky OR backup", "NEAR(flaky backup)", "body:backup", "backup NOT", '"backup', "^backup*("]) {
      const res = await search({ q });
      expect(res.status, q).toBe(200);
    }
    expect(await ids("backup OR flaky")).toEqual([]);
    expect(await ids("body:backup")).toEqual([]);
    expect(await ids('"backup')).toEqual(["unrelated"]);
  });

  it("returns `limit` hits, 10 by default, best first", async () => {
    await seedEntries(Array.from({ length: 12 }, (_, i) => ({ kind: "plan", text: `runbook step ${i}` })));
    expect((await ok(search({ q: "runbook" }))).hits).toHaveLength(10);
    const two = (await ok(search({ q: "flaky login test timeout", limit: 2 }))).hits;
    expect(two.map((h) => h.id)[0]).toBe("best");
    expect(two).toHaveLength(2);
  });
});

describe("ranking: Chinese and mixed", () => {
  beforeEach(async () => {
    await seedEntries([
      { kind: "reflection", sourceId: "login-timeout", text: "登录接口超时，重试三次后仍然失败" },
      { kind: "reflection", sourceId: "pay-timeout", text: "支付接口超时，已加监控" },
      { kind: "reflection", sourceId: "login-style", text: "登录页面样式错乱" },
      { kind: "reflection", sourceId: "apart", text: "登录很慢；下午偶尔超时" },
      { kind: "reflection", sourceId: "exact", text: "复现了登录超时的问题" },
      { kind: "reflection", sourceId: "mixed", text: "登录timeout 在 CI 上出现" },
      { kind: "reflection", sourceId: "english", text: "The login timeout in CI" },
      { kind: "reflection", sourceId: "fullwidth", text: "ＣＩ 的 ＴＩＭＥＯＵＴ 设置" },
    ]);
  });

  it("登录超时 finds entries with both words, apart or together, and ranks them by bm25", async () => {
    const found = await ids("登录超时");
    expect(found.sort()).toEqual(["apart", "exact", "login-timeout"]);
  });

  it("a two-character word works, and a single character works as a prefix", async () => {
    expect((await ids("超时")).sort()).toEqual(["apart", "exact", "login-timeout", "pay-timeout"]);
    expect((await ids("超")).sort()).toEqual(["apart", "exact", "login-timeout", "pay-timeout"]);
    expect((await ids("样式")).sort()).toEqual(["login-style"]);
  });

  it("a quoted run is the exact phrase", async () => {
    expect(await ids('"登录超时"')).toEqual(["exact"]);
  });

  it("mixes Chinese and English, and folds full-width letters", async () => {
    expect((await ids("登录 timeout")).sort()).toEqual(["mixed"]);
    expect((await ids("登录timeout")).sort()).toEqual(["mixed"]);
    expect((await ids("timeout ci")).sort()).toEqual(["english", "fullwidth", "mixed"]);
  });

  it("marks Chinese words in the snippet", async () => {
    const [hit] = (await ok(search({ q: "登录超时", kinds: "reflection" }))).hits.filter((h) => h.id === "apart");
    expect(hit!.snippet).toBe("[登录]很慢；下午偶尔[超时]");
  });
});

describe("filters", () => {
  it("kinds narrows to the kinds given; an unknown kind is refused by name", async () => {
    await seedEntries([
      { kind: "reflection", sourceId: "r", text: "deploy lesson" },
      { kind: "review", sourceId: "v", text: "deploy rejected: no rollback", tag: "rejected" },
      { kind: "rule", sourceId: "u", text: "deploy only on weekdays", tag: "global" },
      { kind: "sub_task", sourceId: "s", text: "Deploy the API" },
    ]);
    expect((await ids("deploy")).sort()).toEqual(["r", "s", "u", "v"]);
    expect(await ids("deploy", { kinds: "review" })).toEqual(["v"]);
    expect((await ids("deploy", { kinds: "reflection, rule,reflection" })).sort()).toEqual(["r", "u"]);
    const [review] = (await ok(search({ q: "deploy", kinds: "review" }))).hits;
    expect(review).toMatchObject({ kind: "review", tag: "rejected" });
    const bad = await search({ q: "deploy", kinds: "reflection,secrets" });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: "unknown_search_kind" });
    expect((bad.body as unknown as { detail: string }).detail).toContain('"secrets"');
  });

  it("task_id finds the task's entries, even behind more than the ranked newest matches of other tasks", async () => {
    const mine = await seedTask("Login service");
    await seedEntries([
      { kind: "reflection", sourceId: "old-in-task", text: "cache warmup lesson", taskId: mine.taskId },
    ]);
    await bulkSeed(RANKED_MATCHES + 20, (i) => ({
      kind: "reflection",
      text: `cache warmup note ${i}`,
      taskId: "other",
    }));
    const all = await ok(search({ q: "cache warmup", limit: 50 }));
    expect(all.capped).toBe(true);
    expect(all.hits.map((h) => h.id)).not.toContain("old-in-task");
    const inTask = await ok(search({ q: "cache warmup", task_id: mine.taskId }));
    expect(inTask).toMatchObject({ capped: false, hits: [{ id: "old-in-task", task_id: mine.taskId }] });
    expect((await ok(search({ q: "cache warmup", task_id: "no-such-task" }))).hits).toEqual([]);
  });

  it("capped is false below the cap and true when the newest RANKED_MATCHES were all that was ranked", async () => {
    await bulkSeed(RANKED_MATCHES - 1, (i) => ({ kind: "plan", text: `sprint plan ${i}` }));
    expect((await ok(search({ q: "sprint" }))).capped).toBe(false);
    await bulkSeed(1, () => ({ kind: "plan", text: "sprint plan last" }));
    const capped = await ok(search({ q: "sprint", limit: 1 }));
    expect(capped.capped).toBe(true);
    expect(capped.hits).toHaveLength(1);
  });
});

describe("hits name their agent and sub-task", () => {
  it("names a live or disabled agent and the sub-task; a deleted agent's hit stays, unnamed", async () => {
    const { taskId, subTaskId } = await seedTask("Payment retries");
    const writer = await register("executor");
    const disabled = await register("reviewer");
    await env.DB.prepare("update agent set status = 'disabled' where id = ?").bind(disabled.id).run();
    await seedEntries([
      { kind: "delivery", sourceId: "d1", text: "retries delivered", taskId, subTaskId, agentId: writer.id },
      { kind: "review", sourceId: "d2", text: "retries approved", subTaskId, agentId: disabled.id, tag: "approved" },
      { kind: "blocked", sourceId: "d3", text: "retries blocked", agentId: "deleted-agent-id" },
    ]);
    const hits = Object.fromEntries((await ok(search({ q: "retries" }))).hits.map((h) => [h.id, h]));
    expect(hits.d1).toMatchObject({
      kind: "delivery",
      task_id: taskId,
      sub_task_id: subTaskId,
      sub_task_name: "Payment retries",
      agent_id: writer.id,
      agent_name: writer.name,
    });
    expect(hits.d2).toMatchObject({ agent_name: disabled.name, tag: "approved" });
    expect(hits.d3).toMatchObject({ agent_id: "deleted-agent-id", agent_name: null, sub_task_name: null });
  });
});

describe("refusals", () => {
  const refused = async (query: Record<string, string | number>, code: string, headers = {}) => {
    const res = await search(query, exec.key, headers);
    expect(res.status, JSON.stringify(query)).toBe(400);
    expect(res.body, JSON.stringify(query)).toMatchObject({ code, hint: expect.any(String) });
    return res.body as unknown as { detail: string; hint: string };
  };

  it("refuses a query without words, with too many terms, too long, or with hidden characters", async () => {
    await refused({ q: "" }, "invalid_input");
    await refused({ q: "*** ^ :" }, "empty_query");
    const many = await refused({ q: Array.from({ length: 13 }, (_, i) => `w${i}`).join(" ") }, "too_many_terms");
    expect(many.detail).toContain("13");
    await refused({ q: "x".repeat(201) }, "invalid_input");
    await refused({ q: "login\u202etimeout" }, "invalid_text");
    await refused({ q: "login\u0000" }, "invalid_text");
  });

  it("refuses a limit outside 1..50, a bad task id and hidden characters in kinds", async () => {
    await refused({ q: "x", limit: 0 }, "invalid_input");
    await refused({ q: "x", limit: 51 }, "invalid_input");
    await refused({ q: "x", limit: "ten" }, "invalid_input");
    await refused({ q: "x", task_id: "a\nb" }, "invalid_name");
    // A control character in kinds is refused as such, never echoed back as an unknown kind.
    const hostile = await refused({ q: "x", kinds: "review,x\u001b]52;c;cm0=\u0007" }, "invalid_name");
    expect(hostile.detail).not.toMatch(/\p{Cc}/u);
  });

  it("says it in Chinese to a Chinese reader", async () => {
    const body = await refused({ q: "!!!" }, "empty_query", { "accept-language": "zh-CN" });
    expect(body.detail).toContain("没有可搜索的词");
    expect(body.hint).toContain("search");
  });

  it("needs a key or an admin session", async () => {
    expect((await call("GET", "/api/search", { query: { q: "x" } })).status).toBe(401);
    expect((await call("GET", "/api/search", { query: { q: "x" }, admin })).status).toBe(200);
  });
});

describe("through the real write path", () => {
  it("finds a reflection written with POST /api/logs, by its Chinese and English words", async () => {
    const summary = "教训：部署前先跑 migration dry-run，否则回滚很痛苦";
    const log = await ok(call("POST", "/api/logs", { key: exec.key, body: { action: "reflection", summary } }));
    const reader = await register("reviewer");
    const res = await ok(search({ q: "回滚 migration", kinds: "reflection" }, reader.key));
    expect(res.hits).toHaveLength(1);
    expect(res.hits[0]).toMatchObject({ kind: "reflection", id: log.id, agent_id: exec.id, agent_name: exec.name });
    expect(res.hits[0]!.snippet).toBe("教训：部署前先跑 [migration] dry-run，否则[回滚]很痛苦");
  });
});
