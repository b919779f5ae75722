// The local half of `st attach` and `st download` (commands/files.ts): the content type of a file by
// its extension, its SHA-256 read as a stream, a size in words, and a name from the server made safe
// to write in the agent's folder. Pure except for sha256File, which reads the file.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

/** The types `st attach` guesses; anything else goes as application/octet-stream (the server decides anyway). */
const TYPES: Record<string, string> = {
  md: "text/markdown",
  markdown: "text/markdown",
  txt: "text/plain",
  log: "text/plain",
  json: "application/json",
  csv: "text/csv",
  pdf: "application/pdf",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  zip: "application/zip",
  gz: "application/gzip",
  tgz: "application/gzip",
};
export const FALLBACK_TYPE = "application/octet-stream";

/** `notes.MD` → text/markdown; no or unknown extension → application/octet-stream. */
export function typeOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? (TYPES[name.slice(dot + 1).toLowerCase()] ?? FALLBACK_TYPE) : FALLBACK_TYPE;
}

/** Lower-case hex SHA-256 of a file, read in chunks (a large file never sits in memory). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Characters never written into a file name: controls, bidi overrides (which disguise an extension), separators and what Windows refuses. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff/\\:*?"<>|]/g;
/** Names Windows reserves for devices, with or without an extension. */
const DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
/** Bytes, not characters: most file systems cap a name at 255 bytes. */
const MAX_NAME_BYTES = 200;
const FALLBACK_NAME = "download";

/**
 * A name from the server as one safe path segment in the target folder: no separators, no `..`, no
 * leading dot (no hidden or dot file), no control or bidi characters, no device name, at most 200
 * bytes (the extension kept). The server sanitizes names already; this holds even if it did not.
 */
export function safeFileName(name: string): string {
  let safe = name
    .normalize("NFC")
    .replace(UNSAFE, "_")
    .trim()
    .replace(/^[.\s]+/, "");
  safe = safe.replace(/[.\s]+$/, "");
  if (DEVICE.test(safe)) safe = `_${safe}`;
  if (Buffer.byteLength(safe) > MAX_NAME_BYTES) {
    const dot = safe.lastIndexOf(".");
    const ext = dot > 0 && safe.length - dot <= 16 ? safe.slice(dot) : "";
    let stem = safe.slice(0, safe.length - ext.length);
    while (Buffer.byteLength(stem + ext) > MAX_NAME_BYTES) stem = [...stem].slice(0, -1).join("");
    safe = stem + ext;
  }
  return safe === "" ? FALLBACK_NAME : safe;
}

/** Whether a path given on the command line has a `..` segment (climbs out of the folder it names). */
export const climbs = (path: string): boolean => path.split(/[/\\]/).includes("..");

/**
 * How long one transfer attempt may take: the usual 30 s plus 1 s per 256 KiB (a link of 256 KB/s
 * still gets through); a hung connection still ends.
 */
export const transferTimeoutMs = (bytes: number): number => 30_000 + Math.ceil(bytes / (256 * 1024)) * 1000;
