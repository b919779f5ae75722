// Credentials an agent puts in a URL path, a query or a body never reach the stored request log, and so
// never the public feed or the admin's request-log views (worker/domain/redaction.ts).
import { describe, expect, it } from "vitest";
import { call, env, initialize, ok, register } from "./helpers";

async function requestLog(minimum: number): Promise<{ path: string; request_body: string | null }[]> {
  for (let i = 0; i < 100; i++) {
    const rows = await env.DB.prepare("select path, request_body from request_log order by timestamp, rowid").all<{
      path: string;
      request_body: string | null;
    }>();
    if (rows.results.length >= minimum) return rows.results;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`request_log never reached ${minimum} rows`);
}

describe("request log redaction", () => {
  it("a key or token in a path, a query or a body is redacted in request_log, the feed and the admin views", async () => {
    const admin = await initialize();
    await env.DB.prepare(
      "insert into setting (key, value, updated_at) values ('webui.public_feed', 'true', ?) on conflict(key) do update set value = excluded.value",
    )
      .bind(new Date().toISOString())
      .run();
    const victim = await register("executor");
    const caller = await register("planner");
    const enrollment = "et_Zm9vYmFyYmF6cXV4LXF1dXgtX19fYWJjZGVmZ2hpams";
    const registration = "fedcba9876543210fedcba9876543210";
    const encoded = `%61k_${victim.key.slice(3)}`;

    // The route answers (200: an unknown id has an empty ledger; 400: an unknown query field): both are logged.
    await call("GET", `/api/scores/${victim.key}/logs`, { key: caller.key });
    await call("GET", `/api/scores/${encoded}/logs`, { key: caller.key });
    await call("GET", "/api/scores/me/logs", {
      key: caller.key,
      query: { key: victim.key, q: victim.key, t: enrollment },
    });
    await call("POST", "/api/logs", {
      key: caller.key,
      body: { action: "plan", summary: `keys: ${victim.key} ${enrollment} ${registration}` },
    });
    const secrets = [victim.key, victim.key.slice(3), enrollment, registration];

    const rows = await requestLog(4);
    expect(rows.map((r) => r.path)).toEqual([
      "/api/scores/[redacted]/logs",
      "/api/scores/[redacted]/logs",
      "/api/scores/me/logs",
      "/api/logs",
    ]);
    expect(JSON.parse(rows[2]!.request_body!)).toEqual({ key: "[redacted]", q: "[redacted]", t: "[redacted]" });
    expect(JSON.parse(rows[3]!.request_body!)).toEqual({
      action: "plan",
      summary: "keys: [redacted] [redacted] [redacted]",
    });

    const views = [
      JSON.stringify(rows),
      JSON.stringify(await ok(call("GET", "/api/feed/logs"))),
      JSON.stringify(await ok(call("GET", "/api/admin/request-logs", { admin }))),
      JSON.stringify(await ok(call("GET", `/api/admin/agents/${caller.id}/request-logs`, { admin }))),
    ];
    for (const view of views) {
      for (const secret of secrets) expect(view).not.toContain(secret);
      expect(view).toContain("/api/scores/[redacted]/logs");
    }
  });
});
