// Switching an existing install's shipped texts to another language (issue 17): the dry run changes
// nothing, "unedited" keeps every row an admin changed, "all" replaces every shipped row still there,
// deleted rows stay deleted, and an admin's edit racing a switch is never silently overwritten.
import { describe, expect, it } from "vitest";
import { getDb } from "../worker/db/client";
import { applySwitch, readShippedRows } from "../worker/db/shipped-texts";
import { SHIPPED_AGENT_PROMPTS, SHIPPED_GLOBAL_RULE, SHIPPED_TEMPLATES } from "../worker/domain/shipped-prompts";
import { planSwitch } from "../worker/domain/shipped-texts";
import { call, env, initialize, register } from "./helpers";
import { expectInvariants } from "./invariants";

const S = "/api/admin/shipped-texts";
const P = "/api/admin/prompts";
const CJK = /[\u4e00-\u9fff]/;

const outcomes = (body: { items: { kind: string; key: string; outcome: string }[] }) =>
  Object.fromEntries(body.items.map((i) => [`${i.kind}:${i.key}`, i.outcome]));
const template = async (admin: string, role: string) =>
  (await call("GET", `${P}/templates/${role}`, { admin })).body.content as string;
const globalRule = async (admin: string) =>
  (await call("GET", "/api/rules/list", { admin, query: { scope: "global" } })).body[0] as {
    id: string;
    content: string;
  };
const auditRows = async () =>
  (await env.DB.prepare("select detail from audit_log where action = 'shipped_texts.switch'").all()).results;

describe("switching shipped texts", () => {
  it("the dry run lists every shipped row and writes nothing", async () => {
    const admin = await initialize();
    const res = await call("GET", S, { admin, query: { language: "zh-CN" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ language: "zh-CN", mode: "unedited", applied: false });
    expect(res.body.items).toHaveLength(1 + 4 + SHIPPED_AGENT_PROMPTS.en.length);
    expect(new Set(Object.values(outcomes(res.body)))).toEqual(new Set(["replace"]));
    const backend = res.body.items.find((i: { key: string }) => i.key === "executor-backend");
    expect(backend.name).toBe(SHIPPED_AGENT_PROMPTS["zh-CN"].find((p) => p.slug === "executor-backend")!.name);
    expect(await template(admin, "planner")).toBe(SHIPPED_TEMPLATES.en.planner);
    expect(await auditRows()).toHaveLength(0);
  });

  it("unedited: replaces untouched rows (CRLF and trailing spaces aside), keeps edited ones, never recreates deleted ones", async () => {
    const admin = await initialize();
    const planner = await register("planner");
    const revision = async () =>
      (await call("GET", "/api/agents/me/briefing", { key: planner.key, query: { full: "true" } })).body.rules.revision;
    const before = await revision();
    await call("PUT", `${P}/templates/executor`, { admin, body: { content: "Our own executor template" } });
    await env.DB.prepare("update prompt_template set content = ? where role = 'reviewer'")
      .bind(`${SHIPPED_TEMPLATES.en.reviewer.replaceAll("\n", "  \r\n")}\n\n`)
      .run();
    expect((await call("DELETE", `${P}/agents/executor-devops`, { admin })).status).toBe(200);

    const res = await call("POST", S, { admin, body: { language: "zh-CN", mode: "unedited" } });
    expect(res.status).toBe(200);
    expect(res.body.applied).toBe(true);
    const got = outcomes(res.body);
    expect(got).toMatchObject({
      "global_rule:global": "replace",
      "template:executor": "keep_edited",
      "template:reviewer": "replace",
      "example_prompt:executor-devops": "missing",
      "example_prompt:executor-backend": "replace",
    });
    expect(await template(admin, "executor")).toBe("Our own executor template");
    expect(await template(admin, "reviewer")).toBe(SHIPPED_TEMPLATES["zh-CN"].reviewer);
    expect((await globalRule(admin)).content).toBe(SHIPPED_GLOBAL_RULE["zh-CN"]);
    const backend = (await call("GET", `${P}/agents/executor-backend`, { admin })).body;
    expect(backend.name).toMatch(CJK);
    expect(backend.content).toBe(SHIPPED_AGENT_PROMPTS["zh-CN"].find((p) => p.slug === "executor-backend")!.content);
    expect((await call("GET", `${P}/agents/executor-devops`, { admin })).status).toBe(404);
    // The briefing resends the rules: the global rule's change is a new revision, as an edit is.
    expect(await revision()).not.toBe(before);
    expect(await auditRows()).toHaveLength(1);

    const again = await call("POST", S, { admin, body: { language: "zh-CN" } });
    expect(outcomes(again.body)).toMatchObject({
      "global_rule:global": "same",
      "template:executor": "keep_edited",
      "example_prompt:executor-devops": "missing",
    });
    await expectInvariants({ admin });
  });

  it("all: replaces edited rows too, and switches back to English", async () => {
    const admin = await initialize();
    await call("PUT", `${P}/templates/executor`, { admin, body: { content: "Our own executor template" } });
    const res = await call("POST", S, { admin, body: { language: "zh-CN", mode: "all" } });
    expect(outcomes(res.body)["template:executor"]).toBe("replace");
    expect(await template(admin, "executor")).toBe(SHIPPED_TEMPLATES["zh-CN"].executor);
    const back = await call("POST", S, { admin, body: { language: "en", mode: "unedited" } });
    expect(new Set(Object.values(outcomes(back.body)))).toEqual(new Set(["replace"]));
    expect(await template(admin, "executor")).toBe(SHIPPED_TEMPLATES.en.executor);
    expect((await globalRule(admin)).content).toBe(SHIPPED_GLOBAL_RULE.en);
  });

  it("refuses another language or mode with 400 invalid_input, and needs an admin", async () => {
    const admin = await initialize();
    for (const query of [{ language: "fr" }, { language: "zh-CN", mode: "some" }, {}]) {
      const res = await call("GET", S, { admin, query });
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.code).toBe("invalid_input");
    }
    const zh = await call("POST", S, { admin, headers: { "accept-language": "zh-CN" }, body: { language: "de" } });
    const en = await call("POST", S, { admin, headers: { "accept-language": "en" }, body: { language: "de" } });
    expect([zh.status, zh.body.code]).toEqual([400, "invalid_input"]);
    expect(Object.keys(zh.body).sort()).toEqual(Object.keys(en.body).sort());
    const agent = await register("planner");
    expect((await call("POST", S, { key: agent.key, body: { language: "zh-CN" } })).status).toBe(401);
    expect(await auditRows()).toHaveLength(0);
  });
});

describe("a switch racing an admin's edit of the same row", () => {
  it("an edit between the plan and the write fails the whole switch: nothing written, the edit kept", async () => {
    const admin = await initialize();
    const db = getDb(env.DB);
    const plan = planSwitch("zh-CN", "unedited", await readShippedRows(db));
    expect(plan.find((p) => p.key === "executor")!.outcome).toBe("replace");
    await call("PUT", `${P}/templates/executor`, { admin, body: { content: "Edited meanwhile" } });
    const rule = await globalRule(admin);
    await call("PUT", `/api/rules/${rule.id}`, { admin, body: { content: "Rule edited meanwhile" } });

    expect(await applySwitch(db, plan, new Date().toISOString(), () => [])).toBe(false);
    expect(await template(admin, "executor")).toBe("Edited meanwhile");
    expect((await globalRule(admin)).content).toBe("Rule edited meanwhile");
    expect(await template(admin, "planner")).toBe(SHIPPED_TEMPLATES.en.planner);
    await expectInvariants({ admin });
  });

  it("concurrent requests: whatever the order, the edit is what stays stored (409 concurrent_update at worst)", async () => {
    const admin = await initialize();
    for (let round = 0; round < 6; round++) {
      const edited = `Edited in round ${round}`;
      const language = round % 2 === 0 ? "zh-CN" : "en";
      // Start from unedited shipped rows each round, so the switch has the template to replace.
      await call("POST", S, { admin, body: { language: language === "en" ? "zh-CN" : "en", mode: "all" } });
      const [switched, edit] = await Promise.all([
        call("POST", S, { admin, body: { language, mode: "unedited" } }),
        call("PUT", `${P}/templates/executor`, { admin, body: { content: edited } }),
      ]);
      expect(edit.status).toBe(200);
      expect([200, 409]).toContain(switched.status);
      if (switched.status === 409) expect(switched.body.code).toBe("concurrent_update");
      expect(await template(admin, "executor"), `round ${round}`).toBe(edited);
    }
    await expectInvariants({ admin });
  });
});
