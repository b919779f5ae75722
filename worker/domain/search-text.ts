// What the team memory search stores and indexes for each source row (docs/search.md). Pure: the write
// paths (db/search-index.ts), the back-fill (patrol/search-backfill.ts), the integrity checker and the
// query parser (domain/search-query.ts) all use these, so an entry always matches its source.
import type { SearchKind } from "../../contract/vocabulary";

/**
 * Han, kana and Hangul: scripts written without spaces, which FTS5's unicode61 tokenizer would keep as
 * one token per run (a whole sentence). They are indexed as overlapping pairs instead.
 */
export const CJK_CLASS = "\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}";
const CJK_RUN = new RegExp(`[${CJK_CLASS}]+`, "gu");

/** How the index folds text before tokenizing (and so every query, snippet and lesson): NFKC, then lower case. */
export const fold = (s: string): string => s.normalize("NFKC").toLowerCase();

/**
 * A run of CJK characters as overlapping two-character tokens ("团队记忆" → "团队 队记 记忆"); a single
 * character stays itself. Two-character words, the commonest in Chinese, then match exactly, and a longer
 * query matches as the phrase of its pairs (a trigram tokenizer cannot find two-character words).
 */
export function cjkPairs(run: string): string[] {
  const chars = [...run];
  if (chars.length < 2) return chars;
  const pairs: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) pairs.push(chars[i]! + chars[i + 1]!);
  return pairs;
}

/**
 * The text given to search_fts for an entry: NFKC-folded (full-width letters and digits become ASCII)
 * and lower-cased, each CJK run replaced by its pairs, set apart by spaces. Everything else is left to
 * unicode61 (which splits on punctuation and drops diacritics).
 */
export function indexText(text: string): string {
  return fold(text).replace(CJK_RUN, (run) => ` ${cjkPairs(run).join(" ")} `);
}

/** The columns of a search entry that come from its source row. */
export interface EntrySource {
  kind: SearchKind;
  sourceId: string;
  taskId: string | null;
  subTaskId: string | null;
  agentId: string | null;
  tag: string | null;
  text: string;
  createdAt: string;
}

/** A review record's searchable text: its issues, then its comment (migration 0010 composes the same in SQL). */
export const reviewText = (r: { issues: string; comment: string }): string => `${r.issues}\n${r.comment}`;
/** Whether a review record has any text to index. */
export const reviewHasText = (r: { issues: string; comment: string }): boolean => r.issues !== "" || r.comment !== "";

/** A sub-task's searchable text: name, description, deliverable, acceptance, a line apart (always four parts). */
export const subTaskText = (s: {
  name: string;
  description: string;
  deliverable: string;
  acceptance: string;
}): string => `${s.name}\n${s.description}\n${s.deliverable}\n${s.acceptance}`;
