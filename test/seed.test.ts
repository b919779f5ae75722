// What setup seeds (the global rule, the role templates, the example agent prompts), and that an
// admin's later edits are never overwritten.
import { describe, expect, it } from "vitest";
import backendPrompt from "../prompts/agents/executor-backend.md";
import devopsPrompt from "../prompts/agents/executor-devops.md";
import frontendPrompt from "../prompts/agents/executor-frontend.md";
import researcherPrompt from "../prompts/agents/executor-researcher.md";
import testerPrompt from "../prompts/agents/executor-tester.md";
import executorTemplate from "../prompts/templates/executor.md";
import patrolTemplate from "../prompts/templates/patrol.md";
import plannerTemplate from "../prompts/templates/planner.md";
import reviewerTemplate from "../prompts/templates/reviewer.md";
import globalRule from "../rules/global-rule.md";
import { call, env, initialize, SETUP_TOKEN } from "./helpers";

const P = "/api/admin/prompts";
const TEMPLATES: Record<string, string> = {
  executor: executorTemplate,
  patrol: patrolTemplate,
  planner: plannerTemplate,
  reviewer: reviewerTemplate,
};
const PROMPT_FILES: Record<string, string> = {
  "executor-backend": backendPrompt,
  "executor-devops": devopsPrompt,
  "executor-frontend": frontendPrompt,
  "executor-researcher": researcherPrompt,
  "executor-tester": testerPrompt,
};

/** name and role from a prompt file's frontmatter, and its body. */
function promptFile(text: string) {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(text);
  expect(match, "prompt files start with frontmatter").not.toBeNull();
  const field = (k: string) =>
    new RegExp(`^${k}:\\s*(.*)$`, "m")
      .exec(match![1]!)?.[1]
      ?.trim()
      .replace(/^(["'])(.*)\1$/, "$2");
  return {
    name: field("name"),
    role: field("role"),
    description: field("description") ?? "",
    body: text.slice(match![0].length).trim(),
  };
}

const fill = (text: string) =>
  text.replaceAll("{{project_name}}", "Test Project").replaceAll("{{workspace_root}}", "/ws");
const count = async (table: string) =>
  (await env.DB.prepare(`select count(*) n from ${table}`).first<{ n: number }>())!.n;

const initializeAgain = () =>
  call("POST", "/api/setup/initialize", {
    headers: { "x-setup-token": SETUP_TOKEN },
    body: { admin_password: "another password", project_name: "Other", workspace_root: "/other" },
  });

describe("setup seeds the shipped defaults", () => {
  it("the global rule, four role templates and five example executor prompts, exactly as shipped", async () => {
    const admin = await initialize();

    const rules = (await call("GET", "/api/rules/list", { admin })).body;
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ scope: "global", task_id: null, sub_task_id: null, content: globalRule });
    expect(globalRule).toContain("{{project_name}}");

    const templates = await call("GET", `${P}/templates`, { admin });
    expect(templates.status).toBe(200);
    expect(templates.body.map((t: { role: string }) => t.role)).toEqual(["executor", "patrol", "planner", "reviewer"]);
    for (const t of templates.body) {
      expect(t.content, t.role).toBe(TEMPLATES[t.role]);
      expect(t.filename).toBe(`${t.role}.md`);
    }

    const prompts = await call("GET", `${P}/agents`, { admin });
    expect(prompts.status).toBe(200);
    expect(prompts.body.map((p: { slug: string }) => p.slug)).toEqual(Object.keys(PROMPT_FILES).sort());
    for (const meta of prompts.body) {
      const file = promptFile(PROMPT_FILES[meta.slug]!);
      expect(meta, meta.slug).toMatchObject({
        role: "executor",
        example: true,
        status: "ok",
        name: file.name,
        description: file.description,
      });
      expect(file.role).toBe("executor");
      const full = (await call("GET", `${P}/agents/${meta.slug}`, { admin })).body;
      expect(full.content.trim()).toBe(file.body);
      expect(full.content).not.toMatch(/^---/);
    }
  });

  it("compose of executor-backend = the executor template, the specialisation, then the platform section; no token", async () => {
    const admin = await initialize();
    const res = await call("GET", `${P}/compose/executor-backend`, { admin });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ slug: "executor-backend", role: "executor" });
    const prompt: string = res.body.standing_prompt;
    const template = fill(executorTemplate.trim());
    const specialisation = fill(promptFile(backendPrompt).body);
    const platform = prompt.indexOf("## 🔧 Platform: every run");
    expect(prompt.startsWith(template)).toBe(true);
    expect(prompt.indexOf(specialisation)).toBeGreaterThan(template.length - 1);
    expect(platform).toBeGreaterThan(prompt.indexOf(specialisation) + specialisation.length - 1);
    expect(prompt).not.toContain("{{project_name}}");
    expect(prompt).not.toContain("{{workspace_root}}");
    expect(prompt.slice(platform)).toContain("node task-cli.mjs briefing");
    const enrollment: string = res.body.enrollment_prompt;
    for (const needle of [
      "task-cli.mjs",
      "/api/agents/register",
      "/api/agents/me/skill-bundle",
      "OPENMOSS-AGENT.env",
      "node task-cli.mjs briefing",
      "http://openmoss.test",
    ]) {
      expect(enrollment, needle).toContain(needle);
    }
    expect(JSON.stringify(res.body)).not.toContain("reg-token-for-tests");
    expect(res.body.variables).toEqual(expect.arrayContaining([{ name: "project_name", value: "Test Project" }]));
  });

  it("nothing is seeded when setup is refused", async () => {
    const bad = await call("POST", "/api/setup/initialize", {
      headers: { "x-setup-token": "wrong" },
      body: { admin_password: "correct horse battery", project_name: "P", workspace_root: "/ws" },
    });
    expect(bad.status).toBe(403);
    for (const table of ["rule", "prompt_template", "agent_prompt"]) expect(await count(table), table).toBe(0);
  });

  it("rows already present are kept, not overwritten", async () => {
    const at = "2026-01-01T00:00:00.000Z";
    await env.DB.batch([
      env.DB.prepare(
        "insert into prompt_template (role, content, updated_at) values ('executor', 'pre-existing executor template', ?)",
      ).bind(at),
      env.DB.prepare(
        "insert into agent_prompt (slug, name, role, description, content, example, created_at, updated_at) values ('executor-backend', 'Mine', 'executor', '', 'my backend prompt', 0, ?, ?)",
      ).bind(at, at),
      env.DB.prepare(
        "insert into rule (id, scope, content, created_at, updated_at) values ('pre-global', 'global', 'pre-existing global rule', ?, ?)",
      ).bind(at, at),
    ]);
    const admin = await initialize();
    expect((await call("GET", `${P}/templates/executor`, { admin })).body.content).toBe(
      "pre-existing executor template",
    );
    expect((await call("GET", `${P}/templates/planner`, { admin })).body.content).toBe(plannerTemplate);
    const backend = (await call("GET", `${P}/agents/executor-backend`, { admin })).body;
    expect(backend).toMatchObject({ name: "Mine", content: "my backend prompt", example: false });
    expect(await count("agent_prompt")).toBe(5);
    const rules = (await call("GET", "/api/rules/list", { admin })).body;
    expect(rules.map((r: { id: string; content: string }) => [r.id, r.content])).toEqual([
      ["pre-global", "pre-existing global rule"],
    ]);
  });

  it("an admin's edits survive: a second setup is refused (409) and re-seeds nothing", async () => {
    const admin = await initialize();
    expect(
      (await call("PUT", `${P}/templates/executor`, { admin, body: { content: "Edited executor template" } })).status,
    ).toBe(200);
    expect(
      (await call("PUT", `${P}/agents/executor-tester`, { admin, body: { content: "Edited tester", example: false } }))
        .status,
    ).toBe(200);
    expect((await call("DELETE", `${P}/agents/executor-devops`, { admin })).status).toBe(200);
    const [global] = (await call("GET", "/api/rules/list", { admin, query: { scope: "global" } })).body;
    expect(
      (await call("PUT", `/api/rules/${global.id}`, { admin, body: { content: "Edited global rule" } })).status,
    ).toBe(200);

    const again = await initializeAgain();
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("already_initialized");

    expect((await call("GET", `${P}/templates/executor`, { admin })).body.content).toBe("Edited executor template");
    expect((await call("GET", `${P}/agents/executor-tester`, { admin })).body).toMatchObject({
      content: "Edited tester",
      example: false,
    });
    expect((await call("GET", `${P}/agents/executor-devops`, { admin })).status).toBe(404);
    expect(await count("agent_prompt")).toBe(4);
    expect(await count("prompt_template")).toBe(4);
    const rules = (await call("GET", "/api/rules/list", { admin })).body;
    expect(rules.map((r: { content: string }) => r.content)).toEqual(["Edited global rule"]);
    // The compose uses the edited template.
    const composed = (await call("GET", `${P}/compose/executor-backend`, { admin })).body.prompt;
    expect(composed.startsWith("Edited executor template")).toBe(true);
    expect(composed).not.toContain(fill(executorTemplate.trim()));
  });
});
