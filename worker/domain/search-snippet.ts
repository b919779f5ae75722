// Snippets of search hits (docs/search.md), pure. The FTS table is contentless (it has no snippet()),
// so a hit's snippet is cut here from the entry's stored text: about SNIPPET_CHARS characters around the
// first place a query term occurs, every occurrence in it marked `[`…`]`, whitespace and newlines as
// single spaces, `…` where the text was cut. Terms are found the way the index matched them: case,
// width (NFKC) and accents folded, Latin words whole (or as a prefix), CJK runs anywhere.
import type { QueryTerm } from "./search-query";
import { CJK_CLASS, fold } from "./search-text";

/** About how long a snippet is, in characters, before its marks and ellipses. */
export const SNIPPET_CHARS = 200;
/** How much of the snippet comes before the first match: some context, most of it after. */
const LEAD_CHARS = 50;
/** How far a cut may move to land between words rather than inside one. */
const BOUNDARY_SLACK = 20;

const CJK = new RegExp(`[${CJK_CLASS}]`, "u");
const DIACRITICS = /\p{M}/gu;
/**
 * A character of a Latin (non-CJK) word: where such a word may not continue. CJK next to Latin is a
 * boundary, as in the index ("登录timeout" holds the token "timeout").
 */
const LATIN_WORD_CHAR = `(?:[^\\P{L}${CJK_CLASS}]|[\\p{N}\\p{M}])`;
/**
 * Text the fast path folds by lower-casing alone, which keeps every offset: ASCII, the unified CJK
 * ideographs, kana and Hangul syllables (NFKC leaves them as they are; compatibility and half-width forms
 * take the slow path), punctuation, symbols and spaces (not word characters, whatever NFKC makes of them).
 */
const LENGTH_PRESERVING = /^[\p{ASCII}\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\p{P}\p{Z}\p{S}]*$/u;

/**
 * Folded characters, remembered: a text repeats few distinct accented or full-width letters, and
 * normalize() is what the slow path spends its time on. Bounded, so hostile text cannot grow it.
 */
const FOLDED = new Map<string, string>();
const FOLDED_CACHE_SIZE = 4_096;

/** One character as the index sees it: NFKC, lower case, accents dropped (FTS5's remove_diacritics). */
function foldChar(ch: string): string {
  const code = ch.codePointAt(0)!;
  if (code < 0x80) return ch.toLowerCase();
  // The unified ideographs fold to themselves: skip normalize() for the bulk of Chinese text.
  if ((code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf)) return ch;
  let folded = FOLDED.get(ch);
  if (folded === undefined) {
    const nfkc = fold(ch);
    folded = CJK.test(ch) ? nfkc : nfkc.normalize("NFD").replace(DIACRITICS, "");
    if (FOLDED.size < FOLDED_CACHE_SIZE) FOLDED.set(ch, folded);
  }
  return folded;
}

/**
 * The text folded as the index folds it, and for each folded code unit the original character's start,
 * so matches found in the folded text are marked in the original. Mostly the fast path: one
 * toLowerCase, offsets unchanged (no map).
 */
interface FoldedText {
  folded: string;
  /** For each folded code unit, where its original character starts (absent: offsets unchanged). */
  startOf?: Int32Array;
}

const NON_ASCII_RUN = /([^\p{ASCII}]+)/u;

function foldText(text: string): FoldedText {
  if (LENGTH_PRESERVING.test(text)) return { folded: text.toLowerCase() };
  let startOf = new Int32Array(text.length + 16);
  let size = 0;
  const room = (n: number) => {
    if (size + n <= startOf.length) return;
    const grown = new Int32Array(Math.max(startOf.length * 2, size + n));
    grown.set(startOf);
    startOf = grown;
  };
  const parts: string[] = [];
  let offset = 0;
  // ASCII runs fold by toLowerCase, a unit for a unit; only the other characters one by one.
  for (const run of text.split(NON_ASCII_RUN)) {
    if (run === "") continue;
    if (run.charCodeAt(0) < 0x80) {
      parts.push(run.toLowerCase());
      room(run.length);
      for (let i = 0; i < run.length; i++) startOf[size++] = offset + i;
      offset += run.length;
      continue;
    }
    for (const ch of run) {
      const f = foldChar(ch);
      room(f.length);
      for (let i = 0; i < f.length; i++) startOf[size++] = offset;
      parts.push(f);
      offset += ch.length;
    }
  }
  return { folded: parts.join(""), startOf };
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const foldWord = (w: string): string => [...w].map(foldChar).join("");

/** A pattern that finds a term in folded text: its words in order, apart; Latin words whole unless a prefix. */
function termPattern(term: QueryTerm): string {
  const words = term.words.map((w) => ({ ...w, text: foldWord(w.text) })).filter((w) => w.text !== "");
  if (words.length === 0) return "";
  const first = words[0]!;
  const last = words[words.length - 1]!;
  // Between a phrase's words: separators, which may be none where CJK meets Latin ("登录timeout").
  const body = words
    .map((w, i) => {
      if (i === 0) return escapeRegExp(w.text);
      const gap = w.cjk || words[i - 1]!.cjk ? "*" : "+";
      return `[^\\p{L}\\p{N}\\p{M}]${gap}${escapeRegExp(w.text)}`;
    })
    .join("");
  const before = first.cjk ? "" : `(?<!${LATIN_WORD_CHAR})`;
  // A Latin prefix is marked with the rest of its word; CJK runs stand anywhere.
  const after = last.cjk ? "" : term.prefix ? `${LATIN_WORD_CHAR}*` : `(?!${LATIN_WORD_CHAR})`;
  return before + body + after;
}

/** Where the terms occur in `text`, in original offsets, earliest first, never overlapping or touching. */
export function findTerms(text: string, terms: QueryTerm[]): { start: number; end: number }[] {
  const patterns = terms
    .map(termPattern)
    .filter((p) => p !== "")
    // Longest first: at one position the longer term wins ("login timeout" over "login").
    .sort((a, b) => b.length - a.length);
  if (patterns.length === 0) return [];
  const { folded, startOf } = foldText(text);
  const found: { start: number; end: number }[] = [];
  for (const m of folded.matchAll(new RegExp(patterns.join("|"), "gu"))) {
    if (m[0] === "") continue;
    const last = m.index + m[0].length - 1;
    const start = startOf ? startOf[m.index]! : m.index;
    // The end of the original character the match's last unit came from.
    const lastStart = startOf ? startOf[last]! : last;
    const end = lastStart + (startOf && text.codePointAt(lastStart)! > 0xffff ? 2 : 1);
    const previous = found[found.length - 1];
    // Touching matches are marked as one ("[登录超时]", not "[登录][超时]").
    if (previous && start === previous.end) previous.end = end;
    else if (!previous || start > previous.end) found.push({ start, end });
  }
  return found;
}

const isLowSurrogate = (text: string, i: number): boolean => {
  const code = text.charCodeAt(i);
  return code >= 0xdc00 && code <= 0xdfff;
};

/** Whether cutting `text` at `i` splits a Latin word (CJK may be cut anywhere). */
const insideWord = (text: string, i: number): boolean =>
  i > 0 && i < text.length && /[\p{L}\p{N}\p{M}]{2}/u.test(text.slice(i - 1, i + 1)) && !CJK.test(text[i - 1]!);

/** Moves a cut at `i` to a boundary between words within the slack (forward or back), and off a surrogate pair. */
function boundary(text: string, i: number, direction: 1 | -1): number {
  let at = i;
  for (let step = 0; step < BOUNDARY_SLACK && insideWord(text, at); step++) at += direction;
  if (insideWord(text, at)) at = i;
  if (isLowSurrogate(text, at)) at += direction === 1 ? 1 : -1;
  return Math.max(0, Math.min(text.length, at));
}

/**
 * The snippet of `text` for a query's terms. Without any occurrence (the index matched a form this
 * function does not fold the same way) it is the text's beginning, so a hit always shows something.
 */
export function searchSnippet(text: string, terms: QueryTerm[]): string {
  const matches = findTerms(text, terms);
  const first = matches[0];
  let start = first ? boundary(text, Math.max(0, first.start - LEAD_CHARS), 1) : 0;
  if (first && start > first.start) start = first.start;
  let end = boundary(text, Math.min(text.length, start + SNIPPET_CHARS), -1);
  if (first && end < first.end) end = first.end;
  let marked = "";
  let at = start;
  for (const m of matches) {
    if (m.start < start || m.end > end) continue;
    marked += `${text.slice(at, m.start)}[${text.slice(m.start, m.end)}]`;
    at = m.end;
  }
  marked += text.slice(at, end);
  const body = marked.replace(/\s+/gu, " ").trim();
  return `${start > 0 ? "…" : ""}${body}${end < text.length ? "…" : ""}`;
}
