import { createScheduledController } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import worker from "../worker/index";
import { call, dbSnapshot, env, initialize, register, type TestAgent } from "./helpers";
import { channel, configure } from "./notification-helpers";

const MIN = 60_000;
let NOW = Date.now();
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const runCron = () => worker.scheduled(createScheduledController({ scheduledTime: NOW, cron: "* * * * *" }), env);

let admin: string, planner: TestAgent, exec: TestAgent, patrol: TestAgent;
let taskId: string;

beforeEach(async () => {
  NOW = Date.now();
  admin = await initialize();
  [planner, exec, patrol] = await Promise.all([register("planner"), register("executor"), register("patrol")]);
  taskId = (await call("POST", "/api/tasks", { key: planner.key, body: { name: "T" } })).body.id;
});

async function subTask(status: "pending" | "assigned" | "in_progress" | "review" = "pending") {
  const id = (
    await call("POST", "/api/sub-tasks", { key: planner.key, body: { task_id: taskId, name: `S-${status}` } })
  ).body.id as string;
  const steps = {
    pending: [],
    assigned: ["claim"],
    in_progress: ["claim", "start"],
    review: ["claim", "start", "submit"],
  }[status];
  for (const op of steps)
    expect((await call("POST", `/api/sub-tasks/${id}/${op}`, { key: exec.key })).status).toBe(200);
  return id;
}

/** Backdates a sub-task's clocks (what the rules measure). */
const backdate = (id: string, cols: Partial<Record<"created_at" | "updated_at" | "started_at", string>>) =>
  env.DB.prepare(
    `update sub_task set ${Object.keys(cols)
      .map((c) => `${c} = ?`)
      .join(", ")} where id = ?`,
  )
    .bind(...Object.values(cols), id)
    .run();

const records = async (where = "1") =>
  (
    await env.DB.prepare(`select * from patrol_record where ${where} order by created_at, rowid`).all<
      Record<string, any>
    >()
  ).results;

describe("anomaly rules at their thresholds (defaults from upstream's patrol prompt)", () => {
  it("timeout: warning after 60 min in progress, nothing just before", async () => {
    const id = await subTask("in_progress");
    await backdate(id, { started_at: ago(60 * MIN - 1000) });
    await runCron();
    expect(await records("type = 'timeout'")).toHaveLength(0);
    await backdate(id, { started_at: ago(60 * MIN + 1000) });
    await runCron();
    const [r] = await records("type = 'timeout'");
    expect(r).toMatchObject({
      severity: "warning",
      status: "open",
      sub_task_id: id,
      target: `sub_task:${id}`,
      source: "cron",
    });
    expect((await call("GET", `/api/sub-tasks/${id}`, { key: exec.key })).body.status).toBe("in_progress");
  });

  it("timeout: critical after 120 min, and the sub-task is blocked through its Durable Object", async () => {
    const id = await subTask("in_progress");
    await backdate(id, { started_at: ago(120 * MIN - 1000) });
    await runCron();
    expect((await records("type = 'timeout'")).map((r) => r.severity)).toEqual(["warning"]);
    await backdate(id, { started_at: ago(120 * MIN + 1000) });
    await runCron();
    const open = await records("type = 'timeout' and status = 'open'");
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ severity: "critical", action_taken: "blocked" });
    expect((await records("type = 'timeout' and status = 'resolved'"))[0]!.resolution_note).toBe(
      "escalated to critical",
    );
    const st = (await call("GET", `/api/sub-tasks/${id}`, { key: exec.key })).body;
    expect(st).toMatchObject({ status: "blocked", current_session_id: null, assigned_agent: exec.id });
    const events = (await call("GET", `/api/sub-tasks/${id}/events`, { key: exec.key })).body;
    expect(events.at(-1)).toMatchObject({ op: "block", actor_kind: "system", to_status: "blocked" });
  });

  it("stuck: a non-terminal sub-task unchanged for more than 120 min", async () => {
    const id = await subTask("review");
    await backdate(id, { updated_at: ago(120 * MIN - 1000) });
    await runCron();
    expect(await records("type = 'stuck'")).toHaveLength(0);
    await backdate(id, { updated_at: ago(120 * MIN + 1000) });
    await runCron();
    expect(await records("type = 'stuck'")).toHaveLength(1);
  });

  it("orphan: pending in an active task for more than 60 min; nothing while the task is planning", async () => {
    const id = await subTask("pending");
    await backdate(id, { created_at: ago(60 * MIN + 1000) });
    await runCron();
    expect(await records("type = 'orphan'")).toHaveLength(0); // task still planning
    await call("PUT", `/api/tasks/${taskId}/status`, { key: planner.key, body: { status: "active" } });
    await backdate(id, { created_at: ago(60 * MIN - 1000) });
    await runCron();
    expect(await records("type = 'orphan'")).toHaveLength(0);
    await backdate(id, { created_at: ago(60 * MIN + 1000) });
    await runCron();
    expect(await records("type = 'orphan'")).toHaveLength(1);
  });

  it("orphan: not while waiting on a dependency; claimable time counts from the dependency's completion, and the text follows", async () => {
    await call("PUT", `/api/tasks/${taskId}/status`, { key: planner.key, body: { status: "active" } });
    const first = await subTask("assigned");
    const next = (
      await call("POST", "/api/sub-tasks", {
        key: planner.key,
        body: { task_id: taskId, name: "Next", depends_on: [first] },
      })
    ).body.id as string;
    await backdate(next, { created_at: ago(300 * MIN) });
    await runCron();
    expect(await records("type = 'orphan'")).toHaveLength(0); // waits on "S-assigned"
    const finish = (minutesAgo: number) =>
      env.DB.prepare("update sub_task set status = 'done', completed_at = ? where id = ?")
        .bind(ago(minutesAgo * MIN), first)
        .run();
    await finish(30);
    await runCron();
    expect(await records("type = 'orphan'")).toHaveLength(0); // claimable for 30 min only
    await finish(61);
    await runCron();
    const [opened] = await records("type = 'orphan'");
    expect(opened!.description).toBe('"Next" has been claimable for 61 min; no executor claimed it');
    NOW += 6 * MIN; // the text is recomputed with last_seen_at
    await runCron();
    const [seen] = await records("type = 'orphan'");
    expect(seen).toMatchObject({
      id: opened!.id,
      description: '"Next" has been claimable for 67 min; no executor claimed it',
    });
  });

  it("orphan: work held by a disabled or deleted agent", async () => {
    const a = await subTask("assigned");
    await call("PUT", `/api/agents/${exec.id}/status`, { admin, body: { status: "disabled" } });
    await runCron();
    expect((await records("type = 'orphan'"))[0]).toMatchObject({ sub_task_id: a, agent_id: exec.id });
    expect((await records("type = 'orphan'"))[0]!.description).toContain("disabled");
    await env.DB.prepare("delete from agent where id = ?").bind(exec.id).run();
    await runCron();
    const open = await records("type = 'orphan' and status = 'open'");
    expect(open).toHaveLength(1); // same target: refreshed, not duplicated
    expect(open[0]!.description).toContain("deleted"); // a new wording is written at once
  });

  it("rework_overflow: the third rework", async () => {
    const id = await subTask("pending");
    await env.DB.prepare("update sub_task set rework_count = 2 where id = ?").bind(id).run();
    await runCron();
    expect(await records("type = 'rework_overflow'")).toHaveLength(0);
    await env.DB.prepare("update sub_task set rework_count = 3 where id = ?").bind(id).run();
    await runCron();
    expect(await records("type = 'rework_overflow'")).toHaveLength(1);
  });

  it("score_drop: three deductions in a row, not two, and not when the latest is a gain", async () => {
    const ledger = (deltas: number[]) =>
      env.DB.batch(
        deltas.map((d, i) =>
          env.DB.prepare(
            "insert into reward_log (id, agent_id, reason, score_delta, created_at) values (?, ?, 'x', ?, ?)",
          ).bind(crypto.randomUUID(), exec.id, d, ago((deltas.length - i) * MIN)),
        ),
      );
    await ledger([-5, -5]);
    await runCron();
    expect(await records("type = 'score_drop'")).toHaveLength(0);
    await env.DB.prepare("delete from reward_log").run();
    await ledger([-5, -5, -5, 5]); // newest is a gain
    await runCron();
    expect(await records("type = 'score_drop'")).toHaveLength(0);
    await env.DB.prepare("delete from reward_log").run();
    await ledger([5, -5, -5, -5]);
    await runCron();
    expect((await records("type = 'score_drop'"))[0]).toMatchObject({
      agent_id: exec.id,
      target: `agent:${exec.id}`,
      sub_task_id: null,
    });
  });
});

describe("patrol records", () => {
  it("are not duplicated across runs, are refreshed, resolve by themselves, and log each new finding once", async () => {
    const id = await subTask("in_progress");
    await backdate(id, { started_at: ago(61 * MIN) });
    await runCron();
    const [first] = await records();
    NOW += MIN;
    await runCron();
    expect((await records())[0]!.last_seen_at).toBe(first!.last_seen_at); // refreshed in 5-minute steps
    NOW += 5 * MIN;
    await runCron();
    const all = await records();
    expect(all).toHaveLength(1);
    expect(all[0]!.last_seen_at > first!.last_seen_at).toBe(true);
    const logs = await env.DB.prepare("select * from activity_log where action = 'patrol'").all<Record<string, any>>();
    expect(logs.results).toHaveLength(1);
    expect(logs.results[0]).toMatchObject({ agent_id: "system", sub_task_id: id });
    expect((await call("GET", "/api/logs", { key: planner.key, query: { action: "patrol" } })).body).toHaveLength(1);

    await call("POST", `/api/sub-tasks/${id}/submit`, { key: exec.key });
    await runCron();
    expect((await records())[0]).toMatchObject({ status: "resolved", resolution_note: "condition cleared" });
    expect((await records())[0]!.resolved_at).toBeTruthy();
  });

  it("a critical block racing the owner's submit: exactly one wins and the state is consistent", async () => {
    for (let round = 0; round < 4; round++) {
      const id = await subTask("in_progress");
      await backdate(id, { started_at: ago(121 * MIN) });
      const [submit] = await Promise.all([call("POST", `/api/sub-tasks/${id}/submit`, { key: exec.key }), runCron()]);
      const st = (await call("GET", `/api/sub-tasks/${id}`, { key: exec.key })).body;
      const ops = (await call("GET", `/api/sub-tasks/${id}/events`, { key: exec.key })).body.map(
        (e: { op: string }) => e.op,
      );
      if (submit.status === 200) {
        expect(st.status).toBe("review");
        expect(ops).not.toContain("block");
      } else {
        expect(submit.status).toBe(409);
        expect(st.status).toBe("blocked");
        expect(ops.filter((o: string) => o === "block")).toHaveLength(1);
      }
      await call("POST", `/api/sub-tasks/${id}/cancel`, { key: planner.key });
    }
  });

  it("GET /api/patrol/check reports the same anomalies and writes nothing", async () => {
    const id = await subTask("in_progress");
    await backdate(id, { started_at: ago(130 * MIN) });
    const before = await dbSnapshot();
    const res = await call("GET", "/api/patrol/check", { key: planner.key });
    expect(res.status).toBe(200);
    expect(res.body.anomalies).toEqual([
      expect.objectContaining({ type: "timeout", severity: "critical", sub_task_id: id, block: true }),
    ]);
    expect(await dbSnapshot()).toEqual(before);
    expect((await call("GET", "/api/patrol/check")).status).toBe(401);
  });

  it("the patrol agent files, lists and resolves records; others may not file", async () => {
    const id = await subTask("assigned");
    const file = (who: TestAgent, body: Record<string, unknown>) =>
      call("POST", "/api/patrol/records", { key: who.key, body });
    const body = { type: "stuck", severity: "warning", sub_task_id: id, description: "looks stuck to me" };
    // A subscriber, or no patrol_alert is queued; removed again before the cron below could send it.
    await configure([channel({ id: "ops", type: "webhook", url: "https://ops.example.com/hook" })], ["patrol_alert"]);
    const created = await file(patrol, body);
    expect(created.body).toMatchObject({ status: "open", source: "agent", target: `sub_task:${id}`, type: "stuck" });
    expect((await file(patrol, body)).body.code).toBe("record_open");
    expect((await file(exec, body)).status).toBe(403);
    const untargeted = (await file(patrol, { ...body, sub_task_id: undefined })).body;
    expect(untargeted).toMatchObject({ code: "target_required", hint: expect.stringContaining("--sub-task-id <id>") });
    expect((await file(patrol, { ...body, sub_task_id: "nope" })).status).toBe(404);
    expect((await file(patrol, { ...body, type: "boredom" })).status).toBe(400);
    const outbox = await env.DB.prepare("select event from notification_outbox").all<{ event: string }>();
    expect(outbox.results.map((r) => r.event)).toContain("patrol_alert");
    await configure([], [], false);

    const list = await call("GET", "/api/patrol/records", {
      key: planner.key,
      query: { status: "open", sub_task_id: id },
    });
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([created.body.id]);
    // An agent's record is not cleared by the cron: only a resolve does that.
    await runCron();
    expect((await records(`id = '${created.body.id}'`))[0]!.status).toBe("open");

    expect(
      (await call("POST", `/api/patrol/records/${created.body.id}/resolve`, { key: exec.key, body: {} })).status,
    ).toBe(403);
    const resolved = await call("POST", `/api/patrol/records/${created.body.id}/resolve`, {
      key: planner.key,
      body: { note: "reassigned" },
    });
    expect(resolved.body).toMatchObject({ status: "resolved", resolution_note: "reassigned" });
    expect(
      (await call("POST", `/api/patrol/records/${created.body.id}/resolve`, { key: patrol.key, body: {} })).body.code,
    ).toBe("record_not_open");
    expect((await call("POST", "/api/patrol/records/nope/resolve", { key: patrol.key, body: {} })).status).toBe(404);
  });

  it("a record the cron opened is closed by the server (or an admin), never by an agent", async () => {
    const id = await subTask("in_progress");
    await backdate(id, { started_at: ago(61 * MIN) });
    await runCron();
    const [cron] = await records("source = 'cron'");
    for (const who of [patrol, planner]) {
      const res = await call("POST", `/api/patrol/records/${cron!.id}/resolve`, {
        key: who.key,
        body: { note: "done" },
      });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        code: "cron_record",
        hint: expect.stringContaining("the server closes it when the condition clears"),
      });
      expect(res.body.hint).toContain(`st get ${id}`);
    }
    expect((await records(`id = '${cron!.id}'`))[0]!.status).toBe("open");
    const byAdmin = await call("POST", `/api/admin/patrol-records/${cron!.id}/resolve`, {
      admin,
      body: { note: "seen" },
    });
    expect(byAdmin.status).toBe(200);
    expect((await records(`id = '${cron!.id}'`))[0]).toMatchObject({ status: "resolved", resolution_note: "seen" });
  });

  it("thresholds come from the settings API", async () => {
    const id = await subTask("in_progress");
    await backdate(id, { started_at: ago(20 * MIN) });
    const put = await call("PUT", "/api/admin/config", { admin, body: { patrol: { timeout_warning_minutes: 15 } } });
    expect(put.body.updated_keys).toEqual(["patrol.timeout_warning_minutes"]);
    await runCron();
    expect((await records("type = 'timeout'"))[0]).toMatchObject({ severity: "warning" });
  });

  it("reads rows in proportion to open work, not to all sub-tasks ever created", async () => {
    for (let i = 0; i < 5; i++) await subTask("in_progress");
    const rowsRead = async () =>
      Number((await call("GET", "/api/patrol/check", { key: planner.key })).headers.get("x-d1-rows-read"));
    const before = await rowsRead();
    const old = "2026-01-01T00:00:00.000Z";
    const stmts = [];
    for (let i = 0; i < 3000; i++) {
      stmts.push(
        env.DB.prepare(
          "insert into sub_task (id, task_id, name, status, created_at, updated_at) values (?, ?, 'old', ?, ?, ?)",
        ).bind(`done-${i}`, taskId, i % 2 ? "done" : "cancelled", old, old),
      );
    }
    for (let i = 0; i < stmts.length; i += 500) await env.DB.batch(stmts.slice(i, i + 500));
    expect(await rowsRead()).toBeLessThanOrEqual(before + 5);
  });
});
