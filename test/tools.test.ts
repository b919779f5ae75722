// What an agent downloads: the CLI (this server's address baked in), its role's SKILL.md (its own key
// filled in) and both as one zip with a key file.
import { exports } from "cloudflare:workers";
import { strFromU8, unzipSync } from "fflate";
import { beforeEach, describe, expect, it } from "vitest";
import executorSkill from "../skills/task-executor-skill/SKILL.md";
import patrolSkill from "../skills/task-patrol-skill/SKILL.md";
import plannerSkill from "../skills/task-planner-skill/SKILL.md";
import reviewerSkill from "../skills/task-reviewer-skill/SKILL.md";
import { CLI_BASE_URL_PLACEHOLDER, CLI_LANG_PLACEHOLDER, CLI_SOURCE } from "../worker/generated/cli";
import { call, initialize, register } from "./helpers";

const TEMPLATES = {
  planner: plannerSkill,
  executor: executorSkill,
  reviewer: reviewerSkill,
  patrol: patrolSkill,
} as const;
const QUOTED = JSON.stringify(CLI_BASE_URL_PLACEHOLDER);
const QUOTED_LANG = JSON.stringify(CLI_LANG_PLACEHOLDER);
const PLACEHOLDERS = ["{{api_key}}", "{{base_url}}", "{{agent_name}}", "{{project_name}}"];

/** A GET as a remote client would send it, from any origin, returning the raw response. */
const get = (path: string, key?: string, origin = "http://openmoss.test") =>
  exports.default.fetch(new Request(new URL(path, origin), { headers: key ? { authorization: `Bearer ${key}` } : {} }));

/**
 * The CLI as it should be served for `base` in an English project: each quoted placeholder swapped for
 * the quoted value.
 */
const cliFor = (base: string, lang = "en") =>
  CLI_SOURCE.split(QUOTED).join(JSON.stringify(base)).split(QUOTED_LANG).join(JSON.stringify(lang));

let admin: string;
beforeEach(async () => {
  admin = await initialize();
});

describe("GET /api/tools/cli", () => {
  it("the built CLI holds each quoted placeholder exactly once (what the download replaces)", () => {
    expect(CLI_BASE_URL_PLACEHOLDER).toBe("__OPENMOSS_BASE_URL__");
    expect(CLI_SOURCE.split(QUOTED)).toHaveLength(2);
    expect(CLI_LANG_PLACEHOLDER).toBe("__OPENMOSS_LANG__");
    expect(CLI_SOURCE.split(QUOTED_LANG)).toHaveLength(2);
  });

  it("bakes in the request's origin while no external URL is set", async () => {
    const agent = await register("executor");
    const res = await get("/api/tools/cli", agent.key);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="task-cli.mjs"');
    const text = await res.text();
    expect(text).toBe(cliFor("http://openmoss.test"));
    expect(text).not.toContain(CLI_BASE_URL_PLACEHOLDER);
    expect(text).toContain('"http://openmoss.test"');

    // Another origin (a port, https), the same agent: that origin.
    const other = await (await get("/api/tools/cli", agent.key, "https://agents.example:8443")).text();
    expect(other).toBe(cliFor("https://agents.example:8443"));
    expect(other).not.toContain("openmoss.test");
  });

  it("bakes in server.external_url once set (no trailing slash), whatever origin the request came to", async () => {
    const put = await call("PUT", "/api/admin/config", {
      admin,
      body: { server: { external_url: "https://moss.example/team/" } },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.updated_keys).toEqual(["server.external_url"]);
    const agent = await register("planner");
    const text = await (await get("/api/tools/cli", agent.key, "http://127.0.0.1:8787")).text();
    expect(text).toBe(cliFor("https://moss.example/team"));
    expect(text).not.toContain(CLI_BASE_URL_PLACEHOLDER);
    expect(text).not.toContain("127.0.0.1");

    // Cleared again: back to the request origin.
    expect((await call("PUT", "/api/admin/config", { admin, body: { server: { external_url: "" } } })).status).toBe(
      200,
    );
    expect(await (await get("/api/tools/cli", agent.key, "http://127.0.0.1:8787")).text()).toBe(
      cliFor("http://127.0.0.1:8787"),
    );
  });

  it("401 without a key or with a wrong one; 403 for a disabled agent", async () => {
    const agent = await register("executor");
    for (const path of ["/api/tools/cli", "/api/agents/me/skill", "/api/agents/me/skill-bundle"]) {
      const none = await get(path);
      expect(none.status, path).toBe(401);
      expect(await none.text()).not.toContain(CLI_BASE_URL_PLACEHOLDER);
      expect((await get(path, "ak_wrong")).status, path).toBe(401);
    }
    expect(
      (await call("PUT", `/api/admin/agents/${agent.id}/status`, { admin, body: { status: "disabled" } })).status,
    ).toBe(200);
    for (const path of ["/api/tools/cli", "/api/agents/me/skill", "/api/agents/me/skill-bundle"]) {
      const res = await get(path, agent.key);
      expect(res.status, path).toBe(403);
      expect(JSON.parse(await res.text()).code).toBe("agent_disabled");
    }
    // Enabled again, the same key works.
    expect(
      (await call("PUT", `/api/admin/agents/${agent.id}/status`, { admin, body: { status: "active" } })).status,
    ).toBe(200);
    expect((await get("/api/tools/cli", agent.key)).status).toBe(200);
  });
});

describe("GET /api/agents/me/skill", () => {
  it("serves the caller's role skill with its own key, name, this server and the project filled in", async () => {
    const agents = await Promise.all((["planner", "executor", "reviewer", "patrol"] as const).map((r) => register(r)));
    for (const agent of agents) {
      const res = await get("/api/agents/me/skill", agent.key);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(res.headers.get("content-disposition")).toBe('attachment; filename="SKILL.md"');
      const text = await res.text();
      const role = agent.role as keyof typeof TEMPLATES;
      expect(text.startsWith(`---\nname: task-${role}-skill\n`), role).toBe(true);
      expect(text).toBe(
        TEMPLATES[role]
          .replaceAll("{{api_key}}", agent.key)
          .replaceAll("{{base_url}}", "http://openmoss.test")
          .replaceAll("{{agent_name}}", agent.name)
          .replaceAll("{{project_name}}", "Test Project"),
      );
      expect(text).toContain(agent.key);
      for (const p of PLACEHOLDERS) expect(text, `${role} ${p}`).not.toContain(p);
      // No other agent's key, no other role's skill.
      for (const other of agents.filter((a) => a !== agent)) {
        expect(text).not.toContain(other.key);
        expect(text).not.toContain(`name: task-${other.role}-skill`);
      }
    }
  });

  it("uses the external URL when set", async () => {
    await call("PUT", "/api/admin/config", { admin, body: { server: { external_url: "https://moss.example" } } });
    const agent = await register("reviewer");
    const text = await (await get("/api/agents/me/skill", agent.key)).text();
    expect(text).toContain("https://moss.example");
    expect(text).not.toContain("openmoss.test");
  });
});

describe("GET /api/agents/me/skill-bundle", () => {
  it("is a zip of task-<role>-skill/ with SKILL.md, the CLI and the key file", async () => {
    const agent = await register("executor");
    const res = await get("/api/agents/me/skill-bundle", agent.key);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="task-executor-skill.zip"');
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const names = Object.keys(files)
      .filter((n) => !n.endsWith("/"))
      .sort();
    expect(names).toEqual([
      "task-executor-skill/OPENMOSS-AGENT.env",
      "task-executor-skill/SKILL.md",
      "task-executor-skill/task-cli.mjs",
    ]);
    // The same files the single downloads give.
    expect(strFromU8(files["task-executor-skill/SKILL.md"]!)).toBe(
      await (await get("/api/agents/me/skill", agent.key)).text(),
    );
    const cli = strFromU8(files["task-executor-skill/task-cli.mjs"]!);
    expect(cli).toBe(cliFor("http://openmoss.test"));
    expect(cli).not.toContain(CLI_BASE_URL_PLACEHOLDER);
    const envFile = strFromU8(files["task-executor-skill/OPENMOSS-AGENT.env"]!);
    expect(envFile.split("\n")).toContain(`OPENMOSS_API_KEY=${agent.key}`);
    expect(envFile.split("\n")).toContain("OPENMOSS_BASE_URL=http://openmoss.test");
  });

  it("follows the caller's role and the external URL", async () => {
    await call("PUT", "/api/admin/config", { admin, body: { server: { external_url: "https://moss.example" } } });
    const agent = await register("patrol");
    const res = await get("/api/agents/me/skill-bundle", agent.key, "http://other.example");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="task-patrol-skill.zip"');
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(strFromU8(files["task-patrol-skill/SKILL.md"]!).startsWith("---\nname: task-patrol-skill\n")).toBe(true);
    expect(strFromU8(files["task-patrol-skill/task-cli.mjs"]!)).toBe(cliFor("https://moss.example"));
    const envFile = strFromU8(files["task-patrol-skill/OPENMOSS-AGENT.env"]!);
    expect(envFile).toContain(`OPENMOSS_API_KEY=${agent.key}\n`);
    expect(envFile).toContain("OPENMOSS_BASE_URL=https://moss.example\n");
    expect(Object.keys(files).some((n) => n.startsWith("task-executor-skill"))).toBe(false);
  });
});
