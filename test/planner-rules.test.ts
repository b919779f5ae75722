// Planners write task and sub-task rules themselves; the global rule stays with admins.
import { beforeEach, describe, expect, it } from "vitest";
import globalRule from "../rules/global-rule.md";
import { RULE_SEPARATOR } from "../worker/domain/rules";
import { call, dbSnapshot, env, initialize, register, type TestAgent } from "./helpers";

let admin: string;
let planner: TestAgent, executor: TestAgent;
let taskId: string, subTaskId: string, globalId: string;
const filledGlobal = globalRule.replaceAll("{{project_name}}", "Test Project").replaceAll("{{workspace_root}}", "/ws");

beforeEach(async () => {
  admin = await initialize();
  [planner, executor] = await Promise.all([register("planner"), register("executor")]);
  taskId = (await call("POST", "/api/tasks", { key: planner.key, body: { name: "T" } })).body.id;
  subTaskId = (await call("POST", "/api/sub-tasks", { key: planner.key, body: { task_id: taskId, name: "S" } })).body
    .id;
  const globals = (await call("GET", "/api/rules/list", { admin, query: { scope: "global" } })).body;
  expect(globals).toHaveLength(1);
  globalId = globals[0].id;
});

const storedRule = (id: string) =>
  env.DB.prepare("select scope, task_id, sub_task_id, content from rule where id = ?").bind(id).first();
const merged = async (query: Record<string, string>) =>
  (await call("GET", "/api/rules", { key: executor.key, query: { ...query, cli_version: 3 } })).body.content as string;

describe("planner rules", () => {
  it("a planner creates, lists, edits and deletes task and sub-task rules, and agents get them merged", async () => {
    const t = await call("POST", "/api/rules", {
      key: planner.key,
      body: { scope: "task", task_id: taskId, content: "Task rule in {{workspace_root}}" },
    });
    expect(t.status, JSON.stringify(t.body)).toBe(200);
    expect(t.body).toMatchObject({
      scope: "task",
      task_id: taskId,
      sub_task_id: null,
      content: "Task rule in {{workspace_root}}",
    });
    const s = await call("POST", "/api/rules", {
      key: planner.key,
      body: { scope: "sub_task", sub_task_id: subTaskId, content: "Sub-task rule ✅" },
    });
    expect(s.status, JSON.stringify(s.body)).toBe(200);
    // A sub-task rule records its sub-task's task.
    expect(s.body).toMatchObject({ scope: "sub_task", task_id: taskId, sub_task_id: subTaskId });
    expect(await storedRule(s.body.id)).toEqual({
      scope: "sub_task",
      task_id: taskId,
      sub_task_id: subTaskId,
      content: "Sub-task rule ✅",
    });

    expect(await merged({ task_id: taskId })).toBe([filledGlobal, "Task rule in /ws"].join(RULE_SEPARATOR));
    expect(await merged({ task_id: taskId, sub_task_id: subTaskId })).toBe(
      [filledGlobal, "Task rule in /ws", "Sub-task rule ✅"].join(RULE_SEPARATOR),
    );
    expect(await merged({})).toBe(filledGlobal);

    const list = await call("GET", "/api/rules/list", { key: planner.key, query: { task_id: taskId } });
    expect(list.status).toBe(200);
    expect(list.body.map((r: { id: string }) => r.id)).toEqual([t.body.id, s.body.id]);
    // Planners see the global rule in the list too (read-only for them).
    expect((await call("GET", "/api/rules/list", { key: planner.key })).body.map((r: { id: string }) => r.id)).toEqual([
      globalId,
      t.body.id,
      s.body.id,
    ]);

    const edit = await call("PUT", `/api/rules/${t.body.id}`, { key: planner.key, body: { content: "Task rule v2" } });
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ id: t.body.id, scope: "task", content: "Task rule v2" });
    expect((await storedRule(t.body.id))!.content).toBe("Task rule v2");
    expect(await merged({ task_id: taskId })).toBe([filledGlobal, "Task rule v2"].join(RULE_SEPARATOR));

    const del = await call("DELETE", `/api/rules/${s.body.id}`, { key: planner.key });
    expect(del.status).toBe(200);
    expect(await storedRule(s.body.id)).toBeNull();
    expect(await merged({ task_id: taskId, sub_task_id: subTaskId })).toBe(
      [filledGlobal, "Task rule v2"].join(RULE_SEPARATOR),
    );
    // A second planner may edit and delete what the first wrote.
    const other = await register("planner");
    expect((await call("DELETE", `/api/rules/${t.body.id}`, { key: other.key })).status).toBe(200);
    expect(await storedRule(t.body.id)).toBeNull();
  });

  it("a planner cannot create, edit or delete the global rule (403), and nothing changes", async () => {
    const before = await dbSnapshot();
    for (const res of [
      await call("POST", "/api/rules", { key: planner.key, body: { scope: "global", content: "mine now" } }),
      await call("PUT", `/api/rules/${globalId}`, { key: planner.key, body: { content: "mine now" } }),
      await call("DELETE", `/api/rules/${globalId}`, { key: planner.key }),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.code).toBe("global_rule_admin_only");
    }
    expect(await dbSnapshot()).toEqual(before);
    expect((await storedRule(globalId))!.content).toBe(globalRule);

    // With no global rule at all, creating one is still admin-only.
    await env.DB.prepare("delete from rule").run();
    const none = await call("POST", "/api/rules", { key: planner.key, body: { scope: "global", content: "mine now" } });
    expect(none.status).toBe(403);
    expect(none.body.code).toBe("global_rule_admin_only");
    expect((await env.DB.prepare("select count(*) n from rule").first<{ n: number }>())!.n).toBe(0);
  });

  it("other roles get 403 wrong_role for every write and the list; a bad admin token is not a fallback", async () => {
    const t = (
      await call("POST", "/api/rules", { key: planner.key, body: { scope: "task", task_id: taskId, content: "x" } })
    ).body.id;
    const before = await dbSnapshot();
    for (const role of ["executor", "reviewer", "patrol"] as const) {
      const agent = role === "executor" ? executor : await register(role);
      const snapshot = await dbSnapshot();
      for (const res of [
        await call("POST", "/api/rules", { key: agent.key, body: { scope: "task", task_id: taskId, content: "x" } }),
        await call("POST", "/api/rules", { key: agent.key, body: { scope: "global", content: "x" } }),
        await call("PUT", `/api/rules/${t}`, { key: agent.key, body: { content: "y" } }),
        await call("DELETE", `/api/rules/${t}`, { key: agent.key }),
        await call("GET", "/api/rules/list", { key: agent.key }),
      ]) {
        expect(res.status, role).toBe(403);
        expect(res.body.code).toBe("wrong_role");
      }
      expect((await dbSnapshot()).rule).toEqual(snapshot.rule);
    }
    expect((await dbSnapshot()).rule).toEqual(before.rule);
    // A planner key with a wrong admin token is judged as an admin attempt: 401.
    const mixed = await call("DELETE", `/api/rules/${t}`, { key: planner.key, admin: "not-a-session" });
    expect(mixed.status).toBe(401);
    expect(await storedRule(t)).not.toBeNull();
    expect((await call("DELETE", `/api/rules/${t}`)).status).toBe(401);
  });

  it("unknown task, sub-task or rule: 404 for a planner, nothing written", async () => {
    const before = await dbSnapshot();
    const cases: [string, string, Record<string, unknown> | undefined, string][] = [
      ["POST", "/api/rules", { scope: "task", task_id: "no-such-task", content: "x" }, "task_not_found"],
      [
        "POST",
        "/api/rules",
        { scope: "sub_task", sub_task_id: "no-such-sub-task", content: "x" },
        "sub_task_not_found",
      ],
      ["PUT", "/api/rules/no-such-rule", { content: "x" }, "rule_not_found"],
      ["DELETE", "/api/rules/no-such-rule", undefined, "rule_not_found"],
    ];
    for (const [method, path, body, code] of cases) {
      const res = await call(method, path, { key: planner.key, body });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.code).toBe(code);
    }
    expect((await dbSnapshot()).rule).toEqual(before.rule);
    const missingId = await call("POST", "/api/rules", { key: planner.key, body: { scope: "task", content: "x" } });
    expect(missingId.status).toBe(400);
    expect(missingId.body.code).toBe("task_id_required");
  });

  it("admins still do everything: the global rule, and planners' rules", async () => {
    const planned = (
      await call("POST", "/api/rules", {
        key: planner.key,
        body: { scope: "sub_task", sub_task_id: subTaskId, content: "planner's" },
      })
    ).body.id;
    const g = await call("PUT", `/api/rules/${globalId}`, {
      admin,
      body: { content: "Admin global for {{project_name}}" },
    });
    expect(g.status).toBe(200);
    expect(await merged({})).toBe("Admin global for Test Project");
    expect((await call("PUT", `/api/rules/${planned}`, { admin, body: { content: "admin edited" } })).status).toBe(200);
    expect(await merged({ sub_task_id: subTaskId })).toBe(`Admin global for Test Project${RULE_SEPARATOR}admin edited`);
    const t = await call("POST", "/api/rules", {
      admin,
      body: { scope: "task", task_id: taskId, content: "admin task rule" },
    });
    expect(t.status).toBe(200);
    expect((await call("GET", `/api/rules/${t.body.id}`, { admin })).body.content).toBe("admin task rule");
    expect((await call("DELETE", `/api/rules/${planned}`, { admin })).status).toBe(200);
    expect((await call("DELETE", `/api/rules/${globalId}`, { admin })).status).toBe(200);
    expect(await merged({ task_id: taskId })).toBe("admin task rule");
    const again = await call("POST", "/api/rules", { admin, body: { scope: "global", content: "fresh global" } });
    expect(again.status).toBe(200);
    expect(await merged({})).toBe("fresh global");
    expect((await call("GET", "/api/rules/list", { admin })).body.map((r: { content: string }) => r.content)).toEqual([
      "admin task rule",
      "fresh global",
    ]);
  });
});
