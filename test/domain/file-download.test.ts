// The pure parts of a download (worker/domain/file-download.ts): Content-Disposition with hostile names,
// the Range header, ETag comparison and the served type.
import { describe, expect, it } from "vitest";
import {
  asciiFallbackName,
  bodyHeaders,
  contentDisposition,
  DOWNLOAD_CSP,
  downloadContentType,
  etagMatches,
  extValue,
  parseRange,
  rangeApplies,
} from "../../worker/domain/file-download";

/** What a client reading RFC 8187 gets back from filename*. */
const decodeExt = (value: string): string => decodeURIComponent(value.replace(/^UTF-8''/, ""));

describe("Content-Disposition", () => {
  it.each([
    ["report.md", "attachment; filename=\"report.md\"; filename*=UTF-8''report.md"],
    ['a"b.txt', "attachment; filename=\"a_b.txt\"; filename*=UTF-8''a%22b.txt"],
    ["a;b=c.txt", "attachment; filename=\"a;b=c.txt\"; filename*=UTF-8''a%3Bb%3Dc.txt"],
    ["报告.md", "attachment; filename=\"__.md\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.md"],
    ["50%.csv", "attachment; filename=\"50_.csv\"; filename*=UTF-8''50%25.csv"],
    ["it's (1).txt", "attachment; filename=\"it's (1).txt\"; filename*=UTF-8''it%27s%20%281%29.txt"],
  ])("%s", (name, expected) => {
    expect(contentDisposition(name)).toBe(expected);
  });

  it.each([
    "x\r\nSet-Cookie: a=b",
    'evil"; filename="x.html',
    "back\\slash",
    "tab\there",
    "\u0000nul",
    "emoji 😀.png",
    "a\u202Egnp.exe",
    "\uD800lone",
  ])("a hostile name (%j) stays one header value: ASCII only, no quote breaks out, filename* decodes back", (name) => {
    const header = contentDisposition(name);
    // A header value the Headers API accepts: visible ASCII and spaces only.
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    expect(() => new Headers({ "Content-Disposition": header })).not.toThrow();
    const fallback = /filename="([^"]*)"/.exec(header)![1]!;
    expect(fallback).toBe(asciiFallbackName(name));
    expect(fallback).not.toMatch(/["\\%\r\n]/);
    // Exactly two parameters after `attachment`, the first one quoted: the name cannot add its own.
    expect(header).toMatch(/^attachment; filename="[^"\\]*"; filename\*=[^\s;"]+$/);
    const ext = /filename\*=(\S+)$/.exec(header)![1]!;
    expect(ext).toMatch(/^UTF-8''[A-Za-z0-9!#$&+\-.^_`|~%]*$/);
    // A lone surrogate cannot be UTF-8: it comes back as U+FFFD.
    expect(decodeExt(ext)).toBe(name.replace(/\uD800/, "\uFFFD"));
  });

  it("an all-non-ASCII or blank fallback is never empty", () => {
    expect(asciiFallbackName("   ")).toBe("file");
    expect(asciiFallbackName("")).toBe("file");
    expect(asciiFallbackName("报")).toBe("_");
    expect(extValue("报")).toBe("UTF-8''%E6%8A%A5");
  });
});

describe("Range", () => {
  const size = 1000;
  it.each([
    ["bytes=0-99", { kind: "partial", start: 0, end: 99 }],
    ["bytes=100-", { kind: "partial", start: 100, end: 999 }],
    ["bytes=-10", { kind: "partial", start: 990, end: 999 }],
    ["bytes=-5000", { kind: "partial", start: 0, end: 999 }],
    ["bytes=900-5000", { kind: "partial", start: 900, end: 999 }],
    ["bytes=999-999", { kind: "partial", start: 999, end: 999 }],
    ["Bytes = 5-6", { kind: "partial", start: 5, end: 6 }],
    ["bytes=1000-", { kind: "unsatisfiable" }],
    ["bytes=1000-2000", { kind: "unsatisfiable" }],
    ["bytes=-0", { kind: "unsatisfiable" }],
    [undefined, { kind: "full" }],
    ["", { kind: "full" }],
    ["bytes=0-1,5-6", { kind: "full" }],
    ["bytes=5-1", { kind: "full" }],
    ["bytes=abc", { kind: "full" }],
    ["bytes=-", { kind: "full" }],
    ["bytes=1-2-3", { kind: "full" }],
    ["bytes=0x10-20", { kind: "full" }],
    ["bytes=1e3-", { kind: "full" }],
    ["items=0-1", { kind: "full" }],
    ["bytes 0-1", { kind: "full" }],
    ["bytes=99999999999999999999-", { kind: "full" }],
  ])("%j → %j", (header, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });

  it("an empty file has no byte to give", () => {
    expect(parseRange("bytes=0-", 0)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange("bytes=-1", 0)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange(undefined, 0)).toEqual({ kind: "full" });
  });
});

describe("ETag and If-Range", () => {
  const etag = '"abc"';
  it.each([
    ['"abc"', true],
    ['W/"abc"', true],
    ['"x", "abc"', true],
    ["*", true],
    ['"abd"', false],
    ["abc", false],
    [undefined, false],
  ])("If-None-Match %j matches: %s", (header, expected) => {
    expect(etagMatches(header, etag)).toBe(expected);
  });

  it("a Range applies without If-Range, or with the current ETag only", () => {
    expect(rangeApplies(undefined, etag)).toBe(true);
    expect(rangeApplies('"abc"', etag)).toBe(true);
    expect(rangeApplies('"old"', etag)).toBe(false);
    expect(rangeApplies("Sat, 01 Jan 2000 00:00:00 GMT", etag)).toBe(false);
  });
});

describe("the served type", () => {
  it.each([
    ["text/plain", "text/plain; charset=utf-8"],
    ["text/markdown; charset=iso-8859-1", "text/markdown; charset=iso-8859-1"],
    ["text/csv", "text/csv; charset=utf-8"],
    ["application/json", "application/json"],
    ["image/png", "image/png"],
    ["application/pdf", "application/pdf"],
    ["text/html", "application/octet-stream"],
    ["text/html; charset=utf-8", "application/octet-stream"],
    ["image/svg+xml", "application/octet-stream"],
    ["application/xhtml+xml", "application/octet-stream"],
    ["text/javascript", "application/octet-stream"],
    ["application/x-anything", "application/octet-stream"],
    ["", "application/octet-stream"],
  ])("%s is served as %s", (stored, served) => {
    expect(downloadContentType(stored)).toBe(served);
  });

  it("the header set: attachment, nosniff, sandbox CSP, no caching, the ETag, and the range's own length", () => {
    const file = { name: "a.txt", contentType: "text/plain", size: 10, sha256: "ff" };
    expect(bodyHeaders(file, undefined)).toEqual({
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Disposition": "attachment; filename=\"a.txt\"; filename*=UTF-8''a.txt",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": DOWNLOAD_CSP,
      "Cache-Control": "private, no-store",
      ETag: '"ff"',
      "Accept-Ranges": "bytes",
      "Content-Length": "10",
    });
    expect(bodyHeaders(file, { start: 2, end: 4 })).toMatchObject({
      "Content-Length": "3",
      "Content-Range": "bytes 2-4/10",
    });
  });
});
