// Issue 16, point 6: the upstream client behaviours a differential test found missing. Settings keys
// upstream's config had (with the values true for a Worker, refused by name on PUT) and role templates
// by upstream's file name. The date-only feed cursor is tested in feed.test.ts beside the other cursors.
import { describe, expect, it } from "vitest";
import { AdminConfigSchema } from "../contract/api/config";
import { call, initialize } from "./helpers";

const CONFIG = "/api/admin/config";
const TEMPLATES = "/api/admin/prompts/templates";

describe("GET /api/admin/config: upstream's deployment keys", () => {
  it("answers database, server.host/port and webui.auto_update/github_repo with the Worker's values", async () => {
    const admin = await initialize();
    const res = await call("GET", CONFIG, { admin });
    expect(res.status).toBe(200);
    // The dashboard and CLI read this through the contract: the new keys must match it.
    expect(() => AdminConfigSchema.parse(res.body)).not.toThrow();
    expect(res.body.database).toEqual({ type: "d1", binding: "DB" });
    expect(res.body.webui).toMatchObject({ auto_update: false, github_repo: null });
    // The test client's address is http://openmoss.test: no port in the URL means the scheme's.
    expect(res.body.server).toMatchObject({ host: "openmoss.test", port: 80 });
  });

  it("takes server.host and server.port from the address the request reached", async () => {
    const admin = await initialize();
    const custom = await call("GET", `https://moss.example:8443${CONFIG}`, { admin });
    expect(custom.body.server).toMatchObject({ host: "moss.example", port: 8443 });
    const tls = await call("GET", `https://moss.example${CONFIG}`, { admin });
    expect(tls.body.server).toMatchObject({ host: "moss.example", port: 443 });
  });

  it("refuses a PUT of any of those keys by name, without writing the rest of the body", async () => {
    const admin = await initialize();
    for (const [body, field] of [
      [{ database: { type: "sqlite", path: "./data/tasks.db" } }, "database"],
      [{ server: { host: "0.0.0.0" } }, "server.host"],
      [{ server: { port: 6565 } }, "server.port"],
      [{ webui: { auto_update: false } }, "webui.auto_update"],
      [{ webui: { github_repo: "someone/fork" } }, "webui.github_repo"],
      // A valid change beside a fixed key is not applied either: one PUT is one decision.
      [{ webui: { public_feed: true, auto_update: true } }, "webui.auto_update"],
    ] as const) {
      const res = await call("PUT", CONFIG, { admin, body });
      expect(res.status, field).toBe(400);
      expect(res.body.code, field).toBe("setting_read_only");
      expect(res.body.detail, field).toMatch(new RegExp(`^${field.replace(".", "\\.")}: `));
      expect(res.body.hint, field).toContain("Leave that key out");
    }
    const after = (await call("GET", CONFIG, { admin })).body;
    expect(after.webui.public_feed).toBe(false);
    // The writable part of the same sections still works.
    const ok = await call("PUT", CONFIG, { admin, body: { server: { external_url: "https://moss.example" } } });
    expect(ok.status).toBe(200);
    expect((await call("GET", CONFIG, { admin })).body.server.external_url).toBe("https://moss.example");
  });
});

describe("role templates by upstream's file name", () => {
  it("answers task-planner, task-reviewer and task-patrol exactly like planner, reviewer and patrol", async () => {
    const admin = await initialize();
    for (const role of ["planner", "reviewer", "patrol", "executor"]) {
      const ours = await call("GET", `${TEMPLATES}/${role}`, { admin });
      const upstreams = await call("GET", `${TEMPLATES}/task-${role}`, { admin });
      expect(ours.status, role).toBe(200);
      expect(upstreams.status, role).toBe(200);
      expect(upstreams.body, role).toEqual(ours.body);
    }
  });

  it("serves the edited template under both names", async () => {
    const admin = await initialize();
    const content = `# Planner ${crypto.randomUUID()}`;
    expect((await call("PUT", `${TEMPLATES}/planner`, { admin, body: { content } })).status).toBe(200);
    const byFile = await call("GET", `${TEMPLATES}/task-planner`, { admin });
    expect(byFile.body).toMatchObject({ role: "planner", filename: "planner.md", content });
  });

  it("answers an unknown name 404 with a hint naming the valid ones", async () => {
    const admin = await initialize();
    for (const name of ["boss", "task-boss", "task-", "planner.md", "task-task-planner"]) {
      const res = await call("GET", `${TEMPLATES}/${name}`, { admin });
      expect(res.status, name).toBe(404);
      expect(res.body.code, name).toBe("template_not_found");
      expect(res.body.detail, name).toContain(name);
      for (const valid of ["planner", "executor", "reviewer", "patrol", "task-planner"])
        expect(res.body.hint, name).toContain(valid);
    }
  });
});

// docs/compatibility.md lists these as deliberate differences; the test keeps the page true.
describe("the differences docs/compatibility.md keeps on purpose", () => {
  it("an unknown filter value is 400 naming the accepted ones (upstream: an empty list)", async () => {
    const admin = await initialize();
    const res = await call("GET", "/api/admin/tasks", { admin, query: { status: "bogus" } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("invalid_input");
    expect(res.body.detail).toContain("active");
  });

  it("onboarding for an unknown role is 400 invalid_role (upstream: 200 with a guide for it)", async () => {
    const admin = await initialize();
    const res = await call("GET", "/api/admin/prompts/onboarding/boss", { admin });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("invalid_role");
  });

  it("a POST to an undefined /api path is 404 not_found (upstream: 405)", async () => {
    const res = await call("POST", "/api/no-such-thing", { body: {} });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("not_found");
  });

  it("CORS echoes only an allowed origin, without credentials, and a fixed header list", async () => {
    // The Worker's own https origin is trusted; any other origin needs CORS_ORIGINS.
    const preflight = (origin: string) =>
      call("OPTIONS", "https://moss.example/api/tasks", {
        headers: {
          origin,
          "access-control-request-method": "GET",
          "access-control-request-headers": "authorization, x-custom-header",
        },
      });
    expect((await preflight("https://evil.example")).headers.get("access-control-allow-origin")).toBeNull();
    const own = await preflight("https://moss.example");
    expect(own.headers.get("access-control-allow-origin")).toBe("https://moss.example");
    expect(own.headers.get("access-control-allow-credentials")).toBeNull();
    const allowedHeaders = own.headers.get("access-control-allow-headers")?.toLowerCase() ?? "";
    expect(allowedHeaders).toContain("authorization");
    expect(allowedHeaders).not.toContain("x-custom-header");
  });
});
