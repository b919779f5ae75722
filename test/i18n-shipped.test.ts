// A project's language, chosen at setup (issue 17): the global rule, role templates and example prompts
// are seeded in it, and agents download SKILL.md and the CLI in it. Changing the setting later never
// rewrites stored texts. Machine parts (`code`, JSON keys, file names) are the same in both languages.
import { exports } from "cloudflare:workers";
import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { SHIPPED_AGENT_PROMPTS, SHIPPED_GLOBAL_RULE, SHIPPED_TEMPLATES } from "../worker/domain/shipped-prompts";
import { SKILL_TEMPLATES } from "../worker/domain/skills";
import {
  ADMIN_PASSWORD,
  ALL_ROLES,
  call,
  env,
  FIXTURE_REGISTRATIONS_PER_HOUR,
  login,
  REGISTRATION_TOKEN,
  register,
  SETUP_TOKEN,
} from "./helpers";

const CJK = /[\u4e00-\u9fff]/;
const P = "/api/admin/prompts";

const setupBody = (language?: string) => ({
  admin_password: ADMIN_PASSWORD,
  project_name: "Test Project",
  workspace_root: "/ws",
  registration_token: REGISTRATION_TOKEN,
  registration_roles: ALL_ROLES,
  ...(language === undefined ? {} : { language }),
});

/** The setup wizard with a language (undefined: the field left out), then the admin's login. */
async function initializeIn(language?: "en" | "zh-CN"): Promise<string> {
  const res = await call("POST", "/api/setup/initialize", {
    headers: { "x-setup-token": SETUP_TOKEN },
    body: setupBody(language),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  await env.DB.prepare(
    "insert or replace into setting (key, value, updated_at) values ('agent.registrations_per_hour', ?, ?)",
  )
    .bind(JSON.stringify(FIXTURE_REGISTRATIONS_PER_HOUR), new Date().toISOString())
    .run();
  return login();
}

/** Everything seeded and downloaded, as an admin and an executor see it. */
async function handedOut(admin: string, headers: Record<string, string> = {}) {
  const exec = await register("executor");
  const skill = await call("GET", "/api/agents/me/skill", { key: exec.key, headers });
  const bundle = await skillBundle(exec.key, headers);
  const cli = await call("GET", "/api/tools/cli", { key: exec.key, headers });
  const [rule] = (await call("GET", "/api/rules/list", { admin, query: { scope: "global" } })).body;
  const templates = (await call("GET", `${P}/templates`, { admin })).body as { role: string; content: string }[];
  const examples = (await call("GET", `${P}/agents`, { admin })).body as { slug: string; name: string }[];
  const backend = (await call("GET", `${P}/agents/executor-backend`, { admin })).body;
  return { exec, skill, bundle, cli, rule, templates, examples, backend };
}

/** The files of the caller's skill bundle (a zip, which call() would read as text). */
async function skillBundle(key: string, headers: Record<string, string>) {
  const url = new URL("/api/agents/me/skill-bundle", "http://openmoss.test");
  const res = await exports.default.fetch(
    new Request(url, { headers: { authorization: `Bearer ${key}`, ...headers } }),
  );
  return unzipSync(new Uint8Array(await res.arrayBuffer()));
}

/** A SKILL.md as the server fills it for this test's project, agent and address. */
const rendered = (template: string, agent: { name: string; key: string }) =>
  template
    .replaceAll("{{project_name}}", "Test Project")
    .replaceAll("{{agent_name}}", agent.name)
    .replaceAll("{{api_key}}", agent.key)
    .replaceAll("{{base_url}}", "http://openmoss.test");

describe("the project language chosen at setup", () => {
  it("zh-CN: Chinese global rule, templates, example prompts, SKILL.md (still named SKILL.md) and a CLI baked zh-CN", async () => {
    const admin = await initializeIn("zh-CN");
    expect((await call("GET", "/api/admin/config", { admin })).body.project.language).toBe("zh-CN");
    const got = await handedOut(admin);

    expect(got.rule.content).toBe(SHIPPED_GLOBAL_RULE["zh-CN"]);
    for (const t of got.templates) expect(t.content, t.role).toBe(SHIPPED_TEMPLATES["zh-CN"][t.role as "executor"]);
    const zhBackend = SHIPPED_AGENT_PROMPTS["zh-CN"].find((p) => p.slug === "executor-backend")!;
    expect(got.backend).toMatchObject({ name: zhBackend.name, description: zhBackend.description });
    expect(got.backend.content).toBe(zhBackend.content);
    expect(got.examples.map((e) => e.slug).sort()).toEqual(SHIPPED_AGENT_PROMPTS.en.map((p) => p.slug).sort());

    expect(got.skill.status).toBe(200);
    expect(got.skill.headers.get("content-language")).toBe("zh-CN");
    expect(got.skill.headers.get("content-disposition")).toContain('filename="SKILL.md"');
    expect(got.skill.body).toMatch(CJK);
    expect(got.skill.body.startsWith("---\nname: task-executor-skill\n")).toBe(true);
    expect(got.skill.body).toBe(rendered(SKILL_TEMPLATES["zh-CN"].executor, got.exec));
    expect(strFromU8(got.bundle["task-executor-skill/SKILL.md"]!)).toBe(got.skill.body);

    expect(got.cli.body).toContain('"zh-CN"');
    expect(got.cli.body).not.toContain("__OPENMOSS_LANG__");
    expect(got.cli.body).not.toContain("__OPENMOSS_BASE_URL__");
  });

  it("en (the field left out): English everywhere, and a CLI baked en", async () => {
    const admin = await initializeIn();
    expect((await call("GET", "/api/admin/config", { admin })).body.project.language).toBe("en");
    const got = await handedOut(admin);
    expect(got.rule.content).toBe(SHIPPED_GLOBAL_RULE.en);
    for (const t of got.templates) expect(t.content, t.role).toBe(SHIPPED_TEMPLATES.en[t.role as "executor"]);
    expect(got.backend.name).toBe(SHIPPED_AGENT_PROMPTS.en.find((p) => p.slug === "executor-backend")!.name);
    expect(got.skill.headers.get("content-language")).toBe("en");
    expect(got.skill.body).not.toMatch(CJK);
    expect(got.skill.body).toBe(rendered(SKILL_TEMPLATES.en.executor, got.exec));
    expect(got.cli.body).toContain('"en"');
    expect(got.cli.body).not.toContain("__OPENMOSS_LANG__");
  });

  it("an agent that asks for English gets the English SKILL.md in a zh-CN project; the CLI keeps the project's language", async () => {
    const admin = await initializeIn("zh-CN");
    const got = await handedOut(admin, { "accept-language": "en" });
    expect(got.skill.headers.get("content-language")).toBe("en");
    expect(got.skill.body).not.toMatch(CJK);
    expect(strFromU8(got.bundle["task-executor-skill/SKILL.md"]!)).not.toMatch(CJK);
    expect(got.cli.body).toContain('"zh-CN"');
  });

  it("setup refuses another language with 400 invalid_input, the same code and keys in both languages", async () => {
    const answers = [];
    for (const lang of ["en", "zh-CN"]) {
      const res = await call("POST", "/api/setup/initialize", {
        headers: { "x-setup-token": SETUP_TOKEN, "accept-language": lang },
        body: setupBody("fr"),
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("invalid_input");
      answers.push(res.body);
    }
    expect(Object.keys(answers[1]).sort()).toEqual(Object.keys(answers[0]).sort());
    expect(answers[1].detail).toMatch(CJK);
    expect((await call("GET", "/api/setup/status")).body.initialized).toBe(false);
  });
});

describe("changing project.language in the settings", () => {
  it("changes what agents download but never the stored texts; another value is 400 invalid_input", async () => {
    const admin = await initializeIn("en");
    const put = await call("PUT", "/api/admin/config", { admin, body: { project: { language: "zh-CN" } } });
    expect(put.status).toBe(200);
    expect(put.body.updated_keys).toEqual(["project.language"]);
    const config = await call("GET", "/api/admin/config", { admin });
    expect(config.body.project).toEqual({ name: "Test Project", language: "zh-CN" });
    // The admin's own answers follow the project unless the dashboard asks (it always sends its language).
    expect(config.headers.get("content-language")).toBe("zh-CN");

    const got = await handedOut(admin);
    expect(got.skill.body).toMatch(CJK);
    expect(got.rule.content).toBe(SHIPPED_GLOBAL_RULE.en);
    for (const t of got.templates) expect(t.content, t.role).toBe(SHIPPED_TEMPLATES.en[t.role as "executor"]);

    const bad = [];
    for (const lang of ["en", "zh-CN"]) {
      const res = await call("PUT", "/api/admin/config", {
        admin,
        headers: { "accept-language": lang },
        body: { project: { language: "zh-TW" } },
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("invalid_input");
      bad.push(res.body);
    }
    expect(Object.keys(bad[1]).sort()).toEqual(Object.keys(bad[0]).sort());
    expect((await call("GET", "/api/admin/config", { admin })).body.project.language).toBe("zh-CN");
  });
});

describe("the setup and prompt errors in Chinese", () => {
  it("a second setup of a zh-CN project is refused in Chinese; a missing template in the reader's language; same codes and keys", async () => {
    const admin = await initializeIn("zh-CN");
    const again = await call("POST", "/api/setup/initialize", {
      headers: { "x-setup-token": SETUP_TOKEN },
      body: setupBody("en"),
    });
    expect([again.status, again.body.code]).toEqual([409, "already_initialized"]);
    expect(again.headers.get("content-language")).toBe("zh-CN");
    expect(again.body.detail).toMatch(CJK);

    const missing = async (lang: string) =>
      call("GET", `${P}/templates/bogus`, { admin, headers: { "accept-language": lang } });
    const [en, zh] = [await missing("en"), await missing("zh-CN")];
    expect(en.body).toMatchObject({ code: "template_not_found", detail: "no template named bogus" });
    expect(zh.status).toBe(404);
    expect(zh.body.code).toBe(en.body.code);
    expect(zh.body.detail).toMatch(CJK);
    expect(zh.body.detail).toContain("bogus");
    expect(zh.body.hint).toContain("GET /api/admin/prompts/templates");
    expect(Object.keys(zh.body).sort()).toEqual(Object.keys(en.body).sort());
  });
});
