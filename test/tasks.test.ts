import { beforeEach, describe, expect, it } from "vitest";
import { call, dbSnapshot, env, initialize, login, ok, register, type TestAgent } from "./helpers";

let planner: TestAgent;
let executor: TestAgent;

beforeEach(async () => {
  await initialize();
  planner = await register("planner");
  executor = await register("executor");
});

const createTask = async (body: Record<string, unknown> = { name: "Build the thing" }) => {
  const res = await call("POST", "/api/tasks", { key: planner.key, body });
  expect(res.status).toBe(200);
  return res.body;
};

describe("tasks", () => {
  it("creates a task in planning with upstream's fields", async () => {
    const t = await createTask({ name: "T", description: "d", type: "recurring" });
    expect(Object.keys(t).sort()).toEqual([
      "created_at",
      "description",
      "id",
      "name",
      "status",
      "type",
      "updated_at",
      "workspace",
    ]);
    expect(t).toMatchObject({ name: "T", description: "d", type: "recurring", status: "planning", workspace: "" });
    expect(t.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("refuses wrong roles (403), missing keys (401) and bad bodies (400)", async () => {
    expect((await call("POST", "/api/tasks", { key: executor.key, body: { name: "x" } })).body.code).toBe("wrong_role");
    expect((await call("POST", "/api/tasks", { body: { name: "x" } })).status).toBe(401);
    const bad = await call("POST", "/api/tasks", { key: planner.key, body: { name: "x", type: "weekly" } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("invalid_input");
  });

  it("lists newest first with upstream's optional pagination", async () => {
    for (const name of ["a", "b", "c"]) await createTask({ name });
    const all = await call("GET", "/api/tasks", { key: executor.key });
    expect(all.body).toMatchObject({ total: 3, page: 1, page_size: 0, total_pages: 1, has_more: false });
    expect(all.body.items.map((t: { name: string }) => t.name)).toEqual(["c", "b", "a"]);
    const page2 = await call("GET", "/api/tasks", { key: executor.key, query: { page: 2, page_size: 2 } });
    expect(page2.body).toMatchObject({ total: 3, page: 2, page_size: 2, total_pages: 2, has_more: false });
    expect(page2.body.items).toHaveLength(1);
    const beyond = await call("GET", "/api/tasks", { key: executor.key, query: { page: 9, page_size: 2 } });
    expect(beyond.body).toMatchObject({ items: [], total: 3 });
    const filtered = await call("GET", "/api/tasks", { key: executor.key, query: { status: "active" } });
    expect(filtered.body.total).toBe(0);
    expect((await call("GET", "/api/tasks", { key: executor.key, query: { status: "nope" } })).status).toBe(400);
  });

  it("bounds page_size=0 ('everything') at 100 rows and says there is more", async () => {
    const now = new Date().toISOString();
    await env.DB.batch(
      Array.from({ length: 130 }, (_, i) =>
        env.DB.prepare("insert into task (id, name, created_at, updated_at) values (?, 'bulk', ?, ?)").bind(
          `bulk-${i}`,
          now,
          now,
        ),
      ),
    );
    const all = await call("GET", "/api/tasks", { key: executor.key });
    expect(all.body).toMatchObject({ total: 130, page: 1, page_size: 0, has_more: true });
    expect(all.body.items).toHaveLength(100);
  });

  it("gets one task or 404", async () => {
    const t = await createTask();
    expect((await call("GET", `/api/tasks/${t.id}`, { key: executor.key })).body).toEqual(t);
    const missing = await call("GET", "/api/tasks/nope", { key: executor.key });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe("task_not_found");
  });

  it("edits only while planning or active", async () => {
    const t = await createTask();
    const edited = await call("PUT", `/api/tasks/${t.id}`, { key: planner.key, body: { name: "Renamed" } });
    expect(edited.body).toMatchObject({ name: "Renamed", description: "" });
    await call("PUT", `/api/tasks/${t.id}/status`, { key: planner.key, body: { status: "archived" } });
    const refused = await call("PUT", `/api/tasks/${t.id}`, { key: planner.key, body: { name: "Again" } });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("task_not_editable");
    expect((await call("PUT", "/api/tasks/nope", { key: planner.key, body: { name: "x" } })).status).toBe(404);
  });

  it("sets status within the rules: no completion with open sub-tasks, no cancelled via status, restart after cancel", async () => {
    const t = await createTask();
    await call("POST", "/api/sub-tasks", { key: planner.key, body: { task_id: t.id, name: "open one" } });
    const early = await call("PUT", `/api/tasks/${t.id}/status`, { key: planner.key, body: { status: "completed" } });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe("open_sub_tasks");
    expect(
      (await call("PUT", `/api/tasks/${t.id}/status`, { key: planner.key, body: { status: "cancelled" } })).status,
    ).toBe(400);
    expect(
      (await call("PUT", `/api/tasks/${t.id}/status`, { key: planner.key, body: { status: "active" } })).body.status,
    ).toBe("active");
    await call("POST", `/api/tasks/${t.id}/cancel`, { key: planner.key });
    const toProgress = await call("PUT", `/api/tasks/${t.id}/status`, {
      key: planner.key,
      body: { status: "in_progress" },
    });
    expect(toProgress.status).toBe(409);
    const restarted = await call("PUT", `/api/tasks/${t.id}/status`, { key: planner.key, body: { status: "active" } });
    expect(restarted.body.status).toBe("active");
  });

  it("cancel cascades to open sub-tasks, keeps done ones, and refuses a second cancel", async () => {
    const t = await createTask();
    const ids: string[] = [];
    for (const name of ["a", "b"])
      ids.push((await call("POST", "/api/sub-tasks", { key: planner.key, body: { task_id: t.id, name } })).body.id);
    await call("POST", `/api/sub-tasks/${ids[1]}/claim`, { key: executor.key });
    const cancelled = await call("POST", `/api/tasks/${t.id}/cancel`, { key: planner.key });
    expect(cancelled.body.status).toBe("cancelled");
    const rows = await env.DB.prepare("select status, current_session_id from sub_task where task_id = ?")
      .bind(t.id)
      .all();
    expect(rows.results).toEqual([
      { status: "cancelled", current_session_id: null },
      { status: "cancelled", current_session_id: null },
    ]);
    const again = await call("POST", `/api/tasks/${t.id}/cancel`, { key: planner.key });
    expect(again.status).toBe(409);
    expect((await call("GET", "/api/sub-tasks/available", { key: executor.key })).body.total).toBe(0);
    expect((await call("POST", `/api/tasks/nope/cancel`, { key: planner.key })).status).toBe(404);
  });

  it("creates and lists modules; refuses unknown and closed tasks", async () => {
    const t = await createTask();
    const m = await call("POST", `/api/tasks/${t.id}/modules`, {
      key: planner.key,
      body: { name: "API", description: "d" },
    });
    expect(m.body).toEqual({ id: m.body.id, task_id: t.id, name: "API", description: "d" });
    expect((await call("GET", `/api/tasks/${t.id}/modules`, { key: executor.key })).body).toEqual([m.body]);
    expect((await call("GET", "/api/tasks/nope/modules", { key: executor.key })).body).toEqual([]);
    expect((await call("POST", "/api/tasks/nope/modules", { key: planner.key, body: { name: "x" } })).status).toBe(404);
    expect((await call("POST", `/api/tasks/${t.id}/modules`, { key: executor.key, body: { name: "x" } })).status).toBe(
      403,
    );
    await call("POST", `/api/tasks/${t.id}/cancel`, { key: planner.key });
    const closed = await call("POST", `/api/tasks/${t.id}/modules`, { key: planner.key, body: { name: "late" } });
    expect(closed.status).toBe(409);
    expect(closed.body.code).toBe("task_closed");
  });
});

describe("a task's shared workspace", () => {
  it("is set at create, shown in every task answer, changed or cleared by edit, and left alone when absent or null", async () => {
    const t = await createTask({ name: "textstats", workspace: "  https://git.example/team/textstats.git  " });
    expect(t.workspace).toBe("https://git.example/team/textstats.git"); // one trimmed line
    expect((await call("GET", `/api/tasks/${t.id}`, { key: executor.key })).body.workspace).toBe(t.workspace);
    expect((await call("GET", "/api/tasks", { key: executor.key })).body.items[0].workspace).toBe(t.workspace);
    const moved = await call("PUT", `/api/tasks/${t.id}`, { key: planner.key, body: { workspace: "/ws/textstats" } });
    expect(moved.body).toMatchObject({ name: "textstats", workspace: "/ws/textstats" });
    const renamed = await call("PUT", `/api/tasks/${t.id}`, {
      key: planner.key,
      body: { name: "textstats 2", workspace: null },
    });
    expect(renamed.body.workspace).toBe("/ws/textstats");
    expect(
      (await call("PUT", `/api/tasks/${t.id}`, { key: planner.key, body: { workspace: "" } })).body.workspace,
    ).toBe("");
    const stored = await env.DB.prepare("select workspace from task where id = ?")
      .bind(t.id)
      .first<{ workspace: string }>();
    expect(stored?.workspace).toBe("");
    expect(
      (await call("PUT", `/api/tasks/${t.id}/status`, { key: planner.key, body: { status: "active" } })).body.workspace,
    ).toBe("");
  });

  it("refuses a second line, controls or more than 1,000 characters (400), changing nothing", async () => {
    const t = await createTask({ name: "bounded" });
    const before = await dbSnapshot();
    for (const workspace of ["/ws/a\n/ws/b", "/ws/\u001b[31m", "x".repeat(1001), 5]) {
      const created = await call("POST", "/api/tasks", { key: planner.key, body: { name: "n", workspace } });
      expect(created.status, JSON.stringify(workspace).slice(0, 40)).toBe(400);
      expect((await call("PUT", `/api/tasks/${t.id}`, { key: planner.key, body: { workspace } })).status).toBe(400);
    }
    expect(await dbSnapshot()).toEqual(before);
  });

  it("the admin sets and edits it too, and the admin's task answers carry it", async () => {
    const admin = await login();
    const created = await ok(
      call("POST", "/api/admin/tasks", { admin, body: { name: "admin made", workspace: "/ws/admin" } }),
    );
    expect(created.workspace).toBe("/ws/admin");
    expect((await ok(call("GET", `/api/admin/tasks/${created.id}`, { admin }))).workspace).toBe("/ws/admin");
    expect(
      (await ok(call("PUT", `/api/admin/tasks/${created.id}`, { admin, body: { workspace: "" } }))).workspace,
    ).toBe("");
  });
});

describe("names in the lists agents read", () => {
  it("st list names the assignee; st events name each actor (none for the admin)", async () => {
    const t = await createTask({ name: "named" });
    const st = (await ok(call("POST", "/api/sub-tasks", { key: planner.key, body: { task_id: t.id, name: "one" } })))
      .id as string;
    await ok(call("POST", `/api/sub-tasks/${st}/claim`, { key: executor.key }));
    const admin = await login();
    await ok(call("POST", `/api/admin/sub-tasks/${st}/block`, { admin, body: { reason: "check" } }));
    const list = await ok(call("GET", "/api/sub-tasks", { key: executor.key, query: { task_id: t.id } }));
    expect(
      list.items.map((s: { assigned_agent: string; assigned_agent_name: string }) => [
        s.assigned_agent,
        s.assigned_agent_name,
      ]),
    ).toEqual([[executor.id, executor.name]]);
    const pending = (
      await ok(call("POST", "/api/sub-tasks", { key: planner.key, body: { task_id: t.id, name: "two" } }))
    ).id as string;
    const mine = await ok(call("GET", "/api/sub-tasks/available", { key: executor.key }));
    expect(
      mine.items.map((s: { id: string; assigned_agent_name: string | null }) => [s.id, s.assigned_agent_name]),
    ).toEqual([[pending, null]]);
    const events = await ok(call("GET", `/api/sub-tasks/${st}/events`, { key: executor.key }));
    expect(
      events.map((e: { op: string; actor_kind: string; actor_name: string | null }) => [
        e.op,
        e.actor_kind,
        e.actor_name,
      ]),
    ).toEqual([
      ["create", "agent", planner.name],
      ["claim", "agent", executor.name],
      ["block", "admin", null],
    ]);
  });
});
