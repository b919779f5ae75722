// Which content types a deliverable file keeps (docs/files.md). Pure. The upload stores the normalised
// type when it is on the allow-list and application/octet-stream otherwise; the download serves only
// what this module says is safe. Everything is served as an attachment with nosniff anyway, but a type
// that a browser would run or render as a document (HTML, SVG, XHTML, JavaScript) is never stored as
// such, so no later reader (the dashboard's preview, a proxy, another client) can be talked into it.

/** What is stored when the sent type is missing, malformed or not on the allow-list. */
export const FALLBACK_CONTENT_TYPE = "application/octet-stream";

/**
 * The types kept as sent (after normalising): plain documents, data, archives and raster images.
 * Nothing here executes or renders active content in a browser.
 */
export const ALLOWED_CONTENT_TYPES: ReadonlySet<string> = new Set([
  "text/plain",
  "text/markdown",
  "text/csv",
  "application/json",
  "application/pdf",
  "application/zip",
  "application/gzip",
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
]);

/** Text types whose bytes the dashboard may preview as text (never as HTML). */
export const TEXT_PREVIEW_TYPES: ReadonlySet<string> = new Set([
  "text/plain",
  "text/markdown",
  "text/csv",
  "application/json",
]);

/** Raster images the dashboard may preview in an <img> (an SVG never reaches this list). */
export const IMAGE_PREVIEW_TYPES: ReadonlySet<string> = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

/** A type or subtype token (RFC 9110 `token`), lower-case. */
const TOKEN = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
/** The charsets a text type may name; anything else is dropped (the bytes are served as they are). */
const CHARSET = /^[a-z0-9._:-]{1,40}$/;

/** The essence of a media type, `type/subtype` lower-case, or undefined when it does not parse. */
export function mediaEssence(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  const essence = raw.split(";", 1)[0]!.trim().toLowerCase();
  const [type, subtype, extra] = essence.split("/");
  if (extra !== undefined || !type || !subtype || !TOKEN.test(type) || !TOKEN.test(subtype)) return undefined;
  return `${type}/${subtype}`;
}

/** The `charset` parameter of a type, lower-case and unquoted, when it is a plausible charset name. */
function charsetOf(raw: string): string | undefined {
  for (const param of raw.split(";").slice(1)) {
    const eq = param.indexOf("=");
    if (eq < 0) continue;
    if (param.slice(0, eq).trim().toLowerCase() !== "charset") continue;
    const value = param
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, "$1")
      .toLowerCase();
    return CHARSET.test(value) ? value : undefined;
  }
  return undefined;
}

/**
 * The type a file is stored (and later served) with: the sent type lower-cased, without parameters
 * except a `charset` on text/*, when its essence is on the allow-list; application/octet-stream
 * otherwise (text/html, image/svg+xml, application/javascript and anything unknown included).
 */
export function storedContentType(raw: string | null | undefined): string {
  const essence = mediaEssence(raw);
  if (!essence || !ALLOWED_CONTENT_TYPES.has(essence)) return FALLBACK_CONTENT_TYPE;
  if (!essence.startsWith("text/")) return essence;
  const charset = charsetOf(raw!);
  return charset ? `${essence}; charset=${charset}` : essence;
}

/**
 * The type to serve a stored file with: re-checked against the allow-list (a row written before a rule
 * changed, or by hand, still never goes out as an active type).
 */
export const servedContentType = (stored: string): string => storedContentType(stored);

/** Whether the dashboard may show the file's bytes as text. */
export const isTextPreviewable = (stored: string): boolean => TEXT_PREVIEW_TYPES.has(mediaEssence(stored) ?? "");

/** Whether the dashboard may show the file in an <img>. */
export const isImagePreviewable = (stored: string): boolean => IMAGE_PREVIEW_TYPES.has(mediaEssence(stored) ?? "");
