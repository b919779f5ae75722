import { describe, expect, it } from "vitest";
import globalRule from "../rules/global-rule.md";
import globalRuleZh from "../rules/global-rule.zh-CN.md";
import {
  LATEST_CLI_VERSION,
  mergeRules,
  NO_TASK_WORKSPACE,
  RULE_SEPARATOR,
  taskWorkspace,
} from "../worker/domain/rules";
import { call, dbSnapshot, env, initialize, register } from "./helpers";

async function insertTask(): Promise<string> {
  const now = new Date().toISOString();
  const id = crypto.randomUUID();
  await env.DB.prepare(
    "insert into task (id, name, description, type, status, created_at, updated_at) values (?, 'T', '', 'once', 'active', ?, ?)",
  )
    .bind(id, now, now)
    .run();
  return id;
}

async function insertSubTask(taskId: string): Promise<string> {
  const now = new Date().toISOString();
  const id = crypto.randomUUID();
  await env.DB.prepare(
    "insert into sub_task (id, task_id, name, status, priority, type, created_at, updated_at) values (?, ?, 'S', 'pending', 'medium', 'once', ?, ?)",
  )
    .bind(id, taskId, now, now)
    .run();
  return id;
}

/** Removes the global rule seeded at setup so tests control the content. */
async function clearRules() {
  await env.DB.prepare("delete from rule").run();
}

const createRule = (admin: string, body: Record<string, unknown>) => call("POST", "/api/rules", { admin, body });

describe("GET /api/rules", () => {
  it("merges global, task and sub-task rules in that order and replaces the variables", async () => {
    const admin = await initialize(); // project "Test Project", workspace "/ws"
    await clearRules();
    const taskId = await insertTask();
    const otherTask = await insertTask();
    const subTaskId = await insertSubTask(taskId);
    const agent = await register("executor");
    expect(
      (
        await createRule(admin, {
          scope: "sub_task",
          sub_task_id: subTaskId,
          content: "S: {{workspace_root}}/{{unknown}}",
        })
      ).status,
    ).toBe(200);
    expect((await createRule(admin, { scope: "task", task_id: taskId, content: "T1 {{project_name}}" })).status).toBe(
      200,
    );
    expect((await createRule(admin, { scope: "task", task_id: otherTask, content: "other task" })).status).toBe(200);
    expect(
      (await createRule(admin, { scope: "global", content: "G in {{workspace_root}} for {{project_name}}" })).status,
    ).toBe(200);
    expect((await createRule(admin, { scope: "task", task_id: taskId, content: "T2" })).status).toBe(200);

    const all = await call("GET", "/api/rules", {
      key: agent.key,
      query: { task_id: taskId, sub_task_id: subTaskId, cli_version: LATEST_CLI_VERSION },
    });
    expect(all.status).toBe(200);
    expect(all.body).toEqual({
      content: ["G in /ws for Test Project", "T1 Test Project", "T2", "S: /ws/{{unknown}}"].join(RULE_SEPARATOR),
      message: "merged rules (variables replaced)",
      update_available: false,
      latest_version: null,
      update_instructions: "",
    });
    const globalOnly = await call("GET", "/api/rules", { key: agent.key, query: { cli_version: 99 } });
    expect(globalOnly.body.content).toBe("G in /ws for Test Project");
    const subOnly = await call("GET", "/api/rules", {
      key: agent.key,
      query: { sub_task_id: subTaskId, cli_version: 2 },
    });
    expect(subOnly.body.content).toBe(`G in /ws for Test Project${RULE_SEPARATOR}S: /ws/{{unknown}}`);
  });

  it("fills {{task_workspace}} with the task's workspace, else <workspace_root>/<task name>, for the task or the sub-task's task", async () => {
    const admin = await initialize(); // workspace "/ws"
    await clearRules();
    const taskId = await insertTask(); // named "T"
    const subTaskId = await insertSubTask(taskId);
    const agent = await register("executor");
    expect(
      (await createRule(admin, { scope: "global", content: "put shared work in {{task_workspace}}" })).status,
    ).toBe(200);
    const rules = async (query: Record<string, string>) =>
      (await call("GET", "/api/rules", { key: agent.key, query: { ...query, cli_version: LATEST_CLI_VERSION } })).body
        .content;
    expect(await rules({ task_id: taskId })).toBe("put shared work in /ws/T");
    await env.DB.prepare("update task set workspace = 'git@example.org:team/t.git' where id = ?").bind(taskId).run();
    expect(await rules({ task_id: taskId })).toBe("put shared work in git@example.org:team/t.git");
    expect(await rules({ sub_task_id: subTaskId })).toBe("put shared work in git@example.org:team/t.git");
    expect(await rules({})).toBe(`put shared work in ${NO_TASK_WORKSPACE}`);
    expect(await rules({ task_id: crypto.randomUUID() })).toBe(`put shared work in ${NO_TASK_WORKSPACE}`);
  });

  it("taskWorkspace: the set workspace verbatim; else the root and the name with every other character made _", () => {
    expect(taskWorkspace({ name: "Text stats (v2)/ü", workspace: "" }, "/ws/")).toBe("/ws/Text_stats__v2__ü");
    expect(taskWorkspace({ name: "x", workspace: "/srv/$&/{{project_name}}" }, "/ws")).toBe("/srv/$&/{{project_name}}");
    // Values go in verbatim, once: a workspace holding a variable is not expanded again.
    expect(
      mergeRules(["{{task_workspace}} {{project_name}}"], [], [], {
        workspaceRoot: "/ws",
        projectName: "P",
        task: { name: "x", workspace: "{{project_name}}" },
      }),
    ).toBe("{{project_name}} P");
  });

  it("ships a short default global rule: the task's shared workspace with its fallback, and delivery logs naming the deliverables", () => {
    expect(new TextEncoder().encode(globalRule).length).toBeLessThanOrEqual(2500);
    expect(globalRule).toContain("{{project_name}}");
    expect(globalRule).toContain("`{{workspace_root}}/<task name>/`");
    expect(globalRule).toContain("task get <task_id>");
    expect(globalRule).toContain("`delivery` log");
    expect(globalRule).toContain("--task-id <task_id>");
    // The old layout (a folder per sub-task, nothing written elsewhere) broke work that spans sub-tasks.
    expect(globalRule).not.toMatch(/never write into|its own folder|<sub-task name>/i);
  });

  it("ships the Chinese global rule within 1.2 × the English cap (3 bytes a character), same workspace and commands", () => {
    expect(new TextEncoder().encode(globalRuleZh).length).toBeLessThanOrEqual(3000);
    expect(globalRuleZh).toMatch(/[\u4e00-\u9fff]/);
    for (const needle of [
      "{{project_name}}",
      "`{{workspace_root}}/<task name>/`",
      "task get <task_id>",
      "--task-id <task_id>",
    ])
      expect(globalRuleZh, needle).toContain(needle);
  });

  it("serves the seeded global rule after setup", async () => {
    await initialize();
    const agent = await register("executor");
    const res = await call("GET", "/api/rules", { key: agent.key, query: { cli_version: 2 } });
    expect(res.status).toBe(200);
    expect(res.body.content.length).toBeGreaterThan(0);
    expect(res.body.content).not.toContain("{{workspace_root}}");
    expect(res.body.content).not.toContain("{{project_name}}");
  });

  it("handshake: no version → notice appended; older → instructions only; current → nothing", async () => {
    await initialize();
    await clearRules();
    const agent = await register("executor");
    const none = await call("GET", "/api/rules", { key: agent.key });
    expect(none.status).toBe(200);
    expect(none.body.update_available).toBe(true);
    expect(none.body.latest_version).toBe(LATEST_CLI_VERSION);
    // The request's origin is the base while server.external_url is unset.
    expect(none.body.content).toContain("Tool update notice");
    expect(none.body.content).toContain("http://openmoss.test/api/tools/cli");
    expect(none.body.content).toContain("http://openmoss.test/api/agents/me/skill");
    expect(none.body.content).toContain("Authorization: Bearer <your API key>");
    expect(none.body.update_instructions).toContain("update");

    const old = await call("GET", "/api/rules", { key: agent.key, query: { cli_version: LATEST_CLI_VERSION - 1 } });
    expect(old.body).toMatchObject({ content: "", update_available: true, latest_version: LATEST_CLI_VERSION });
    expect(old.body.update_instructions).toContain("http://openmoss.test/api/tools/cli");

    const current = await call("GET", "/api/rules", { key: agent.key, query: { cli_version: LATEST_CLI_VERSION } });
    expect(current.body).toMatchObject({
      content: "",
      update_available: false,
      latest_version: null,
      update_instructions: "",
    });
  });

  it("uses server.external_url as the base when set", async () => {
    await initialize();
    await env.DB.prepare(
      "insert into setting (key, value, updated_at) values ('server.external_url', ?, ?) on conflict(key) do update set value = excluded.value",
    )
      .bind(JSON.stringify("https://moss.example"), new Date().toISOString())
      .run();
    const agent = await register("executor");
    const res = await call("GET", "/api/rules", { key: agent.key });
    expect(res.body.content).toContain("https://moss.example/api/tools/cli");
    expect(res.body.content).not.toContain("openmoss.test");
  });

  it("400 on a non-integer cli_version, 401 without a key", async () => {
    await initialize();
    const agent = await register("executor");
    for (const v of ["abc", "1.5"]) {
      const res = await call("GET", "/api/rules", { key: agent.key, query: { cli_version: v } });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("invalid_input");
    }
    expect((await call("GET", "/api/rules")).status).toBe(401);
  });
});

describe("rule administration", () => {
  it("creates, reads, lists, updates and deletes rules, CJK and emoji intact", async () => {
    const admin = await initialize();
    await clearRules();
    const taskId = await insertTask();
    const subTaskId = await insertSubTask(taskId);
    const text = "测试 ✅ 🚀 日本語\n- rule";
    const g = await createRule(admin, { scope: "global", content: text, task_id: taskId });
    expect(g.status).toBe(200);
    expect(g.body).toMatchObject({ scope: "global", task_id: null, sub_task_id: null, content: text });
    expect(g.body.created_at).toMatch(/Z$/);
    const t = await createRule(admin, { scope: "task", task_id: taskId, content: "task rule", sub_task_id: subTaskId });
    expect(t.body).toMatchObject({ scope: "task", task_id: taskId, sub_task_id: null });
    const s = await createRule(admin, { scope: "sub_task", sub_task_id: subTaskId, content: "sub rule" });
    expect(s.body).toMatchObject({ scope: "sub_task", task_id: taskId, sub_task_id: subTaskId });

    expect((await call("GET", `/api/rules/${g.body.id}`, { admin })).body).toEqual(g.body);
    const list = await call("GET", "/api/rules/list", { admin });
    expect(list.status).toBe(200);
    expect(list.body.map((r: { id: string }) => r.id)).toEqual([g.body.id, t.body.id, s.body.id]);
    expect(
      (await call("GET", "/api/rules/list", { admin, query: { scope: "task" } })).body.map((r: { id: string }) => r.id),
    ).toEqual([t.body.id]);
    expect(
      (await call("GET", "/api/rules/list", { admin, query: { task_id: taskId } })).body.map(
        (r: { id: string }) => r.id,
      ),
    ).toEqual([t.body.id, s.body.id]);

    const updated = await call("PUT", `/api/rules/${t.body.id}`, { admin, body: { content: `${text} v2` } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id: t.body.id, scope: "task", task_id: taskId, content: `${text} v2` });
    expect(updated.body.updated_at >= t.body.updated_at).toBe(true);
    const stored = await env.DB.prepare("select content from rule where id = ?")
      .bind(g.body.id)
      .first<{ content: string }>();
    expect(stored!.content).toBe(text);

    const agent = await register("executor");
    const merged = await call("GET", "/api/rules", { key: agent.key, query: { task_id: taskId, cli_version: 2 } });
    expect(merged.body.content).toBe(`${text}${RULE_SEPARATOR}${text} v2`);

    const del = await call("DELETE", `/api/rules/${t.body.id}`, { admin });
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ message: "rule deleted" });
    expect((await call("GET", `/api/rules/${t.body.id}`, { admin })).status).toBe(404);
  });

  it("refuses a second global rule with 409, also when created concurrently", async () => {
    const admin = await initialize(); // setup seeded one global rule
    const before = await dbSnapshot();
    const again = await createRule(admin, { scope: "global", content: "another" });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("global_rule_exists");
    expect(await dbSnapshot()).toEqual(before);

    await clearRules();
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => createRule(admin, { scope: "global", content: `g${i}` })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(4);
    const n = await env.DB.prepare("select count(*) as n from rule where scope = 'global'").first<{ n: number }>();
    expect(n!.n).toBe(1);
  });

  it("validates scope links: 400 without the id, 404 for an unknown task or sub-task", async () => {
    const admin = await initialize();
    const before = await dbSnapshot();
    const cases: [Record<string, unknown>, number, string][] = [
      [{ scope: "task", content: "x" }, 400, "task_id_required"],
      [{ scope: "task", content: "x", task_id: null }, 400, "task_id_required"],
      [{ scope: "sub_task", content: "x" }, 400, "sub_task_id_required"],
      [{ scope: "task", content: "x", task_id: crypto.randomUUID() }, 404, "task_not_found"],
      [{ scope: "sub_task", content: "x", sub_task_id: crypto.randomUUID() }, 404, "sub_task_not_found"],
      [{ scope: "module", content: "x" }, 400, "invalid_input"],
      [{ scope: "global", content: "" }, 400, "invalid_input"],
      [{ scope: "global", content: "x".repeat(50_001) }, 400, "invalid_input"],
      [{ scope: "global" }, 400, "invalid_input"],
    ];
    for (const [body, status, code] of cases) {
      const res = await createRule(admin, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(res.body.code).toBe(code);
    }
    expect(await dbSnapshot()).toEqual(before);
  });

  it("404s unknown rules on get, put and delete; 400 on empty content", async () => {
    const admin = await initialize();
    const missing = crypto.randomUUID();
    for (const [method, body] of [
      ["GET", undefined],
      ["PUT", { content: "x" }],
      ["DELETE", undefined],
    ] as const) {
      const res = await call(method, `/api/rules/${missing}`, { admin, body });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe("rule_not_found");
    }
    const [seeded] = (await call("GET", "/api/rules/list", { admin })).body;
    expect((await call("PUT", `/api/rules/${seeded.id}`, { admin, body: { content: "" } })).status).toBe(400);
    expect((await call("GET", "/api/rules/list", { admin, query: { scope: "nope" } })).status).toBe(400);
  });

  it("is for admins, and for planners on task and sub-task rules only; nothing changes on refusal", async () => {
    const admin = await initialize();
    const planner = await register("planner");
    const executor = await register("executor");
    const [seeded] = (await call("GET", "/api/rules/list", { admin })).body;
    const expectRefused = async (res: Promise<{ status: number; body: any }>, status: number, code: string) => {
      const r = await res;
      expect(r.status).toBe(status);
      expect(r.body.code).toBe(code);
    };
    await expectRefused(call("GET", "/api/rules/list"), 401, "missing_credentials");
    await expectRefused(call("DELETE", `/api/rules/${seeded.id}`), 401, "missing_credentials");
    // One rule by id stays admin-only.
    await expectRefused(call("GET", `/api/rules/${seeded.id}`, { key: planner.key }), 401, "missing_credentials");
    for (const attempt of [
      call("GET", "/api/rules/list", { key: executor.key }),
      call("POST", "/api/rules", { key: executor.key, body: { scope: "task", task_id: "t", content: "x" } }),
      call("PUT", `/api/rules/${seeded.id}`, { key: executor.key, body: { content: "x" } }),
      call("DELETE", `/api/rules/${seeded.id}`, { key: executor.key }),
    ])
      await expectRefused(attempt, 403, "wrong_role");
    for (const attempt of [
      call("POST", "/api/rules", { key: planner.key, body: { scope: "global", content: "x" } }),
      call("PUT", `/api/rules/${seeded.id}`, { key: planner.key, body: { content: "x" } }),
      call("DELETE", `/api/rules/${seeded.id}`, { key: planner.key }),
    ])
      await expectRefused(attempt, 403, "global_rule_admin_only");
    expect((await call("GET", "/api/rules/list", { key: planner.key })).body).toEqual([seeded]);
    expect((await call("GET", `/api/rules/${seeded.id}`, { admin })).body.content).toBe(seeded.content);
  });
});
