// The stored name and content type of a deliverable file (worker/domain/file-names.ts, file-types.ts):
// hostile names refused or made harmless, and active content types never stored as such.
import { describe, expect, it } from "vitest";
import { FALLBACK_FILE_NAME, fileNameProblem, sanitizeFileName } from "../../worker/domain/file-names";
import { isImagePreviewable, isTextPreviewable, storedContentType } from "../../worker/domain/file-types";

const bytes = (s: string) => new TextEncoder().encode(s).byteLength;

describe("sanitizeFileName", () => {
  it.each([
    ["report.md", "report.md"],
    ["../../etc/passwd", "passwd"],
    ["..\\..\\windows\\system32\\cmd.exe", "cmd.exe"],
    ["dir/sub/", "sub"],
    ["/", FALLBACK_FILE_NAME],
    ["..", FALLBACK_FILE_NAME],
    ["...", FALLBACK_FILE_NAME],
    ["", FALLBACK_FILE_NAME],
    ["   ", FALLBACK_FILE_NAME],
    [".env", "env"],
    [" . .bashrc", "bashrc"],
    ["a.txt.", "a.txt"],
    ["a.txt . . ", "a.txt"],
    ['a"b*c:d<e>f?g|h.txt', "a_b_c_d_e_f_g_h.txt"],
    ["CON", "_CON"],
    ["con.txt", "_con.txt"],
    ["CON.txt", "_CON.txt"],
    ["nul.tar.gz", "_nul.tar.gz"],
    ["COM1.log", "_COM1.log"],
    ["lpt9", "_lpt9"],
    ["console.txt", "console.txt"],
    ["报告.md", "报告.md"],
    ["📦 release notes 🎉.txt", "📦 release notes 🎉.txt"],
    // NFD é (e + combining acute) is stored composed, so one name never exists twice in two forms.
    ["cafe\u0301.txt", "caf\u00e9.txt"],
  ])("%j → %j", (raw, stored) => {
    expect(sanitizeFileName(raw)).toBe(stored);
  });

  it("cuts a long name to 255 UTF-8 bytes, keeping its extension", () => {
    const long = sanitizeFileName(`${"a".repeat(1000)}.md`);
    expect(bytes(long)).toBe(255);
    expect(long.endsWith(".md")).toBe(true);

    const chinese = sanitizeFileName(`${"报".repeat(200)}.pdf`);
    expect(bytes(chinese)).toBeLessThanOrEqual(255);
    expect(chinese).toBe(`${"报".repeat(83)}.pdf`);

    // Emoji are 4 bytes (a surrogate pair in JS): never split in half.
    const emoji = sanitizeFileName("😀".repeat(100));
    expect(emoji).toBe("😀".repeat(63));
    expect(/[\uD800-\uDFFF]/u.test(emoji)).toBe(false);

    // An "extension" longer than 32 bytes is just part of the name.
    const noExt = sanitizeFileName(`x.${"y".repeat(300)}`);
    expect(bytes(noExt)).toBe(255);
    expect(noExt.startsWith("x.yyy")).toBe(true);
  });

  it("never returns a name with a separator, a leading dot or a trailing dot or space", () => {
    const hostile = ["../.hidden", "a/../../.b.", ". ", "x/ .y. ", "\\\\server\\share\\.z", "..\\..\\", "a. . ."];
    for (const raw of hostile) {
      const name = sanitizeFileName(raw);
      expect(name).not.toMatch(/[/\\]|^[. ]|[. ]$/);
      expect(name.length).toBeGreaterThan(0);
    }
  });
});

describe("fileNameProblem", () => {
  it.each([
    ["a\u202Egnp.exe", "U+202E"],
    ["a\u200Bb.txt", "U+200B"],
    ["line\nbreak.txt", "U+000A"],
    ["esc\u001b[31m.txt", "U+001B"],
    ["tag\u{E0041}.txt", "U+E0041"],
    ["bom\uFEFF.txt", "U+FEFF"],
    ["nbsp\u00A0.txt", "U+00A0"],
  ])("refuses %j (%s) as invalid_name", (raw, label) => {
    const problem = fileNameProblem(raw);
    expect(problem?.code).toBe("invalid_name");
    expect(problem?.detail).toContain(label);
  });

  it.each(["报告.md", "../../etc/passwd", "CON.txt", "📦.zip", 'a"b.txt'])(
    "accepts %j (sanitizing fixes it)",
    (raw) => {
      expect(fileNameProblem(raw)).toBeUndefined();
    },
  );
});

describe("storedContentType", () => {
  it.each([
    ["text/plain", "text/plain"],
    ["TEXT/PLAIN; charset=UTF-8", "text/plain; charset=utf-8"],
    ['text/csv; charset="iso-8859-1"; header=present', "text/csv; charset=iso-8859-1"],
    ["text/markdown; charset=<script>", "text/markdown"],
    ["application/json; charset=utf-8", "application/json"],
    ["image/png", "image/png"],
    [" image/JPEG ", "image/jpeg"],
    ["application/pdf", "application/pdf"],
    ["text/html", "application/octet-stream"],
    ["text/html; charset=utf-8", "application/octet-stream"],
    ["image/svg+xml", "application/octet-stream"],
    ["application/xhtml+xml", "application/octet-stream"],
    ["application/javascript", "application/octet-stream"],
    ["text/javascript", "application/octet-stream"],
    ["application/x-msdownload", "application/octet-stream"],
    ["text/plain/html", "application/octet-stream"],
    ["garbage", "application/octet-stream"],
    ["", "application/octet-stream"],
    [null, "application/octet-stream"],
    [undefined, "application/octet-stream"],
  ])("%j → %j", (raw, stored) => {
    expect(storedContentType(raw)).toBe(stored);
  });

  it("previews text and raster images only", () => {
    expect(isTextPreviewable("text/plain; charset=utf-8")).toBe(true);
    expect(isTextPreviewable("application/json")).toBe(true);
    expect(isTextPreviewable("application/octet-stream")).toBe(false);
    expect(isImagePreviewable("image/webp")).toBe(true);
    expect(isImagePreviewable("image/svg+xml")).toBe(false);
    expect(isImagePreviewable("application/pdf")).toBe(false);
  });
});
