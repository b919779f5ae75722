// The language of what the server says (docs/i18n.md): Accept-Language first, then the project's
// language once the agent's key reveals it, else English; `Content-Language` names it; machine fields
// (`code`, the JSON keys) never change. The texts themselves are covered area by area.
import { beforeEach, describe, expect, it } from "vitest";
import { call, env, initialize, register, type TestAgent } from "./helpers";

const setProjectLanguage = (lang: string) =>
  env.DB.prepare("insert or replace into setting (key, value, updated_at) values ('project.language', ?, ?)")
    .bind(JSON.stringify(lang), new Date().toISOString())
    .run();

/** A refusal every agent can provoke: an executor asking for the planner's task creation. */
const refused = (exec: TestAgent, headers: Record<string, string> = {}) =>
  call("POST", "/api/tasks", { key: exec.key, headers, body: { name: "x", description: "y" } });

const CJK = /[\u4e00-\u9fff]/;

describe("the language of a response", () => {
  let exec: TestAgent;
  beforeEach(async () => {
    await initialize();
    exec = await register("executor");
  });

  it("is English by default, and says so", async () => {
    const res = await refused(exec);
    expect(res.status).toBe(403);
    expect(res.headers.get("content-language")).toBe("en");
    expect(res.body.detail).toBe("this operation is limited to the planner role; your role is executor");
    expect(res.body.hint).toMatch(/^Leave this command to an agent of the role named in detail/);
  });

  it("follows the project's language for an agent, with the same code and keys, at no extra D1 query", async () => {
    const english = await refused(exec);
    await setProjectLanguage("zh-CN");
    const chinese = await refused(exec);
    expect(chinese.status).toBe(403);
    expect(chinese.headers.get("content-language")).toBe("zh-CN");
    expect(chinese.body.detail).toBe("该操作仅限 planner 角色，你的角色是 executor");
    expect(chinese.body.hint).toMatch(CJK);
    expect(chinese.body.hint).toContain("`node task-cli.mjs briefing`");
    expect(chinese.body.code).toBe(english.body.code);
    expect(Object.keys(chinese.body).sort()).toEqual(Object.keys(english.body).sort());
    expect(chinese.headers.get("x-d1-queries")).toBe(english.headers.get("x-d1-queries"));
  });

  it("follows Accept-Language over the project's language, in both directions", async () => {
    await setProjectLanguage("zh-CN");
    const en = await refused(exec, { "accept-language": "en-US,en;q=0.9" });
    expect(en.headers.get("content-language")).toBe("en");
    expect(en.body.detail).toMatch(/^this operation is limited/);
    await setProjectLanguage("en");
    const zh = await refused(exec, { "accept-language": "zh-CN,zh;q=0.9,en;q=0.8" });
    expect(zh.headers.get("content-language")).toBe("zh-CN");
    expect(zh.body.detail).toMatch(CJK);
  });

  it("takes a wildcard or an unknown language as no preference", async () => {
    await setProjectLanguage("zh-CN");
    for (const header of ["*", "fr-FR, de;q=0.5", "en;q=0, *"]) {
      const res = await refused(exec, { "accept-language": header });
      expect(res.headers.get("content-language"), header).toBe("zh-CN");
    }
  });

  it("answers errors raised before any key is read in the asked language, else English", async () => {
    await setProjectLanguage("zh-CN");
    const plain = await call("GET", "/api/no-such-thing");
    expect(plain.status).toBe(404);
    expect(plain.headers.get("content-language")).toBe("en");
    expect(plain.body.detail).toBe("no such endpoint");
    const asked = await call("GET", "/api/no-such-thing", { headers: { "accept-language": "zh" } });
    expect(asked.body).toMatchObject({ code: "not_found", detail: "没有这个接口" });
    expect(asked.body.hint).toMatch(CJK);
    const noKey = await call("GET", "/api/sub-tasks/mine", { headers: { "accept-language": "zh-Hans-CN" } });
    expect(noKey.status).toBe(401);
    expect(noKey.body.detail).toMatch(CJK);
    // A header value is ASCII only: the challenge stays English.
    expect(noKey.headers.get("www-authenticate")).toBe('Bearer realm="OpenMOSS"');
  });

  it("words a success message in the reader's language too", async () => {
    const english = await call("POST", "/api/agents/me/heartbeat", { key: exec.key });
    expect(english.body.message).toBe("heartbeat recorded");
    await setProjectLanguage("zh-CN");
    const chinese = await call("POST", "/api/agents/me/heartbeat", { key: exec.key });
    expect(chinese.body.message).toBe("心跳已记录");
    expect(Object.keys(chinese.body).sort()).toEqual(Object.keys(english.body).sort());
  });

  it("keeps a stored value it does not know from breaking anything", async () => {
    await setProjectLanguage("klingon");
    const res = await refused(exec);
    expect(res.status).toBe(403);
    expect(res.headers.get("content-language")).toBe("en");
  });
});
