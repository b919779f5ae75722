// Why a step of `npm test` failed without a failed test to show for it (a global setup that threw, a
// process that died): the first error line(s) of the end of its output, for the summary. No imports:
// test/domain/failure-reason.test.ts (root tsconfig, no Node types) checks it on real outputs.

/** Colour codes (ESC [ … m); built from a string, as a regex literal may not hold a control character. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
/** "Error: …", "TypeError: …", "ERROR …", tsc's "file.ts(3,5): error TS2322: …": where a message starts. */
const ERROR_START = /^(?:\w*Error\b|error\b|ERR!?\b)|: error TS\d+/i;
/** Stack frames, code frames and vitest's rulers: what follows a message and is not part of it. */
const NOT_MESSAGE = /^(?:❯|at |\d+\s*\||\||⎯|$)/;

/** Up to `maxLines` lines of the first error message in `lines`, else the last non-empty line, else "". */
export function failureReason(lines: string[], maxLines = 2): string {
  const clean = lines.map((line) => line.replace(ANSI, "").trim());
  const start = clean.findIndex((line) => ERROR_START.test(line));
  if (start === -1) return clean.findLast((line) => line !== "") ?? "";
  const message = [clean[start] as string];
  for (const line of clean.slice(start + 1, start + maxLines)) {
    if (NOT_MESSAGE.test(line)) break;
    message.push(line);
  }
  return message.join(" ");
}

/** Keeps the last `size` lines pushed: a step's output can be long, the reason is near its end. */
export class Tail {
  readonly lines: string[] = [];
  readonly size: number;
  constructor(size: number) {
    this.size = size;
  }
  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.size) this.lines.shift();
  }
}
