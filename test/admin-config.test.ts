import { afterEach, describe, expect, it, vi } from "vitest";
import { heldSubTask, upload } from "./file-fixtures";
import { call, env, initialize, register } from "./helpers";

/** An executor holding a sub-task in progress, in the installation `initialize()` made. */
async function heldByNewExecutor() {
  const [planner, exec] = await Promise.all([register("planner"), register("executor")]);
  const task = (await call("POST", "/api/tasks", { key: planner.key, body: { name: "Files" } })).body;
  return { exec, subTaskId: await heldSubTask(planner, exec, task.id) };
}

describe("admin settings API", () => {
  it("shows every section with secrets masked, and needs an admin session", async () => {
    const admin = await initialize();
    expect((await call("GET", "/api/admin/config")).status).toBe(401);
    const agent = await register("planner");
    expect((await call("GET", "/api/admin/config", { key: agent.key })).status).toBe(401);
    const res = await call("GET", "/api/admin/config", { admin });
    expect(Object.keys(res.body).sort()).toEqual([
      "admin",
      "agent",
      "database",
      "files",
      "notification",
      "patrol",
      "project",
      "retro",
      "score",
      "server",
      "webui",
      "workspace",
    ]);
    expect(res.body.score).toEqual({ adjust_max_per_call: 10, adjust_max_per_day: 50 });
    expect(res.body.admin).toEqual({ password: "***" });
    expect(res.body.project).toEqual({ name: "Test Project", language: "en" });
    expect(res.body.patrol).toEqual({
      timeout_warning_minutes: 60,
      timeout_critical_minutes: 120,
      stuck_minutes: 120,
      orphan_minutes: 60,
      rework_overflow_count: 3,
      score_drop_streak: 3,
    });
  });

  it("shows and sets the limits of deliverable files within their bounds; the next upload obeys them", async () => {
    const admin = await initialize();
    const put = (body: unknown) => call("PUT", "/api/admin/config", { admin, body });
    const view = async () => (await call("GET", "/api/admin/config", { admin })).body.files;
    expect(await view()).toEqual({
      max_file_bytes: 25 * 1024 * 1024,
      max_files_per_version: 20,
      max_total_bytes: 8 * 1024 * 1024 * 1024,
    });
    for (const bad of [
      { max_file_bytes: 1023 },
      { max_file_bytes: 100 * 1024 * 1024 + 1 },
      { max_files_per_version: 0 },
      { max_files_per_version: 201 },
      { max_total_bytes: 1024 * 1024 - 1 },
      { max_total_bytes: 1024 ** 4 + 1 },
      { max_file_bytes: 2048.5 },
    ]) {
      const res = await put({ files: bad });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.code).toBe("invalid_input");
    }
    const done = await put({ files: { max_file_bytes: 1024, max_files_per_version: 200 } });
    expect(done.body.updated_keys.sort()).toEqual(["files.max_file_bytes", "files.max_files_per_version"]);
    expect(await view()).toEqual({ max_file_bytes: 1024, max_files_per_version: 200, max_total_bytes: 8 * 1024 ** 3 });
    const w = await heldByNewExecutor();
    expect((await upload(w.exec.key, w.subTaskId, "ok.bin", new Uint8Array(1024))).status).toBe(201);
    expect((await upload(w.exec.key, w.subTaskId, "big.bin", new Uint8Array(1025))).body.code).toBe("file_too_large");
  });

  it("sets the registration, rate-limit and adjustment settings, and refuses out-of-range values", async () => {
    const admin = await initialize();
    const put = (body: unknown) => call("PUT", "/api/admin/config", { admin, body });
    const done = await put({
      agent: {
        registration_roles: ["executor", "reviewer", "executor"],
        registrations_per_hour: 5,
        rate_limit_per_minute: 60,
        rate_limit_burst: 10,
      },
      score: { adjust_max_per_call: 3 },
    });
    expect(done.status).toBe(200);
    expect(done.body.updated_keys.sort()).toEqual([
      "agent.rate_limit_burst",
      "agent.rate_limit_per_minute",
      "agent.registration_roles",
      "agent.registrations_per_hour",
      "score.adjust_max_per_call",
    ]);
    const view = (await call("GET", "/api/admin/config", { admin })).body;
    expect(view.agent).toMatchObject({
      registration_roles: ["executor", "reviewer"],
      registrations_per_hour: 5,
      rate_limit_per_minute: 60,
      rate_limit_burst: 10,
    });
    expect(view.score).toEqual({ adjust_max_per_call: 3, adjust_max_per_day: 50 });
    for (const bad of [
      { agent: { registration_roles: ["admin"] } },
      { agent: { rate_limit_burst: 0 } },
      { score: { adjust_max_per_day: -1 } },
    ]) {
      const res = await put(bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await call("GET", "/api/admin/config", { admin })).body).toEqual(view);
  });

  it("merges sections, keeps masked webhook secrets, and feeds agents' settings", async () => {
    const admin = await initialize();
    const planner = await register("planner");
    const put = (body: unknown) => call("PUT", "/api/admin/config", { admin, body });
    const first = await put({
      notification: {
        enabled: true,
        events: ["all_done"],
        webhooks: [
          {
            id: "ops",
            name: "Ops room",
            type: "feishu",
            url: "https://open.feishu.example/hook/abc",
            secret: "s3cret",
          },
        ],
      },
      workspace: { root: "/data/ws" },
      unknown_section: { ignored: true },
    });
    expect(first.status).toBe(200);
    expect(first.body.updated_keys.sort()).toEqual(["notification", "notification.webhooks", "workspace.root"]);
    const audit = await env.DB.prepare("select action, detail from audit_log").all<{
      action: string;
      detail: string;
    }>();
    expect(audit.results).toHaveLength(1);
    expect(audit.results[0]!.action).toBe("settings.update");
    expect(audit.results[0]!.detail).not.toContain("s3cret");
    const view = (await call("GET", "/api/admin/config", { admin })).body;
    expect(view.notification.webhooks[0]).toMatchObject({ id: "ops", secret: "***", events: [], enabled: true });
    expect(JSON.stringify(view)).not.toContain("s3cret");
    // Agents see upstream's shape only: no webhook URLs or secrets.
    const agentView = (await call("GET", "/api/config/notification", { key: planner.key })).body;
    expect(agentView).toEqual({ enabled: true, channels: [], events: ["all_done"] });

    // Saving the masked value back keeps the stored secret.
    await put({ notification: { webhooks: view.notification.webhooks.map((w: object) => ({ ...w, name: "Ops" })) } });
    const stored = await env.DB.prepare("select value from setting where key = 'notification.webhooks'").first<{
      value: string;
    }>();
    expect(JSON.parse(stored!.value)[0]).toMatchObject({ name: "Ops", secret: "s3cret" });
    expect((await call("GET", "/api/rules", { key: planner.key, query: { cli_version: 2 } })).body.content).toContain(
      "/data/ws",
    );
  });

  it("refuses empty updates and inconsistent thresholds", async () => {
    const admin = await initialize();
    expect((await call("PUT", "/api/admin/config", { admin, body: {} })).body.code).toBe("nothing_to_update");
    const bad = await call("PUT", "/api/admin/config", { admin, body: { patrol: { timeout_warning_minutes: 500 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("invalid_thresholds");
    expect((await call("PUT", "/api/admin/config", { admin, body: { patrol: { stuck_minutes: 0 } } })).status).toBe(
      400,
    );
    for (const url of ["https://x.example/;rm -rf", "https://x.example/$(id)", "javascript:alert(1)", "https://a|b"]) {
      expect((await call("PUT", "/api/admin/config", { admin, body: { server: { external_url: url } } })).status).toBe(
        400,
      );
    }
    expect(
      (
        await call("PUT", "/api/admin/config", {
          admin,
          body: { server: { external_url: "https://moss.example:8443/team/" } },
        })
      ).status,
    ).toBe(200);
    expect((await call("GET", "/api/admin/config", { admin })).body.server.external_url).toBe(
      "https://moss.example:8443/team",
    );
  });

  it("round-trips CJK and emoji in the agent-facing notification channels and events", async () => {
    const admin = await initialize();
    const planner = await register("planner");
    const channels = ["chat:研发群 🚀", "user:山田太郎"];
    const events = ["task_completed", "自定义事件 ✅"];
    await call("PUT", "/api/admin/config", {
      admin,
      body: { notification: { channels, events }, project: { name: "项目 🌏" } },
    });
    expect((await call("GET", "/api/config/notification", { key: planner.key })).body).toEqual({
      enabled: false,
      channels,
      events,
    });
    expect((await call("GET", "/api/health")).body.service).toBe("项目 🌏");
  });

  describe("test send", () => {
    afterEach(() => vi.restoreAllMocks());

    it("sends one signed test message to the chosen channel and reports the outcome, writing no outbox rows", async () => {
      const admin = await initialize();
      const sent: { url: string; body: string }[] = [];
      let answer = 200;
      vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
        sent.push({ url: String(input), body: String(init?.body ?? "") });
        return new Response(answer === 200 ? "ok" : "nope", { status: answer });
      });
      await call("PUT", "/api/admin/config", {
        admin,
        body: {
          notification: {
            webhooks: [
              { id: "hook", name: "Ours", type: "webhook", url: "https://hooks.example/in?token=abc", secret: "k" },
            ],
          },
        },
      });
      const ok = await call("POST", "/api/admin/notifications/test", { admin, body: { channel_id: "hook" } });
      expect(ok.body).toEqual({ ok: true, status: 200, error: null });
      expect(sent).toHaveLength(1);
      expect(JSON.parse(sent[0]!.body)).toMatchObject({ event: "test", project: "Test Project" });

      answer = 500;
      const failed = await call("POST", "/api/admin/notifications/test", { admin, body: { channel_id: "hook" } });
      expect(failed.body).toMatchObject({ ok: false, status: 500 });
      expect(failed.body.error).toContain("hooks.example");
      expect(failed.body.error).not.toContain("token=abc");

      expect(
        (await call("POST", "/api/admin/notifications/test", { admin, body: { channel_id: "nope" } })).status,
      ).toBe(404);
      expect((await call("POST", "/api/admin/notifications/test", { body: { channel_id: "hook" } })).status).toBe(401);
      const outbox = await env.DB.prepare("select count(*) n from notification_outbox").first<{ n: number }>();
      expect(outbox!.n).toBe(0);
      const audit = await env.DB.prepare("select count(*) n from audit_log where action = 'notification.test'").first<{
        n: number;
      }>();
      expect(audit!.n).toBe(2);
    });
  });
});
