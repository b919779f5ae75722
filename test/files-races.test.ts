// Concurrent file writes (Promise.all through the real Worker): the guarded reserve/finalize batches of
// worker/db/file-writes.ts keep the count and byte limits exact, let one upload per name survive, and
// let a submit win over the uploads still streaming. The invariant checker (file_state: file_usage
// equals the rows, no reachable key queued for deletion) runs after each race.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import {
  type FilesWorld,
  fileRows,
  filesWorld,
  fileUsage,
  gatedBody,
  queuedDeletions,
  r2Keys,
  setSetting,
  upload,
} from "./file-fixtures";
import { call, eventually } from "./helpers";
import { expectInvariants } from "./invariants";

let w: FilesWorld;
beforeEach(async () => {
  w = await filesWorld();
  // Each race sends more requests with one key than the default burst allows.
  await setSetting("agent.rate_limit_burst", 10_000);
});

function statuses(results: { status: number }[]): Record<number, number> {
  const count: Record<number, number> = {};
  for (const r of results) count[r.status] = (count[r.status] ?? 0) + 1;
  return count;
}

/** Every object in R2 is either a stored row's or queued for deletion; nothing is left uploading. */
async function expectBucketAccounted(): Promise<void> {
  const rows = await env.DB.prepare("select r2_key, state from sub_task_file").all<{ r2_key: string; state: string }>();
  expect(rows.results.filter((r) => r.state !== "stored")).toEqual([]);
  const reachable = new Set(rows.results.map((r) => r.r2_key));
  const queued = new Set(await queuedDeletions());
  for (const key of await r2Keys()) expect(reachable.has(key) || queued.has(key), key).toBe(true);
  for (const key of reachable) expect(queued.has(key), key).toBe(false);
}

describe("upload races", () => {
  it("25 concurrent uploads at a limit of 20 files per version: exactly 20 stored, usage exact", async () => {
    await setSetting("files.max_files_per_version", 20);
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) => upload(w.exec.key, w.subTaskId, `part-${i}.txt`, `content ${i}`.repeat(50))),
    );
    expect(statuses(results)).toEqual({ 201: 20, 409: 5 });
    for (const r of results.filter((r) => r.status === 409)) expect(r.body.code).toBe("too_many_files");
    const rows = await fileRows(w.subTaskId);
    expect(rows).toHaveLength(20);
    const bytes = rows.reduce((sum, r) => sum + (r.size as number), 0);
    expect(await fileUsage()).toEqual({ bytes, files: 20 });
    await expectBucketAccounted();
    await expectInvariants();
  });

  it("concurrent uploads past files.max_total_bytes: the reservations never exceed it", async () => {
    await setSetting("files.max_total_bytes", 10 * 1000);
    const results = await Promise.all(
      Array.from({ length: 15 }, (_, i) => upload(w.exec.key, w.subTaskId, `blob-${i}.bin`, new Uint8Array(1000))),
    );
    expect(statuses(results)).toEqual({ 201: 10, 409: 5 });
    for (const r of results.filter((r) => r.status === 409)) expect(r.body.code).toBe("storage_full");
    expect(await fileUsage()).toEqual({ bytes: 10_000, files: 10 });
    await expectBucketAccounted();
    await expectInvariants();
  });

  it("concurrent uploads of one name: every one answers 201, one row survives, the rest are queued", async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => upload(w.exec.key, w.subTaskId, "result.json", `{"try":${i}}`)),
    );
    expect(statuses(results)).toEqual({ 201: 10 });
    const rows = await fileRows(w.subTaskId);
    expect(rows).toHaveLength(1);
    expect(results.map((r) => r.body.id)).toContain(rows[0]!.id);
    expect(await fileUsage()).toEqual({ bytes: rows[0]!.size, files: 1 });
    expect(await queuedDeletions()).toHaveLength(9);
    await expectBucketAccounted();
    await expectInvariants();
  });

  it("a submit racing uploads: each upload is stored before the submit or refused, none after", async () => {
    const size = 64 * 1024;
    const bytes = new Uint8Array(size).fill(7);
    // Before: 3 uploads finish. Streaming: 4 are reserved and hold their second half until the submit
    // has landed. Racing: 5 more start together with the submit.
    const before = await Promise.all([0, 1, 2].map((i) => upload(w.exec.key, w.subTaskId, `before-${i}.bin`, bytes)));
    expect(statuses(before)).toEqual({ 201: 3 });
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const streaming = [0, 1, 2, 3].map((i) =>
      upload(w.exec.key, w.subTaskId, `streaming-${i}.bin`, gatedBody(bytes, gate), { contentLength: size }),
    );
    await eventually(
      () => env.DB.prepare("select count(*) as n from sub_task_file where state = 'uploading'").first<{ n: number }>(),
      (row) => row?.n === 4,
    );
    const racing = [0, 1, 2, 3, 4].map((i) => upload(w.exec.key, w.subTaskId, `racing-${i}.bin`, bytes));
    const submitted = await call("POST", `/api/sub-tasks/${w.subTaskId}/submit`, { key: w.exec.key });
    expect(submitted.status).toBe(200);
    open();
    const held = await Promise.all(streaming);
    expect(statuses(held)).toEqual({ 409: 4 });
    for (const r of held) {
      expect(r.body.code).toBe("sub_task_not_in_progress");
      expect(r.body.detail).toContain("while the file was uploading");
    }
    const raced = await Promise.all(racing);
    for (const r of raced) {
      expect([201, 409]).toContain(r.status);
      if (r.status === 409) expect(r.body.code).toBe("sub_task_not_in_progress");
    }
    const submittedAt = (await env.DB.prepare(
      "select created_at from sub_task_event where sub_task_id = ? and op = 'submit'",
    )
      .bind(w.subTaskId)
      .first<{ created_at: string }>())!.created_at;
    const rows = await fileRows(w.subTaskId);
    const accepted = [...before, ...raced].filter((r) => r.status === 201).map((r) => r.body.id);
    expect(rows.map((r) => r.id).sort()).toEqual(accepted.sort());
    for (const row of rows)
      expect((row.stored_at as string) <= submittedAt, `${row.stored_at} > ${submittedAt}`).toBe(true);
    expect(await fileUsage()).toEqual({ bytes: rows.length * size, files: rows.length });
    // The held uploads' objects reached R2 and are queued for deletion.
    expect((await queuedDeletions()).length).toBeGreaterThanOrEqual(4);
    await expectBucketAccounted();
    await expectInvariants();
  });

  it("a reassign while an upload streams: the old holder's upload is refused 403 and keeps nothing", async () => {
    const size = 32 * 1024;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const pending = upload(w.exec.key, w.subTaskId, "mine.bin", gatedBody(new Uint8Array(size), gate), {
      contentLength: size,
    });
    await eventually(
      () => env.DB.prepare("select count(*) as n from sub_task_file where state = 'uploading'").first<{ n: number }>(),
      (row) => row?.n === 1,
    );
    const block = await call("POST", `/api/sub-tasks/${w.subTaskId}/block`, {
      key: w.patrol.key,
      body: { reason: "stuck" },
    });
    expect(block.status).toBe(200);
    const moved = await call("POST", `/api/sub-tasks/${w.subTaskId}/reassign`, {
      key: w.planner.key,
      body: { agent_id: w.exec2.id },
    });
    expect(moved.status).toBe(200);
    expect((await call("POST", `/api/sub-tasks/${w.subTaskId}/start`, { key: w.exec2.key })).status).toBe(200);
    open();
    const refused = await pending;
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("not_owner");
    expect(await fileRows(w.subTaskId)).toEqual([]);
    expect(await fileUsage()).toEqual({ bytes: 0, files: 0 });
    // The new holder uploads to the same version.
    expect((await upload(w.exec2.key, w.subTaskId, "mine.bin", "theirs")).body).toMatchObject({ version: 0 });
    await expectBucketAccounted();
    await expectInvariants();
  });

  it("concurrent deletes of one file and uploads beside them: one delete wins, the counter stays exact", async () => {
    const target = await upload(w.exec.key, w.subTaskId, "target.txt", "delete me");
    const deletes = Array.from({ length: 6 }, () =>
      call("DELETE", `/api/sub-tasks/${w.subTaskId}/files/${target.body.id}`, { key: w.exec.key }),
    );
    const adds = Array.from({ length: 6 }, (_, i) => upload(w.exec.key, w.subTaskId, `new-${i}.txt`, "new"));
    const [deleted, added] = await Promise.all([Promise.all(deletes), Promise.all(adds)]);
    expect(statuses(deleted)).toEqual({ 200: 1, 404: 5 });
    expect(statuses(added)).toEqual({ 201: 6 });
    expect(await fileUsage()).toEqual({ bytes: 18, files: 6 });
    expect(await queuedDeletions()).toEqual([`files/${w.taskId}/${w.subTaskId}/${target.body.id}`]);
    await expectBucketAccounted();
    await expectInvariants();
  });
});
