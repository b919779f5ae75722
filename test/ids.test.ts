// GET /api/ids/{prefix}: short ids to records, read as a range of each table's primary key.
import { beforeEach, describe, expect, it } from "vitest";
import { MAX_ID_MATCHES } from "../worker/domain/ids";
import { call, env, initialize, register, type TestAgent } from "./helpers";

const PREFIX = "abcdef01";
/** Twelve tasks sharing PREFIX, one sub-task sharing it too, and filler tasks that do not. */
const taskId = (n: number) => `${PREFIX}-0000-4000-8000-${String(n).padStart(12, "0")}`;
const SUB_TASK_ID = `${PREFIX}-1111-4000-8000-000000000001`;

let exec: TestAgent;

beforeEach(async () => {
  await initialize();
  exec = await register("executor");
  const now = new Date().toISOString();
  const insertTask = (id: string, name: string) =>
    env.DB.prepare(
      "insert into task (id, name, description, type, status, created_at, updated_at) values (?, ?, '', 'once', 'active', ?, ?)",
    ).bind(id, name, now, now);
  await env.DB.batch([
    ...Array.from({ length: 12 }, (_, i) => insertTask(taskId(i + 1), `Task ${i + 1}`)),
    ...Array.from({ length: 30 }, (_, i) => insertTask(crypto.randomUUID().replace(/^./, "9"), `Filler ${i}`)),
    env.DB.prepare(
      "insert into sub_task (id, task_id, name, status, priority, type, created_at, updated_at) values (?, ?, 'Write docs', 'pending', 'medium', 'once', ?, ?)",
    ).bind(SUB_TASK_ID, taskId(1), now, now),
  ]);
});

const ids = (prefix: string, kind?: string) => call("GET", `/api/ids/${prefix}`, { key: exec.key, query: { kind } });

describe("GET /api/ids/{prefix}", () => {
  it("names the one match, lists an ambiguity by name, says nothing matched, and filters by kind", async () => {
    const one = await ids(SUB_TASK_ID.slice(0, 10));
    expect(one.status).toBe(200);
    expect(one.body).toEqual([{ kind: "sub_task", id: SUB_TASK_ID, name: "Write docs" }]);
    // A full id and an uppercase prefix are prefixes too.
    expect((await ids(taskId(3).toUpperCase(), "task")).body).toEqual([
      { kind: "task", id: taskId(3), name: "Task 3" },
    ]);

    const ambiguous = await ids(PREFIX, "task");
    expect(ambiguous.body).toEqual([1, 2, 3, 4, 5].map((n) => ({ kind: "task", id: taskId(n), name: `Task ${n}` })));
    expect((await ids(PREFIX, "sub_task")).body).toEqual([{ kind: "sub_task", id: SUB_TASK_ID, name: "Write docs" }]);
    // Every kind: at most MAX_ID_MATCHES of each.
    expect((await ids(PREFIX)).body.map((m: { kind: string }) => m.kind)).toEqual([
      ...Array(MAX_ID_MATCHES).fill("task"),
      "sub_task",
    ]);
    expect((await ids("00000000")).body).toEqual([]);
  });

  it("refuses a bad prefix with a hint, and reads a bounded range, never the table", async () => {
    for (const bad of ["abcdef0", "abcdefgh", "abcdef01%25", "a".repeat(37)]) {
      const res = await ids(bad);
      expect(res.status, bad).toBe(400);
      expect(res.body.code, bad).toMatch(/^invalid_/);
      expect(res.body.hint, bad).toBeTruthy();
    }
    expect((await ids("abcdef0")).body).toMatchObject({
      code: "invalid_id_prefix",
      hint: expect.stringContaining("st mine"),
    });
    expect((await call("GET", `/api/ids/${PREFIX}`)).status).toBe(401);
    expect((await ids(PREFIX, "rule")).status).toBe(400);

    const rowsRead = async (prefix: string) => Number((await ids(prefix, "task")).headers.get("x-d1-rows-read"));
    const none = await rowsRead("00000000");
    // 12 tasks match and 30 more exist: the lookup reads at most MAX_ID_MATCHES of them.
    const many = await rowsRead(PREFIX);
    expect(many).toBeGreaterThan(none);
    expect(many).toBeLessThanOrEqual(none + MAX_ID_MATCHES);
  });
});
