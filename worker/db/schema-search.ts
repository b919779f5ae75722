// The team memory search (ours): one row per searchable text, and beside it the FTS5 table search_fts
// (created by migration 0010, not declared here: drizzle has no virtual tables) whose rowid is this
// row's rowid. Both are written in the same batch as the text they index (db/search-index.ts).
// docs/search.md explains the model.
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { SearchKind } from "../../contract/vocabulary";

export const searchEntry = sqliteTable(
  "search_entry",
  {
    // The FTS5 row's rowid too. AUTOINCREMENT: never reused, so the newest entry has the highest id.
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind").$type<SearchKind>().notNull(),
    // The indexed row's id: activity_log.id, review_record.id, rule.id or sub_task.id.
    sourceId: text("source_id").notNull(),
    taskId: text("task_id"),
    subTaskId: text("sub_task_id"),
    // Who wrote it (an agent id), when an agent did.
    agentId: text("agent_id"),
    // review: 'approved' | 'rejected'; rule: its scope; otherwise null.
    tag: text("tag"),
    // The text as written (for snippets); the FTS row holds its tokens (domain/search-text.ts).
    text: text("text").notNull(),
    createdAt: text("created_at").notNull(),
    // 0: back-filled by the migration, waiting for the cron to tokenize it into search_fts.
    indexed: integer("indexed", { mode: "boolean" }).notNull().default(true),
  },
  (t) => [
    uniqueIndex("ux_search_entry_source").on(t.kind, t.sourceId),
    index("ix_search_entry_task").on(t.taskId),
    index("ix_search_entry_sub_task").on(t.subTaskId),
    index("ix_search_entry_unindexed").on(t.id).where(sql`indexed = 0`),
  ],
);
