// How a deliverable file's bytes go out (docs/files.md), pure: the Content-Disposition (RFC 6266 with an
// RFC 8187 `filename*` and an ASCII fallback), the Range header read as one range or none, the ETag
// comparison and the full header set. Every download is an attachment with nosniff and a sandboxing
// CSP, so whatever the bytes are, our origin never renders them as a page.
import { mediaEssence, servedContentType } from "./file-types";

/**
 * The CSP of a download: nothing may load, and a browser that shows the response anyway (an old one
 * ignoring `attachment`) treats it as a sandboxed, opaque-origin document without scripts.
 * lib/security-headers.ts keeps it instead of the API's own CSP.
 */
export const DOWNLOAD_CSP = "default-src 'none'; sandbox";

/** The name a client without RFC 8187 support sees: printable ASCII only, no quote, backslash or percent. */
export function asciiFallbackName(name: string): string {
  let out = "";
  for (const ch of name) {
    const code = ch.codePointAt(0)!;
    // `%` is replaced too: some clients percent-decode the plain filename.
    out += code >= 0x20 && code < 0x7f && ch !== '"' && ch !== "\\" && ch !== "%" ? ch : "_";
  }
  return out.trim() === "" ? "file" : out;
}

/** RFC 8187 attr-chars stay as they are; every other byte of the UTF-8 is %XX. */
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;

/** The name as an RFC 8187 ext-value: UTF-8''<pct-encoded>. A lone surrogate becomes U+FFFD. */
export function extValue(name: string): string {
  let out = "UTF-8''";
  for (const ch of name) {
    const code = ch.codePointAt(0)!;
    const safe = code >= 0xd800 && code <= 0xdfff ? "\uFFFD" : ch;
    if (ATTR_CHAR.test(safe)) {
      out += safe;
      continue;
    }
    for (const byte of new TextEncoder().encode(safe)) out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Always an attachment: the dashboard previews by fetching the bytes with its token, never by navigating. */
export const contentDisposition = (name: string): string =>
  `attachment; filename="${asciiFallbackName(name)}"; filename*=${extValue(name)}`;

/** The type a file goes out with: the allow-listed stored type (else octet-stream); text says its charset. */
export function downloadContentType(stored: string): string {
  const served = servedContentType(stored);
  if (!mediaEssence(served)?.startsWith("text/") || /;\s*charset=/i.test(served)) return served;
  return `${served}; charset=utf-8`;
}

/** What a Range header asks of a file of `size` bytes. */
export type RangeRequest =
  | { kind: "full" }
  | { kind: "partial"; start: number; end: number }
  /** Well-formed, but no byte of it is in the file: 416 with `Content-Range: bytes *\/size`. */
  | { kind: "unsatisfiable" };

const DIGITS = /^\d{1,15}$/;

/**
 * Reads `bytes=a-b`, `bytes=a-` and `bytes=-n` (RFC 9110 §14.1.2). Several ranges, another unit or
 * anything malformed is ignored (the whole file, 200), as the RFC allows; an end past the file is cut
 * to its last byte.
 */
export function parseRange(header: string | null | undefined, size: number): RangeRequest {
  if (!header) return { kind: "full" };
  const eq = header.indexOf("=");
  if (eq < 0 || header.slice(0, eq).trim().toLowerCase() !== "bytes") return { kind: "full" };
  const spec = header.slice(eq + 1).trim();
  if (spec.includes(",")) return { kind: "full" };
  const dash = spec.indexOf("-");
  if (dash < 0) return { kind: "full" };
  const first = spec.slice(0, dash).trim();
  const last = spec.slice(dash + 1).trim();
  if (first === "") {
    // The last n bytes.
    if (!DIGITS.test(last)) return { kind: "full" };
    const n = Number(last);
    if (n === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "partial", start: Math.max(0, size - n), end: size - 1 };
  }
  if (!DIGITS.test(first) || (last !== "" && !DIGITS.test(last))) return { kind: "full" };
  const start = Number(first);
  const end = last === "" ? Number.POSITIVE_INFINITY : Number(last);
  // An end before the start is malformed (ignored); a start past the file is unsatisfiable.
  if (end < start) return { kind: "full" };
  if (start >= size) return { kind: "unsatisfiable" };
  return { kind: "partial", start, end: Math.min(end, size - 1) };
}

/** The strong ETag of a file: its SHA-256 (the bytes never change under an id). */
export const fileEtag = (sha256: string): string => `"${sha256}"`;

/** Whether an If-None-Match list names `etag` (weak comparison, as RFC 9110 §13.1.2 says), or is `*`. */
export function etagMatches(header: string | null | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t.replace(/^W\//, "") === etag;
  });
}

/**
 * Whether a Range applies: without If-Range, yes; with it, only when it names the current ETag
 * (a client resuming a download of other bytes gets the whole file instead).
 */
export const rangeApplies = (ifRange: string | null | undefined, etag: string): boolean =>
  !ifRange || ifRange.trim() === etag;

export interface DownloadFile {
  name: string;
  contentType: string;
  size: number;
  sha256: string;
}

/** The headers every download answer carries (200, 206, 304 and HEAD alike). */
export function downloadHeaders(file: DownloadFile): Record<string, string> {
  return {
    "Content-Type": downloadContentType(file.contentType),
    "Content-Disposition": contentDisposition(file.name),
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": DOWNLOAD_CSP,
    "Cache-Control": "private, no-store",
    ETag: fileEtag(file.sha256),
    "Accept-Ranges": "bytes",
  };
}

/** The headers of the bytes sent: the whole file, or one range of it. */
export function bodyHeaders(
  file: DownloadFile,
  range: { start: number; end: number } | undefined,
): Record<string, string> {
  if (!range) return { ...downloadHeaders(file), "Content-Length": String(file.size) };
  return {
    ...downloadHeaders(file),
    "Content-Length": String(range.end - range.start + 1),
    "Content-Range": `bytes ${range.start}-${range.end}/${file.size}`,
  };
}
