// Error details in the reader's language (issue 17): a sample refusal of each area arrives in Chinese
// for a zh-CN project (agents) or under Accept-Language: zh-CN (the admin, unauthenticated requests),
// with the same status, `code` and JSON keys as the English answer; the English stays as it was.
import { beforeEach, describe, expect, it } from "vitest";
import { admin } from "../worker/i18n/en/messages/admin";
import { agents } from "../worker/i18n/en/messages/agents";
import { answers } from "../worker/i18n/en/messages/answers";
import { core } from "../worker/i18n/en/messages/core";
import { records } from "../worker/i18n/en/messages/records";
import { reviews } from "../worker/i18n/en/messages/reviews";
import { setup } from "../worker/i18n/en/messages/setup";
import { subTasks } from "../worker/i18n/en/messages/sub-tasks";
import { tasks } from "../worker/i18n/en/messages/tasks";
import { validation } from "../worker/i18n/en/messages/validation";
import { type CallResult, call, env, initialize, insertSubTask, register, type TestAgent } from "./helpers";

const CJK = /[\u4e00-\u9fff]/;

const setSetting = (key: string, value: unknown) =>
  env.DB.prepare("insert or replace into setting (key, value, updated_at) values (?, ?, ?)")
    .bind(key, JSON.stringify(value), new Date().toISOString())
    .run();

/** The same refusal in both languages: same status, code and keys; the English as given, the Chinese Chinese. */
function expectTwins(english: CallResult, chinese: CallResult, status: number, code: string) {
  expect(english.status, JSON.stringify(english.body)).toBe(status);
  expect(chinese.status, JSON.stringify(chinese.body)).toBe(status);
  expect(english.body.code).toBe(code);
  expect(chinese.body.code).toBe(code);
  expect(Object.keys(chinese.body).sort()).toEqual(Object.keys(english.body).sort());
  expect(english.headers.get("content-language")).toBe("en");
  expect(chinese.headers.get("content-language")).toBe("zh-CN");
  expect(english.body.detail).not.toMatch(CJK);
  expect(chinese.body.detail).toMatch(CJK);
  if (english.body.hint !== undefined) expect(chinese.body.hint).toMatch(CJK);
}

/** An agent's request, first in an English project, then in a Chinese one. */
async function inBothProjects(send: () => Promise<CallResult>): Promise<[CallResult, CallResult]> {
  await setSetting("project.language", "en");
  const english = await send();
  await setSetting("project.language", "zh-CN");
  return [english, await send()];
}

const ZH = { "accept-language": "zh-CN,zh;q=0.9" };

describe("error details in Chinese", () => {
  let planner: TestAgent;
  let exec: TestAgent;
  let exec2: TestAgent;
  let adminToken: string;
  beforeEach(async () => {
    adminToken = await initialize();
    planner = await register("planner");
    exec = await register("executor");
    exec2 = await register("executor");
  });

  it("a 404 for a short id, with the id hint and its command unchanged", async () => {
    const [en, zh] = await inBothProjects(() => call("GET", "/api/sub-tasks/0123abcd", { key: exec.key }));
    expectTwins(en, zh, 404, "sub_task_not_found");
    expect(en.body.detail).toBe("sub-task 0123abcd does not exist");
    expect(zh.body.detail).toContain("0123abcd");
    expect(zh.body.hint).toContain("`node task-cli.mjs st mine`");
  });

  it("a refusal built inside the sub-task's Durable Object: claiming what another agent holds", async () => {
    const id = await insertSubTask();
    expect((await call("POST", `/api/sub-tasks/${id}/claim`, { key: exec.key })).status).toBe(200);
    const [en, zh] = await inBothProjects(() => call("POST", `/api/sub-tasks/${id}/claim`, { key: exec2.key }));
    expectTwins(en, zh, 409, "illegal_transition");
    expect(en.body.detail).toBe(
      `"${exec.name}" holds this sub-task (status assigned); only pending sub-tasks can be claimed`,
    );
    expect(zh.body.detail).toContain(`"${exec.name}"`);
    expect(zh.body.hint).toContain("`node task-cli.mjs st available`");
  });

  it("validation: a missing field and a string over its maximum, per zod issue", async () => {
    const [missingEn, missingZh] = await inBothProjects(() =>
      call("POST", "/api/tasks", { key: planner.key, body: { description: "d" } }),
    );
    expectTwins(missingEn, missingZh, 400, "invalid_input");
    expect(missingEn.body.detail).toBe("name: Invalid input: expected string, received undefined");
    expect(missingZh.body.detail).toMatch(/^name：缺少/);
    expect(missingZh.body.hint).toContain("`node task-cli.mjs help task create`");

    const long = "x".repeat(201);
    const [longEn, longZh] = await inBothProjects(() =>
      call("POST", "/api/tasks", { key: planner.key, body: { name: long, description: "d" } }),
    );
    expectTwins(longEn, longZh, 400, "invalid_input");
    expect(longEn.body.detail).toBe("name: Too big: expected string to have <=200 characters");
    expect(longZh.body.detail).toBe("name：最多 200 个字符");
  });

  it("validation: a refused character keeps its own code and names the code point", async () => {
    const [en, zh] = await inBothProjects(() =>
      call("POST", "/api/tasks", { key: planner.key, body: { name: "a\u200bb", description: "d" } }),
    );
    expectTwins(en, zh, 400, "invalid_name");
    expect(en.body.detail).toBe("name: U+200B is not allowed: names and ids are one line of visible characters");
    expect(zh.body.detail).toMatch(/^name：不允许 U\+200B/);
  });

  it("an admin API error and an unauthenticated one follow Accept-Language", async () => {
    const update = (headers: Record<string, string>) =>
      call("PUT", `/api/admin/agents/${exec.id}`, { admin: adminToken, body: {}, headers });
    expectTwins(await update({}), await update(ZH), 400, "nothing_to_update");
    const login = (headers: Record<string, string>) =>
      call("POST", "/api/admin/login", { body: { password: "not the password" }, headers });
    const en = await login({});
    const zh = await login(ZH);
    expectTwins(en, zh, 403, "wrong_password");
    expect(zh.body.detail).toBe("密码错误");
  });

  it("limits: the per-call score cap and the daily quota (429, Retry-After in both)", async () => {
    const adjust = (delta: number) =>
      call("POST", "/api/scores/adjust", {
        key: planner.key,
        body: { agent_id: exec.id, score_delta: delta, reason: "i18n" },
      });
    const [capEn, capZh] = await inBothProjects(() => adjust(11));
    expectTwins(capEn, capZh, 400, "adjustment_too_large");
    expect(capZh.body.detail).toContain("score.adjust_max_per_call");

    await setSetting("score.adjust_max_per_day", 10);
    expect((await adjust(10)).status).toBe(200);
    const [quotaEn, quotaZh] = await inBothProjects(() => adjust(1));
    expectTwins(quotaEn, quotaZh, 429, "adjustment_quota_exceeded");
    expect(quotaZh.headers.get("retry-after")).toBe(quotaEn.headers.get("retry-after"));
  });
});

describe("the message catalogue's area files", () => {
  it("define each key once across areas", () => {
    const areas = { core, validation, tasks, subTasks, reviews, agents, records, admin, setup, answers };
    const owners = new Map<string, string[]>();
    for (const [area, messages] of Object.entries(areas))
      for (const key of Object.keys(messages)) owners.set(key, [...(owners.get(key) ?? []), area]);
    const twice = [...owners].filter(([, inAreas]) => inAreas.length > 1);
    expect(twice).toEqual([]);
    expect(owners.size).toBeGreaterThan(100);
  });
});
