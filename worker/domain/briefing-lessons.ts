// Lessons from the team memory in the briefing (issue 19): for each sub-task an executor works on or is
// about to claim, up to three past reflections and rejections on similar work. Pure: this module picks
// the words a sub-task is searched by, cuts each lesson to a short quote and keeps the whole list within
// its byte budget; db/briefing-lessons.ts runs the one query.
import { CJK_CLASS, fold, indexText } from "./search-text";

export const LESSON_LIMITS = {
  /** Lessons per sub-task. */
  perSubTask: 3,
  /** Newest index matches per sub-task that are ranked (bm25): bounds the rows each arm reads. */
  window: 100,
  /** Sub-tasks of the executor's queue searched for (the top of it: what it would claim next). */
  available: 3,
  /** Characters of a lesson's quote; `search` prints the whole text. */
  snippet: 160,
  /** UTF-8 bytes of the briefing's `lessons` JSON, all lessons together. */
  bytes: 2_000,
  /** Words a sub-task is searched by: its name's first, then its description's. */
  terms: 12,
  nameTerms: 8,
  /** Characters of the description whose words count (its opening says what the work is). */
  descriptionChars: 240,
  /** Longest word searched by: a longer run of letters is a hash or a blob, not a word of the work. */
  termChars: 64,
} as const;

/**
 * Words too common in task texts to tell one piece of work from another: English function words and
 * the verbs every sub-task name starts with. A stop list, not a dictionary: bm25 ranks the rest.
 */
const STOP_WORDS = new Set(
  (
    "a an and are as at be been but by can do does for from has have how if in into is it its not of on or " +
    "our should so than that the their then there these this those to was we were what when where which " +
    "while who will with you your all any each more most must new no only other out over same some such up " +
    "add adds build builds change create creates fix fixes get implement implements make makes set support " +
    "update updates use uses write writes task tasks sub work"
  ).split(" "),
);

/** Chinese function characters: a pair holding one is a seam between words, not a word ("的登"). */
const CJK_FUNCTION_CHARS = /[的了和与及或在是把被对为将从到个这那并等中上下一不也都就而之其以于所用让给很有要]/u;
/** Two-character Chinese verbs as common in sub-task names as "build" is in English. */
const CJK_STOP_PAIRS = new Set([
  "实现",
  "添加",
  "创建",
  "编写",
  "修复",
  "完成",
  "支持",
  "更新",
  "增加",
  "开发",
  "任务",
]);

const HAN_PAIR = new RegExp(`^[${CJK_CLASS}]{1,2}$`, "u");

/** Whether a token says something about the work (not a function word, a version tag or a number). */
function distinctive(token: string): boolean {
  if (HAN_PAIR.test(token))
    return [...token].length === 2 && !CJK_FUNCTION_CHARS.test(token) && !CJK_STOP_PAIRS.has(token);
  const length = [...token].length;
  if (length < 2 || length > LESSON_LIMITS.termChars || STOP_WORDS.has(token)) return false;
  // "2", "v2", "10x": versions and counts, shared by unrelated work.
  return !/^\p{L}?\p{N}+\p{L}?$/u.test(token);
}

/** The index's tokens of a text (domain/search-text.ts: folded, CJK runs as pairs), distinctive ones only. */
const tokens = (text: string): string[] =>
  indexText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((token) => token !== "" && distinctive(token));

/**
 * The words a sub-task is searched by: the distinctive words of its name, then of the opening of its
 * description, each once, at most `LESSON_LIMITS.terms`.
 */
export function lessonTerms(s: { name: string; description: string }): string[] {
  const name = [...new Set(tokens(s.name))].slice(0, LESSON_LIMITS.nameTerms);
  const description = tokens([...s.description].slice(0, LESSON_LIMITS.descriptionChars).join(""));
  return [...new Set([...name, ...description])].slice(0, LESSON_LIMITS.terms);
}

/**
 * An FTS5 MATCH of any of the terms, each a quoted string (a term holds letters and digits only, so
 * no operator or quote of FTS5's syntax can come from a stored name). "" when there is none.
 */
export const lessonMatch = (terms: readonly string[]): string => terms.map((t) => `"${t}"`).join(" OR ");

/**
 * A lesson's quote: its text on one line, at most `LESSON_LIMITS.snippet` characters, starting a little
 * before the first term it holds (so the quote shows why it matched), an ellipsis where it was cut.
 */
export function lessonSnippet(text: string, terms: readonly string[], max: number = LESSON_LIMITS.snippet): string {
  const chars = [...text.replace(/\s+/g, " ").trim()];
  if (chars.length <= max) return chars.join("");
  const lower = chars.map(fold);
  let at = -1;
  for (const term of terms) {
    const first = [...term][0];
    for (let i = 0; i < lower.length && at < 0; i++) {
      if (lower[i] === first && lower.slice(i, i + [...term].length).join("") === term) at = i;
    }
    if (at >= 0) break;
  }
  // A few words of context before the match; never past the point where the rest would not fill the quote.
  const start = Math.max(0, Math.min(at < 0 ? 0 : at - 30, chars.length - (max - 1)));
  const head = start > 0 ? "…" : "";
  const room = max - head.length;
  const body = chars.slice(start, start + room);
  if (start + room < chars.length) body[body.length - 1] = "…";
  return head + body.join("");
}

/** A lesson as the briefing sends it. `kind`: a reflection log, or the issues of a rejected review. */
export interface BriefLesson {
  /** The sub-task (held or at the top of the queue) it is a lesson for. */
  sub_task_id: string;
  kind: "reflection" | "rejection";
  /** The reflection log's or the review record's id. */
  id: string;
  snippet: string;
  created_at: string;
}

/** One row of the lessons query: `arm` is the index of the sub-task it was found for. */
export interface LessonRow {
  arm: number;
  entryId: number;
  kind: string;
  sourceId: string;
  text: string;
  createdAt: string;
  rank: number;
}

/** What was searched for, in briefing order (held sub-tasks, then the queue's top). */
export interface LessonArm {
  subTaskId: string;
  terms: string[];
}

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;

/**
 * The lessons the briefing shows: the best of each sub-task first, then each one's second, then third
 * (so a sub-task lower down still gets its best lesson), each lesson once, while the list stays within
 * `LESSON_LIMITS.bytes`. A lesson that would not fit is left out; a smaller later one may still go in.
 */
export function pickLessons(arms: readonly LessonArm[], rows: readonly LessonRow[]): BriefLesson[] {
  const byArm = arms.map((_, i) =>
    rows
      .filter((r) => r.arm === i)
      .sort((a, b) => a.rank - b.rank || b.entryId - a.entryId)
      .slice(0, LESSON_LIMITS.perSubTask),
  );
  const picked: { lesson: BriefLesson; arm: number; place: number }[] = [];
  const seen = new Set<number>();
  let used = 2; // "[]"
  for (let place = 0; place < LESSON_LIMITS.perSubTask; place++) {
    for (const [i, arm] of arms.entries()) {
      const row = byArm[i]![place];
      if (!row || seen.has(row.entryId)) continue;
      seen.add(row.entryId);
      const lesson: BriefLesson = {
        sub_task_id: arm.subTaskId,
        kind: row.kind === "reflection" ? "reflection" : "rejection",
        id: row.sourceId,
        snippet: lessonSnippet(row.text, arm.terms),
        created_at: row.createdAt,
      };
      const size = bytes(lesson) + 1; // and its comma
      if (used + size > LESSON_LIMITS.bytes) continue;
      used += size;
      picked.push({ lesson, arm: i, place });
    }
  }
  // Read per sub-task: each one's lessons together, best first.
  return picked.sort((a, b) => a.arm - b.arm || a.place - b.place).map((p) => p.lesson);
}
