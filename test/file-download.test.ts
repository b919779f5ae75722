// GET /api/sub-tasks/{id}/files/{file_id}/content as a client sees it: the final headers after every
// middleware (attachment, nosniff, the sandbox CSP winning over the API's), per type class, hostile
// names, Range, If-None-Match, HEAD, and bytes equal to what was stored (docs/files.md).
import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { DOWNLOAD_CSP } from "../worker/domain/file-download";
import { type FilesWorld, filesWorld, sha256Hex, upload } from "./file-fixtures";
import { randomBytes, type SeededFile, seedFile } from "./file-read-seed";
import { call } from "./helpers";

let w: FilesWorld;

beforeEach(async () => {
  w = await filesWorld();
});

const seed = (name: string, body: string | Uint8Array, contentType = "text/plain") =>
  seedFile({ taskId: w.taskId, subTaskId: w.subTaskId, name, body, contentType, uploadedBy: w.exec.id });

interface Download {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
}

/** The content route through the Worker's fetch, the body as bytes. */
async function download(
  file: SeededFile,
  headers: Record<string, string> = {},
  method = "GET",
  key = w.reviewer.key,
): Promise<Download> {
  const url = new URL(`/api/sub-tasks/${w.subTaskId}/files/${file.id}/content`, "http://openmoss.test");
  const res = await exports.default.fetch(
    new Request(url, { method, headers: { authorization: `Bearer ${key}`, ...headers } }),
  );
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

const textOf = (d: Download) => new TextDecoder().decode(d.bytes);

/** The headers every download carries, whatever the type. */
function expectDownloadHeaders(d: Download, file: SeededFile): void {
  expect(d.headers.get("content-disposition")).toMatch(/^attachment; filename="/);
  expect(d.headers.get("x-content-type-options")).toBe("nosniff");
  expect(d.headers.get("content-security-policy")).toBe(DOWNLOAD_CSP);
  expect(d.headers.get("cache-control")).toBe("private, no-store");
  expect(d.headers.get("etag")).toBe(`"${file.sha256}"`);
  expect(d.headers.get("accept-ranges")).toBe("bytes");
  // The API's other security headers stay.
  expect(d.headers.get("x-frame-options")).toBe("DENY");
}

describe("headers by type", () => {
  it.each([
    ["notes.txt", "text/plain", "text/plain; charset=utf-8"],
    ["readme.md", "text/markdown; charset=iso-8859-1", "text/markdown; charset=iso-8859-1"],
    ["data.json", "application/json", "application/json"],
    ["shot.png", "image/png", "image/png"],
    ["paper.pdf", "application/pdf", "application/pdf"],
    ["logo.svg", "image/svg+xml", "application/octet-stream"],
    ["page.html", "text/html", "application/octet-stream"],
    ["x.xhtml", "application/xhtml+xml", "application/octet-stream"],
    ["run.js", "text/javascript", "application/octet-stream"],
  ])("%s stored as %s is served as %s, an attachment", async (name, stored, served) => {
    const body = name.endsWith(".html") ? "<script>alert(1)</script>" : `bytes of ${name}`;
    const file = await seed(name, body, stored);
    const d = await download(file);
    expect(d.status).toBe(200);
    expect(d.headers.get("content-type")).toBe(served);
    expect(d.headers.get("content-length")).toBe(String(file.bytes.byteLength));
    expect(d.headers.get("content-disposition")).toBe(`attachment; filename="${name}"; filename*=UTF-8''${name}`);
    expectDownloadHeaders(d, file);
    expect(textOf(d)).toBe(body);
  });

  it.each([
    ['say "hi".txt', "attachment; filename=\"say _hi_.txt\"; filename*=UTF-8''say%20%22hi%22.txt"],
    ["a;b.txt", "attachment; filename=\"a;b.txt\"; filename*=UTF-8''a%3Bb.txt"],
    ["报告.md", "attachment; filename=\"__.md\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.md"],
    [
      "x\r\nSet-Cookie: y=1.txt",
      "attachment; filename=\"x__Set-Cookie: y=1.txt\"; filename*=UTF-8''x%0D%0ASet-Cookie%3A%20y%3D1.txt",
    ],
  ])("a hostile stored name (%j) stays inside Content-Disposition", async (name, expected) => {
    // Names are sanitized on upload; a row written otherwise still cannot split or extend the header.
    const d = await download(await seed(name, "x"));
    expect(d.status).toBe(200);
    expect(d.headers.get("content-disposition")).toBe(expected);
    expect(d.headers.get("set-cookie")).toBeNull();
  });
});

describe("bytes", () => {
  it("1 MiB of random bytes come back identical, with the same SHA-256", async () => {
    const body = randomBytes(1024 * 1024);
    const file = await seed("random.bin", body, "application/octet-stream");
    const d = await download(file, {}, "GET", w.exec.key);
    expect(d.status).toBe(200);
    expect(d.bytes.byteLength).toBe(body.byteLength);
    expect(await sha256Hex(d.bytes)).toBe(file.sha256);
    expect(d.headers.get("etag")).toBe(`"${await sha256Hex(body)}"`);
  });

  it("a file uploaded through the API (1 MiB random) downloads byte-identical, its SHA-256 the one the upload answered", async () => {
    const body = randomBytes(1024 * 1024);
    const up = await upload(w.exec.key, w.subTaskId, "upload.bin", body, { contentType: "application/octet-stream" });
    expect(up.status).toBe(201);
    expect(up.body.sha256).toBe(await sha256Hex(body));
    const d = await download(
      { id: up.body.id, key: "", sha256: up.body.sha256, bytes: body },
      {},
      "GET",
      w.planner.key,
    );
    expect(d.status).toBe(200);
    expect(d.headers.get("content-length")).toBe(String(body.byteLength));
    expect(await sha256Hex(d.bytes)).toBe(up.body.sha256);
    expect(d.headers.get("content-disposition")).toBe(`attachment; filename="upload.bin"; filename*=UTF-8''upload.bin`);
    // What the list says, the download serves.
    const listed = await call("GET", `/api/sub-tasks/${w.subTaskId}/files`, { key: w.reviewer.key });
    expect(listed.body.files).toEqual([up.body]);
  });

  it("an empty file is 200 with Content-Length 0", async () => {
    const file = await seed("empty.txt", "");
    const d = await download(file);
    expect(d.status).toBe(200);
    expect(d.headers.get("content-length")).toBe("0");
    expect(d.bytes.byteLength).toBe(0);
  });

  it("a row whose object is gone is 404 file_content_missing, never a 5xx", async () => {
    const file = await seedFile({
      taskId: w.taskId,
      subTaskId: w.subTaskId,
      name: "lost.txt",
      uploadedBy: w.exec.id,
      putObject: false,
    });
    for (const method of ["GET", "HEAD"]) {
      const d = await download(file, {}, method);
      expect(d.status, method).toBe(404);
      if (method === "GET") expect(JSON.parse(textOf(d)).code).toBe("file_content_missing");
    }
  });
});

describe("Range, If-None-Match, HEAD", () => {
  const BODY = "0123456789abcdefghij";
  let file: SeededFile;
  beforeEach(async () => {
    file = await seed("range.txt", BODY);
  });

  it.each([
    ["bytes=0-4", "01234", "bytes 0-4/20"],
    ["bytes=15-", "fghij", "bytes 15-19/20"],
    ["bytes=-3", "hij", "bytes 17-19/20"],
    ["bytes=18-100", "ij", "bytes 18-19/20"],
  ])("%s → 206 %s", async (range, part, contentRange) => {
    const d = await download(file, { range });
    expect(d.status).toBe(206);
    expect(textOf(d)).toBe(part);
    expect(d.headers.get("content-range")).toBe(contentRange);
    expect(d.headers.get("content-length")).toBe(String(part.length));
    expectDownloadHeaders(d, file);
  });

  it("a range past the end is 416 with Content-Range bytes */size and a hinted error", async () => {
    const d = await download(file, { range: "bytes=20-" });
    expect(d.status).toBe(416);
    expect(d.headers.get("content-range")).toBe("bytes */20");
    const body = JSON.parse(textOf(d));
    expect(body.code).toBe("range_not_satisfiable");
    expect(body.hint).toEqual(expect.any(String));
  });

  it.each(["bytes=0-1,4-5", "bytes=5-1", "bytes=x-y", "lines=1-2"])(
    "%s is ignored: 200, the whole file",
    async (range) => {
      const d = await download(file, { range });
      expect(d.status).toBe(200);
      expect(textOf(d)).toBe(BODY);
      expect(d.headers.get("content-range")).toBeNull();
    },
  );

  it("If-Range with another ETag gets the whole file; with this one, the range", async () => {
    const stale = await download(file, { range: "bytes=0-1", "if-range": '"other"' });
    expect(stale.status).toBe(200);
    expect(textOf(stale)).toBe(BODY);
    const fresh = await download(file, { range: "bytes=0-1", "if-range": `"${file.sha256}"` });
    expect(fresh.status).toBe(206);
    expect(textOf(fresh)).toBe("01");
  });

  it("If-None-Match with the ETag is 304 without a body; another ETag gets the bytes", async () => {
    const same = await download(file, { "if-none-match": `"${file.sha256}"` });
    expect(same.status).toBe(304);
    expect(same.bytes.byteLength).toBe(0);
    expect(same.headers.get("etag")).toBe(`"${file.sha256}"`);
    const other = await download(file, { "if-none-match": '"nope"' });
    expect(other.status).toBe(200);
    expect(textOf(other)).toBe(BODY);
  });

  it("HEAD answers the headers of a GET without the body", async () => {
    const head = await download(file, {}, "HEAD");
    expect(head.status).toBe(200);
    expect(head.bytes.byteLength).toBe(0);
    expect(head.headers.get("content-length")).toBe("20");
    expectDownloadHeaders(head, file);
    const partial = await download(file, { range: "bytes=2-3" }, "HEAD");
    expect(partial.status).toBe(206);
    expect(partial.headers.get("content-range")).toBe("bytes 2-3/20");
  });

  it("errors keep the API's own CSP: only a download is sandboxed", async () => {
    const d = await download({ ...file, id: "no-such-file" });
    expect(d.status).toBe(404);
    expect(d.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    // The object is untouched by reads.
    expect(await env.FILES.head(file.key)).not.toBeNull();
  });
});
