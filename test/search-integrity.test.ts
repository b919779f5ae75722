// The search_index invariant against a real database (db/integrity-search.ts): each way the index can
// disagree with what it indexes, made by hand behind the app's back, is reported as exactly that
// violation, through GET /api/admin/integrity; an index kept by the app reports none.
import { describe, expect, it } from "vitest";
import type { Violation } from "../worker/domain/integrity";
import { call, env, ok } from "./helpers";
import { integrityReport } from "./invariants";
import { entryOf, expectIndexTrue, newSubTask, newTask, type Team, team, workOn } from "./search-helpers";

interface World {
  t: Team;
  taskId: string;
  subTaskId: string;
  logId: string;
  reviewId: string;
  ruleId: string;
}

/** One source of each kind, written through the API. */
async function world(): Promise<World> {
  const t = await team();
  const taskId = await newTask(t);
  const st = await newSubTask(t, taskId);
  await workOn(t, st.id);
  const log = await ok(
    call("POST", "/api/logs", { key: t.exec.key, body: { action: "delivery", summary: "done", sub_task_id: st.id } }),
  );
  const review = await ok(
    call("POST", "/api/review-records", {
      key: t.reviewer.key,
      body: { sub_task_id: st.id, result: "rejected", score: 2, issues: "no tests" },
    }),
  );
  const rule = await ok(
    call("POST", "/api/rules", { key: t.planner.key, body: { scope: "task", task_id: taskId, content: "test first" } }),
  );
  await expectIndexTrue(t.admin);
  return { t, taskId, subTaskId: st.id, logId: log.id, reviewId: review.id, ruleId: rule.id };
}

const sql = (query: string, ...params: unknown[]) =>
  env.DB.prepare(query)
    .bind(...params)
    .run();

async function searchViolations(admin: string): Promise<Omit<Violation, "invariant">[]> {
  const report = await integrityReport(admin);
  expect(report.violations.every((v) => v.invariant === "search_index")).toBe(true);
  return report.violations.map(({ table, id, detail }) => ({ table, id, detail }));
}

const entryIdOf = async (kind: string, sourceId: string) => String((await entryOf(kind, sourceId))!.id);

describe("search_index on a real database", () => {
  it("an entry deleted with its tokens: its source is reported as missing one", async () => {
    const w = await world();
    const id = await entryIdOf("rule", w.ruleId);
    await sql("delete from search_fts where rowid = ?", id);
    await sql("delete from search_entry where id = ?", id);
    expect(await searchViolations(w.t.admin)).toEqual([
      { table: "rule", id: w.ruleId, detail: "no search entry (kind rule)" },
    ]);
  });

  it("an entry's text, task, sub-task, author or tag changed: stale, saying which", async () => {
    const w = await world();
    const cases: [string, string, string, string][] = [
      [
        "sub_task",
        w.subTaskId,
        "update search_entry set text = 'other' where id = ?",
        "text differs from its source's",
      ],
      [
        "delivery",
        w.logId,
        "update search_entry set task_id = 'x' where id = ?",
        `task_id x, its source's is ${w.taskId}`,
      ],
      [
        "review",
        w.reviewId,
        "update search_entry set sub_task_id = null where id = ?",
        `sub_task_id null, its source's is ${w.subTaskId}`,
      ],
      [
        "review",
        w.reviewId,
        "update search_entry set agent_id = 'someone' where id = ?",
        "agent_id differs from its source's",
      ],
      ["rule", w.ruleId, "update search_entry set tag = 'global' where id = ?", "tag global, its source's is task"],
    ];
    for (const [kind, sourceId, corrupt, detail] of cases) {
      const id = await entryIdOf(kind, sourceId);
      const before = (await entryOf(kind, sourceId))!;
      await sql(corrupt, id);
      expect(await searchViolations(w.t.admin), corrupt).toEqual([
        { table: "search_entry", id, detail: `${kind} ${sourceId}: ${detail}` },
      ]);
      await sql(
        "update search_entry set text = ?, task_id = ?, sub_task_id = ?, agent_id = ?, tag = ? where id = ?",
        before.text,
        before.task_id,
        before.sub_task_id,
        before.agent_id,
        before.tag,
        id,
      );
    }
    await expectIndexTrue(w.t.admin);
  });

  it("a source deleted or emptied behind the app's back: its entry is reported", async () => {
    const w = await world();
    const logEntry = await entryIdOf("delivery", w.logId);
    const ruleEntry = await entryIdOf("rule", w.ruleId);
    await sql("delete from activity_log where id = ?", w.logId);
    await sql("update rule set content = '' where id = ?", w.ruleId);
    expect(await searchViolations(w.t.admin)).toEqual([
      { table: "search_entry", id: logEntry, detail: `delivery ${w.logId}: its source row does not exist` },
      { table: "search_entry", id: ruleEntry, detail: `rule ${w.ruleId}: its source has no text to index` },
    ]);
  });

  it("tokens missing, stray, or present while queued: reported by FTS rowid", async () => {
    const w = await world();
    const ruleEntry = await entryIdOf("rule", w.ruleId);
    const logEntry = await entryIdOf("delivery", w.logId);
    await sql("delete from search_fts where rowid = ?", ruleEntry);
    await sql("insert into search_fts (rowid, body) values (999999, 'stray')");
    await sql("update search_entry set indexed = 0 where id = ?", logEntry);
    const byId = (a: { id: string }, b: { id: string }) => Number(a.id) - Number(b.id);
    expect((await searchViolations(w.t.admin)).sort(byId)).toEqual(
      [
        {
          table: "search_fts",
          id: ruleEntry,
          detail: `rule ${w.ruleId}: indexed = 1 but search_fts has no row for it`,
        },
        {
          table: "search_fts",
          id: logEntry,
          detail: `delivery ${w.logId}: indexed = 0 (waiting for the back-fill) but search_fts already has its tokens`,
        },
        { table: "search_fts", id: "999999", detail: "search_fts has a row for an entry that does not exist" },
      ].sort(byId),
    );
  });
});
