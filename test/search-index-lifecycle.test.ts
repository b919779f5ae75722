// The team memory index through deletions and the cron (h4; docs/search.md): a task's deletion removes
// exactly its entries, an agent's keeps them, and a new round's sub-tasks and plan log are queued by the
// round batch and tokenized by the same cron run's back-fill. Each case then checks the entries, the FTS
// rows and the search_index invariant.
import { describe, expect, it } from "vitest";
import { indexText } from "../worker/domain/search-text";
import { runCron } from "../worker/patrol/cron";
import { call, env, ok } from "./helpers";
import { fakeFetch } from "./notification-helpers";
import { retrospectivesOff, roundsOf, scheduledTask, subTasksOf } from "./recurring-fixtures";
import {
  columns,
  entries,
  entryOf,
  expectIndexTrue,
  ftsMatch,
  newSubTask,
  newTask,
  type Team,
  team,
  workOn,
} from "./search-helpers";

const log = (key: string, body: Record<string, unknown>) => ok(call("POST", "/api/logs", { key, body }));

async function review(t: Team, subTaskId: string, body: Record<string, unknown>) {
  return ok(call("POST", "/api/review-records", { key: t.reviewer.key, body: { sub_task_id: subTaskId, ...body } }));
}

describe("deletions", () => {
  it("a task's deletion removes the entries of its logs, reviews, rules and sub-tasks, and only those", async () => {
    const t = await team();
    const doomed = await newTask(t, "doomed");
    const kept = await newTask(t, "kept");
    const a = await newSubTask(t, doomed);
    const other = await newSubTask(t, kept);
    await workOn(t, a.id);
    await log(t.exec.key, { action: "reflection", summary: "remember the header", sub_task_id: a.id });
    await review(t, a.id, { result: "approved", score: 4, comment: "fine" });
    await log(t.planner.key, { action: "delivery", summary: "doomed delivered", task_id: doomed });
    await ok(
      call("POST", "/api/rules", { key: t.planner.key, body: { scope: "task", task_id: doomed, content: "r1" } }),
    );
    await ok(
      call("POST", "/api/rules", { key: t.planner.key, body: { scope: "sub_task", sub_task_id: a.id, content: "r2" } }),
    );
    await ok(call("POST", "/api/rules", { key: t.planner.key, body: { scope: "task", task_id: kept, content: "r3" } }));
    await log(t.planner.key, { action: "plan", summary: "no task at all" });
    const survivors = (await entries()).filter((e) => e.task_id !== doomed).map((e) => e.id);
    expect((await entries()).filter((e) => e.task_id === doomed)).toHaveLength(6);

    await ok(call("DELETE", `/api/admin/tasks/${doomed}`, { admin: t.admin, body: { confirm_name: "doomed" } }));
    expect((await entries()).map((e) => e.id)).toEqual(survivors);
    expect(await entryOf("sub_task", other.id)).toBeDefined();
    await expectIndexTrue(t.admin);
  });

  it("an agent's deletion keeps the entries of its logs and reviews (its history is kept)", async () => {
    const t = await team();
    const taskId = await newTask(t);
    const st = await newSubTask(t, taskId);
    await workOn(t, st.id);
    await log(t.exec.key, { action: "reflection", summary: "lesson kept", sub_task_id: st.id });
    await review(t, st.id, { result: "approved", score: 4, comment: "by a reviewer who leaves" });
    const before = await entries();
    await ok(
      call("DELETE", `/api/admin/agents/${t.reviewer.id}`, { admin: t.admin, body: { confirm_name: t.reviewer.name } }),
    );
    await ok(call("DELETE", `/api/admin/agents/${t.exec.id}`, { admin: t.admin, body: { confirm_name: t.exec.name } }));
    expect(await entries()).toEqual(before);
    await expectIndexTrue(t.admin);
  });
});

describe("the cron", () => {
  it("queues a new round's sub-tasks and plan log, and its back-fill step indexes them in the same run; housekeeping leaves the index alone", async () => {
    const t = await team();
    await retrospectivesOff();
    const due = new Date(Date.now() - 60_000).toISOString();
    const taskId = await scheduledTask(t.planner, { nextRunAt: due });
    const run = await runCron(env, Date.now(), fakeFetch().fetcher);
    expect(run.failed).toEqual([]);
    const [round] = await roundsOf(taskId);
    const subs = await subTasksOf(round!.id);
    expect(subs).toHaveLength(2);
    for (const s of subs) {
      const row = (await env.DB.prepare("select * from sub_task where id = ?")
        .bind(s.id)
        .first<Record<string, string>>())!;
      expect(columns(await entryOf("sub_task", s.id))).toEqual({
        kind: "sub_task",
        source_id: s.id,
        task_id: taskId,
        sub_task_id: s.id,
        agent_id: null,
        tag: null,
        text: `${row.name}\n${row.description}\n${row.deliverable}\n${row.acceptance}`,
        indexed: 1,
      });
    }
    const planLogs = (
      await env.DB.prepare("select id, summary from activity_log where action = 'plan' and task_id = ?")
        .bind(taskId)
        .all<{ id: string; summary: string }>()
    ).results;
    expect(planLogs).toHaveLength(1);
    expect(await entryOf("plan", planLogs[0]!.id)).toMatchObject({
      task_id: taskId,
      text: planLogs[0]!.summary,
      indexed: 1,
    });
    expect(run.search).toMatchObject({ indexed: 3, more: false });
    const collect = subs.find((s) => s.name.startsWith("Collect"))!;
    expect(await ftsMatch(`"${indexText("collect").trim()}"`)).toContain((await entryOf("sub_task", collect.id))!.id);
    await expectIndexTrue(t.admin);

    // Another run (housekeeping, nothing due): the index is as it was.
    const before = await entries();
    expect((await runCron(env, Date.now(), fakeFetch().fetcher)).failed).toEqual([]);
    expect(await entries()).toEqual(before);
    await expectIndexTrue(t.admin);
  });
});
