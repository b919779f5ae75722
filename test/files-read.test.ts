// GET /api/sub-tasks/{id}/files, …/files/{file_id} and …/content: what the list holds and in which
// order, one file's metadata, and who may read them (docs/files.md). Files are seeded straight into
// D1 and R2 (test/file-read-seed.ts); uploading itself is files-upload.test.ts's.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { MAX_LISTED_FILES } from "../worker/db/file-reads";
import { type FilesWorld, filesWorld, setSetting } from "./file-fixtures";
import { seedFile } from "./file-read-seed";
import { call, ok, register, type TestAgent } from "./helpers";
import { expectInvariants } from "./invariants";

let w: FilesWorld;

beforeEach(async () => {
  w = await filesWorld();
});

const list = (key: { key?: string; admin?: string }, query: Record<string, string | number> = {}, id = w.subTaskId) =>
  call("GET", `/api/sub-tasks/${id}/files`, { ...key, query });
const one = (key: { key?: string; admin?: string }, fileId: string, id = w.subTaskId) =>
  call("GET", `/api/sub-tasks/${id}/files/${fileId}`, key);
const content = (key: { key?: string; admin?: string }, fileId: string, id = w.subTaskId) =>
  call("GET", `/api/sub-tasks/${id}/files/${fileId}/content`, key);

const seed = (name: string, more: Partial<Parameters<typeof seedFile>[0]> = {}) =>
  seedFile({ taskId: w.taskId, subTaskId: w.subTaskId, name, uploadedBy: w.exec.id, ...more });

/** The sub-task after a rework: its version 0 was submitted and rejected (frozen), uploads now go to version 1. */
async function reworked(): Promise<void> {
  await ok(call("POST", `/api/sub-tasks/${w.subTaskId}/submit`, { key: w.exec.key }));
  await ok(
    call("POST", "/api/review-records", {
      key: w.reviewer.key,
      body: { sub_task_id: w.subTaskId, result: "rejected", score: 2, issues: "redo it", comment: "needs work" },
    }),
  );
  await ok(call("POST", `/api/sub-tasks/${w.subTaskId}/start`, { key: w.exec.key }));
}

describe("GET /api/sub-tasks/{id}/files", () => {
  it("lists stored files newest version first then by name, with the limits and the version an upload goes to", async () => {
    await reworked();
    const b0 = await seed("b.md", { version: 0 });
    const a0 = await seed("a.md", { version: 0 });
    const c1 = await seed("c.md", { version: 1 });
    const a1 = await seed("a.md", { version: 1, body: "newer" });
    await seed("z.md", { version: 1, state: "uploading" });
    await setSetting("files.max_files_per_version", 7);
    const res = await list({ key: w.exec.key });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      sub_task_id: w.subTaskId,
      current_version: 1,
      limits: { max_file_bytes: 25 * 1024 * 1024, max_files_per_version: 7 },
    });
    expect(res.body.files.map((f: { id: string }) => f.id)).toEqual([a1.id, c1.id, a0.id, b0.id]);
    expect(res.body.files[0]).toEqual({
      id: a1.id,
      sub_task_id: w.subTaskId,
      task_id: w.taskId,
      version: 1,
      name: "a.md",
      content_type: "text/plain",
      size: 5,
      sha256: a1.sha256,
      uploaded_by: w.exec.id,
      uploaded_by_name: w.exec.name,
      created_at: expect.any(String),
      frozen: false,
      download_path: `/api/sub-tasks/${w.subTaskId}/files/${a1.id}/content`,
    });
    // The submitted version can no longer change.
    expect(res.body.files.map((f: { frozen: boolean }) => f.frozen)).toEqual([false, false, true, true]);

    const v0 = await list({ key: w.exec.key }, { version: 0 });
    expect(v0.body.files.map((f: { id: string }) => f.id)).toEqual([a0.id, b0.id]);
    expect((await list({ key: w.exec.key }, { version: 5 })).body.files).toEqual([]);
    await expectInvariants({ admin: w.admin });
  });

  it(`answers at most ${MAX_LISTED_FILES} rows`, async () => {
    const rows = Array.from({ length: MAX_LISTED_FILES + 5 }, (_, i) =>
      env.DB.prepare(
        `insert into sub_task_file (id, sub_task_id, task_id, version, name, content_type, size, sha256, r2_key, state, uploaded_by, created_at, stored_at)
         values (?, ?, ?, 0, ?, 'text/plain', 1, 'aa', ?, 'stored', ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
      ).bind(`f-${i}`, w.subTaskId, w.taskId, `n${String(i).padStart(3, "0")}`, `k-${i}`, w.exec.id),
    );
    await env.DB.batch(rows);
    const res = await list({ key: w.reviewer.key });
    expect(res.status).toBe(200);
    expect(res.body.files).toHaveLength(MAX_LISTED_FILES);
    expect(res.body.files[0].name).toBe("n000");
  });

  it("each read costs the same few D1 statements however many files there are (one batch after auth)", async () => {
    const first = await seed("first.txt");
    const cost = async () => {
      const costs = [];
      for (const path of ["", `/${first.id}`, `/${first.id}/content`]) {
        const res = await call("GET", `/api/sub-tasks/${w.subTaskId}/files${path}`, { key: w.reviewer.key });
        expect(res.status).toBe(200);
        costs.push(Number(res.headers.get("x-d1-queries")));
      }
      return costs;
    };
    const withOne = await cost();
    for (let i = 0; i < 30; i++) await seed(`more-${i}.txt`);
    expect(await cost()).toEqual(withOne);
    for (const queries of withOne) expect(queries).toBeLessThanOrEqual(5);
  });

  it("an unknown sub-task is 404 sub_task_not_found; a bad version is 400", async () => {
    const res = await list({ key: w.exec.key }, {}, "00000000-0000-4000-8000-000000000000");
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("sub_task_not_found");
    for (const version of ["-1", "x", "1.5"]) {
      const bad = await list({ key: w.exec.key }, { version });
      expect(bad.status, version).toBe(400);
      expect(bad.body.code).toBe("invalid_input");
    }
  });

  it("an uploader whose agent was deleted is shown with an empty name", async () => {
    const gone = await register("executor");
    const f = await seed("x.txt", { uploadedBy: gone.id });
    await env.DB.prepare("delete from agent where id = ?").bind(gone.id).run();
    const res = await one({ key: w.reviewer.key }, f.id);
    expect(res.body).toMatchObject({ uploaded_by: gone.id, uploaded_by_name: "" });
  });
});

describe("GET /api/sub-tasks/{id}/files/{file_id}", () => {
  it("is the file as the list shows it", async () => {
    const f = await seed("notes.md");
    const [listed] = (await ok(list({ key: w.exec.key }))).files;
    const res = await one({ key: w.exec.key }, f.id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(listed);
  });

  it("a file still uploading, or of another sub-task, is 404 file_not_found with the listing command as hint", async () => {
    const uploading = await seed("part.bin", { state: "uploading" });
    const otherSubTask = (
      await ok(call("POST", "/api/sub-tasks", { key: w.planner.key, body: { task_id: w.taskId, name: "O" } }))
    ).id as string;
    const elsewhere = await seedFile({
      taskId: w.taskId,
      subTaskId: otherSubTask,
      name: "o.txt",
      uploadedBy: w.exec.id,
    });
    for (const fileId of [uploading.id, elsewhere.id, "no-such-file"]) {
      for (const path of ["", "/content"]) {
        const res = await call("GET", `/api/sub-tasks/${w.subTaskId}/files/${fileId}${path}`, { key: w.exec.key });
        expect(res.status, `${fileId}${path}`).toBe(404);
        expect(res.body.code).toBe("file_not_found");
        expect(res.body.hint).toContain("st files <sub_task_id>");
      }
    }
    // Through its own sub-task, the other file is there.
    expect((await one({ admin: w.admin }, elsewhere.id, otherSubTask)).status).toBe(200);
  });
});

describe("who reads files", () => {
  type Reader = { key?: string; admin?: string };
  let former: TestAgent;
  let uploader: TestAgent;

  /** exec holds the sub-task; `former` claimed it once (an event); `uploader` uploaded to it. */
  async function seedHistory(): Promise<string> {
    former = await register("executor");
    uploader = await register("executor");
    await env.DB.prepare(
      "insert into sub_task_event (id, sub_task_id, op, from_status, to_status, actor_kind, actor_id, created_at) values (?, ?, 'claim', 'pending', 'assigned', 'agent', ?, ?)",
    )
      .bind(crypto.randomUUID(), w.subTaskId, former.id, new Date().toISOString())
      .run();
    await seed("by-uploader.txt", { uploadedBy: uploader.id });
    return (await seed("report.txt", { body: "the report" })).id;
  }

  it("admin, planner, reviewer, the holder and executors who worked on it read list, metadata and bytes", async () => {
    const fileId = await seedHistory();
    const readers: [string, Reader][] = [
      ["admin", { admin: w.admin }],
      ["planner", { key: w.planner.key }],
      ["reviewer", { key: w.reviewer.key }],
      ["holder", { key: w.exec.key }],
      ["former claimer", { key: former.key }],
      ["uploader", { key: uploader.key }],
    ];
    for (const [who, reader] of readers) {
      const listed = await list(reader);
      expect(listed.status, who).toBe(200);
      expect(listed.body.files, who).toHaveLength(2);
      expect((await one(reader, fileId)).status, who).toBe(200);
      const bytes = await content(reader, fileId);
      expect(bytes.status, who).toBe(200);
      expect(bytes.body, who).toBe("the report");
    }
  });

  it("another executor: the list is 403 files_not_yours, a file 404 file_not_found (its id is not confirmed)", async () => {
    const fileId = await seedHistory();
    const listed = await list({ key: w.exec2.key });
    expect(listed.status).toBe(403);
    expect(listed.body.code).toBe("files_not_yours");
    expect(listed.body.hint).toEqual(expect.any(String));
    for (const res of [await one({ key: w.exec2.key }, fileId), await content({ key: w.exec2.key }, fileId)]) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe("file_not_found");
    }
  });

  it("a patrol agent is refused every read with 403 wrong_role; no key is 401", async () => {
    const fileId = await seedHistory();
    for (const res of [
      await list({ key: w.patrol.key }),
      await one({ key: w.patrol.key }, fileId),
      await content({ key: w.patrol.key }, fileId),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.code).toBe("wrong_role");
    }
    expect((await list({})).status).toBe(401);
  });

  it("answers in the reader's language", async () => {
    const res = await call("GET", `/api/sub-tasks/${w.subTaskId}/files`, {
      key: w.exec2.key,
      headers: { "accept-language": "zh-CN" },
    });
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain("子任务");
  });
});
