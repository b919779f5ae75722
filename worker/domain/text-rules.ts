// Which characters stored text may hold. Agents may be hostile, and what they write is printed in
// other agents' terminals, in briefings and on the dashboard: it must not carry terminal escapes,
// reorder or hide what is shown, or pass for another agent's name. Pure; routes/define.ts applies
// these rules to every text the API accepts.

import { render, type Text, text } from "../i18n";

export type TextCode = "invalid_text" | "invalid_name";

export interface TextProblem {
  code: TextCode;
  /** What is wrong, in any language (i18n/<lang>/messages/validation.ts); app.ts adds the field. */
  said: Text;
  /** The same in English. */
  detail: string;
}

const textRefusal = (said: Text): TextProblem => ({ code: "invalid_text", said, detail: render(said, "en") });
const nameRefusal = (said: Text): TextProblem => ({ code: "invalid_name", said, detail: render(said, "en") });

/** `U+200B`: how a detail names a character (printing it would show nothing, or do something). */
export const codePointLabel = (char: string): string =>
  `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;

/** Stored text ends its lines with LF: a CR on its own moves a terminal's cursor back over the line. */
export const normalizeNewlines = (s: string): string => (s.includes("\r\n") ? s.replaceAll("\r\n", "\n") : s);

/**
 * C0 and C1 controls other than tab and newline (ESC starts terminal escapes such as OSC 52, which
 * writes the reader's clipboard; a lone CR overwrites a line), and the bidi embeddings, overrides
 * and isolates, which reorder the displayed text. LRM/RLM/ALM and ZWJ/ZWNJ stay: real scripts and
 * emoji need them.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is this pattern's job.
const FREE_TEXT_REFUSED = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;

/** Tag characters spell invisible ASCII that a language model still reads, so only a flag may use them. */
const TAG = /[\u{E0000}-\u{E007F}]/u;
/** The one legitimate use: an emoji flag, U+1F3F4 then tag letters or digits, closed by U+E007F. */
const EMOJI_TAG_SEQUENCE = /\u{1F3F4}[\u{E0030}-\u{E0039}\u{E0061}-\u{E007A}]+\u{E007F}/gu;

/** Why `s` cannot be stored as free text (a description, a summary, a reason…), or undefined. */
export function freeTextProblem(s: string): TextProblem | undefined {
  const refused = FREE_TEXT_REFUSED.exec(s) ?? (TAG.test(s) ? TAG.exec(s.replace(EMOJI_TAG_SEQUENCE, "")) : null);
  if (!refused) return undefined;
  return textRefusal(text("charNotAllowedInText", { char: codePointLabel(refused[0]) }));
}

/**
 * In any name: controls, format characters (zero-width, bidi marks, BOM, tags…), line and paragraph
 * separators, spaces other than U+0020, private use, noncharacters, and every other default-ignorable
 * (invisible) code point such as the Hangul fillers, except the emoji presentation selectors
 * U+FE0E/U+FE0F that typed emoji carry.
 */
const NAME_REFUSED =
  /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Noncharacter_Code_Point}]|[^\P{Zs} ]|(?![\uFE0E\uFE0F])\p{Default_Ignorable_Code_Point}/u;

/** Why `s` cannot be a name (of a task, module, sub-task, prompt, channel or project) or an id, or undefined. */
export function nameProblem(s: string): TextProblem | undefined {
  const refused = NAME_REFUSED.exec(s);
  if (!refused) return undefined;
  return nameRefusal(text("charNotAllowedInName", { char: codePointLabel(refused[0]) }));
}

/** An agent name, after NFKC: letters (with their marks), ASCII digits, single spaces, `-`, `_`, `.`. */
const AGENT_NAME_CHAR = /[\p{L}\p{M}0-9 ._-]/u;

const refusedInAgentName = (char: string) =>
  nameRefusal(text("charNotAllowedInAgentName", { char: codePointLabel(char) }));

/** Scripts whose letters look alike: a name may use letters of one of them only. */
const LOOK_ALIKE_SCRIPTS = [
  ["Latin", /\p{Script=Latin}/u],
  ["Greek", /\p{Script=Greek}/u],
  ["Cyrillic", /\p{Script=Cyrillic}/u],
  ["Armenian", /\p{Script=Armenian}/u],
  ["Cherokee", /\p{Script=Cherokee}/u],
] as const;

/**
 * Why `s` cannot be an agent's name, or undefined. `s` is already NFKC-normalized (full-width and
 * stylised letters are plain ones by then). Agent names identify authors, so besides the name rules
 * they allow no symbols, no runs of spaces, and no mix of look-alike scripts (a Cyrillic `а` in an
 * otherwise Latin `plаnner1`). Han, kana, Hangul and the rest mix freely with any one of those.
 */
export function agentNameProblem(s: string): TextProblem | undefined {
  // Then the emoji presentation selectors names may keep: invisible after a letter.
  const refused = NAME_REFUSED.exec(s) ?? /\p{Default_Ignorable_Code_Point}/u.exec(s);
  if (refused) return refusedInAgentName(refused[0]);
  let firstScript: { script: string; char: string } | undefined;
  for (const char of s) {
    if (!AGENT_NAME_CHAR.test(char)) return refusedInAgentName(char);
    const script = LOOK_ALIKE_SCRIPTS.find(([, pattern]) => pattern.test(char))?.[0];
    if (!script) continue;
    if (!firstScript) firstScript = { script, char };
    else if (firstScript.script !== script) {
      const mix = { script, firstScript: firstScript.script, firstChar: codePointLabel(firstScript.char) };
      return nameRefusal(text("agentNameMixesScripts", { char: codePointLabel(char), ...mix }));
    }
  }
  if (s.includes("  ")) return nameRefusal(text("agentNameDoubleSpace", {}));
  return undefined;
}

export interface Clipped {
  text: string;
  cut: boolean;
}

/** The first `max` characters (code points, so emoji are never split), with an ellipsis when cut. */
export function clip(text: string, max: number): Clipped {
  const chars = [...text];
  if (chars.length <= max) return { text, cut: false };
  return { text: `${chars.slice(0, max - 1).join("")}…`, cut: true };
}

/** Escaped by `quote` beyond what JSON escapes: DEL and C1, line separators, bidi controls, tag characters. */
const QUOTE_ESCAPED = /[\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069\u{E0000}-\u{E007F}]/gu;

/** `\u` escapes of each UTF-16 unit, as JSON writes a character outside the BMP. */
const jsonEscape = (char: string): string =>
  Array.from({ length: char.length }, (_, i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, "0")}`).join("");

/** Longest stored text, in characters, that a generated sentence quotes. */
export const QUOTE_MAX = 200;

/**
 * Stored text inside a sentence the server writes (a next step, an anomaly, an error): one JSON
 * string, at most `max` characters, so whatever it holds (quotes, newlines, "Next: run …") reads as
 * a quotation and never as a new step or a command. Ids are not quoted: they are the server's own.
 */
export function quote(text: string, max: number = QUOTE_MAX): string {
  return JSON.stringify(clip(text, max).text).replace(QUOTE_ESCAPED, jsonEscape);
}
