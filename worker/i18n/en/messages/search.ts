// Texts of refusals and answers about the team memory search (worker/routes/search.ts, worker/domain/search-query.ts).
import type { AtField } from "./validation";

const at = (p: AtField) => (p.field ? `${p.field}: ` : "");

export const search = {
  emptyQuery: "the query has no word to search for: it needs at least one letter or digit",
  /** `max` is MAX_QUERY_TERMS. */
  tooManyTerms: (p: { count: number; max: number }) =>
    `the query has ${p.count} terms; at most ${p.max} (every term must match, so fewer, more telling words find more)`,
  /** `kinds` lists the valid kinds. */
  unknownSearchKind: (p: AtField & { kind: string; kinds: string }) =>
    `${at(p)}"${p.kind}" is not a kind of search entry; the kinds are ${p.kinds}`,
};
