// The invariants of the team memory index, as pure checks over plain rows (read by
// db/integrity-search.ts with the rest; domain/integrity.ts runs them). SQL finds the disagreements
// (comparing texts in the database, not here): these rows are only what is wrong.
import type { IntegrityRows, Violations } from "./integrity";

/**
 * One disagreement between the index and what it indexes:
 * - missing: an indexable source (a log of a searched action with a summary, a review record with
 *   issues or a comment, a rule with content, any sub-task) has no entry;
 * - stale: an entry whose source is gone, has no text any more, or composes to other columns (detail);
 * - tokens: search_fts holds a row for no indexed entry, or an indexed entry has none.
 */
export interface SearchProblem {
  problem: "missing" | "stale" | "tokens";
  /** Null for a search_fts row without an entry. */
  kind: string | null;
  source_id: string | null;
  /** The entry's id (for `tokens` also search_fts's rowid); null when the entry is missing. */
  entry_id: number | null;
  detail: string | null;
}

export interface SearchRows {
  /** The index's disagreements (none when it is true), at most db/integrity-search.ts SEARCH_PROBLEMS_READ. */
  searchEntries: SearchProblem[];
}

/** - search_index: one entry per indexed text, equal to what its source composes to, tokens exactly for indexed entries. */
export function checkSearch(rows: Pick<IntegrityRows, "searchEntries">, out: Violations): void {
  for (const p of rows.searchEntries) {
    switch (p.problem) {
      case "missing":
        out.add("search_index", tableOf(p.kind), String(p.source_id), `no search entry (kind ${p.kind})`);
        break;
      case "stale":
        out.add("search_index", "search_entry", String(p.entry_id), `${p.kind} ${p.source_id}: ${p.detail}`);
        break;
      case "tokens": {
        // A row without an entry has no kind or source to name.
        const about = p.kind === null ? "" : `${p.kind} ${p.source_id}: `;
        out.add("search_index", "search_fts", String(p.entry_id), `${about}${p.detail}`);
        break;
      }
    }
  }
}

/** The table a kind's sources are rows of. */
function tableOf(kind: string | null): string {
  if (kind === "review") return "review_record";
  if (kind === "rule") return "rule";
  if (kind === "sub_task") return "sub_task";
  return "activity_log";
}
