// Helpers of the search index tests (h4): read search_entry and search_fts as they are, and check the
// index is exactly true — the server's invariant checker (search_index) plus what only a test can
// afford: every indexed entry found by an FTS match of each of its first tokens.
import { expect } from "vitest";
import { indexText } from "../worker/domain/search-text";
import { call, env, initialize, ok, register, type TestAgent } from "./helpers";
import { expectInvariants } from "./invariants";

export interface EntryRow {
  id: number;
  kind: string;
  source_id: string;
  task_id: string | null;
  sub_task_id: string | null;
  agent_id: string | null;
  tag: string | null;
  text: string;
  indexed: number;
}

/** Every entry, in id order. */
export async function entries(): Promise<EntryRow[]> {
  return (await env.DB.prepare("select * from search_entry order by id").all<EntryRow>()).results;
}

/** The entry of one source, if any. */
export async function entryOf(kind: string, sourceId: string): Promise<EntryRow | undefined> {
  return (
    (await env.DB.prepare("select * from search_entry where kind = ? and source_id = ?")
      .bind(kind, sourceId)
      .first<EntryRow>()) ?? undefined
  );
}

/** search_fts's rowids, sorted (duplicates kept: a contentless table does not refuse them). */
export async function ftsRowids(): Promise<number[]> {
  return (await env.DB.prepare("select rowid as id from search_fts order by rowid").all<{ id: number }>()).results.map(
    (r) => r.id,
  );
}

/** The rowids an FTS query finds (`query` in FTS5 syntax over indexText's tokens). */
export async function ftsMatch(query: string): Promise<number[]> {
  return (
    await env.DB.prepare("select rowid as id from search_fts where search_fts match ? order by rowid")
      .bind(query)
      .all<{ id: number }>()
  ).results.map((r) => r.id);
}

/** A phrase query for `text`'s tokens (quotes doubled), as the index stores them. */
export const phraseOf = (text: string): string => `"${indexText(text).trim().replaceAll('"', '""')}"`;

/**
 * The index is exactly true: no search_index violation (nor any other), tokens exactly for the
 * indexed entries (each once), and each indexed entry found by a match of its first words.
 */
export async function expectIndexTrue(admin?: string): Promise<void> {
  await expectInvariants(admin ? { admin } : {});
  const all = await entries();
  expect(await ftsRowids()).toEqual(all.filter((e) => e.indexed === 1).map((e) => e.id));
  const indexed = all.filter((x) => x.indexed === 1);
  // Every entry of a small index; an even sample of 100 of a large one (one query each).
  const step = Math.max(1, Math.ceil(indexed.length / 100));
  for (const e of indexed.filter((_, i) => i % step === 0)) {
    const words = indexText(e.text).match(/[\p{L}\p{N}]+/gu) ?? [];
    if (words.length === 0) continue;
    const first = words
      .slice(0, 3)
      .map((w) => `"${w}"`)
      .join(" ");
    expect(await ftsMatch(first), `entry ${e.id} (${e.kind}) found by ${first}`).toContain(e.id);
  }
}

/** Entries of a source: kind + source id + the searchable columns, for exact comparisons. */
export const columns = (e: EntryRow | undefined) =>
  e && {
    kind: e.kind,
    source_id: e.source_id,
    task_id: e.task_id,
    sub_task_id: e.sub_task_id,
    agent_id: e.agent_id,
    tag: e.tag,
    text: e.text,
    indexed: e.indexed,
  };

export interface Team {
  admin: string;
  planner: TestAgent;
  exec: TestAgent;
  exec2: TestAgent;
  reviewer: TestAgent;
}

/**
 * Rebuilds search_fts from the indexed entries. initialize() replays recorded rows, and search_fts is
 * contentless: the replay cannot restore its tokens (asked of the lead: /work/brief19/ask-h4.md).
 */
export async function retokenize(): Promise<void> {
  const indexed = (await env.DB.prepare("select id, text from search_entry where indexed = 1").all<EntryRow>()).results;
  await env.DB.batch([
    env.DB.prepare("delete from search_fts"),
    ...indexed.map((e) =>
      env.DB.prepare("insert into search_fts (rowid, body) values (?, ?)").bind(e.id, indexText(e.text)),
    ),
  ]);
}

export async function team(): Promise<Team> {
  const admin = await initialize();
  await retokenize();
  const planner = await register("planner");
  const exec = await register("executor");
  const exec2 = await register("executor");
  const reviewer = await register("reviewer");
  return { admin, planner, exec, exec2, reviewer };
}

export async function newTask(t: Team, name = "Data pipeline"): Promise<string> {
  return (await ok(call("POST", "/api/tasks", { key: t.planner.key, body: { name } }))).id;
}

export async function newSubTask(
  t: Team,
  taskId: string,
  body: Record<string, unknown> = {},
): Promise<{ id: string; created_at: string }> {
  return ok(
    call("POST", "/api/sub-tasks", {
      key: t.planner.key,
      body: { task_id: taskId, name: "clean data", description: "remove duplicate rows", ...body },
    }),
  );
}

/** Claims, starts and submits a sub-task as `exec`. */
export async function workOn(t: Team, id: string, exec = t.exec): Promise<void> {
  for (const op of ["claim", "start", "submit"])
    await ok(call("POST", `/api/sub-tasks/${id}/${op}`, { key: exec.key, body: {} }));
}
