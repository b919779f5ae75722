// D1 failing in the middle of a write that indexes (h4): the source row and its search entry are one
// batch, so a fault leaves neither (no entry without its source, no source without its entry), and the
// retry leaves exactly one entry. The fault is D1 rolling the batch back after running every statement
// (test/fault-injection.ts midBatch), through the real path (HTTP → Worker → Durable Object → D1).
import { afterEach, describe, expect, it } from "vitest";
import { armD1Fault, type D1Call, d1Error, disarmD1Faults, fullSnapshot, writtenTables } from "./fault-injection";
import { type CallResult, call, env, ok } from "./helpers";
import {
  entries,
  entryOf,
  expectIndexTrue,
  ftsMatch,
  ftsRowids,
  newSubTask,
  newTask,
  phraseOf,
  type Team,
  team,
  workOn,
} from "./search-helpers";

afterEach(() => disarmD1Faults());

const writesIndex = (c: D1Call) => c.op === "batch" && writtenTables(c.sql).includes("search_entry");

interface Case {
  name: string;
  /** Brings the world to just before the request; returns what the request needs. */
  arrange: (t: Team) => Promise<Record<string, string>>;
  request: (t: Team, w: Record<string, string>, headers: Record<string, string>) => Promise<CallResult>;
  /** Tables the failed batch wrote besides the index. */
  touches: string[];
  /** After the retry: the index as the write leaves it. */
  verify: (t: Team, w: Record<string, string>, res: CallResult) => Promise<void>;
}

const one = async (kind: string, sourceId: string, text: string) => {
  const e = await entryOf(kind, sourceId);
  expect(e).toMatchObject({ text, indexed: 1 });
  expect((await entries()).filter((x) => x.kind === kind && x.source_id === sourceId)).toHaveLength(1);
  expect((await ftsRowids()).filter((id) => id === e!.id)).toEqual([e!.id]);
};

const cases: Case[] = [
  {
    name: "a reflection log (POST /api/logs)",
    arrange: async (t) => {
      const st = await newSubTask(t, await newTask(t));
      return { st: st.id };
    },
    request: (t, w, headers) =>
      call("POST", "/api/logs", {
        key: t.exec.key,
        headers,
        body: { action: "reflection", summary: "验证编码 first", sub_task_id: w.st },
      }),
    touches: ["activity_log"],
    verify: async (_t, _w, res) => one("reflection", res.body.id, "验证编码 first"),
  },
  {
    name: "a rejection with issues (review in the Durable Object)",
    arrange: async (t) => {
      const st = await newSubTask(t, await newTask(t));
      await workOn(t, st.id);
      return { st: st.id };
    },
    request: (t, w, headers) =>
      call("POST", "/api/review-records", {
        key: t.reviewer.key,
        headers,
        body: { sub_task_id: w.st, result: "rejected", score: 2, issues: "wrong delimiter" },
      }),
    touches: ["review_record", "sub_task", "sub_task_event"],
    verify: async (_t, _w, res) => one("review", res.body.id, "wrong delimiter\n"),
  },
  {
    name: "a sub-task created (POST /api/sub-tasks)",
    arrange: async (t) => ({ task: await newTask(t) }),
    request: (t, w, headers) =>
      call("POST", "/api/sub-tasks", { key: t.planner.key, headers, body: { task_id: w.task, name: "tokenize" } }),
    touches: ["sub_task", "sub_task_event"],
    verify: async (_t, _w, res) => one("sub_task", res.body.id, "tokenize\n\n\n"),
  },
  {
    name: "a sub-task edited (PUT /api/sub-tasks/{id}, in the Durable Object)",
    arrange: async (t) => ({ st: (await newSubTask(t, await newTask(t), { name: "old name" })).id }),
    request: (t, w, headers) =>
      call("PUT", `/api/sub-tasks/${w.st}`, { key: t.planner.key, headers, body: { name: "new name" } }),
    touches: ["sub_task", "sub_task_event"],
    verify: async (_t, w) => {
      await one("sub_task", w.st!, "new name\nremove duplicate rows\n\n");
      expect(await ftsMatch(phraseOf("old name"))).toEqual([]);
    },
  },
  {
    name: "a rule edited (PUT /api/rules/{id})",
    arrange: async (t) => {
      const task = await newTask(t);
      const rule = await ok(
        call("POST", "/api/rules", {
          key: t.planner.key,
          body: { scope: "task", task_id: task, content: "quokka rule" },
        }),
      );
      return { rule: rule.id };
    },
    request: (t, w, headers) =>
      call("PUT", `/api/rules/${w.rule}`, { key: t.planner.key, headers, body: { content: "wombat rule" } }),
    touches: ["rule"],
    verify: async (_t, w) => {
      await one("rule", w.rule!, "wombat rule");
      expect(await ftsMatch(phraseOf("quokka"))).toEqual([]);
    },
  },
  {
    name: "a rule deleted (DELETE /api/rules/{id})",
    arrange: async (t) => {
      const task = await newTask(t);
      const rule = await ok(
        call("POST", "/api/rules", {
          key: t.planner.key,
          body: { scope: "task", task_id: task, content: "doomed platypus" },
        }),
      );
      return { rule: rule.id };
    },
    request: (t, w, headers) => call("DELETE", `/api/rules/${w.rule}`, { key: t.planner.key, headers }),
    touches: ["rule"],
    verify: async (_t, w) => {
      expect(await entryOf("rule", w.rule!)).toBeUndefined();
      expect(await ftsMatch(phraseOf("platypus"))).toEqual([]);
    },
  },
  {
    name: "a task deleted (DELETE /api/admin/tasks/{id})",
    arrange: async (t) => {
      const task = await newTask(t, "gone");
      const st = await newSubTask(t, task);
      await ok(
        call("POST", "/api/rules", { key: t.planner.key, body: { scope: "task", task_id: task, content: "r" } }),
      );
      return { task, st: st.id };
    },
    request: (t, w, headers) =>
      call("DELETE", `/api/admin/tasks/${w.task}`, { admin: t.admin, headers, body: { confirm_name: "gone" } }),
    touches: ["task", "sub_task", "rule"],
    verify: async (_t, w) => {
      expect((await entries()).filter((e) => e.task_id === w.task)).toEqual([]);
    },
  },
];

describe("a D1 fault in a batch that writes the index", () => {
  for (const c of cases) {
    it(`${c.name}: neither the source nor its entry is written; the retry leaves exactly one`, async () => {
      const t = await team();
      const w = await c.arrange(t);
      const before = await fullSnapshot();
      const tokens = await ftsRowids();
      const headers = { "idempotency-key": `k-${crypto.randomUUID()}` };

      const fault = armD1Fault({ when: writesIndex, midBatch: true, error: () => d1Error("Network connection lost.") });
      const res = await c.request(t, w, headers);
      fault.disarm();
      expect(res.status).toBe(503);
      expect(res.body.code).toBe("storage_unavailable");
      // The failed batch wrote the source and the index together; D1 rolled all of it back.
      expect(fault.failed).not.toBeNull();
      expect(writtenTables(fault.failed!.sql)).toEqual(
        expect.arrayContaining([...c.touches, "search_entry", "search_fts"]),
      );
      expect(await fullSnapshot()).toEqual(before);
      expect(await ftsRowids()).toEqual(tokens);
      await expectIndexTrue(t.admin);

      const retry = await c.request(t, w, headers);
      expect(retry.status, JSON.stringify(retry.body)).toBe(200);
      await c.verify(t, w, retry);
      await expectIndexTrue(t.admin);
    });
  }
});

describe("the back-fill's write failing", () => {
  it("leaves the queue as it was; the next run indexes each entry once", async () => {
    const t = await team();
    const task = await newTask(t);
    const st = await newSubTask(t, task, { name: "queued" });
    // Queue it, as migration 0010 does for what existed before the index.
    await env.DB.batch([
      env.DB.prepare("delete from search_fts where rowid = (select id from search_entry where source_id = ?)").bind(
        st.id,
      ),
      env.DB.prepare("update search_entry set indexed = 0 where source_id = ?").bind(st.id),
    ]);
    const { backfillSearch } = await import("../worker/patrol/search-backfill");
    const { getDb } = await import("../worker/db/client");
    const fault = armD1Fault({
      when: (c) => c.op === "batch" && writtenTables(c.sql).includes("search_fts"),
      midBatch: true,
      error: () => d1Error("Network connection lost."),
    });
    await expect(backfillSearch(getDb(env.DB), { queries: 10 })).rejects.toThrow(/Network connection lost/);
    fault.disarm();
    expect(await entryOf("sub_task", st.id)).toMatchObject({ indexed: 0 });
    await expectIndexTrue(t.admin);
    expect(await backfillSearch(getDb(env.DB), { queries: 10 })).toEqual({ indexed: 1, more: false });
    await one("sub_task", st.id, "queued\nremove duplicate rows\n\n");
    await expectIndexTrue(t.admin);
  });
});
