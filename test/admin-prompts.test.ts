import { describe, expect, it } from "vitest";
import {
  composeStandingPrompt,
  ENROLLMENT_MARKER,
  enrollmentPrompt,
  findPlaceholders,
  fullSlug,
  promptStatus,
  SECTION_SEPARATOR,
  STANDING_MARKER,
  shellQuote,
  slugForRole,
  slugProblem,
  standingSection,
  TOKEN_PLACEHOLDER,
  withoutSecret,
} from "../worker/domain/prompts";
import { call, env, initialize, REGISTRATION_TOKEN } from "./helpers";

const P = "/api/admin/prompts";

async function auditRows(): Promise<
  { action: string; target_type: string; target_id: string | null; detail: string }[]
> {
  return (
    await env.DB.prepare("select action, target_type, target_id, detail from audit_log order by rowid").all<never>()
  ).results;
}

/** Setup seeds the shipped prompts (test/seed.test.ts covers that); these tests start from an empty store. */
async function initializeWithoutShippedPrompts(): Promise<string> {
  const admin = await initialize();
  await env.DB.batch([env.DB.prepare("delete from prompt_template"), env.DB.prepare("delete from agent_prompt")]);
  return admin;
}

const createBody = (over: Record<string, unknown> = {}) => ({
  slug: "backend",
  name: "Backend engineer",
  role: "executor",
  description: "APIs and data",
  content: "You build APIs.",
  ...over,
});

describe("prompt composition (pure)", () => {
  it("prefixes slugs with their role once and validates them", () => {
    expect(fullSlug("executor", "backend")).toBe("executor-backend");
    expect(fullSlug("executor", "executor-backend")).toBe("executor-backend");
    expect(fullSlug("planner", "executor-x")).toBe("planner-executor-x");
    expect(slugProblem("executor-backend")).toBeNull();
    expect(slugProblem("executor-Back end")).toMatch(/must match/);
    expect(slugProblem("-x")).toMatch(/must match/);
    expect(slugProblem(`executor-${"a".repeat(71)}`)).toBeNull();
    expect(slugProblem(`executor-${"a".repeat(72)}`)).toMatch(/at most 80/);
  });

  it("renames on a role change and reports a missing prefix", () => {
    expect(slugForRole("executor-backend", "reviewer")).toBe("reviewer-backend");
    expect(slugForRole("reviewer-backend", "reviewer")).toBe("reviewer-backend");
    expect(slugForRole("backend", "planner")).toBe("planner-backend");
    expect(promptStatus("executor-x", "executor")).toBe("ok");
    expect(promptStatus("x", "executor")).toBe("rename_suggested");
  });

  it("quotes shell words so any value is pasted literally", () => {
    expect(shellQuote("a b")).toBe("'a b'");
    expect(shellQuote("it's $(x)")).toBe(`'it'\\''s $(x)'`);
  });

  it("joins template, body and the platform section; fills known variables in one pass and lists them all", () => {
    const { prompt, variables } = composeStandingPrompt({
      template: "  Role: {{project_name}} {{unknown}}\n",
      body: "\nWork in {{workspace_root}}; again {{project_name}}.\n",
      standing: `${STANDING_MARKER}\nrun`,
      values: { workspace_root: "/ws/$&", project_name: "项目 {{workspace_root}} 🚀" },
    });
    expect(prompt).toBe(
      [
        "Role: 项目 {{workspace_root}} 🚀 {{unknown}}",
        "Work in /ws/$&; again 项目 {{workspace_root}} 🚀.",
        `${STANDING_MARKER}\nrun`,
      ].join(SECTION_SEPARATOR),
    );
    expect(variables).toEqual([
      { name: "project_name", value: "项目 {{workspace_root}} 🚀" },
      { name: "unknown", value: null },
      { name: "workspace_root", value: "/ws/$&" },
    ]);
  });

  it("leaves out a missing or blank template, a template the body already holds, a second platform section and an old onboarding section", () => {
    const values = {};
    const compose = (template: string | null, body: string) =>
      composeStandingPrompt({ template, body, standing: "S", values }).prompt;
    expect(compose(null, "B")).toBe(`B${SECTION_SEPARATOR}S`);
    expect(compose("  ", "B")).toBe(`B${SECTION_SEPARATOR}S`);
    expect(compose("T", "")).toBe(`T${SECTION_SEPARATOR}S`);
    expect(compose("TEMPLATE", "x TEMPLATE y")).toBe(`x TEMPLATE y${SECTION_SEPARATOR}S`);
    const own = `body\n\n${STANDING_MARKER}\nmine`;
    expect(compose(null, own)).toBe(own);
    // A one-time section pasted into a stored prompt (ours or upstream's) held the shared token: cut off.
    expect(compose(null, "body\n\n---\n\n## 🔧 Platform onboarding\nX-Registration-Token: secret")).toBe(
      `body${SECTION_SEPARATOR}S`,
    );
    expect(compose("T\n## 🔧 平台对接\ntoken", "B")).toBe(`T${SECTION_SEPARATOR}B${SECTION_SEPARATOR}S`);
    expect(findPlaceholders("{{a}} {{ b }} {{a}} {{c_1}}")).toEqual(["a", "c_1"]);
  });

  it("writes an enrollment prompt with the register, bundle download and briefing steps", () => {
    const token = { value: "et_tok'en", expiresAt: "2030-01-01T00:00:00.000Z" };
    const text = enrollmentPrompt({
      role: "reviewer",
      baseUrl: "https://moss.example/team/",
      projectName: "Moss",
      token,
    });
    expect(text.startsWith(ENROLLMENT_MARKER)).toBe(true);
    expect(text).toContain("curl -sS -X POST 'https://moss.example/team/api/agents/register'");
    expect(text).toContain(`-H 'X-Registration-Token: et_tok'\\''en'`);
    expect(text).toContain(`"role":"reviewer"`);
    expect(text).toContain("until 2030-01-01T00:00:00.000Z");
    expect(text).toContain(
      "-H 'Authorization: Bearer <your API key>' -o task-reviewer-skill.zip 'https://moss.example/team/api/agents/me/skill-bundle'",
    );
    expect(text).toContain("unzip -o task-reviewer-skill.zip && cd task-reviewer-skill");
    expect(text).toContain("node task-cli.mjs briefing");
    const preview = enrollmentPrompt({ role: "executor", baseUrl: "http://x", projectName: "P", token: null });
    expect(preview).toContain(`X-Registration-Token: ${TOKEN_PLACEHOLDER}`);
    expect(preview).toContain("ask your admin");
    const standing = standingSection({ role: "executor", baseUrl: "http://x/", projectName: "P" });
    expect(standing.startsWith(STANDING_MARKER)).toBe(true);
    expect(standing).toContain("`task-executor-skill`");
    expect(standing).not.toMatch(/token|ak_/i);
    expect(withoutSecret("a SECRET-123 b SECRET-123", "SECRET-123")).toBe(
      `a ${TOKEN_PLACEHOLDER} b ${TOKEN_PLACEHOLDER}`,
    );
  });
});

describe("admin prompts API: auth", () => {
  it("answers 401 without a session and with an expired one", async () => {
    const admin = await initialize();
    const paths: [string, string, unknown?][] = [
      ["GET", `${P}/templates`],
      ["GET", `${P}/templates/planner`],
      ["PUT", `${P}/templates/planner`, { content: "x" }],
      ["GET", `${P}/agents`],
      ["GET", `${P}/agents/executor-x`],
      ["POST", `${P}/agents`, createBody()],
      ["PUT", `${P}/agents/executor-x`, { name: "n" }],
      ["DELETE", `${P}/agents/executor-x`],
      ["GET", `${P}/compose/executor-x`],
      ["GET", `${P}/onboarding/planner`],
    ];
    for (const [method, path, body] of paths) {
      const res = await call(method, path, body === undefined ? {} : { body });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.body.code).toBe("missing_credentials");
    }
    await env.DB.prepare("update admin_session set expires_at = '2000-01-01T00:00:00.000Z'").run();
    for (const [method, path, body] of paths) {
      const res = await call(method, path, body === undefined ? { admin } : { admin, body });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.body.code).toBe("invalid_session");
    }
    expect(await auditRows()).toEqual([]);
  });
});

describe("admin prompts API: templates", () => {
  it("stores, lists and replaces role templates with CJK and emoji intact", async () => {
    const admin = await initializeWithoutShippedPrompts();
    expect((await call("GET", `${P}/templates`, { admin })).body).toEqual([]);
    expect((await call("GET", `${P}/templates/planner`, { admin })).status).toBe(404);

    const content = "# 规划者 🧭\n\n分解任务，{{project_name}} 👍";
    const put = await call("PUT", `${P}/templates/reviewer`, { admin, body: { content } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ role: "reviewer", filename: "reviewer.md" });
    await call("PUT", `${P}/templates/executor`, { admin, body: { content: "exec" } });
    await call("PUT", `${P}/templates/reviewer`, { admin, body: { content: `${content}\n更新 ✅` } });

    const list = (await call("GET", `${P}/templates`, { admin })).body;
    expect(list.map((t: { role: string }) => t.role)).toEqual(["executor", "reviewer"]);
    const one = await call("GET", `${P}/templates/reviewer`, { admin });
    expect(one.body).toMatchObject({ role: "reviewer", filename: "reviewer.md", content: `${content}\n更新 ✅` });
    expect(one.body.updated_at).toMatch(/Z$/);

    const audits = await auditRows();
    expect(audits.map((a) => [a.action, a.target_id])).toEqual([
      ["prompt_template.update", "reviewer"],
      ["prompt_template.update", "executor"],
      ["prompt_template.update", "reviewer"],
    ]);
  });

  it("refuses unknown roles and blank or missing content without writing", async () => {
    const admin = await initializeWithoutShippedPrompts();
    for (const [role, body] of [
      ["boss", { content: "x" }],
      ["task-planner", { content: "x" }],
      ["planner", { content: "  \n" }],
      ["planner", {}],
      ["planner", { content: 5 }],
    ] as const) {
      const res = await call("PUT", `${P}/templates/${role}`, { admin, body });
      expect(res.status, `${role} ${JSON.stringify(body)}`).toBe(400);
    }
    expect((await call("PUT", `${P}/templates/boss`, { admin, body: { content: "x" } })).body.code).toBe(
      "invalid_role",
    );
    expect(
      (await call("PUT", `${P}/templates/planner`, { admin, body: { content: "x".repeat(100_001) } })).status,
    ).toBe(400);
    expect((await call("GET", `${P}/templates/boss`, { admin })).status).toBe(404);
    expect(await auditRows()).toEqual([]);
    expect((await env.DB.prepare("select count(*) as n from prompt_template").first<{ n: number }>())!.n).toBe(0);
  });
});

describe("admin prompts API: agent prompts", () => {
  it("creates, reads, lists, edits and deletes, one audit row per write", async () => {
    const admin = await initializeWithoutShippedPrompts();
    const content = "## 专长 🛠️\n\n你负责后端 API。👩‍💻 {{workspace_root}}";
    const created = await call("POST", `${P}/agents`, { admin, body: createBody({ content, name: "后端工程师 🐉" }) });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ slug: "executor-backend", filename: "executor-backend.md" });
    const prefixed = await call("POST", `${P}/agents`, {
      admin,
      body: createBody({ slug: "reviewer-strict", role: "reviewer", example: true }),
    });
    expect(prefixed.body.slug).toBe("reviewer-strict");

    const got = await call("GET", `${P}/agents/executor-backend`, { admin });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      slug: "executor-backend",
      filename: "executor-backend.md",
      name: "后端工程师 🐉",
      role: "executor",
      description: "APIs and data",
      example: false,
      has_frontmatter: true,
      status: "ok",
      content,
    });
    expect(got.body.created_at).toBe(got.body.updated_at);

    const list = (await call("GET", `${P}/agents`, { admin })).body;
    expect(list.map((p: { slug: string }) => p.slug)).toEqual(["executor-backend", "reviewer-strict"]);
    expect(list[1]).toMatchObject({ example: true, status: "ok" });
    expect(list[0]).not.toHaveProperty("content");

    const edited = await call("PUT", `${P}/agents/executor-backend`, {
      admin,
      body: { description: "数据库 🗄️", content: "新内容 ✨" },
    });
    expect(edited.body).toEqual({ slug: "executor-backend", filename: "executor-backend.md" });
    const after = (await call("GET", `${P}/agents/executor-backend`, { admin })).body;
    expect(after).toMatchObject({
      name: "后端工程师 🐉",
      description: "数据库 🗄️",
      content: "新内容 ✨",
      created_at: got.body.created_at,
    });
    expect(after.updated_at >= got.body.updated_at).toBe(true);

    const del = await call("DELETE", `${P}/agents/reviewer-strict`, { admin });
    expect(del.status).toBe(200);
    expect(del.body.message).toContain("reviewer-strict");
    expect((await call("GET", `${P}/agents/reviewer-strict`, { admin })).status).toBe(404);

    const audits = await auditRows();
    expect(audits.map((a) => [a.action, a.target_type, a.target_id])).toEqual([
      ["agent_prompt.create", "agent_prompt", "executor-backend"],
      ["agent_prompt.create", "agent_prompt", "reviewer-strict"],
      ["agent_prompt.update", "agent_prompt", "executor-backend"],
      ["agent_prompt.delete", "agent_prompt", "reviewer-strict"],
    ]);
    expect(JSON.parse(audits[2]!.detail)).toEqual({ fields: ["description", "content"] });
  });

  it("renames on a role change, refuses a clash with 409, and keeps everything else", async () => {
    const admin = await initializeWithoutShippedPrompts();
    await call("POST", `${P}/agents`, { admin, body: createBody() });
    await call("POST", `${P}/agents`, { admin, body: createBody({ slug: "backend", role: "reviewer" }) });
    const clash = await call("PUT", `${P}/agents/executor-backend`, { admin, body: { role: "reviewer" } });
    expect(clash.status).toBe(409);
    expect(clash.body.code).toBe("prompt_exists");
    expect((await call("GET", `${P}/agents/executor-backend`, { admin })).body.role).toBe("executor");

    const moved = await call("PUT", `${P}/agents/executor-backend`, {
      admin,
      body: { role: "planner", name: "Planner 📋" },
    });
    expect(moved.body).toEqual({ slug: "planner-backend", filename: "planner-backend.md" });
    expect((await call("GET", `${P}/agents/executor-backend`, { admin })).status).toBe(404);
    expect((await call("GET", `${P}/agents/planner-backend`, { admin })).body).toMatchObject({
      role: "planner",
      name: "Planner 📋",
      content: "You build APIs.",
      status: "ok",
    });
    const same = await call("PUT", `${P}/agents/planner-backend`, { admin, body: { role: "planner" } });
    expect(same.body.slug).toBe("planner-backend");

    const audits = await auditRows();
    expect(audits.map((a) => a.action)).toEqual([
      "agent_prompt.create",
      "agent_prompt.create",
      "agent_prompt.update",
      "agent_prompt.update",
    ]);
    expect(JSON.parse(audits[2]!.detail)).toEqual({ fields: ["name", "role"], renamed_to: "planner-backend" });
  });

  it("refuses bad input, duplicates and unknown slugs without writing", async () => {
    const admin = await initializeWithoutShippedPrompts();
    await call("POST", `${P}/agents`, { admin, body: createBody() });
    const dup = await call("POST", `${P}/agents`, {
      admin,
      body: createBody({ slug: "executor-backend", name: "other" }),
    });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe("prompt_exists");
    const bad: Record<string, unknown>[] = [
      createBody({ slug: "Back_End" }),
      createBody({ slug: "-x" }),
      createBody({ slug: "a".repeat(72) }),
      createBody({ role: "boss" }),
      createBody({ name: "  " }),
      createBody({ content: undefined }),
      createBody({ example: "yes" }),
      createBody({ slug: "" }),
      createBody({ content: "x".repeat(100_001) }),
    ];
    for (const body of bad)
      expect((await call("POST", `${P}/agents`, { admin, body })).status, JSON.stringify(body).slice(0, 120)).toBe(400);
    expect((await call("POST", `${P}/agents`, { admin, body: createBody({ slug: "a".repeat(72) }) })).body.code).toBe(
      "invalid_slug",
    );

    expect((await call("PUT", `${P}/agents/executor-backend`, { admin, body: {} })).body.code).toBe(
      "nothing_to_update",
    );
    expect((await call("PUT", `${P}/agents/executor-backend`, { admin, body: { role: "boss" } })).status).toBe(400);
    expect((await call("PUT", `${P}/agents/executor-nope`, { admin, body: { name: "x" } })).status).toBe(404);
    expect((await call("DELETE", `${P}/agents/executor-nope`, { admin })).status).toBe(404);
    expect((await call("GET", `${P}/agents/executor-nope`, { admin })).status).toBe(404);
    expect((await call("GET", `${P}/compose/executor-nope`, { admin })).status).toBe(404);

    // A rename whose new slug would exceed 80 characters is refused.
    const long = `patrol-${"b".repeat(73)}`;
    expect(
      (await call("POST", `${P}/agents`, { admin, body: createBody({ slug: long, role: "patrol" }) })).status,
    ).toBe(201);
    const tooLong = await call("PUT", `${P}/agents/${long}`, { admin, body: { role: "reviewer" } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.code).toBe("invalid_slug");

    expect((await auditRows()).map((a) => a.target_id)).toEqual(["executor-backend", long]);
  });
});

describe("admin prompts API: compose and onboarding", () => {
  it("composes the standing prompt (template + prompt + platform section) with variables filled in, and previews the enrollment prompt", async () => {
    const admin = await initializeWithoutShippedPrompts();
    await call("PUT", `${P}/templates/executor`, { admin, body: { content: "# Executor of {{project_name}} 🤖" } });
    await call("POST", `${P}/agents`, {
      admin,
      body: createBody({ content: "工作目录 {{workspace_root}}，{{team}}" }),
    });
    const res = await call("GET", `${P}/compose/executor-backend`, { admin });
    expect(res.status).toBe(200);
    expect(res.body.slug).toBe("executor-backend");
    expect(res.body.role).toBe("executor");
    expect(res.body.variables).toEqual([
      { name: "project_name", value: "Test Project" },
      { name: "workspace_root", value: "/ws" },
      { name: "team", value: null },
    ]);
    expect(res.body.prompt).toBe(res.body.standing_prompt);
    const [template, body, platform, ...rest] = res.body.standing_prompt.split(SECTION_SEPARATOR);
    expect(rest).toEqual([]);
    expect(template).toBe("# Executor of Test Project 🤖");
    expect(body).toBe("工作目录 /ws，{{team}}");
    expect(platform.startsWith(STANDING_MARKER)).toBe(true);
    // No external URL configured: the origin the admin called.
    expect(platform).toContain("http://openmoss.test");
    const enrollment = res.body.enrollment_prompt;
    expect(enrollment.startsWith(ENROLLMENT_MARKER)).toBe(true);
    expect(enrollment).toContain("'http://openmoss.test/api/agents/register'");
    expect(enrollment).toContain(`X-Registration-Token: ${TOKEN_PLACEHOLDER}`);
    expect(enrollment).toContain(`"role":"executor"`);
    expect(JSON.stringify(res.body)).not.toContain(REGISTRATION_TOKEN);

    await call("PUT", "/api/admin/config", { admin, body: { server: { external_url: "https://moss.example/x" } } });
    const again = await call("GET", `${P}/compose/executor-backend`, { admin });
    expect(again.body.enrollment_prompt).toContain("'https://moss.example/x/api/agents/me/skill-bundle'");
    expect(JSON.stringify(again.body)).not.toContain("openmoss.test");
  });

  it("composes a bare role name from its template alone (GET previews, POST issues a token for the role)", async () => {
    const admin = await initializeWithoutShippedPrompts();
    await call("PUT", `${P}/templates/planner`, { admin, body: { content: "# Planner of {{project_name}}" } });
    for (const role of ["planner", "executor", "reviewer", "patrol"]) {
      const res = await call("GET", `${P}/compose/${role}`, { admin });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ slug: role, role });
      expect(res.body.standing_prompt).toContain(`task-${role}-skill`);
      expect(res.body.enrollment_prompt).toContain(`"role":"${role}"`);
    }
    const planner = (await call("GET", `${P}/compose/planner`, { admin })).body;
    const [template, platform, ...rest] = planner.standing_prompt.split(SECTION_SEPARATOR);
    expect([template, rest]).toEqual(["# Planner of Test Project", []]);
    expect(platform.startsWith(STANDING_MARKER)).toBe(true);

    const issued = await call("POST", `${P}/compose/reviewer`, { admin });
    expect(issued.status).toBe(201);
    expect(issued.body.enrollment_token).toMatchObject({ role: "reviewer", max_uses: 1 });
    expect(issued.body.enrollment_prompt).not.toContain(TOKEN_PLACEHOLDER);
    expect((await call("GET", `${P}/compose/boss`, { admin })).body.code).toBe("prompt_not_found");
  });

  it("serves the onboarding guide per role and validates the role", async () => {
    const admin = await initializeWithoutShippedPrompts();
    for (const role of ["planner", "executor", "reviewer", "patrol"]) {
      const res = await call("GET", `${P}/onboarding/${role}`, { admin });
      expect(res.status).toBe(200);
      expect(res.body.role).toBe(role);
      expect(res.body.content).toContain(`cd task-${role}-skill`);
      expect(res.body.content).toContain("'http://openmoss.test/api/agents/me/skill-bundle'");
      expect(res.body.standing_prompt).toContain(`task-${role}-skill`);
      expect(JSON.stringify(res.body)).not.toContain(REGISTRATION_TOKEN);
    }
    const bad = await call("GET", `${P}/onboarding/boss`, { admin });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("invalid_role");
    expect((await call("GET", `${P}/onboarding/${"x".repeat(51)}`, { admin })).status).toBe(400);
  });
});
