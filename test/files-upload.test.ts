// Uploading and deleting deliverable files through the real Worker (HTTP → Worker → D1/R2): the stored
// row, object and usage; the limits; hostile names and types; checksums; immutability after submit and
// the next version after a rework; who may write; and that every refusal changes nothing.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import {
  type FilesWorld,
  fileRows,
  filesWorld,
  fileUsage,
  queuedDeletions,
  r2Keys,
  setSetting,
  sha256Hex,
  upload,
} from "./file-fixtures";
import { call, snapshotAllTables } from "./helpers";
import { expectInvariants } from "./invariants";

let w: FilesWorld;
beforeEach(async () => {
  w = await filesWorld();
});

const act = (key: string, id: string, op: string) => call("POST", `/api/sub-tasks/${id}/${op}`, { key });
const remove = (key: string, subTaskId: string, fileId: string) =>
  call("DELETE", `/api/sub-tasks/${subTaskId}/files/${fileId}`, { key });

/** Asserts `attempt` is refused with `status`/`code` and leaves every table and the bucket as they were. */
async function expectRefusedWithoutChange(
  attempt: () => Promise<{ status: number; body: any }>,
  status: number,
  code: string,
) {
  const before = await snapshotAllTables();
  const keysBefore = await r2Keys();
  const res = await attempt();
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.code).toBe(code);
  expect(res.body.detail).toEqual(expect.any(String));
  expect(res.body.hint).toEqual(expect.any(String));
  expect(await snapshotAllTables()).toEqual(before);
  expect(await r2Keys()).toEqual(keysBefore);
  return res;
}

describe("uploading a file", () => {
  it("stores the bytes in R2 and answers the file with its SHA-256, size and version", async () => {
    const res = await upload(w.exec.key, w.subTaskId, "notes.md", "# hello\n", { contentType: "text/markdown" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const sha = await sha256Hex("# hello\n");
    expect(res.body).toEqual({
      id: expect.any(String),
      sub_task_id: w.subTaskId,
      task_id: w.taskId,
      version: 0,
      name: "notes.md",
      content_type: "text/markdown",
      size: 8,
      sha256: sha,
      uploaded_by: w.exec.id,
      uploaded_by_name: w.exec.name,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      frozen: false,
      download_path: `/api/sub-tasks/${w.subTaskId}/files/${res.body.id}/content`,
    });
    const [row] = await fileRows(w.subTaskId);
    expect(row).toMatchObject({ state: "stored", name: "notes.md", sha256: sha, size: 8, version: 0 });
    expect(row!.r2_key).toBe(`files/${w.taskId}/${w.subTaskId}/${res.body.id}`);
    const object = await env.FILES.get(row!.r2_key as string);
    expect(await object!.text()).toBe("# hello\n");
    expect(object!.httpMetadata?.contentType).toBe("text/markdown");
    expect(object!.customMetadata).toEqual({ sub_task_id: w.subTaskId, file_id: res.body.id });
    expect(await fileUsage()).toEqual({ bytes: 8, files: 1 });
    await expectInvariants();
  });

  it("takes an empty file (a marker is legitimate) and binary bytes as they are", async () => {
    const empty = await upload(w.exec.key, w.subTaskId, "DONE", "");
    expect(empty.status, JSON.stringify(empty.body)).toBe(201);
    expect(empty.body).toMatchObject({ size: 0, sha256: await sha256Hex("") });

    const bytes = new Uint8Array(300_000).map((_, i) => (i * 7919) % 256);
    const binary = await upload(w.exec.key, w.subTaskId, "data.bin", bytes, { contentType: "application/zip" });
    expect(binary.status).toBe(201);
    expect(binary.body).toMatchObject({
      size: 300_000,
      sha256: await sha256Hex(bytes),
      content_type: "application/zip",
    });
    const object = await env.FILES.get(`files/${w.taskId}/${w.subTaskId}/${binary.body.id}`);
    expect(new Uint8Array(await object!.arrayBuffer())).toEqual(bytes);
    expect(await fileUsage()).toEqual({ bytes: 300_000, files: 2 });
    await expectInvariants();
  });

  it("replaces a file of the same name in the same version: one row, old key queued, usage of the new bytes", async () => {
    const first = await upload(w.exec.key, w.subTaskId, "report.txt", "first version");
    const second = await upload(w.exec.key, w.subTaskId, "report.txt", "second");
    expect(second.status).toBe(201);
    expect(second.body.id).not.toBe(first.body.id);
    const rows = await fileRows(w.subTaskId);
    expect(rows.map((r) => [r.id, r.name, r.size])).toEqual([[second.body.id, "report.txt", 6]]);
    expect(await queuedDeletions()).toEqual([`files/${w.taskId}/${w.subTaskId}/${first.body.id}`]);
    expect(await fileUsage()).toEqual({ bytes: 6, files: 1 });
    await expectInvariants();
  });

  it("verifies X-Content-SHA256 when sent, in either case", async () => {
    const sha = await sha256Hex("checked");
    const ok = await upload(w.exec.key, w.subTaskId, "a.txt", "checked", { sha256: sha.toUpperCase() });
    expect(ok.status).toBe(201);

    const wrong = await upload(w.exec.key, w.subTaskId, "b.txt", "tampered", { sha256: sha });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe("checksum_mismatch");
    expect(wrong.body.detail).toContain(await sha256Hex("tampered"));
    // Nothing stored: the row is gone, its bytes left the usage, the object is queued for deletion.
    expect((await fileRows(w.subTaskId)).map((r) => r.name)).toEqual(["a.txt"]);
    expect(await fileUsage()).toEqual({ bytes: 7, files: 1 });
    expect(await queuedDeletions()).toHaveLength(1);
    await expectInvariants();

    await expectRefusedWithoutChange(
      () => upload(w.exec.key, w.subTaskId, "c.txt", "x", { sha256: "not-a-sha" }),
      400,
      "invalid_input",
    );
  });

  it("ignores Idempotency-Key: a retry with other bytes replaces instead of replaying the first answer", async () => {
    const headers = { "idempotency-key": "same-key" };
    const first = await upload(w.exec.key, w.subTaskId, "r.txt", "one", { headers });
    const retry = await upload(w.exec.key, w.subTaskId, "r.txt", "two!", { headers });
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.headers.get("idempotent-replayed")).toBeNull();
    expect(retry.body.size).toBe(4);
    expect(await fileRows(w.subTaskId)).toHaveLength(1);
  });
});

describe("limits", () => {
  it("needs Content-Length (411): a body of unknown length is not read", async () => {
    await expectRefusedWithoutChange(
      () => upload(w.exec.key, w.subTaskId, "a.txt", "chunked", { contentLength: null }),
      411,
      "length_required",
    );
  });

  it("refuses a file above files.max_file_bytes with 413 naming both sizes, before reading it", async () => {
    await setSetting("files.max_file_bytes", 1024);
    expect((await upload(w.exec.key, w.subTaskId, "fits.bin", new Uint8Array(1024))).status).toBe(201);
    const res = await expectRefusedWithoutChange(
      () => upload(w.exec.key, w.subTaskId, "big.bin", new Uint8Array(1025)),
      413,
      "file_too_large",
    );
    expect(res.body.detail).toContain("1025");
    expect(res.body.detail).toContain("1024");
  });

  it("holds files.max_files_per_version files per version; replacing one at the limit is allowed", async () => {
    await setSetting("files.max_files_per_version", 2);
    for (const name of ["a.txt", "b.txt"]) expect((await upload(w.exec.key, w.subTaskId, name, name)).status).toBe(201);
    await expectRefusedWithoutChange(() => upload(w.exec.key, w.subTaskId, "c.txt", "c"), 409, "too_many_files");
    const replaced = await upload(w.exec.key, w.subTaskId, "b.txt", "b2");
    expect(replaced.status).toBe(201);
    expect((await fileRows(w.subTaskId)).map((r) => r.name)).toEqual(["a.txt", "b.txt"]);
    await expectInvariants();
  });

  it("keeps every file together within files.max_total_bytes (409 storage_full)", async () => {
    await setSetting("files.max_total_bytes", 10);
    expect((await upload(w.exec.key, w.subTaskId, "a.txt", "123456")).status).toBe(201);
    const res = await expectRefusedWithoutChange(
      () => upload(w.exec.key, w.subTaskId, "b.txt", "12345"),
      409,
      "storage_full",
    );
    expect(res.body.detail).toContain("6");
    // Replacing a.txt with 4 more bytes counts both while uploading (the old one goes at the end): 6+5 > 10.
    expect((await upload(w.exec.key, w.subTaskId, "b.txt", "1234")).status).toBe(201);
    expect(await fileUsage()).toEqual({ bytes: 10, files: 2 });
  });

  it("refuses a body shorter or longer than Content-Length and keeps nothing", async () => {
    for (const [declared, body] of [
      [10, "12345"],
      [3, "123456"],
    ] as const) {
      const res = await upload(w.exec.key, w.subTaskId, "short.txt", body, { contentLength: declared });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.code).toBe("length_mismatch");
    }
    expect(await fileRows(w.subTaskId)).toEqual([]);
    expect(await fileUsage()).toEqual({ bytes: 0, files: 0 });
    expect(await r2Keys()).toEqual([]);
    await expectInvariants();
  });
});

describe("names and types", () => {
  it.each([
    ["../../etc/passwd", "passwd"],
    ["..\\..\\boot.ini", "boot.ini"],
    [".env", "env"],
    ["CON.txt", "_CON.txt"],
    ["报告.md", "报告.md"],
    ["📦 notes.txt", "📦 notes.txt"],
    ['what?*"|.txt', "what____.txt"],
  ])("stores %j as %j", async (sent, stored) => {
    const res = await upload(w.exec.key, w.subTaskId, sent, "x");
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.name).toBe(stored);
    expect((await fileRows(w.subTaskId))[0]!.name).toBe(stored);
  });

  it("refuses invisible, reordering and control characters, empty and overlong names, changing nothing", async () => {
    for (const name of ["a\u202Egnp.exe", "zero\u200Bwidth.txt", "tab\there.txt", "x".repeat(256)]) {
      const res = await expectRefusedWithoutChange(
        () => upload(w.exec.key, w.subTaskId, name, "x"),
        400,
        name.length > 255 ? "invalid_input" : "invalid_name",
      );
      expect(res.body.detail).toContain("name");
    }
    await expectRefusedWithoutChange(() => upload(w.exec.key, w.subTaskId, "", "x"), 400, "invalid_input");
  });

  it.each([
    ["image/svg+xml", "application/octet-stream"],
    ["text/html; charset=utf-8", "application/octet-stream"],
    ["application/xhtml+xml", "application/octet-stream"],
    ["application/javascript", "application/octet-stream"],
    [null, "application/octet-stream"],
    ["Text/Plain; Charset=UTF-8; format=flowed", "text/plain; charset=utf-8"],
    ["image/png", "image/png"],
  ])("stores Content-Type %j as %j (row and R2 object)", async (sent, stored) => {
    const res = await upload(w.exec.key, w.subTaskId, "f", "<svg onload=alert(1)>", { contentType: sent });
    expect(res.status).toBe(201);
    expect(res.body.content_type).toBe(stored);
    const object = await env.FILES.head(`files/${w.taskId}/${w.subTaskId}/${res.body.id}`);
    expect(object!.httpMetadata?.contentType).toBe(stored);
  });
});

describe("versions and immutability", () => {
  it("freezes a submitted version; after a rejection the rework uploads to version 1 and version 0 stays", async () => {
    const v0 = await upload(w.exec.key, w.subTaskId, "result.txt", "first try");
    expect((await act(w.exec.key, w.subTaskId, "submit")).status).toBe(200);

    const late = await expectRefusedWithoutChange(
      () => upload(w.exec.key, w.subTaskId, "result.txt", "sneaky fix"),
      409,
      "sub_task_not_in_progress",
    );
    expect(late.body.detail).toContain("review");
    expect(late.body.hint).toContain("st files");
    await expectRefusedWithoutChange(() => remove(w.exec.key, w.subTaskId, v0.body.id), 409, "file_frozen");

    const review = await call("POST", "/api/review-records", {
      key: w.reviewer.key,
      body: { sub_task_id: w.subTaskId, result: "rejected", score: 2, issues: "wrong numbers", comment: "redo" },
    });
    expect(review.status).toBe(200);
    // In rework (not yet started): still refused, and the hint says to start first.
    const notStarted = await upload(w.exec.key, w.subTaskId, "result.txt", "x");
    expect(notStarted.body).toMatchObject({ code: "sub_task_not_in_progress" });
    expect(notStarted.body.hint).toContain(`st start ${w.subTaskId}`);

    expect((await act(w.exec.key, w.subTaskId, "start")).status).toBe(200);
    const v1 = await upload(w.exec.key, w.subTaskId, "result.txt", "second try");
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({ version: 1, frozen: false });
    await expectRefusedWithoutChange(() => remove(w.exec.key, w.subTaskId, v0.body.id), 409, "file_frozen");

    const rows = await fileRows(w.subTaskId);
    expect(rows.map((r) => [r.version, r.name, r.sha256])).toEqual([
      [0, "result.txt", await sha256Hex("first try")],
      [1, "result.txt", await sha256Hex("second try")],
    ]);
    const old = await env.FILES.get(rows[0]!.r2_key as string);
    expect(await old!.text()).toBe("first try");
    expect(await queuedDeletions()).toEqual([]);
    await expectInvariants();
  });
});

describe("who may write", () => {
  it("only the executor holding the sub-task; other roles get wrong_role, a missing sub-task 404", async () => {
    await expectRefusedWithoutChange(() => upload(w.exec2.key, w.subTaskId, "a.txt", "x"), 403, "not_owner");
    for (const agent of [w.reviewer, w.planner, w.patrol]) {
      await expectRefusedWithoutChange(() => upload(agent.key, w.subTaskId, "a.txt", "x"), 403, "wrong_role");
    }
    await expectRefusedWithoutChange(
      () => upload(w.exec.key, crypto.randomUUID(), "a.txt", "x"),
      404,
      "sub_task_not_found",
    );
    const admin = await upload("", w.subTaskId, "a.txt", "x", { headers: { "x-admin-token": w.admin } });
    expect(admin.status).toBe(401);
  });
});

describe("deleting a file", () => {
  it("removes the row, lowers the usage and queues the object, for the holder while in_progress", async () => {
    const kept = await upload(w.exec.key, w.subTaskId, "keep.txt", "keep");
    const gone = await upload(w.exec.key, w.subTaskId, "gone.txt", "gone!");
    await expectRefusedWithoutChange(() => remove(w.exec2.key, w.subTaskId, gone.body.id), 403, "not_owner");
    await expectRefusedWithoutChange(() => remove(w.reviewer.key, w.subTaskId, gone.body.id), 403, "wrong_role");
    await expectRefusedWithoutChange(() => remove(w.exec.key, w.subTaskId, "no-such-file"), 404, "file_not_found");
    await expectRefusedWithoutChange(
      () => remove(w.exec.key, crypto.randomUUID(), gone.body.id),
      404,
      "sub_task_not_found",
    );

    const res = await remove(w.exec.key, w.subTaskId, gone.body.id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: "file deleted", id: gone.body.id });
    expect((await fileRows(w.subTaskId)).map((r) => r.id)).toEqual([kept.body.id]);
    expect(await fileUsage()).toEqual({ bytes: 4, files: 1 });
    expect(await queuedDeletions()).toEqual([`files/${w.taskId}/${w.subTaskId}/${gone.body.id}`]);
    expect((await remove(w.exec.key, w.subTaskId, gone.body.id)).body.code).toBe("file_not_found");
    await expectInvariants();
  });

  it("answers in Chinese for a zh-CN reader", async () => {
    const res = await upload(w.exec2.key, w.subTaskId, "a.txt", "x", { headers: { "accept-language": "zh-CN" } });
    expect(res.body.code).toBe("not_owner");
    expect(res.body.detail).toContain("执行者");
  });
});

describe("the API document", () => {
  it("describes the upload's body as binary and its 411/413 answers", async () => {
    const doc = (await call("GET", "/api/openapi.json")).body;
    const op = doc.paths["/api/sub-tasks/{id}/files"].post;
    expect(op.requestBody.content["application/octet-stream"].schema).toMatchObject({
      type: "string",
      format: "binary",
    });
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["201", "403", "409", "411", "413"]));
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(["id", "name"]));
  });
});
