// The team memory index follows every write of what it indexes, in the same batch (h4; docs/search.md):
// logs of the searched actions, review records with text, rules, sub-tasks. Each case goes through the
// real path (HTTP → Worker → Durable Object → D1, or the cron) and then checks the entries column by
// column, the FTS rows, and the search_index invariant.
import { describe, expect, it } from "vitest";
import { call, env, ok } from "./helpers";
import { insertRetro, pattern } from "./retro-rows";
import {
  columns,
  entries,
  entryOf,
  expectIndexTrue,
  ftsMatch,
  newSubTask,
  newTask,
  phraseOf,
  type Team,
  team,
  workOn,
} from "./search-helpers";

const log = (key: string, body: Record<string, unknown>) => ok(call("POST", "/api/logs", { key, body }));

async function review(t: Team, subTaskId: string, body: Record<string, unknown>) {
  return ok(call("POST", "/api/review-records", { key: t.reviewer.key, body: { sub_task_id: subTaskId, ...body } }));
}

describe("setup", () => {
  it("indexes the shipped global rule with the rule itself", async () => {
    await team();
    const rule = await env.DB.prepare("select id, content from rule where scope = 'global'").first<{
      id: string;
      content: string;
    }>();
    expect(columns(await entryOf("rule", rule!.id))).toEqual({
      kind: "rule",
      source_id: rule!.id,
      task_id: null,
      sub_task_id: null,
      agent_id: null,
      tag: "global",
      text: rule!.content,
      indexed: 1,
    });
    await expectIndexTrue();
  });
});

describe("activity logs", () => {
  it("index reflection, delivery, blocked and plan logs with their task; not other actions nor empty ones", async () => {
    const t = await team();
    const taskId = await newTask(t);
    const st = await newSubTask(t, taskId);
    await ok(call("POST", `/api/sub-tasks/${st.id}/claim`, { key: t.exec.key, body: {} }));
    // On a sub-task: the entry takes the sub-task's task, as the log row does.
    const reflection = await log(t.exec.key, {
      action: "reflection",
      summary: "Lesson: 去重之前先排序 before dedup",
      sub_task_id: st.id,
    });
    const blocked = await log(t.exec.key, {
      action: "blocked",
      summary: "waiting for credentials",
      sub_task_id: st.id,
    });
    const delivery = await log(t.planner.key, { action: "delivery", summary: "pipeline shipped", task_id: taskId });
    const plan = await log(t.planner.key, { action: "plan", summary: "split into three stages" });
    const coding = await log(t.exec.key, { action: "coding", summary: "wrote the loader", sub_task_id: st.id });

    expect(columns(await entryOf("reflection", reflection.id))).toEqual({
      kind: "reflection",
      source_id: reflection.id,
      task_id: taskId,
      sub_task_id: st.id,
      agent_id: t.exec.id,
      tag: null,
      text: "Lesson: 去重之前先排序 before dedup",
      indexed: 1,
    });
    expect(await entryOf("blocked", blocked.id)).toMatchObject({ task_id: taskId, sub_task_id: st.id });
    expect(await entryOf("delivery", delivery.id)).toMatchObject({ task_id: taskId, sub_task_id: null });
    expect(await entryOf("plan", plan.id)).toMatchObject({ task_id: null, sub_task_id: null, agent_id: t.planner.id });
    expect((await entries()).filter((e) => e.source_id === coding.id)).toEqual([]);
    // Searchable at once, Chinese pairs included.
    const id = (await entryOf("reflection", reflection.id))!.id;
    expect(await ftsMatch(phraseOf("排序"))).toEqual([id]);
    expect(await ftsMatch(phraseOf("去重之前"))).toEqual([id]);
    await expectIndexTrue(t.admin);
  });

  it("index a retro log, and the rule a retrospective's finding becomes", async () => {
    const t = await team();
    const taskId = await newTask(t);
    const retroId = await insertRetro({
      periodKey: "day:2026-12-04",
      scope: "team",
      patterns: [pattern("timeouts on upload", 4, taskId)],
    });
    const retro = await log(t.exec.key, {
      action: "retro",
      summary: "I will split uploads into chunks",
      retrospective_id: retroId,
    });
    expect(await entryOf("retro", retro.id)).toMatchObject({
      task_id: null,
      sub_task_id: null,
      agent_id: t.exec.id,
      text: "I will split uploads into chunks",
    });
    const stored = await ok(call("GET", `/api/retrospectives/${retroId}`, { admin: t.admin }));
    const finding = stored.body.findings[0].id as string;
    const made = await ok(
      call("POST", `/api/retrospectives/${retroId}/findings/${finding}/rule`, { key: t.planner.key }),
    );
    expect(await entryOf("rule", made.rule.id)).toMatchObject({
      tag: "task",
      task_id: taskId,
      text: made.rule.content,
    });
    await expectIndexTrue(t.admin);
  });
});

describe("review records", () => {
  it("index a rejection's issues, an approval's comment, and /complete and /rework records; not an approval without text", async () => {
    const t = await team();
    const taskId = await newTask(t);
    const [a, b, c, d] = [
      await newSubTask(t, taskId, { name: "a" }),
      await newSubTask(t, taskId, { name: "b" }),
      await newSubTask(t, taskId, { name: "c" }),
      await newSubTask(t, taskId, { name: "d" }),
    ];
    await workOn(t, a.id);
    const rejected = await review(t, a.id, { result: "rejected", score: 2, issues: "missing header row", comment: "" });
    expect(columns(await entryOf("review", rejected.id))).toEqual({
      kind: "review",
      source_id: rejected.id,
      task_id: taskId,
      sub_task_id: a.id,
      agent_id: t.reviewer.id,
      tag: "rejected",
      text: "missing header row\n",
      indexed: 1,
    });
    // The rework, resubmitted and approved with a comment: a second record, a second entry.
    await ok(call("POST", `/api/sub-tasks/${a.id}/start`, { key: t.exec.key, body: {} }));
    await ok(call("POST", `/api/sub-tasks/${a.id}/submit`, { key: t.exec.key, body: {} }));
    const approved = await review(t, a.id, { result: "approved", score: 5, comment: "clean work" });
    expect(await entryOf("review", approved.id)).toMatchObject({ tag: "approved", text: "\nclean work" });

    await workOn(t, b.id);
    const silent = await review(t, b.id, { result: "approved", score: 4 });
    expect(await entryOf("review", silent.id)).toBeUndefined();

    await workOn(t, c.id);
    await ok(call("POST", `/api/sub-tasks/${c.id}/complete`, { key: t.reviewer.key, body: {} }));
    await workOn(t, d.id);
    await ok(call("POST", `/api/sub-tasks/${d.id}/rework`, { key: t.reviewer.key, body: {} }));
    const records = (
      await env.DB.prepare("select id, sub_task_id, result from review_record").all<Record<string, string>>()
    ).results;
    for (const r of records.filter((x) => x.sub_task_id === c.id || x.sub_task_id === d.id)) {
      expect(await entryOf("review", r.id!)).toMatchObject({ tag: r.result, sub_task_id: r.sub_task_id });
    }
    expect((await entries()).filter((e) => e.kind === "review")).toHaveLength(4);
    await expectIndexTrue(t.admin);
  });
});

describe("rules", () => {
  it("follow create, edit and delete by a planner and an admin; a refused edit changes nothing", async () => {
    const t = await team();
    const taskId = await newTask(t);
    const st = await newSubTask(t, taskId);
    const taskRule = await ok(
      call("POST", "/api/rules", {
        key: t.planner.key,
        body: { scope: "task", task_id: taskId, content: "use UTF-8" },
      }),
    );
    const subRule = await ok(
      call("POST", "/api/rules", {
        admin: t.admin,
        body: { scope: "sub_task", sub_task_id: st.id, content: "keep ids" },
      }),
    );
    expect(await entryOf("rule", taskRule.id)).toMatchObject({ tag: "task", task_id: taskId, sub_task_id: null });
    expect(await entryOf("rule", subRule.id)).toMatchObject({ tag: "sub_task", task_id: taskId, sub_task_id: st.id });
    const before = (await entryOf("rule", taskRule.id))!;

    await ok(call("PUT", `/api/rules/${taskRule.id}`, { key: t.planner.key, body: { content: "use 简体中文 only" } }));
    const edited = (await entryOf("rule", taskRule.id))!;
    expect(edited).toMatchObject({ id: before.id, text: "use 简体中文 only", tag: "task", task_id: taskId });
    // The old words are gone from the index, the new ones are there.
    expect(await ftsMatch(phraseOf("UTF-8"))).not.toContain(edited.id);
    expect(await ftsMatch(phraseOf("中文"))).toContain(edited.id);
    await ok(call("PUT", `/api/rules/${subRule.id}`, { admin: t.admin, body: { content: "keep row ids stable" } }));
    expect(await entryOf("rule", subRule.id)).toMatchObject({ text: "keep row ids stable" });

    // A planner may not edit the global rule: neither the rule nor its entry changes.
    const global = (await env.DB.prepare("select id, content from rule where scope = 'global'").first<{
      id: string;
      content: string;
    }>())!;
    const refused = await call("PUT", `/api/rules/${global.id}`, { key: t.planner.key, body: { content: "anything" } });
    expect(refused.status).toBe(403);
    expect((await entryOf("rule", global.id))?.text).toBe(global.content);
    await ok(call("PUT", `/api/rules/${global.id}`, { admin: t.admin, body: { content: "Be kind to the CI." } }));
    expect((await entryOf("rule", global.id))?.text).toBe("Be kind to the CI.");
    expect((await call("DELETE", `/api/rules/${global.id}`, { key: t.planner.key })).status).toBe(403);
    expect(await entryOf("rule", global.id)).toBeDefined();

    await ok(call("DELETE", `/api/rules/${taskRule.id}`, { key: t.planner.key }));
    await ok(call("DELETE", `/api/rules/${subRule.id}`, { admin: t.admin }));
    expect(await entryOf("rule", taskRule.id)).toBeUndefined();
    expect(await entryOf("rule", subRule.id)).toBeUndefined();
    expect(await ftsMatch(phraseOf("中文"))).toEqual([]);
    await expectIndexTrue(t.admin);
  });
});

describe("sub-tasks", () => {
  it("are indexed when created (planner, admin) and re-indexed when edited (planner, admin); a cancel keeps the entry", async () => {
    const t = await team();
    const taskId = await newTask(t);
    const mine = await newSubTask(t, taskId, {
      name: "parse logs",
      description: "split lines",
      deliverable: "parser.ts",
      acceptance: "all tests green",
    });
    expect(columns(await entryOf("sub_task", mine.id))).toEqual({
      kind: "sub_task",
      source_id: mine.id,
      task_id: taskId,
      sub_task_id: mine.id,
      agent_id: null,
      tag: null,
      text: "parse logs\nsplit lines\nparser.ts\nall tests green",
      indexed: 1,
    });
    const byAdmin = await ok(
      call("POST", "/api/admin/sub-tasks", {
        admin: t.admin,
        body: { task_id: taskId, name: "ship it", description: "" },
      }),
    );
    expect(await entryOf("sub_task", byAdmin.id)).toMatchObject({ text: "ship it\n\n\n", task_id: taskId });

    await ok(call("PUT", `/api/sub-tasks/${mine.id}`, { key: t.planner.key, body: { description: "解析日志行" } }));
    expect((await entryOf("sub_task", mine.id))?.text).toBe("parse logs\n解析日志行\nparser.ts\nall tests green");
    await ok(call("PUT", `/api/admin/sub-tasks/${byAdmin.id}`, { admin: t.admin, body: { name: "ship it now" } }));
    expect((await entryOf("sub_task", byAdmin.id))?.text).toBe("ship it now\n\n\n");
    // Another edit (priority only) leaves the entry as it is.
    const kept = await entryOf("sub_task", mine.id);
    await ok(call("PUT", `/api/sub-tasks/${mine.id}`, { key: t.planner.key, body: { priority: "high" } }));
    expect(await entryOf("sub_task", mine.id)).toEqual(kept);

    await ok(call("POST", `/api/sub-tasks/${mine.id}/cancel`, { key: t.planner.key, body: {} }));
    expect(await entryOf("sub_task", mine.id)).toEqual(kept);
    expect(await ftsMatch(phraseOf("日志"))).toEqual([kept!.id]);
    await expectIndexTrue(t.admin);
  });
});
