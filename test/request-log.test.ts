// The request log is written after the response, a batch of rows per isolate (worker/lib/request-log.ts).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { armD1Fault, type D1Call, disarmD1Faults } from "./fault-injection";
import { call, env, eventually, initialize, login, register } from "./helpers";

const rowsOf = (agentId: string) =>
  env.DB.prepare("select path, response_status from request_log where agent_id = ?")
    .bind(agentId)
    .all<{ path: string; response_status: number }>();

const isLogInsert = (c: D1Call) => c.sql.some((s) => s.startsWith('insert into "request_log"'));

describe("request log", () => {
  beforeEach(initialize);
  afterEach(disarmD1Faults);

  it("records every call of a burst, with fewer inserts than calls", async () => {
    const agent = await register("executor");
    const recorder = armD1Fault({ when: () => false });
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call("GET", "/api/sub-tasks/mine", { key: agent.key, query: { page: i + 1 } }),
      ),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const logged = await eventually(
      () => rowsOf(agent.id),
      (r) => r.results.length >= 30,
    );
    disarmD1Faults();
    expect(logged.results).toHaveLength(30);
    const inserts = recorder.calls.filter(isLogInsert);
    // At most 11 rows share an insert (D1's 100 bound parameters): 30 rows need at least 3.
    expect(inserts.length).toBeGreaterThanOrEqual(3);
    expect(inserts.length).toBeLessThan(30);
  });

  it("writes no row for an agent deleted before its queued row went out", async () => {
    const admin = await login();
    const [busy, leaving] = await Promise.all([register("executor"), register("executor")]);
    const recorder = armD1Fault({ when: () => false });
    // The first call's row goes out at once; the second's waits up to 200 ms for the next batch,
    // and the agent is deleted meanwhile.
    await Promise.all([
      call("GET", "/api/sub-tasks/mine", { key: busy.key }),
      call("GET", "/api/sub-tasks/mine", { key: leaving.key }),
    ]);
    expect(
      (await call("DELETE", `/api/admin/agents/${leaving.id}`, { admin, body: { confirm_name: leaving.name } })).status,
    ).toBe(200);
    await eventually(
      async () => recorder.calls.filter(isLogInsert).length,
      (n) => n >= 2,
    );
    disarmD1Faults();
    expect((await rowsOf(busy.id)).results).toHaveLength(1);
    expect((await rowsOf(leaving.id)).results).toEqual([]);
  });
});
