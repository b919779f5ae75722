// Printing helpers shared by the commands: JSON, list envelopes with upstream's page header, and
// the small formatting bits (signed numbers, review marks). A line starts with ✅ when a command
// succeeded in changing something and ❌ only when it failed (on stderr), so a verdict inside a line
// uses its own marks (👍/👎), never those two. The four print functions below are the
// only place the CLI writes to stdout or stderr (test/cli/terminal.test.ts checks), and each makes
// the text terminal-safe first, so no command can print another agent's text raw.
import type { Page } from "../../contract/api/page";
import { t } from "./i18n/index";
import { jsonSafe, terminalSafe } from "./terminal";

/** A page from the paginated list endpoints, as the CLI reads it (it does not rely on total_pages and has_more). */
export type Envelope<T> = Pick<Page<T>, "items" | "total" | "page" | "page_size"> &
  Partial<Pick<Page<T>, "total_pages" | "has_more">>;

export const print = (...lines: string[]) => {
  for (const line of lines) console.log(terminalSafe(line));
};

export const printJson = (value: unknown) => console.log(jsonSafe(JSON.stringify(value, null, 2)));

/** Failure messages and usage hints, on stderr. */
export const printError = (...lines: string[]) => {
  for (const line of lines) console.error(terminalSafe(line));
};

/** A `--json` failure `{status, detail, code}` on stderr, on one line. */
export const printErrorJson = (value: unknown) => console.error(jsonSafe(JSON.stringify(value)));

const isEnvelope = <T>(body: Envelope<T> | T[]): body is Envelope<T> =>
  !Array.isArray(body) && Array.isArray(body?.items);

/**
 * The rows of a list answer (an envelope or a bare array). Envelopes get upstream's header line
 * first; an empty list prints `empty` instead (upstream printed nothing for some lists).
 */
export function printList<T>(body: Envelope<T> | T[], empty: string, line: (item: T) => string): void {
  const items = isEnvelope(body) ? body.items : body;
  if (isEnvelope(body) && items.length > 0) {
    if (body.page_size > 0) {
      const pages = body.total_pages ?? Math.max(1, Math.ceil(body.total / body.page_size));
      print(t().common.pageHeader(body.page, pages, body.total));
    } else if (items.length < body.total) {
      // page_size 0 means "everything", but the server caps it: say that more exist.
      print(t().common.cappedHeader(body.total, items.length));
    } else print(t().common.totalHeader(body.total));
  }
  if (items.length === 0) print(empty);
  for (const item of items) print(line(item));
}

export const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/** `2026-05-01T12:03:45.123Z` → `2026-05-01 12:03Z`: minutes are enough to order a journal or a history. */
export const minute = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z`;

/** The first 8 characters of an id: enough to tell ids apart on a line, and the CLI accepts them. */
export const shortId = (id: string) => id.slice(0, 8);

/** A review verdict: 👍 approved, 👎 rejected (✅/❌ say whether the command itself worked). */
export const reviewMark = (result: string) => (result === "approved" ? "👍" : "👎");

/** Heading text from a JSON key: "awaiting_review" → "Awaiting review". */
export const heading = (key: string) => {
  const words = key.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
};
