// The search_index invariant's pure part: each disagreement SQL finds (db/integrity-search.ts) becomes
// one violation naming the row to look at — the source for a missing entry, the entry for a stale one,
// the FTS rowid for tokens — and a clean index gives none.
import { describe, expect, it } from "vitest";
import { Violations } from "../../worker/domain/integrity";
import { checkSearch, type SearchProblem } from "../../worker/domain/integrity-search";

const check = (searchEntries: SearchProblem[]) => {
  const out = new Violations();
  checkSearch({ searchEntries }, out);
  return { listed: out.listed, total: out.total };
};

describe("checkSearch", () => {
  it("finds nothing wrong in an index SQL found no disagreement in", () => {
    expect(check([])).toEqual({ listed: [], total: 0 });
  });

  it("names the source of a missing entry, in its own table", () => {
    const problems: SearchProblem[] = [
      { problem: "missing", kind: "reflection", source_id: "log1", entry_id: null, detail: "no search entry" },
      { problem: "missing", kind: "review", source_id: "rv1", entry_id: null, detail: "no search entry" },
      { problem: "missing", kind: "rule", source_id: "ru1", entry_id: null, detail: "no search entry" },
      { problem: "missing", kind: "sub_task", source_id: "s1", entry_id: null, detail: "no search entry" },
    ];
    expect(check(problems).listed.map((v) => [v.invariant, v.table, v.id])).toEqual([
      ["search_index", "activity_log", "log1"],
      ["search_index", "review_record", "rv1"],
      ["search_index", "rule", "ru1"],
      ["search_index", "sub_task", "s1"],
    ]);
  });

  it("names the entry of a stale one, with its source and what differs", () => {
    const { listed } = check([
      { problem: "stale", kind: "rule", source_id: "ru1", entry_id: 7, detail: "text differs from its source's" },
    ]);
    expect(listed).toEqual([
      { invariant: "search_index", table: "search_entry", id: "7", detail: "rule ru1: text differs from its source's" },
    ]);
  });

  it("names the FTS row of a token mismatch, even one without an entry", () => {
    const { listed } = check([
      {
        problem: "tokens",
        kind: null,
        source_id: null,
        entry_id: 9,
        detail: "search_fts has a row for an entry that does not exist",
      },
      {
        problem: "tokens",
        kind: "plan",
        source_id: "log2",
        entry_id: 3,
        detail: "indexed = 1 but search_fts has no row for it",
      },
    ]);
    expect(listed.map((v) => `${v.table} ${v.id}: ${v.detail}`)).toEqual([
      "search_fts 9: search_fts has a row for an entry that does not exist",
      "search_fts 3: plan log2: indexed = 1 but search_fts has no row for it",
    ]);
  });

  it("counts every disagreement, listing at most the checker's limit", () => {
    const many: SearchProblem[] = Array.from({ length: 120 }, (_, i) => ({
      problem: "missing",
      kind: "sub_task",
      source_id: `s${i}`,
      entry_id: null,
      detail: "no search entry",
    }));
    const { listed, total } = check(many);
    expect(total).toBe(120);
    expect(listed).toHaveLength(100);
  });
});
