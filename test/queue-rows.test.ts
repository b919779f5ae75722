// Issue 14, point 3: the executor's and the reviewer's queues read rows in proportion to the page,
// not to the backlog. 10,000 pending sub-tasks are inserted directly; every read is measured with the
// Worker's own x-d1-rows-read header.
import { beforeEach, describe, expect, it } from "vitest";
import { call, env, initialize, register, type TestAgent } from "./helpers";

const PENDING = 10_000;
const IN_REVIEW = 30;
const PAGE_BUDGET = 60;

let planner: TestAgent, exec: TestAgent, reviewer: TestAgent;
let taskId: string;
/** Ids of the review rows, oldest update first (the reviewer queue's order). */
let reviewIds: string[] = [];

const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();

// Per test: each test starts from an empty database.
beforeEach(async () => {
  await initialize();
  [planner, exec, reviewer] = await Promise.all([register("planner"), register("executor"), register("reviewer")]);
  taskId = (await call("POST", "/api/tasks", { key: planner.key, body: { name: "backlog" } })).body.id;
  reviewIds = [];
  const insert = env.DB.prepare(
    "insert into sub_task (id, task_id, name, status, created_at, updated_at, assigned_agent) values (?, ?, ?, ?, ?, ?, ?)",
  );
  const rows = [];
  // Pairs share a created_at, so the id tie-break of the order is exercised too.
  for (let i = 0; i < PENDING; i++)
    rows.push(
      insert.bind(`p-${String(i).padStart(5, "0")}`, taskId, `p${i}`, "pending", at(Math.floor(i / 2)), at(i), null),
    );
  for (let i = 0; i < IN_REVIEW; i++) {
    const id = `r-${String(i).padStart(2, "0")}`;
    reviewIds.push(id);
    rows.push(insert.bind(id, taskId, `r${i}`, "review", at(i), at(i), exec.id));
  }
  for (let i = 0; i < rows.length; i += 1000) await env.DB.batch(rows.slice(i, i + 1000));
});

const measured = async (key: string, path: string, query?: Record<string, string>) => {
  const res = await call("GET", path, { key, query });
  expect(res.status).toBe(200);
  return { body: res.body, rowsRead: Number(res.headers.get("x-d1-rows-read")) };
};

describe("queue reads at 10,000 pending sub-tasks", () => {
  it("/available?page_size=20 reads at most 60 rows and returns the newest 20", async () => {
    const { body, rowsRead } = await measured(exec.key, "/api/sub-tasks/available", { page_size: "20" });
    console.log(`available page of 20: ${rowsRead} rows read`);
    expect(rowsRead).toBeLessThanOrEqual(PAGE_BUDGET);
    // Newest first, ties on created_at broken by id descending.
    expect(body.items.map((s: { id: string }) => s.id)).toEqual(
      Array.from({ length: 20 }, (_, k) => `p-${String(PENDING - 1 - k).padStart(5, "0")}`),
    );
    expect(body.has_more).toBe(true);
  });

  it("the reviewer's list of 20 reads at most 60 rows", async () => {
    const { body, rowsRead } = await measured(reviewer.key, "/api/sub-tasks", { status: "review", page_size: "20" });
    console.log(`review list of 20: ${rowsRead} rows read`);
    expect(rowsRead).toBeLessThanOrEqual(PAGE_BUDGET);
    expect(body.items).toHaveLength(20);
    expect(body.has_more).toBe(true);
  });

  it("the executor's and reviewer's briefings stay bounded", async () => {
    const e = await measured(exec.key, "/api/agents/me/briefing");
    const r = await measured(reviewer.key, "/api/agents/me/briefing");
    console.log(`briefing rows read: executor ${e.rowsRead}, reviewer ${r.rowsRead}`);
    expect(e.body.queue.available[0].id).toBe(`p-${String(PENDING - 1).padStart(5, "0")}`);
    // Oldest submission first.
    expect(r.body.queue.awaiting_review[0].id).toBe(reviewIds[0]);
    // Another 1,000 older pending rows change nothing: the cost follows the queue's page, not the backlog.
    const insert = env.DB.prepare(
      "insert into sub_task (id, task_id, name, status, created_at, updated_at) values (?, ?, 'old', 'pending', ?, ?)",
    );
    await env.DB.batch(
      Array.from({ length: 1000 }, (_, i) =>
        insert.bind(`old-${i}`, taskId, "2025-01-01T00:00:00.000Z", "2025-01-01T00:00:00.000Z"),
      ),
    );
    expect((await measured(exec.key, "/api/agents/me/briefing")).rowsRead).toBe(e.rowsRead);
    expect((await measured(exec.key, "/api/sub-tasks/available", { page_size: "20" })).rowsRead).toBeLessThanOrEqual(
      PAGE_BUDGET,
    );
    expect(r.rowsRead).toBeLessThanOrEqual(e.rowsRead);
  });

  it("total is exact on the last page and a lower bound before it; has_more is exact", async () => {
    const first = (await measured(reviewer.key, "/api/sub-tasks", { status: "review", page_size: "20" })).body;
    expect(first).toMatchObject({ total: 21, total_pages: 2, has_more: true });
    const last = (await measured(reviewer.key, "/api/sub-tasks", { status: "review", page_size: "20", page: "2" }))
      .body;
    expect(last).toMatchObject({ total: IN_REVIEW, total_pages: 2, has_more: false });
    expect(last.items).toHaveLength(IN_REVIEW - 20);
    // Past the end: counted, at most the skipped rows.
    const beyond = (await measured(reviewer.key, "/api/sub-tasks", { status: "review", page_size: "20", page: "5" }))
      .body;
    expect(beyond).toMatchObject({ items: [], total: IN_REVIEW, has_more: false });
    const all = (await measured(reviewer.key, "/api/sub-tasks", { status: "review", page_size: "0" })).body;
    expect(all).toMatchObject({ total: IN_REVIEW, has_more: false });
  });
});
