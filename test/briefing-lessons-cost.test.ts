// What the briefing's lessons cost (issue 19): one statement more, rows read bounded by the window per
// sub-task whatever the size of the index, and a size within the briefing's budget however many long
// lessons match. Rows go straight into D1 and the index here: thousands of API calls would only be slow.
import { beforeEach, describe, expect, it } from "vitest";
import { LESSON_LIMITS } from "../worker/domain/briefing-lessons";
import { indexText } from "../worker/domain/search-text";
import { call, env, initialize, register, type TestAgent } from "./helpers";

let exec: TestAgent, exec2: TestAgent;
const TASK = "lessons-task";
const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();

beforeEach(async () => {
  await initialize();
  [exec, exec2] = await Promise.all([register("executor"), register("executor")]);
  await env.DB.prepare(
    "insert into task (id, name, description, type, status, created_at, updated_at) values (?, 'T', '', 'once', 'active', ?, ?)",
  )
    .bind(TASK, at(0), at(0))
    .run();
});

async function batched(stmts: D1PreparedStatement[]) {
  for (let i = 0; i < stmts.length; i += 500) await env.DB.batch(stmts.slice(i, i + 500));
}

const insSub = (id: string, name: string, status: string, agent: string | null, text = "") =>
  env.DB.prepare(
    "insert into sub_task (id, task_id, name, description, deliverable, acceptance, status, priority, type, assigned_agent, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, 'medium', 'once', ?, ?, ?)",
  ).bind(id, TASK, name, text, text, text, status, agent, at(1), at(1));

/** `n` index entries, ids after the existing ones: each kind in turn, texts naming a few topics. */
async function addEntries(n: number, text: (i: number) => string, from = 0) {
  const kinds = ["delivery", "reflection", "review", "sub_task", "plan"];
  const stmts: D1PreparedStatement[] = [];
  for (let i = from; i < from + n; i++) {
    const kind = kinds[i % kinds.length]!;
    const body = text(i);
    stmts.push(
      env.DB.prepare(
        "insert into search_entry (kind, source_id, task_id, sub_task_id, agent_id, tag, text, created_at, indexed) values (?, ?, ?, ?, ?, ?, ?, ?, 1)",
      ).bind(kind, `src-${i}`, TASK, `old-${i % 500}`, exec2.id, kind === "review" ? "rejected" : null, body, at(i)),
      env.DB.prepare(
        "insert into search_fts (rowid, body) values ((select id from search_entry where kind = ? and source_id = ?), ?)",
      ).bind(kind, `src-${i}`, indexText(body)),
    );
  }
  await batched(stmts);
}

async function brief(agent: TestAgent) {
  const res = await call("GET", "/api/agents/me/briefing", { key: agent.key });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return {
    body: res.body,
    queries: Number(res.headers.get("x-d1-queries")),
    rowsRead: Number(res.headers.get("x-d1-rows-read")),
    bytes: new TextEncoder().encode(JSON.stringify(res.body)).length,
  };
}

const TOPICS = ["login form", "payment webhook", "invoice export", "search page", "backup job", "登录表单", "支付回调"];
const lessonText = (i: number) =>
  `Round ${i}: the ${TOPICS[i % TOPICS.length]} ${TOPICS[(i * 3) % TOPICS.length]} was rejected because of ${"detail ".repeat(i % 7)}`;

describe("briefing lessons: cost", () => {
  it("add exactly one statement, and none when no sub-task has a word to search by", async () => {
    await addEntries(200, lessonText);
    // Same shape of work: one in progress each; only the names differ.
    await batched([
      insSub("plain", "v2 2", "in_progress", exec.id),
      insSub("worded", "login form", "in_progress", exec2.id),
    ]);
    await brief(exec);
    await brief(exec2);
    const without = await brief(exec);
    const withLessons = await brief(exec2);
    expect(without.body.lessons).toEqual([]);
    expect(withLessons.body.lessons.length).toBeGreaterThan(0);
    expect(withLessons.queries - without.queries).toBe(1);
  });

  it("read rows bounded by the window per sub-task, the same at 1,000 and 20,000 indexed entries", async () => {
    const held = ["login form", "payment webhook", "invoice export"];
    await batched(held.map((name, i) => insSub(`held-${i}`, name, "in_progress", exec.id)));
    await brief(exec); // the rules revision is stored: both measures are steady-state wake-ups
    const empty = await brief(exec);
    expect(empty.body.lessons).toEqual([]);

    await addEntries(1_000, lessonText);
    const small = await brief(exec);
    await addEntries(19_000, lessonText, 1_000);
    expect(
      (await env.DB.prepare("select count(*) n from search_entry where source_id like 'src-%'").first<{ n: number }>())!
        .n,
    ).toBe(20_000);
    const large = await brief(exec);

    console.log(
      `briefing rows read: no index ${empty.rowsRead}, 1,000 entries ${small.rowsRead}, 20,000 entries ${large.rowsRead}; bytes ${empty.bytes} → ${large.bytes}`,
    );
    expect(large.body.lessons.length).toBeGreaterThan(0);
    // Each arm: at most `window` matches, as many entries joined by key, and the lessons among them sorted by rank.
    const bound = held.length * LESSON_LIMITS.window * 3;
    expect(small.rowsRead - empty.rowsRead).toBeLessThanOrEqual(bound);
    expect(large.rowsRead - empty.rowsRead).toBeLessThanOrEqual(bound);
    expect(large.rowsRead / small.rowsRead).toBeLessThanOrEqual(1.2);
  });

  it("10 held sub-tasks matching many long lessons: lessons within 2 KB, the briefing within its budget", async () => {
    const names = Array.from({ length: 10 }, (_, i) => `${TOPICS[i % TOPICS.length]} part ${i}`);
    await batched(names.map((name, i) => insSub(`held-${i}`, name, "rework", exec.id, "y".repeat(10_000))));
    // Long lessons in both scripts: every held sub-task matches dozens.
    await addEntries(300, (i) => `${TOPICS[i % TOPICS.length]} ${"很长的经验教训 long lesson text ".repeat(200)}`);

    const b = await brief(exec);
    const lessons = b.body.lessons as { sub_task_id: string; snippet: string }[];
    expect(new TextEncoder().encode(JSON.stringify(lessons)).length).toBeLessThanOrEqual(LESSON_LIMITS.bytes);
    expect(lessons.length).toBeGreaterThan(0);
    for (const l of lessons) expect([...l.snippet].length).toBeLessThanOrEqual(LESSON_LIMITS.snippet);
    // The best lesson of each sub-task comes before anyone's second: several sub-tasks are served.
    const perSubTask = new Map<string, number>();
    for (const l of lessons) perSubTask.set(l.sub_task_id, (perSubTask.get(l.sub_task_id) ?? 0) + 1);
    expect(perSubTask.size).toBe(lessons.length);
    for (const n of perSubTask.values()) expect(n).toBeLessThanOrEqual(LESSON_LIMITS.perSubTask);
    // test/briefing.test.ts: the briefing stays under 200 KB whatever it holds.
    expect(b.bytes).toBeLessThan(200_000);
    console.log(
      `briefing of 10 held sub-tasks: ${b.bytes} bytes, lessons ${lessons.length} in ${JSON.stringify(lessons).length} chars`,
    );
  });
});
