// Who finds what in GET /api/search (docs/search.md, "Who finds what"): each role and the admin against
// one entry of each kind written by someone else. Today every agent role reads every log (GET
// /api/logs), review record (GET /api/review-records), sub-task (GET /api/sub-tasks) and rule text
// (GET /api/rules for any task), so each finds every kind; the last test checks that premise against
// those routes, so a route that narrows one day fails here until search narrows with it.
import { beforeEach, describe, expect, it } from "vitest";
import { ROLES, SEARCH_KINDS } from "../contract/vocabulary";
import { SEARCHABLE_KINDS } from "../worker/routes/search";
import { call, env, initialize, ok, register, type TestAgent } from "./helpers";
import { seedEntries, seedTask } from "./search-seed";

let admin: string;
let author: TestAgent;
let readers: Record<(typeof ROLES)[number], TestAgent>;

beforeEach(async () => {
  admin = await initialize();
  author = await register("executor");
  readers = {
    planner: await register("planner"),
    executor: await register("executor"),
    reviewer: await register("reviewer"),
    patrol: await register("patrol"),
  };
  const { taskId, subTaskId } = await seedTask("Matrix work");
  await seedEntries(
    SEARCH_KINDS.map((kind) => ({
      kind,
      sourceId: `${kind}-entry`,
      text: `matrix entry of kind ${kind}`,
      taskId,
      subTaskId,
      agentId: kind === "rule" || kind === "sub_task" ? null : author.id,
    })),
  );
});

const found = async (auth: { key?: string; admin?: string }, kinds?: string) =>
  (await ok(call("GET", "/api/search", { ...auth, query: { q: "matrix", kinds, limit: 50 } }))).hits
    .map((h: { kind: string }) => h.kind)
    .sort();

describe("the matrix: every reader finds every kind", () => {
  it("is what SEARCHABLE_KINDS says for each role and the admin", () => {
    for (const reader of [...ROLES, "admin"] as const) expect(SEARCHABLE_KINDS[reader]).toEqual(SEARCH_KINDS);
  });

  for (const role of ROLES) {
    it(`${role}: finds an entry of each kind written by another agent, kind by kind`, async () => {
      const key = readers[role].key;
      expect(await found({ key })).toEqual([...SEARCH_KINDS].sort());
      for (const kind of SEARCH_KINDS) expect(await found({ key }, kind), `${role} × ${kind}`).toEqual([kind]);
    });
  }

  it("admin: finds every kind, kind by kind", async () => {
    expect(await found({ admin })).toEqual([...SEARCH_KINDS].sort());
    for (const kind of SEARCH_KINDS) expect(await found({ admin }, kind)).toEqual([kind]);
  });

  it("a disabled agent finds nothing: its key is refused", async () => {
    await env.DB.prepare("update agent set status = 'disabled' where id = ?").bind(readers.executor.id).run();
    const res = await call("GET", "/api/search", { key: readers.executor.key, query: { q: "matrix" } });
    expect(res).toMatchObject({ status: 403, body: { code: "agent_disabled" } });
  });
});

describe("the premise: each role reads these kinds through the other routes today", () => {
  it("every role lists others' logs and review records, any sub-task and any task's rules", async () => {
    const planner = readers.planner;
    const task = await ok(
      call("POST", "/api/tasks", { key: planner.key, body: { name: "Scope premise", description: "d" } }),
    );
    await ok(
      call("POST", "/api/rules", {
        key: planner.key,
        body: { scope: "task", task_id: task.id, content: "premise rule text" },
      }),
    );
    await ok(call("POST", "/api/logs", { key: author.key, body: { action: "reflection", summary: "premise lesson" } }));
    for (const role of ROLES) {
      const key = readers[role].key;
      const logs = await ok(call("GET", "/api/logs", { key, query: { action: "reflection" } }));
      expect(
        logs.map((l: { summary: string }) => l.summary),
        role,
      ).toContain("premise lesson");
      expect((await call("GET", "/api/review-records", { key })).status, role).toBe(200);
      expect((await call("GET", "/api/sub-tasks", { key, query: { task_id: task.id } })).status, role).toBe(200);
      const rules = await ok(call("GET", "/api/rules", { key, query: { task_id: task.id } }));
      expect(rules.content, role).toContain("premise rule text");
    }
  });
});
