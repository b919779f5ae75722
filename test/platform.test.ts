// Cross-cutting behaviour: OpenAPI document, request log, body limits, unknown paths, D1 usage headers.
import { describe, expect, it } from "vitest";
import { PACKAGE_VERSION } from "../worker/lib/version";
import { call, env, initialize, register } from "./helpers";

async function requestLogRows(minimum: number) {
  // The request log is written after the response (waitUntil); wait for it to land.
  for (let i = 0; i < 50; i++) {
    const { results } = await env.DB.prepare("select * from request_log order by timestamp").all<
      Record<string, unknown>
    >();
    if (results.length >= minimum) return results;
    await new Promise((r) => setTimeout(r, 20));
  }
  return (await env.DB.prepare("select * from request_log order by timestamp").all<Record<string, unknown>>()).results;
}

describe("health", () => {
  it("answers without credentials with the project name from settings", async () => {
    expect((await call("GET", "/api/health")).body).toEqual({
      status: "ok",
      service: "OpenMOSS",
      version: PACKAGE_VERSION,
    });
    await initialize();
    expect((await call("GET", "/api/health")).body.service).toBe("Test Project");
  });
});

describe("OpenAPI", () => {
  it("serves an OpenAPI 3.1 document generated from the route schemas, and a reference page", async () => {
    const doc = await call("GET", "/api/openapi.json");
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe("3.1.0");
    const paths = Object.keys(doc.body.paths);
    for (const p of [
      "/api/tasks",
      "/api/sub-tasks/{id}/claim",
      "/api/review-records",
      "/api/setup/initialize",
      "/api/agents/register",
    ]) {
      expect(paths).toContain(p);
    }
    const create = doc.body.paths["/api/sub-tasks"].post;
    const schema = create.requestBody.content["application/json"].schema;
    expect(schema.required).toEqual(expect.arrayContaining(["task_id", "name"]));
    expect(schema.properties.name.maxLength).toBe(200);
    expect(create.responses["409"]).toBeDefined();
    const page = await call("GET", "/api/docs");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.body).toContain('<script src="/api-docs/swagger-ui-bundle.js"></script>');
    expect(page.body).not.toMatch(/https?:\/\//); // nothing from another origin
  });
});

describe("request log", () => {
  it("records authenticated agent calls (including 4xx) without credentials, and skips 401/403", async () => {
    await initialize();
    const planner = await register("planner");
    const executor = await register("executor");
    await call("POST", "/api/tasks", {
      key: planner.key,
      body: { name: "T", description: "token: ak_x", type: "once" },
    });
    await call("GET", "/api/tasks", { key: planner.key, query: { page_size: 5 } });
    await call("GET", "/api/tasks/missing", { key: planner.key });
    await call("POST", "/api/tasks", { key: executor.key, body: { name: "denied" } });
    await call("GET", "/api/tasks", { key: "ak_00000000000000000000000000000000" });
    const rows = await requestLogRows(3);
    expect(rows.map((r) => `${r.method} ${r.path} ${r.response_status}`)).toEqual([
      "POST /api/tasks 200",
      "GET /api/tasks 200",
      "GET /api/tasks/missing 404",
    ]);
    expect(rows[0]).toMatchObject({ agent_id: planner.id, agent_name: planner.name, agent_role: "planner" });
    expect(JSON.parse(rows[0]!.request_body as string)).toMatchObject({ name: "T" });
    expect(JSON.parse(rows[1]!.request_body as string)).toEqual({ page_size: "5" });
    expect(JSON.stringify(rows)).not.toContain(planner.key);
  });

  it("redacts secret-looking fields in logged bodies", async () => {
    await initialize();
    const agent = await register("executor");
    await call("POST", "/api/logs", {
      key: agent.key,
      body: { action: "coding", summary: "x", api_key: agent.key, token: "t0p" },
    });
    const [row] = await requestLogRows(1);
    expect(row!.request_body).not.toContain(agent.key);
    expect(row!.request_body).not.toContain("t0p");
  });
});

describe("HTTP edges", () => {
  it("answers unknown API paths with a JSON 404 and oversized bodies with 413 before parsing", async () => {
    const unknown = await call("GET", "/api/nope");
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ detail: "no such endpoint", code: "not_found", hint: expect.any(String) });
    await initialize();
    const planner = await register("planner");
    const big = await call("POST", "/api/tasks", {
      key: planner.key,
      rawBody: JSON.stringify({ name: "x", description: "y".repeat(300_000) }),
    });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe("payload_too_large");
    const malformed = await call("POST", "/api/tasks", { key: planner.key, rawBody: '{"name":' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe("invalid_json");
  });

  it("accepts upstream's CLI habit of a JSON content type with no body", async () => {
    await initialize();
    const planner = await register("planner");
    const task = (await call("POST", "/api/tasks", { key: planner.key, body: { name: "T" } })).body;
    const res = await call("POST", `/api/tasks/${task.id}/cancel`, {
      key: planner.key,
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(200);
  });

  it("reports D1 rows read and written per request, including the Durable Object's share", async () => {
    await initialize();
    const planner = await register("planner");
    const exec = await register("executor");
    const task = (await call("POST", "/api/tasks", { key: planner.key, body: { name: "T" } })).body;
    const st = (await call("POST", "/api/sub-tasks", { key: planner.key, body: { task_id: task.id, name: "S" } })).body;
    const claim = await call("POST", `/api/sub-tasks/${st.id}/claim`, { key: exec.key });
    expect(Number(claim.headers.get("x-d1-rows-written"))).toBeGreaterThanOrEqual(2); // sub-task row + event
    expect(Number(claim.headers.get("x-d1-rows-read"))).toBeGreaterThan(0);
    expect(Number(claim.headers.get("x-d1-queries"))).toBeGreaterThanOrEqual(3);
    const get = await call("GET", `/api/sub-tasks/${st.id}`, { key: exec.key });
    // A read writes one row: the token it took from the agent's rate-limit bucket (auth/rate-limit.ts).
    expect(Number(get.headers.get("x-d1-rows-written"))).toBe(1);
  });
});

describe("CORS", () => {
  it("answers a foreign origin only once CORS_ORIGINS lists it", async () => {
    const preflight = (origin: string) =>
      call("OPTIONS", "/api/admin/config", {
        headers: { origin, "access-control-request-method": "PUT", "access-control-request-headers": "x-admin-token" },
      });
    expect((await preflight("https://dash.example.pages.dev")).headers.get("access-control-allow-origin")).toBeNull();
    const corsBefore = env.CORS_ORIGINS;
    env.CORS_ORIGINS = "https://dash.example.pages.dev, https://admin.example.com";
    try {
      const allowed = await preflight("https://dash.example.pages.dev");
      expect(allowed.headers.get("access-control-allow-origin")).toBe("https://dash.example.pages.dev");
      expect(allowed.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("x-admin-token");
      expect((await preflight("https://evil.example")).headers.get("access-control-allow-origin")).toBeNull();
    } finally {
      env.CORS_ORIGINS = corsBefore;
    }
  });
});
