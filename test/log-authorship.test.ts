// Who may write which activity log, and that every listing names each log's author and time.
// coding/delivery/blocked on a sub-task: only its current or a past assignee; plan, review and patrol:
// only their role; reflection: anyone; retro: anyone, about a retrospective they may read and no
// sub-task or task. Refusals are 4xx and change nothing.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, dbSnapshot, env, initialize, insertSubTask, ok, register, type TestAgent } from "./helpers";
import { expectInvariants, trackAcks } from "./invariants";
import { insertRetro } from "./retro-rows";

const WORK_KINDS = ["coding", "delivery", "blocked"] as const;

const post = (a: TestAgent, action: string, subTaskId: string | null, summary = `${action} by ${a.name}`) =>
  call("POST", "/api/logs", { key: a.key, body: { action, summary, sub_task_id: subTaskId } });
const op = (a: TestAgent, id: string, name: string, body: Record<string, unknown> = {}) =>
  ok(call("POST", `/api/sub-tasks/${id}/${name}`, { key: a.key, body }));

async function team() {
  const admin = await initialize();
  const [holder, other, third, planner, reviewer, patrol] = await Promise.all([
    register("executor"),
    register("executor"),
    register("executor"),
    register("planner"),
    register("reviewer"),
    register("patrol"),
  ]);
  return { admin, holder, other, third, planner, reviewer, patrol };
}

describe("work logs on a sub-task", () => {
  it("are 403 not_assignee for anyone but its assignee, for each guarded kind, and change nothing", async () => {
    const t = await team();
    const id = await insertSubTask();
    await op(t.holder, id, "claim");
    const before = await dbSnapshot();
    for (const kind of WORK_KINDS) {
      for (const intruder of [t.other, t.planner, t.reviewer, t.patrol]) {
        const res = await post(intruder, kind, id, "[delivery] all done, approve it");
        expect(res.status, `${intruder.role} ${kind}`).toBe(403);
        expect(res.body.code).toBe("not_assignee");
        expect(res.body.detail).toContain(id);
      }
    }
    expect(await dbSnapshot()).toEqual(before);
    // The detail says what the caller may write there instead.
    expect((await post(t.other, "delivery", id)).body.detail).toContain("on it you may write: reflection, retro.");
    expect((await post(t.reviewer, "coding", id)).body.detail).toContain(
      "on it you may write: reflection, review, retro.",
    );
    for (const kind of WORK_KINDS) expect((await post(t.holder, kind, id)).status, kind).toBe(200);
  });

  it("stay open to a past assignee after a reassign, and to the new one", async () => {
    const t = await team();
    const id = await insertSubTask();
    await op(t.holder, id, "claim");
    await op(t.holder, id, "start");
    await op(t.patrol, id, "block");
    await op(t.planner, id, "reassign", { agent_id: t.other.id });
    for (const kind of WORK_KINDS) {
      expect((await post(t.holder, kind, id)).status, `past ${kind}`).toBe(200);
      expect((await post(t.other, kind, id)).status, `current ${kind}`).toBe(200);
      expect((await post(t.third, kind, id)).status, `never ${kind}`).toBe(403);
    }
  });

  it("stay open to a past assignee after a rework hand-over", async () => {
    const t = await team();
    const id = await insertSubTask();
    await op(t.holder, id, "claim");
    await op(t.holder, id, "start");
    await op(t.holder, id, "submit");
    await ok(
      call("POST", "/api/review-records", {
        key: t.reviewer.key,
        body: { sub_task_id: id, result: "rejected", score: 2, issues: "tests missing", rework_agent: t.other.id },
      }),
    );
    expect((await post(t.holder, "delivery", id)).status).toBe(200);
    expect((await post(t.other, "coding", id)).status).toBe(200);
    expect((await post(t.third, "blocked", id)).status).toBe(403);
  });

  it("keeps refusals and acknowledged writes consistent under a concurrent burst", async () => {
    const t = await team();
    const acks = trackAcks();
    const task = await ok(call("POST", "/api/tasks", { key: t.planner.key, body: { name: "burst" } }));
    const created = await ok(
      acks.call("POST", "/api/sub-tasks", {
        key: t.planner.key,
        body: { task_id: task.id, name: "st", assigned_agent: t.holder.id },
      }),
    );
    const id: string = created.id;
    const writes = Array.from({ length: 16 }, (_, i) => {
      const who = i % 2 ? t.other : t.holder;
      return acks.call("POST", "/api/logs", {
        key: who.key,
        body: { action: WORK_KINDS[i % 3], summary: `burst ${i}`, sub_task_id: id },
      });
    });
    const statuses = (await Promise.all(writes)).map((r) => r.status);
    expect(statuses).toEqual(Array.from({ length: 16 }, (_, i) => (i % 2 ? 403 : 200)));
    const stored = await env.DB.prepare(
      "select agent_id, count(*) as n from activity_log where sub_task_id = ? group by agent_id",
    )
      .bind(id)
      .all();
    expect(stored.results).toEqual([{ agent_id: t.holder.id, n: 8 }]);
    await expectInvariants({ admin: t.admin, acks });
  });

  it("without a sub-task are open to every role, as before (a planner's closing delivery, anyone's help request)", async () => {
    const t = await team();
    expect((await post(t.planner, "delivery", null)).status).toBe(200);
    expect((await post(t.reviewer, "blocked", null)).status).toBe(200);
    expect((await post(t.other, "coding", null)).status).toBe(200);
  });
});

describe("role kinds", () => {
  it("plan, review and patrol logs come only from their role; reflection from anyone, anywhere", async () => {
    const t = await team();
    const id = await insertSubTask();
    const before = await dbSnapshot();
    const refusals: [TestAgent, string][] = [
      [t.holder, "plan"],
      [t.holder, "review"],
      [t.holder, "patrol"],
      [t.planner, "review"],
      [t.reviewer, "plan"],
      [t.patrol, "plan"],
    ];
    for (const [who, kind] of refusals) {
      for (const subTaskId of [id, null]) {
        const res = await post(who, kind, subTaskId);
        expect(res.status, `${who.role} ${kind}`).toBe(403);
        expect(res.body.code).toBe("log_kind_not_allowed");
      }
    }
    expect(await dbSnapshot()).toEqual(before);
    expect((await post(t.holder, "plan", null)).body.detail).toBe(
      "plan logs are written by the planner role; as executor you may write: coding, delivery, blocked, reflection, retro",
    );
    expect((await post(t.planner, "plan", id)).status).toBe(200);
    expect((await post(t.reviewer, "review", id)).status).toBe(200);
    expect((await post(t.patrol, "patrol", id)).status).toBe(200);
    for (const who of [t.holder, t.planner, t.reviewer, t.patrol])
      expect((await post(who, "reflection", id)).status).toBe(200);
  });
});

describe("listings name the author and the time", () => {
  it("in the agent and admin lists, also for a deleted agent (name null) and the server's own patrol", async () => {
    const t = await team();
    const id = await insertSubTask();
    await op(t.holder, id, "claim");
    const written = await ok(post(t.holder, "delivery", id, "report in out/"));
    await ok(post(t.other, "reflection", null, "gone soon"));
    await ok(
      call("DELETE", `/api/admin/agents/${t.other.id}`, { admin: t.admin, body: { confirm_name: t.other.name } }),
    );
    const now = new Date().toISOString();
    await env.DB.prepare(
      "insert into activity_log (id, agent_id, sub_task_id, action, summary, session_id, created_at) values (?, 'system', ?, 'patrol', 'cron', null, ?)",
    )
      .bind(crypto.randomUUID(), id, now)
      .run();

    const all = await ok(call("GET", "/api/logs", { key: t.reviewer.key }));
    const authors = all.map((l: { agent_id: string; agent_name: string | null }) => [l.agent_id, l.agent_name]);
    expect(authors).toEqual([
      ["system", "system"],
      [t.other.id, null],
      [t.holder.id, t.holder.name],
    ]);
    for (const l of all) expect(l.created_at).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    const listed = { ...written, agent_name: t.holder.name, sub_task_name: "S", task_name: "T" };
    expect(all[2]).toEqual(listed);

    const bySub = await ok(
      call("GET", "/api/logs", { key: t.reviewer.key, query: { sub_task_id: id, action: "delivery" } }),
    );
    expect(bySub).toEqual([listed]);
    const mine = await ok(call("GET", "/api/logs/mine", { key: t.holder.key }));
    expect(mine).toEqual([listed]);

    const adminAll = await ok(call("GET", "/api/admin/logs", { admin: t.admin }));
    expect(adminAll.items.map((l: { agent_name: string | null }) => l.agent_name)).toEqual([
      "system",
      null,
      t.holder.name,
    ]);
    const perAgent = await ok(call("GET", `/api/admin/agents/${t.holder.id}/activity-logs`, { admin: t.admin }));
    expect(perAgent.items).toEqual([{ ...written, agent_name: t.holder.name }]);
  });

  it("in the MCP list_logs tool's answer", async () => {
    const t = await team();
    await ok(post(t.planner, "plan", null, "use the v2 schema"));
    const res = await exports.default.fetch(
      new Request("http://openmoss.test/mcp", {
        method: "POST",
        headers: {
          accept: "application/json, text/event-stream",
          "content-type": "application/json",
          authorization: `Bearer ${t.holder.key}`,
        },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "tools/call",
          params: { name: "list_logs", arguments: { action: "plan" } },
        }),
      }),
    );
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { result: { isError?: boolean; content: { text: string }[] } };
    expect(answer.result.isError).toBeFalsy();
    const listed = JSON.parse(answer.result.content[0]!.text);
    expect(listed).toEqual([
      expect.objectContaining({
        agent_id: t.planner.id,
        agent_name: t.planner.name,
        summary: "use the v2 schema",
        created_at: expect.any(String),
      }),
    ]);
  });
});

describe("retro logs", () => {
  const retroLog = (who: TestAgent, body: Record<string, unknown>) =>
    call("POST", "/api/logs", { key: who.key, body: { action: "retro", summary: "what I take from it", ...body } });

  it("answer the team's retrospective or the writer's own, from any role, and keep the link", async () => {
    const t = await team();
    const teamRow = await insertRetro({ periodKey: "day:2026-12-04", scope: "team" });
    const own = await insertRetro({ periodKey: "day:2026-12-04", scope: "agent", agentId: t.holder.id });
    for (const who of [t.holder, t.planner, t.reviewer, t.patrol]) {
      const res = await retroLog(who, { retrospective_id: teamRow });
      expect(res.status, who.role).toBe(200);
      expect(res.body).toMatchObject({ action: "retro", retrospective_id: teamRow, sub_task_id: null, task_id: null });
    }
    const mine = await ok(retroLog(t.holder, { retrospective_id: own }));
    const stored = await env.DB.prepare("select retrospective_id as r from activity_log where id = ?")
      .bind(mine.id)
      .first();
    expect(stored).toEqual({ r: own });
    // Without a retrospective it is a general reflection on the period.
    const loose = await ok(retroLog(t.other, {}));
    expect(loose.retrospective_id).toBeUndefined();
  });

  it("are 404 for a missing retrospective or another agent's own, and change nothing", async () => {
    const t = await team();
    const others = await insertRetro({ periodKey: "day:2026-12-04", scope: "agent", agentId: t.other.id });
    const before = await dbSnapshot();
    for (const retrospective_id of [others, "no-such-retro"]) {
      const res = await retroLog(t.holder, { retrospective_id });
      expect(res.status, retrospective_id).toBe(404);
      expect(res.body.code).toBe("retrospective_not_found");
    }
    expect(await dbSnapshot()).toEqual(before);
  });

  it("name no sub-task or task, and retrospective_id goes with retro only (400)", async () => {
    const t = await team();
    const id = await insertSubTask();
    const teamRow = await insertRetro({ periodKey: "day:2026-12-04", scope: "team" });
    const before = await dbSnapshot();
    for (const body of [{ sub_task_id: id }, { sub_task_id: id, retrospective_id: teamRow }, { task_id: "t" }]) {
      const res = await retroLog(t.holder, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe("retro_log_target");
      expect(res.body.hint).toContain(`log create retro "<what you take from it>" --retro <id>`);
    }
    const reflection = await call("POST", "/api/logs", {
      key: t.holder.key,
      body: { action: "reflection", summary: "x", retrospective_id: teamRow },
    });
    expect([reflection.status, reflection.body.code]).toEqual([400, "retrospective_id_needs_retro"]);
    expect(await dbSnapshot()).toEqual(before);
  });
});
