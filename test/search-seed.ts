// Seeding of the search index for the search route's tests and benchmark (h5). Two ways: `seedEntries`
// writes each entry through the Worker's own statements (db/search-index.ts indexEntry, in one atomic
// batch, as every write path does); `bulkSeed` inserts thousands of entries a statement at a time
// through json_each (benchmark only: the same rows and tokens, without the per-entry statements).
import type { SearchKind } from "../contract/vocabulary";
import { atomicWrite, getDb } from "../worker/db/client";
import { indexEntry } from "../worker/db/search-index";
import { indexText } from "../worker/domain/search-text";
import { env } from "./helpers";

export interface SeedEntry {
  kind: SearchKind;
  text: string;
  sourceId?: string;
  taskId?: string | null;
  subTaskId?: string | null;
  agentId?: string | null;
  tag?: string | null;
  createdAt?: string;
}

let seeded = 0;

/** Writes the entries in order (so the last is the newest) and returns their source ids. */
export async function seedEntries(list: SeedEntry[]): Promise<string[]> {
  const ids = list.map((e) => e.sourceId ?? `src-${++seeded}-${crypto.randomUUID().slice(0, 8)}`);
  const statements = list.flatMap((e, i) =>
    indexEntry({
      kind: e.kind,
      sourceId: ids[i]!,
      taskId: e.taskId ?? null,
      subTaskId: e.subTaskId ?? null,
      agentId: e.agentId ?? null,
      tag: e.tag ?? null,
      text: e.text,
      createdAt: e.createdAt ?? new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    }),
  );
  for (let i = 0; i < statements.length; i += 300) await atomicWrite(getDb(env.DB), statements.slice(i, i + 300));
  return ids;
}

/** An active task with one sub-task named `name`, straight into D1; returns both ids. */
export async function seedTask(name = "Login service"): Promise<{ taskId: string; subTaskId: string }> {
  const now = new Date().toISOString();
  const taskId = crypto.randomUUID();
  const subTaskId = crypto.randomUUID();
  await env.DB.batch([
    env.DB.prepare(
      "insert into task (id, name, description, type, status, created_at, updated_at) values (?, ?, '', 'once', 'active', ?, ?)",
    ).bind(taskId, `Task of ${name}`, now, now),
    env.DB.prepare(
      "insert into sub_task (id, task_id, name, status, priority, type, created_at, updated_at) values (?, ?, ?, 'pending', 'medium', 'once', ?, ?)",
    ).bind(subTaskId, taskId, name, now, now),
  ]);
  return { taskId, subTaskId };
}

/** Entries per bulk statement: ~250 bytes each, well under D1's limits on a statement's size. */
const BULK_CHUNK = 1_000;

/**
 * Inserts `count` entries, `make(i)` each, entry i newer than i - 1: search_entry rows with explicit
 * ids and their tokens (indexText, as indexEntry writes them), BULK_CHUNK per statement pair.
 */
export async function bulkSeed(count: number, make: (i: number) => SeedEntry): Promise<void> {
  const first =
    ((await env.DB.prepare("select coalesce(max(id), 0) as id from search_entry").first<{ id: number }>())?.id ?? 0) +
    1;
  const insertEntries = env.DB.prepare(`insert into search_entry
    (id, kind, source_id, task_id, sub_task_id, agent_id, tag, text, created_at, indexed)
    select j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5, j.value ->> 6,
      j.value ->> 7, j.value ->> 8, 1 from json_each(?) j`);
  const insertTokens = env.DB.prepare(
    "insert into search_fts (rowid, body) select j.value ->> 0, j.value ->> 1 from json_each(?) j",
  );
  for (let start = 0; start < count; start += BULK_CHUNK) {
    const rows: unknown[][] = [];
    const tokens: unknown[][] = [];
    for (let i = start; i < Math.min(count, start + BULK_CHUNK); i++) {
      const e = make(i);
      const id = first + i;
      const createdAt = e.createdAt ?? new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
      rows.push([id, e.kind, e.sourceId ?? `bulk-${id}`, e.taskId, e.subTaskId, e.agentId, e.tag, e.text, createdAt]);
      tokens.push([id, indexText(e.text)]);
    }
    await env.DB.batch([insertEntries.bind(JSON.stringify(rows)), insertTokens.bind(JSON.stringify(tokens))]);
  }
}
