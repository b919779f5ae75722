// What the invariant checker reads of the team memory index (domain/integrity-search.ts), as named
// queries for the one batch of db/integrity.ts.
import type { Db } from "./client";
import { searchEntry } from "./schema-search";

export const searchIntegrityQueries = (db: Db) => ({
  searchEntries: db
    .select({
      id: searchEntry.id,
      kind: searchEntry.kind,
      sourceId: searchEntry.sourceId,
      indexed: searchEntry.indexed,
    })
    .from(searchEntry),
});
