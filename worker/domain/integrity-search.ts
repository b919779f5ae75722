// The invariants of the team memory index, as pure checks over plain rows (read by
// db/integrity-search.ts with the rest; domain/integrity.ts runs them).
import type { IntegrityRows, Violations } from "./integrity";

export interface SearchRows {
  searchEntries: { id: number; kind: string; sourceId: string; indexed: boolean }[];
}

/** - (the search-index helper fills these in) */
export function checkSearch(_rows: IntegrityRows, _out: Violations): void {}
