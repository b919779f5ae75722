// Concurrent writes of one indexed source (h4): whatever order they land in, the source has one entry
// holding its final text, and search_fts one row of that text's tokens (Promise.all through the real
// path; the invariant checker after each).
import { describe, expect, it } from "vitest";
import { call, ok } from "./helpers";
import { expectInvariants, trackAcks } from "./invariants";
import {
  entries,
  entryOf,
  expectIndexTrue,
  ftsMatch,
  ftsRowids,
  newSubTask,
  newTask,
  phraseOf,
  team,
} from "./search-helpers";

const WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"];

/** One entry for the source, equal to `text`, with exactly one FTS row that its words find. */
async function expectOnly(kind: string, sourceId: string, text: string, others: string[]) {
  expect((await entries()).filter((e) => e.kind === kind && e.source_id === sourceId)).toHaveLength(1);
  const e = (await entryOf(kind, sourceId))!;
  expect(e).toMatchObject({ text, indexed: 1 });
  expect((await ftsRowids()).filter((id) => id === e.id)).toEqual([e.id]);
  for (const word of others) {
    const found = await ftsMatch(phraseOf(word));
    expect(found.includes(e.id), word).toBe(text.includes(word));
  }
}

describe("concurrent writes of one source", () => {
  it("eight edits of one rule at once: its entry holds the text that won", async () => {
    const t = await team();
    const taskId = await newTask(t);
    const rule = await ok(
      call("POST", "/api/rules", { key: t.planner.key, body: { scope: "task", task_id: taskId, content: "initial" } }),
    );
    const results = await Promise.all(
      WORDS.map((w, i) =>
        call(
          "PUT",
          `/api/rules/${rule.id}`,
          i % 2
            ? { admin: t.admin, body: { content: `rule ${w}` } }
            : { key: t.planner.key, body: { content: `rule ${w}` } },
        ),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(WORDS.map(() => 200));
    // The rule as stored (the last edit to commit); its entry must hold exactly that.
    const { content } = await ok(call("GET", `/api/rules/${rule.id}`, { admin: t.admin }));
    expect(WORDS.map((w) => `rule ${w}`)).toContain(content);
    await expectOnly("rule", rule.id, content, [...WORDS, "initial"]);
    await expectIndexTrue(t.admin);
  });

  it("eight edits of one sub-task at once (serialized by its Durable Object): its entry holds the last text", async () => {
    const t = await team();
    const st = await newSubTask(t, await newTask(t), { name: "start", description: "" });
    const acks = trackAcks();
    const results = await Promise.all(
      WORDS.map((w) =>
        acks.call("PUT", `/api/sub-tasks/${st.id}`, { key: t.planner.key, body: { name: `task ${w}` } }),
      ),
    );
    expect(results.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    expect(results.some((r) => r.status === 200)).toBe(true);
    const row = await ok(call("GET", `/api/sub-tasks/${st.id}`, { key: t.planner.key }));
    await expectOnly("sub_task", st.id, `${row.name}\n\n\n`, [...WORDS, "start"]);
    await expectIndexTrue(t.admin);
    await expectInvariants({ admin: t.admin, acks });
  });

  it("an edit and a delete of one rule at once: either both land (no entry) or the edit lost to the delete", async () => {
    const t = await team();
    const taskId = await newTask(t);
    for (let i = 0; i < 4; i++) {
      const rule = await ok(
        call("POST", "/api/rules", {
          key: t.planner.key,
          body: { scope: "task", task_id: taskId, content: `keep ${i}` },
        }),
      );
      const [edit, del] = await Promise.all([
        call("PUT", `/api/rules/${rule.id}`, { key: t.planner.key, body: { content: `edited ${i}` } }),
        call("DELETE", `/api/rules/${rule.id}`, { admin: t.admin }),
      ]);
      expect(del.status).toBe(200);
      expect([200, 404]).toContain(edit.status);
      expect(await entryOf("rule", rule.id)).toBeUndefined();
      expect(await ftsMatch(phraseOf(`edited ${i}`))).toEqual([]);
    }
    await expectIndexTrue(t.admin);
  });

  it("many logs and sub-tasks written at once: one entry each, ids never shared", async () => {
    const t = await team();
    const taskId = await newTask(t);
    const [logs, subTasks] = await Promise.all([
      Promise.all(
        WORDS.map((w) =>
          ok(call("POST", "/api/logs", { key: t.exec.key, body: { action: "reflection", summary: `lesson ${w}` } })),
        ),
      ),
      Promise.all(WORDS.map((w) => newSubTask(t, taskId, { name: `make ${w}` }))),
    ]);
    for (const [i, l] of logs.entries()) await expectOnly("reflection", l.id, `lesson ${WORDS[i]}`, [WORDS[i]!]);
    for (const s of subTasks) expect(await entryOf("sub_task", s.id)).toBeDefined();
    await expectIndexTrue(t.admin);
  });
});
