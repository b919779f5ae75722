// One pass over a JSON text before anything parses it: how deeply it nests, and whether any string in
// it (object keys too) decodes to a lone surrogate, which D1 would silently store as U+FFFD. A loop with
// a depth counter, no recursion and no parsing, so a body of 256 KiB of `[` costs one linear scan.
// Only a `\u` escape can carry a lone surrogate: TextDecoder has already replaced invalid UTF-8 with
// U+FFFD, so the raw text holds surrogates only in well-formed pairs.

/** Deepest nesting of arrays and objects a body may have. */
export const MAX_JSON_DEPTH = 400;

export type JsonTextProblem = "too_deep" | "lone_surrogate";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LETTER_U = 0x75;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;
const HEX4 = /^[0-9a-fA-F]{4}$/;

const isHigh = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/**
 * The first problem found in `text`, or null. Exact for valid JSON; invalid JSON is refused with a 400
 * whatever this reports. Brackets inside strings do not count, and `\\u` (an escaped backslash, then
 * "u") is not an escape.
 */
export function scanJsonText(text: string): JsonTextProblem | null {
  let depth = 0;
  let inString = false;
  /** The previous code unit of the current string was a high surrogate, waiting for its low half. */
  let pendingHigh = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!inString) {
      if (c === QUOTE) inString = true;
      else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
        if (++depth > MAX_JSON_DEPTH) return "too_deep";
      } else if ((c === CLOSE_ARRAY || c === CLOSE_OBJECT) && depth > 0) depth--;
      continue;
    }
    let unit = c;
    if (c === QUOTE) {
      if (pendingHigh) return "lone_surrogate";
      inString = false;
      continue;
    }
    if (c === BACKSLASH) {
      const next = text.charCodeAt(i + 1);
      const hex = next === LETTER_U ? text.slice(i + 2, i + 6) : "";
      if (HEX4.test(hex)) {
        unit = Number.parseInt(hex, 16);
        i += 5;
      } else {
        unit = next; // \" \\ \n …: never a surrogate (a malformed \u is the parser's to refuse)
        i += 1;
      }
    }
    if (pendingHigh) {
      if (!isLow(unit)) return "lone_surrogate";
      pendingHigh = false;
    } else if (isHigh(unit)) pendingHigh = true;
    else if (isLow(unit)) return "lone_surrogate";
  }
  return pendingHigh ? "lone_surrogate" : null;
}
