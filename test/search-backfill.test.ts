// The back-fill of the search index (worker/patrol/search-backfill.ts): entries queued with indexed = 0,
// as migration 0010 queues what existed before the index, are tokenized by the cron a slice per run,
// oldest first, within the run's budget; an edit or delete of a source racing the back-fill never
// leaves two sets of tokens or tokens of a deleted entry.
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "../worker/db/client";
import { runCron } from "../worker/patrol/cron";
import { BACKFILL_BATCH, BACKFILL_TEXT_BYTES, backfillSearch } from "../worker/patrol/search-backfill";
import { armD1Fault, disarmD1Faults, type Gate, until } from "./fault-injection";
import { call, env, ok } from "./helpers";
import { fakeFetch } from "./notification-helpers";
import { retrospectivesOff } from "./recurring-fixtures";
import { entries, entryOf, expectIndexTrue, ftsMatch, ftsRowids, phraseOf, team } from "./search-helpers";

afterEach(() => disarmD1Faults());

/** Migration 0010's back-fill, statement for statement: every indexable row queued with indexed = 0. */
const MIGRATION_BACKFILL = [
  `INSERT INTO search_entry (kind, source_id, task_id, sub_task_id, agent_id, tag, text, created_at, indexed)
   SELECT action, id, task_id, sub_task_id, agent_id, NULL, summary, created_at, 0 FROM activity_log
   WHERE action IN ('reflection', 'delivery', 'blocked', 'plan', 'retro') AND summary <> '' ORDER BY created_at, id`,
  `INSERT INTO search_entry (kind, source_id, task_id, sub_task_id, agent_id, tag, text, created_at, indexed)
   SELECT 'review', r.id, s.task_id, r.sub_task_id, r.reviewer_agent, r.result, r.issues || char(10) || r.comment, r.created_at, 0
   FROM review_record r LEFT JOIN sub_task s ON s.id = r.sub_task_id
   WHERE r.issues <> '' OR r.comment <> '' ORDER BY r.created_at, r.id`,
  `INSERT INTO search_entry (kind, source_id, task_id, sub_task_id, agent_id, tag, text, created_at, indexed)
   SELECT 'rule', id, task_id, sub_task_id, NULL, scope, content, created_at, 0 FROM rule
   WHERE content <> '' ORDER BY created_at, id`,
  `INSERT INTO search_entry (kind, source_id, task_id, sub_task_id, agent_id, tag, text, created_at, indexed)
   SELECT 'sub_task', id, task_id, id, NULL, NULL, name || char(10) || description || char(10) || deliverable || char(10) || acceptance, created_at, 0
   FROM sub_task ORDER BY created_at, id`,
];

interface Seeded {
  taskId: string;
  subTaskIds: string[];
  ruleId: string;
}

/**
 * A database from before the index: sources written with raw SQL (bypassing the app, so no entries),
 * `subTasks` sub-tasks with a reflection and a review each, a rule, then the migration's back-fill.
 */
async function seedLegacy(agentId: string, subTasks: number, describe: (i: number) => string): Promise<Seeded> {
  const now = new Date(Date.now() - 86_400_000).toISOString();
  const taskId = crypto.randomUUID();
  const ruleId = crypto.randomUUID();
  const subTaskIds = Array.from({ length: subTasks }, () => crypto.randomUUID());
  const stmts = [
    env.DB.prepare(
      "insert into task (id, name, description, type, status, created_at, updated_at) values (?, 'legacy', '', 'once', 'active', ?, ?)",
    ).bind(taskId, now, now),
    env.DB.prepare(
      "insert into rule (id, scope, task_id, content, created_at, updated_at) values (?, 'task', ?, '旧规则：先写测试', ?, ?)",
    ).bind(ruleId, taskId, now, now),
  ];
  subTaskIds.forEach((id, i) => {
    stmts.push(
      env.DB.prepare(
        "insert into sub_task (id, task_id, name, description, status, priority, type, created_at, updated_at) values (?, ?, ?, ?, 'pending', 'medium', 'once', ?, ?)",
      ).bind(id, taskId, `legacy step ${i}`, describe(i), now, now),
      env.DB.prepare(
        "insert into sub_task_event (id, sub_task_id, op, from_status, to_status, actor_kind, detail, created_at) values (?, ?, 'create', null, 'pending', 'system', '', ?)",
      ).bind(crypto.randomUUID(), id, now),
      env.DB.prepare(
        "insert into activity_log (id, agent_id, sub_task_id, task_id, action, summary, created_at) values (?, ?, ?, ?, 'reflection', ?, ?)",
      ).bind(crypto.randomUUID(), agentId, id, taskId, `reflection ${i}: check encodings`, now),
      env.DB.prepare(
        "insert into review_record (id, sub_task_id, reviewer_agent, round, result, score, issues, comment, created_at) values (?, ?, ?, 1, 'approved', 4, ?, '', ?)",
      ).bind(crypto.randomUUID(), id, agentId, `issue ${i}: 缺少表头`, now),
    );
  });
  for (let i = 0; i < stmts.length; i += 300) await env.DB.batch(stmts.slice(i, i + 300));
  // Before the index there was none: the shipped global rule is queued again with the rest.
  await env.DB.batch([
    env.DB.prepare("delete from search_fts"),
    env.DB.prepare("delete from search_entry"),
    ...MIGRATION_BACKFILL.map((s) => env.DB.prepare(s)),
  ]);
  return { taskId, subTaskIds, ruleId };
}

const queued = async () =>
  (await env.DB.prepare("select count(*) as n from search_entry where indexed = 0").first<{ n: number }>())!.n;
const db = () => getDb(env.DB);

describe("the back-fill", () => {
  it("indexes what the migration queued, oldest first, in slices, through the cron; all searchable, checker green", async () => {
    const t = await team();
    await retrospectivesOff();
    const seeded = await seedLegacy(t.planner.id, 200, (i) => `describe ${i}`);
    // 200 sub-tasks, 200 reflections, 200 reviews, the task's rule and the shipped global rule.
    expect(await queued()).toBe(602);
    // The invariant holds while queued: entries agree with their sources and have no tokens yet.
    await expectIndexTrue(t.admin);
    expect(await ftsMatch(phraseOf("表头"))).toEqual([]);

    const first = await runCron(env, Date.now(), fakeFetch().fetcher);
    expect(first.failed).toEqual([]);
    expect(first.search).toEqual({ indexed: BACKFILL_BATCH, more: true });
    // Oldest first: every id below the first still queued is indexed.
    const afterFirst = await entries();
    const firstQueued = afterFirst.find((e) => e.indexed === 0)!.id;
    expect(afterFirst.filter((e) => e.id < firstQueued).every((e) => e.indexed === 1)).toBe(true);
    await expectIndexTrue(t.admin);

    const second = await runCron(env, Date.now() + 60_000, fakeFetch().fetcher);
    expect(second.search).toEqual({ indexed: 602 - BACKFILL_BATCH, more: false });
    expect(await queued()).toBe(0);
    // Idle: nothing to do, one read.
    const idle = await backfillSearch(db(), { queries: 45 });
    expect(idle).toEqual({ indexed: 0, more: false });

    expect(await ftsMatch(phraseOf("表头"))).toHaveLength(200);
    expect(await ftsMatch(phraseOf("先写测试"))).toEqual([(await entryOf("rule", seeded.ruleId))!.id]);
    expect(await ftsMatch(phraseOf("describe 17"))).toEqual([(await entryOf("sub_task", seeded.subTaskIds[17]!))!.id]);
    await expectIndexTrue(t.admin);
  });

  it("takes at most BACKFILL_TEXT_BYTES of text per run (the first entry whatever its size) and nothing without budget", async () => {
    const t = await team();
    const big = "x".repeat(200_000);
    await seedLegacy(t.planner.id, 4, (i) => `${i} ${big}`);
    const before = await queued();
    expect(await backfillSearch(db(), { queries: 2 })).toEqual({ indexed: 0, more: false });
    expect(await queued()).toBe(before);
    // Queued in migration order: 4 reflections, 4 reviews, 2 rules, then the 4 sub-tasks of 200 KB each.
    const runs: number[] = [];
    for (let i = 0; i < 10 && (await queued()) > 0; i++)
      runs.push((await backfillSearch(db(), { queries: 3 })).indexed);
    expect(await queued()).toBe(0);
    // 4 × 200 KB sub-tasks cannot go in one run of 512 KB: at least two runs took them.
    expect(BACKFILL_TEXT_BYTES).toBeLessThan(4 * 200_000);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.reduce((a, b) => a + b, 0)).toBe(before);
    await expectIndexTrue(t.admin);
  });

  it("an edit or a delete landing between its read and its write wins: one set of tokens, the new text's", async () => {
    const t = await team();
    const seeded = await seedLegacy(t.planner.id, 3, (i) => `old words ${i}`);
    const rules = [seeded.ruleId];
    const extra = await ok(
      call("POST", "/api/rules", {
        key: t.planner.key,
        body: { scope: "task", task_id: seeded.taskId, content: "temp" },
      }),
    );
    // Queue the new rule too, as if it were legacy: the back-fill will read both rules.
    await env.DB.prepare("delete from search_fts where rowid = (select id from search_entry where source_id = ?)")
      .bind(extra.id)
      .run();
    await env.DB.prepare("update search_entry set indexed = 0 where source_id = ?").bind(extra.id).run();
    rules.push(extra.id);

    const gate: Gate = { held: false, open: false };
    armD1Fault({ when: (c) => c.op === "batch" && c.sql.some((s) => /insert into search_fts/i.test(s)), hold: gate });
    const backfill = backfillSearch(db(), { queries: 10 });
    await until(() => gate.held, "the back-fill's write");
    // Meanwhile: the legacy rule is edited (indexEntry: its tokens, indexed = 1), the other deleted.
    await ok(
      call("PUT", `/api/rules/${seeded.ruleId}`, { key: t.planner.key, body: { content: "新规则 fresh words" } }),
    );
    await ok(call("DELETE", `/api/rules/${extra.id}`, { key: t.planner.key }));
    gate.open = true;
    const report = await backfill;
    disarmD1Faults();

    const edited = (await entryOf("rule", seeded.ruleId))!;
    expect(edited).toMatchObject({ text: "新规则 fresh words", indexed: 1 });
    expect(await entryOf("rule", extra.id)).toBeUndefined();
    // Exactly one FTS row for the edited rule, holding the new words only; none for the deleted one.
    expect((await ftsRowids()).filter((id) => id === edited.id)).toEqual([edited.id]);
    expect(await ftsMatch(phraseOf("fresh words"))).toEqual([edited.id]);
    expect(await ftsMatch(phraseOf("先写测试"))).toEqual([]);
    expect(await ftsMatch(phraseOf("temp"))).toEqual([]);
    // The back-fill flagged the others only (3 reflections, 3 reviews, the global rule, 3 sub-tasks).
    expect(report.indexed).toBe(10);
    expect(await queued()).toBe(0);
    await expectIndexTrue(t.admin);
  });
});
