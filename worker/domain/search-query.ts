// The team memory search's query language (docs/search.md), pure: what an agent types becomes a SAFE FTS5
// MATCH expression. No user syntax reaches FTS5: every term is quoted, so AND, OR, NOT, NEAR, `col:`,
// `^`, `(` and `*` typed by an agent are just words or separators. Agents get two things on purpose:
// `word*` (a prefix) and `"several words"` (a phrase). Terms are folded as the index folds its text
// (domain/search-text.ts), so a query matches what was stored. Chinese, written without spaces, is cut
// into two-character terms (cjkPairs' tokens), as English is cut into words.
import { CJK_CLASS, cjkPairs, fold } from "./search-text";

/** Most terms a query may have: every term narrows (AND), so more rarely find anything. */
export const MAX_QUERY_TERMS = 12;
/** Longest term, in characters (a longer one is cut and searched as a prefix). */
export const MAX_TERM_CHARS = 64;

/** One word of a term, folded: a run of letters and digits, or a run of CJK characters (`cjk`). */
export interface QueryWord {
  text: string;
  cjk: boolean;
}

/**
 * One term: a word, or the words of a quoted phrase, which must appear one after the other. `prefix`:
 * the last word may be the start of a longer one (`word*`, a lone CJK character, a cut term).
 */
export interface QueryTerm {
  words: QueryWord[];
  prefix: boolean;
}

export interface ParsedQuery {
  /** The FTS5 MATCH expression: each term a quoted string, the terms side by side (FTS5's implicit AND). */
  match: string;
  /** The terms, for marking them in snippets (domain/search-snippet.ts). */
  terms: QueryTerm[];
}

export type ParseResult =
  | { ok: true; query: ParsedQuery }
  | { ok: false; problem: "empty_query" }
  | { ok: false; problem: "too_many_terms"; count: number };

const CJK_CHAR = new RegExp(`[${CJK_CLASS}]`, "u");
// A word: letters, digits and their marks (FTS5's unicode61 splits on everything else), with an optional
// `*` right after it (a prefix). The `*` is only meaningful there; elsewhere it is a separator.
const WORD_OR_STAR = /([\p{L}\p{N}\p{M}]+)(\*)?/gu;
const CJK_SPLIT = new RegExp(`([${CJK_CLASS}]+)`, "u");

/** A letter run's words: its CJK runs apart from the rest, as the index splits them ("中文english" → 中文, english). */
function wordsOf(run: string): QueryWord[] {
  return run
    .split(CJK_SPLIT)
    .filter((part) => part !== "")
    .map((part) => ({ text: part, cjk: CJK_CHAR.test(part) }));
}

/** The words found in a stretch of text, and whether the last one ended with `*`. */
function scan(stretch: string): { words: QueryWord[]; prefix: boolean }[] {
  const found: { words: QueryWord[]; prefix: boolean }[] = [];
  for (const m of fold(stretch).matchAll(WORD_OR_STAR)) {
    const words = wordsOf(m[1]!);
    // `中文english*`: each part is its own term; the `*` belongs to the last.
    words.forEach((w, i) => {
      found.push({ words: [w], prefix: i === words.length - 1 && m[2] === "*" });
    });
  }
  return found;
}

/** Cuts a term to MAX_TERM_CHARS (words joined by a space); a cut term is searched as a prefix. */
function bounded(term: QueryTerm): QueryTerm {
  const words: QueryWord[] = [];
  let room = MAX_TERM_CHARS;
  for (const word of term.words) {
    const chars = [...word.text];
    // A phrase's words past the limit are left out; the word the limit cuts becomes a prefix.
    if (room <= 0) return { words, prefix: false };
    if (chars.length > room)
      return { words: [...words, { text: chars.slice(0, room).join(""), cjk: word.cjk }], prefix: true };
    words.push(word);
    room -= chars.length + 1;
  }
  return term;
}

/** A lone CJK character is searched as a prefix: the index holds it only inside two-character pairs. */
const withCjkPrefix = (term: QueryTerm): QueryTerm => {
  const only = term.words.length === 1 ? term.words[0]! : undefined;
  return only?.cjk && [...only.text].length === 1 ? { ...term, prefix: true } : term;
};

/** An FTS5 string: double quotes around, a quote inside doubled (words never hold one; belt and braces). */
const quoted = (s: string): string => `"${s.replaceAll('"', '""')}"`;

/** A term as FTS5 reads it: its words' tokens (CJK runs as their pairs) in one quoted string. */
export function termMatch(term: QueryTerm): string {
  const tokens = term.words.flatMap((w) => (w.cjk ? cjkPairs(w.text) : [w.text]));
  return quoted(tokens.join(" ")) + (term.prefix ? "*" : "");
}

/**
 * An unquoted CJK run of three characters or more becomes terms of two characters, side by side
 * ("登录超时" → 登录, 超时; an odd run's last pair overlaps: "团队记忆库" → 团队, 记忆, 忆库): Chinese has no
 * spaces, and most words are two characters, so these stand for its words, found anywhere in an entry
 * as English words are ("登录超时" finds "登录接口超时"). In quotes the run is an exact phrase instead.
 */
function cjkChunks(term: QueryTerm): QueryTerm[] {
  const only = term.words.length === 1 ? term.words[0]! : undefined;
  const chars = only?.cjk ? [...only.text] : [];
  if (chars.length < 3) return [term];
  const chunks: QueryTerm[] = [];
  for (let i = 0; i < chars.length; i += 2) {
    const start = Math.min(i, chars.length - 2);
    chunks.push({ words: [{ text: chars.slice(start, start + 2).join(""), cjk: true }], prefix: false });
  }
  chunks[chunks.length - 1]!.prefix = term.prefix;
  return chunks;
}

/**
 * Parses what an agent typed. Outside double quotes each word is a term (a CJK run, its two-character
 * pieces: cjkChunks); `word*` is a prefix. Inside double quotes (`"login timeout"`, `"团队记忆"`) the
 * words form one phrase term, optionally `"…"*`. An unclosed quote reads as if it were not there.
 * Repeated terms count once.
 */
export function parseSearchQuery(q: string): ParseResult {
  const parts = q.split('"');
  const closed = parts.length % 2 === 1;
  const raw: QueryTerm[] = [];
  parts.forEach((part, i) => {
    const insideQuotes = i % 2 === 1 && (closed || i < parts.length - 1);
    // Outside quotes a `*` not right after a word (e.g. after a closing quote) is just a separator.
    if (!insideQuotes) {
      raw.push(...scan(part).map(bounded).flatMap(cjkChunks));
      return;
    }
    const words = scan(part).flatMap((t) => t.words);
    if (words.length > 0) raw.push(bounded({ words, prefix: parts[i + 1]?.startsWith("*") === true }));
  });
  const terms: QueryTerm[] = [];
  const seen = new Set<string>();
  for (const term of raw.map(withCjkPrefix)) {
    const match = termMatch(term);
    if (term.words.length === 0 || seen.has(match)) continue;
    seen.add(match);
    terms.push(term);
  }
  if (terms.length === 0) return { ok: false, problem: "empty_query" };
  if (terms.length > MAX_QUERY_TERMS) return { ok: false, problem: "too_many_terms", count: terms.length };
  return { ok: true, query: { match: terms.map(termMatch).join(" "), terms } };
}
