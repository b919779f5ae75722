// The name a deliverable file is stored under (docs/files.md). Pure. An agent may send any name; the
// stored one is what a reviewer's CLI writes to disk and what a browser offers to save, so it must be
// one harmless path segment on every system: no directories, nothing hidden, nothing Windows refuses
// or gives a special meaning, nothing invisible or reordering (those are refused, not fixed: a name
// that needs them is meant to mislead), and at most 255 UTF-8 bytes (what file systems take).
import { nameProblem, type TextProblem } from "./text-rules";

/** What every file system takes as one name, in UTF-8 bytes. */
export const MAX_FILE_NAME_BYTES = 255;
/** What a name may be sent as (code points checked by the route before sanitizing). */
export const MAX_SENT_NAME_CHARS = 255;
/** The name of a file whose sent name had nothing left after sanitizing. */
export const FALLBACK_FILE_NAME = "file";
/** An extension longer than this is part of the stem when a long name is shortened. */
const MAX_KEPT_EXTENSION_BYTES = 32;

/** Characters Windows refuses in names (and shells give meaning to): each becomes `_`. */
const RESERVED_CHARS = /["*:<>?|]/g;
/** Names Windows keeps for devices, with or without an extension (CON.txt opens the console). */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;

const utf8Bytes = (s: string): number => new TextEncoder().encode(s).byteLength;

/**
 * Why `raw` cannot name a file, or undefined: controls, bidi overrides, zero-width and tag characters
 * and other invisible code points (domain/text-rules.ts's name rules), refused as 400 invalid_name.
 */
export const fileNameProblem = (raw: string): TextProblem | undefined => nameProblem(raw);

/** The last directory-free part: both separators count (`..\\..\\a` on Windows, `../../a` elsewhere). */
function lastSegment(name: string): string {
  const parts = name.split(/[/\\]/).filter((p) => p.trim() !== "");
  return parts.at(-1) ?? "";
}

/** `stem` cut (by code points, never inside an emoji's surrogate pair) to fit `maxBytes`. */
function cutToBytes(stem: string, maxBytes: number): string {
  let out = "";
  let bytes = 0;
  for (const char of stem) {
    const size = utf8Bytes(char);
    if (bytes + size > maxBytes) break;
    out += char;
    bytes += size;
  }
  return out;
}

/** The name shortened to MAX_FILE_NAME_BYTES, keeping a short extension (`report.md` stays `….md`). */
function fitBytes(name: string): string {
  if (utf8Bytes(name) <= MAX_FILE_NAME_BYTES) return name;
  const dot = name.lastIndexOf(".");
  const extension = dot > 0 ? name.slice(dot) : "";
  const keep = extension !== "" && utf8Bytes(extension) <= MAX_KEPT_EXTENSION_BYTES ? extension : "";
  const stem = keep ? name.slice(0, dot) : name;
  return cutToBytes(stem, MAX_FILE_NAME_BYTES - utf8Bytes(keep)).replace(/[. ]+$/, "") + keep;
}

/**
 * The stored name of a file sent as `raw` (which passed fileNameProblem): NFC; the last path segment
 * only; `"*:<>?|` as `_`; leading dots dropped (`.env` is stored as `env`: a hidden file is a surprise
 * on the reviewer's disk); trailing dots and spaces dropped (Windows drops them silently, so `a.txt.`
 * would overwrite `a.txt`); a device name (`CON`, `nul.txt`, `COM1.log`) prefixed with `_`; at most
 * 255 UTF-8 bytes, keeping the extension; never empty (`file`).
 */
export function sanitizeFileName(raw: string): string {
  let name = lastSegment(raw.normalize("NFC"));
  name = name.replace(RESERVED_CHARS, "_").trim();
  name = name.replace(/^[. ]+/, "").replace(/[. ]+$/, "");
  const base = name.split(".", 1)[0]!.trim();
  if (WINDOWS_DEVICE.test(base)) name = `_${name}`;
  name = fitBytes(name);
  return name === "" ? FALLBACK_FILE_NAME : name;
}
