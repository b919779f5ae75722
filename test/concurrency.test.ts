// Many agents acting on the same thing at the same moment: exactly one wins, state stays consistent.
import { describe, expect, it } from "vitest";
import { armD1Fault, type Gate, until, writtenTables } from "./fault-injection";
import { call, env, initialize, login, register, type TestAgent } from "./helpers";
import { expectInvariants } from "./invariants";

async function team(executors: number, reviewers = 1) {
  await initialize();
  const planner = await register("planner");
  const execs: TestAgent[] = [];
  for (let i = 0; i < executors; i++) execs.push(await register("executor"));
  const revs: TestAgent[] = [];
  for (let i = 0; i < reviewers; i++) revs.push(await register("reviewer"));
  const task = (await call("POST", "/api/tasks", { key: planner.key, body: { name: "race" } })).body;
  return { planner, execs, revs, task };
}

async function subTask(planner: TestAgent, taskId: string, name = "st") {
  const res = await call("POST", "/api/sub-tasks", { key: planner.key, body: { task_id: taskId, name } });
  expect(res.status).toBe(200);
  return res.body.id as string;
}

const count = async (sql: string, ...binds: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...binds)
    .first<{ n: number }>())!.n;

const statuses = (results: { status: number }[]) => results.map((r) => r.status).sort();

describe("concurrent transitions", () => {
  it("50 executors claiming one sub-task: one 200, 49 × 409, the row names the winner", async () => {
    const { planner, execs, task } = await team(50);
    const id = await subTask(planner, task.id);
    const results = await Promise.all(
      execs.map((e) => call("POST", `/api/sub-tasks/${id}/claim`, { key: e.key, body: {} })),
    );
    const winners = results.flatMap((r, i) => (r.status === 200 ? [execs[i]!] : []));
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(49);
    for (const r of results.filter((r) => r.status === 409)) expect(r.body.code).toBe("illegal_transition");
    const row = await env.DB.prepare("select status, assigned_agent from sub_task where id = ?").bind(id).first();
    expect(row).toEqual({ status: "assigned", assigned_agent: winners[0]!.id });
    expect(await count("select count(*) n from sub_task_event where sub_task_id = ? and op = 'claim'", id)).toBe(1);
    await expectInvariants();
  });

  it("10 reviewers reviewing one submission: one record, one score change", async () => {
    const { planner, execs, revs, task } = await team(1, 10);
    const exec = execs[0]!;
    const id = await subTask(planner, task.id);
    for (const step of ["claim", "start", "submit"]) {
      expect((await call("POST", `/api/sub-tasks/${id}/${step}`, { key: exec.key, body: {} })).status).toBe(200);
    }
    const results = await Promise.all(
      revs.map((r, i) =>
        call("POST", "/api/review-records", {
          key: r.key,
          body:
            i % 2
              ? { sub_task_id: id, result: "approved", score: 5 }
              : { sub_task_id: id, result: "rejected", score: 1, issues: "no" },
        }),
      ),
    );
    expect(statuses(results)).toEqual([200, ...Array(9).fill(409)]);
    expect(await count("select count(*) n from review_record where sub_task_id = ?", id)).toBe(1);
    expect(await count("select count(*) n from reward_log where agent_id = ?", exec.id)).toBe(1);
    const winner = results.find((r) => r.status === 200)!.body;
    expect(winner.round).toBe(1);
    const expected = winner.result === "approved" ? 5 : -5;
    expect(await count("select total_score n from agent where id = ?", exec.id)).toBe(expected);
    expect(await count("select sum(score_delta) n from reward_log where agent_id = ?", exec.id)).toBe(expected);
    await expectInvariants();
  });

  it("the same executor starting or submitting 10 times at once succeeds once", async () => {
    const { planner, execs, task } = await team(1);
    const exec = execs[0]!;
    const id = await subTask(planner, task.id);
    await call("POST", `/api/sub-tasks/${id}/claim`, { key: exec.key, body: {} });
    const starts = await Promise.all(
      Array.from({ length: 10 }, () => call("POST", `/api/sub-tasks/${id}/start`, { key: exec.key, body: {} })),
    );
    expect(statuses(starts)).toEqual([200, ...Array(9).fill(409)]);
    const submits = await Promise.all(
      Array.from({ length: 10 }, () => call("POST", `/api/sub-tasks/${id}/submit`, { key: exec.key })),
    );
    expect(statuses(submits)).toEqual([200, ...Array(9).fill(409)]);
    expect(
      await count("select count(*) n from sub_task_event where sub_task_id = ? and op in ('start', 'submit')", id),
    ).toBe(2);
    await expectInvariants();
  });

  it("a planner reassigning claimed sub-tasks while their owner starts them: one wins each, the other is refused", async () => {
    const { planner, execs, task } = await team(2);
    const [owner, next] = [execs[0]!, execs[1]!];
    const ids = await Promise.all(Array.from({ length: 4 }, (_, i) => subTask(planner, task.id, `s${i}`)));
    for (const id of ids)
      expect((await call("POST", `/api/sub-tasks/${id}/claim`, { key: owner.key, body: {} })).status).toBe(200);
    const races = await Promise.all(
      ids.map(async (id, i) => {
        const start = () => call("POST", `/api/sub-tasks/${id}/start`, { key: owner.key, body: {} });
        const reassign = () =>
          call("POST", `/api/sub-tasks/${id}/reassign`, { key: planner.key, body: { agent_id: next.id } });
        // Alternate which request is sent first, so both orders are exercised.
        const [s, r] =
          i % 2 === 0 ? await Promise.all([start(), reassign()]) : (await Promise.all([reassign(), start()])).reverse();
        return { id, start: s!, reassign: r! };
      }),
    );
    for (const { id, start, reassign } of races) {
      const row = await env.DB.prepare("select status, assigned_agent from sub_task where id = ?").bind(id).first();
      if (start.status === 200) {
        expect([reassign.status, reassign.body.code]).toEqual([409, "illegal_transition"]);
        expect(row).toEqual({ status: "in_progress", assigned_agent: owner.id });
      } else {
        expect([start.status, start.body.code, reassign.status]).toEqual([403, "not_owner", 200]);
        expect(row).toEqual({ status: "assigned", assigned_agent: next.id });
      }
    }
    await expectInvariants();
  });

  it("approving every sub-task of a task in parallel completes the task exactly once", async () => {
    const { planner, execs, revs, task } = await team(8);
    const ids = await Promise.all(execs.map((_, i) => subTask(planner, task.id, `part ${i}`)));
    await Promise.all(
      execs.map(async (e, i) => {
        for (const step of ["claim", "start", "submit"]) {
          expect((await call("POST", `/api/sub-tasks/${ids[i]}/${step}`, { key: e.key, body: {} })).status).toBe(200);
        }
      }),
    );
    expect((await call("GET", `/api/tasks/${task.id}`, { key: planner.key })).body.status).toBe("in_progress");
    const reviews = await Promise.all(
      ids.map((id) =>
        call("POST", "/api/review-records", {
          key: revs[0]!.key,
          body: { sub_task_id: id, result: "approved", score: 4 },
        }),
      ),
    );
    expect(reviews.every((r) => r.status === 200)).toBe(true);
    expect((await call("GET", `/api/tasks/${task.id}`, { key: planner.key })).body.status).toBe("completed");
    await expectInvariants();
  });

  it("a task cancel racing claims leaves no open sub-task under the cancelled task", async () => {
    const { planner, execs, task } = await team(20);
    const ids = await Promise.all(execs.map((_, i) => subTask(planner, task.id, `s${i}`)));
    const [cancel, ...claims] = await Promise.all([
      call("POST", `/api/tasks/${task.id}/cancel`, { key: planner.key, body: {} }),
      ...execs.map((e, i) => call("POST", `/api/sub-tasks/${ids[i]}/claim`, { key: e.key, body: {} })),
    ]);
    expect(cancel!.status).toBe(200);
    for (const c of claims) expect([200, 409]).toContain(c.status);
    expect(await count("select count(*) n from sub_task where task_id = ? and status <> 'cancelled'", task.id)).toBe(0);
    // Every sub-task's history ends in its cancellation.
    expect(await count("select count(*) n from sub_task_event where to_status = 'cancelled'")).toBe(20);
    const late = await call("POST", `/api/sub-tasks/${ids[0]}/claim`, { key: execs[0]!.key, body: {} });
    expect(late.status).toBe(409);
    await expectInvariants();
  });

  // Deterministic interleaving: the claim (or the assigning create) has read the agent and is about
  // to write when the agent's delete commits. The write must then refuse, or work would be held by
  // an agent that no longer exists (the delete checks "no open work" only at its own commit).
  for (const kind of ["claim", "create with assignee"] as const) {
    it(`an executor deleted while its ${kind} is being written gets no work`, async () => {
      const { planner, execs, task } = await team(1);
      const admin = await login();
      const e = execs[0]!;
      const pending = kind === "claim" ? await subTask(planner, task.id) : null;
      const gate: Gate = { held: false, open: false };
      const fault = armD1Fault({
        when: (c) => c.op === "batch" && writtenTables(c.sql).includes("sub_task"),
        hold: gate,
      });
      try {
        const write =
          kind === "claim"
            ? call("POST", `/api/sub-tasks/${pending}/claim`, { key: e.key, body: {} })
            : call("POST", "/api/sub-tasks", {
                key: planner.key,
                body: { task_id: task.id, name: "n", assigned_agent: e.id },
              });
        await until(() => gate.held, "the held sub-task write");
        const deleted = await call("DELETE", `/api/admin/agents/${e.id}`, { admin, body: { confirm_name: e.name } });
        expect(deleted.status).toBe(200);
        gate.open = true;
        const res = await write;
        expect(res.status).toBe(409);
        expect(res.body.code).toBe("concurrent_change");
      } finally {
        fault.disarm();
      }
      expect(await count("select count(*) n from sub_task where assigned_agent = ?", e.id)).toBe(0);
      await expectInvariants({ admin });
    });
  }

  it("a log about a sub-task whose task is deleted while the log is being written is refused, not left dangling", async () => {
    const { planner, execs, task } = await team(1);
    const admin = await login();
    const id = await subTask(planner, task.id);
    const gate: Gate = { held: false, open: false };
    const fault = armD1Fault({
      when: (c) => c.op === "batch" && writtenTables(c.sql).includes("activity_log"),
      hold: gate,
    });
    try {
      // A reflection: any agent may write one on any sub-task, so only the task delete can refuse it.
      const write = call("POST", "/api/logs", {
        key: execs[0]!.key,
        body: { action: "reflection", summary: "s", sub_task_id: id },
      });
      await until(() => gate.held, "the held log write");
      expect(
        (await call("DELETE", `/api/admin/tasks/${task.id}`, { admin, body: { confirm_name: "race" } })).status,
      ).toBe(200);
      gate.open = true;
      const res = await write;
      expect([res.status, res.body.code]).toEqual([404, "sub_task_not_found"]);
    } finally {
      fault.disarm();
    }
    expect(await count("select count(*) n from activity_log where sub_task_id = ?", id)).toBe(0);
    await expectInvariants({ admin });
  });

  it("archiving a task while its sub-tasks are claimed never leaves work under the archived task", async () => {
    const { planner, execs, task } = await team(10);
    const ids = await Promise.all(execs.map((_, i) => subTask(planner, task.id, `a${i}`)));
    // Cancel the pending work so the task may be archived, while executors try to claim it.
    const [archive] = await Promise.all([
      (async () => {
        await Promise.all(ids.map((id) => call("POST", `/api/sub-tasks/${id}/cancel`, { key: planner.key })));
        return call("PUT", `/api/tasks/${task.id}/status`, { key: planner.key, body: { status: "archived" } });
      })(),
      ...execs.map((e, i) => call("POST", `/api/sub-tasks/${ids[i]}/claim`, { key: e.key })),
    ]);
    const open = await count(
      "select count(*) n from sub_task where task_id = ? and status not in ('done', 'cancelled')",
      task.id,
    );
    const status = (await call("GET", `/api/tasks/${task.id}`, { key: planner.key })).body.status;
    if (archive!.status === 200) {
      expect(status).toBe("archived");
      expect(open).toBe(0);
    } else {
      expect(archive!.body.code).toBe("open_sub_tasks");
      expect(status).not.toBe("archived");
    }
    await expectInvariants();
  });
});
