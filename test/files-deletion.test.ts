// Files never outlive their task: deleting a task moves its files' R2 keys to the file_deletion outbox,
// drops their rows and their bytes from file_usage in the deletion's own batch; the cron's sweep
// (worker/patrol/file-sweep.ts) deletes the objects, gives up stale uploads, keeps keys R2 refused, and
// costs one statement when idle (docs/files.md).
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../worker/db/client";
import { emptyUsage, meteredD1 } from "../worker/db/metered";
import type { Env } from "../worker/env";
import { runCron } from "../worker/patrol/cron";
import {
  RELEASE_STATEMENTS,
  STALE_UPLOAD_MS,
  SWEEP_OUTBOX_KEYS,
  SWEEP_STALE_UPLOADS,
  sweepFiles,
} from "../worker/patrol/file-sweep";
import { type FilesWorld, fileRows, filesWorld, fileUsage, queuedDeletions, r2Keys, upload } from "./file-fixtures";
import { seedFile } from "./file-read-seed";
import { call, ok } from "./helpers";
import { expectInvariants } from "./invariants";

let w: FilesWorld;

beforeEach(async () => {
  w = await filesWorld();
});

const seed = (name: string, more: Partial<Parameters<typeof seedFile>[0]> = {}) =>
  seedFile({ taskId: w.taskId, subTaskId: w.subTaskId, name, uploadedBy: w.exec.id, ...more });

/** Submitted and approved: no longer held, so its task can be deleted. */
async function finishSubTask(): Promise<void> {
  await ok(call("POST", `/api/sub-tasks/${w.subTaskId}/submit`, { key: w.exec.key }));
  await ok(
    call("POST", "/api/review-records", {
      key: w.reviewer.key,
      body: { sub_task_id: w.subTaskId, result: "approved", score: 5, comment: "ok" },
    }),
  );
}

const deleteTask = () =>
  call("DELETE", `/api/admin/tasks/${w.taskId}`, { admin: w.admin, body: { confirm_name: "Files" } });

/** A sweep with its own metered handle: what it did and what it cost. */
async function sweep(allowance = { queries: 45, subrequests: 45 }, bindings: Env = env as Env, at = Date.now()) {
  const usage = emptyUsage();
  const db = getDb(meteredD1(env.DB, usage));
  const report = await sweepFiles(bindings, db, new Date(at).toISOString(), allowance, usage);
  return { report, usage };
}

/** env with an R2 bucket whose delete fails (everything else is the real binding). */
function failingDeletes(): Env {
  const real = env.FILES;
  const files = new Proxy(real, {
    get(target, prop) {
      if (prop === "delete") return () => Promise.reject(new Error("R2 unavailable"));
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { ...(env as Env), FILES: files };
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

describe("deleting a task", () => {
  it("queues its files' objects, drops their rows and usage in the same batch; the cron then empties R2 and the outbox", async () => {
    const other = (await ok(call("POST", "/api/tasks", { key: w.planner.key, body: { name: "Kept" } }))).id as string;
    const otherSubTask = (
      await ok(call("POST", "/api/sub-tasks", { key: w.planner.key, body: { task_id: other, name: "K" } }))
    ).id as string;
    const kept = await seedFile({ taskId: other, subTaskId: otherSubTask, name: "kept.txt", uploadedBy: w.exec.id });
    const files = [await seed("a.txt"), await seed("b.png", { body: "png" }), await seed("c.md", { body: "# c" })];
    await finishSubTask();
    const usageBefore = await fileUsage();

    const res = await deleteTask();
    expect(res.status).toBe(200);
    expect(await fileRows(w.subTaskId)).toEqual([]);
    expect(await queuedDeletions()).toEqual(files.map((f) => f.key).sort());
    const freed = files.reduce((n, f) => n + f.bytes.byteLength, 0);
    expect(await fileUsage()).toEqual({ bytes: usageBefore.bytes - freed, files: usageBefore.files - 3 });
    // The objects are still there until the cron runs; the audit row counts the files.
    expect((await r2Keys()).sort()).toEqual([...files.map((f) => f.key), kept.key].sort());
    const audit = await env.DB.prepare("select detail from audit_log where action = 'task.delete'").first<string>(
      "detail",
    );
    expect(JSON.parse(audit!).counts.file).toBe(3);
    await expectInvariants({ admin: w.admin });

    const run = await runCron(env, Date.now());
    expect(run.files).toEqual({ deleted: 3, abandoned: 0 });
    expect(await r2Keys()).toEqual([kept.key]);
    expect(await queuedDeletions()).toEqual([]);
    // The other task's file is untouched and still readable.
    expect((await call("GET", `/api/sub-tasks/${otherSubTask}/files/${kept.id}`, { admin: w.admin })).status).toBe(200);
  });

  it("files uploaded through the API: 3 uploads, the task deleted, one cron run → no row, no object, no outbox, usage 0", async () => {
    for (const name of ["one.txt", "two.md", "three.csv"]) {
      expect((await upload(w.exec.key, w.subTaskId, name, `bytes of ${name}`)).status).toBe(201);
    }
    await finishSubTask();
    expect(await r2Keys()).toHaveLength(3);
    expect((await deleteTask()).status).toBe(200);
    expect(await queuedDeletions()).toHaveLength(3);
    expect(await fileUsage()).toEqual({ bytes: 0, files: 0 });
    expect((await runCron(env, Date.now())).files).toEqual({ deleted: 3, abandoned: 0 });
    expect(await r2Keys()).toEqual([]);
    expect(await queuedDeletions()).toEqual([]);
    await expectInvariants({ admin: w.admin });
  });

  it("a task deletion racing sweeps and a stale-upload release: every object deleted once its row is gone, usage exact", async () => {
    const files = [await seed("a.txt"), await seed("b.txt")];
    await seed("stale.bin", { state: "uploading", createdAt: hoursAgo(2) });
    await finishSubTask();
    const [deleted] = await Promise.all([deleteTask(), sweep(), sweep()]);
    expect(deleted.status).toBe(200);
    await sweep();
    expect(await fileRows(w.subTaskId)).toEqual([]);
    expect(await fileUsage()).toEqual({ bytes: 0, files: 0 });
    expect(await queuedDeletions()).toEqual([]);
    expect(await r2Keys()).toEqual([]);
    expect(files).toHaveLength(2);
    await expectInvariants({ admin: w.admin });
  });

  it("a refused deletion (sub-task still held) touches no file", async () => {
    const f = await seed("a.txt");
    const res = await deleteTask();
    expect(res.status).toBe(409);
    expect(await fileRows(w.subTaskId)).toHaveLength(1);
    expect(await queuedDeletions()).toEqual([]);
    expect(await r2Keys()).toEqual([f.key]);
  });

  it("when R2 refuses the delete, the keys stay queued and the next run deletes them", async () => {
    const files = [await seed("a.txt"), await seed("b.txt")];
    await finishSubTask();
    await ok(deleteTask());
    await expect(runCron(failingDeletes(), Date.now())).rejects.toThrow(/files/);
    expect(await queuedDeletions()).toEqual(files.map((f) => f.key).sort());
    expect(await r2Keys()).toHaveLength(2);
    const run = await runCron(env, Date.now());
    expect(run.files).toEqual({ deleted: 2, abandoned: 0 });
    expect(await r2Keys()).toEqual([]);
    expect(await queuedDeletions()).toEqual([]);
  });
});

describe("the sweep", () => {
  it("when idle costs exactly one statement and no subrequest", async () => {
    await seed("stored.txt");
    await seed("fresh-upload.bin", { state: "uploading", createdAt: hoursAgo(0.5) });
    const { report, usage } = await sweep();
    expect(report).toEqual({ deleted: 0, abandoned: 0 });
    expect(usage.queries).toBe(1);
    expect(usage.subrequests).toBe(0);
  });

  it("gives up uploads older than an hour: row gone, reserved bytes back, object deleted; a fresh one stays", async () => {
    const stale = await seed("stale.bin", { state: "uploading", createdAt: hoursAgo(2), body: "12345" });
    const staleNoObject = await seed("cut.bin", { state: "uploading", createdAt: hoursAgo(3), putObject: false });
    const fresh = await seed("fresh.bin", { state: "uploading", createdAt: hoursAgo(0.5) });
    const stored = await seed("stored.txt", { createdAt: hoursAgo(5) });
    const before = await fileUsage();
    const { report, usage } = await sweep();
    expect(report).toEqual({ deleted: 2, abandoned: 2 });
    // The read, the release batch, the outbox delete; one R2 call.
    expect(usage.queries).toBe(1 + RELEASE_STATEMENTS + 1);
    expect(usage.subrequests).toBe(1);
    expect((await fileRows(w.subTaskId)).map((r) => r.id).sort()).toEqual([fresh.id, stored.id].sort());
    expect(await fileUsage()).toEqual({
      bytes: before.bytes - stale.bytes.byteLength - staleNoObject.bytes.byteLength,
      files: before.files - 2,
    });
    expect((await r2Keys()).sort()).toEqual([fresh.key, stored.key].sort());
    expect(await queuedDeletions()).toEqual([]);
    await expectInvariants({ admin: w.admin });
  });

  it(`concurrent sweeps release each stale upload once (usage exact), and the outbox ends empty`, async () => {
    const stale = await Promise.all(
      Array.from({ length: 6 }, (_, i) => seed(`s${i}.bin`, { state: "uploading", createdAt: hoursAgo(2) })),
    );
    const before = await fileUsage();
    const reports = await Promise.all([sweep(), sweep(), sweep()]);
    expect(reports.reduce((n, r) => n + r.report.abandoned, 0)).toBe(stale.length);
    const freed = stale.reduce((n, f) => n + f.bytes.byteLength, 0);
    expect(await fileUsage()).toEqual({ bytes: before.bytes - freed, files: before.files - stale.length });
    expect(await fileRows(w.subTaskId)).toEqual([]);
    // A sweep that read keys another one deleted meanwhile deletes them again: harmless in R2.
    await sweep();
    expect(await r2Keys()).toEqual([]);
    expect(await queuedDeletions()).toEqual([]);
  });

  it("stays within its allowance and leaves the rest for the next run", async () => {
    const extra = 50;
    const at = new Date().toISOString();
    const keys = Array.from(
      { length: SWEEP_OUTBOX_KEYS + extra },
      (_, i) => `files/x/y/k${String(i).padStart(4, "0")}`,
    );
    for (let i = 0; i < keys.length; i += 400) {
      await env.DB.batch(
        keys
          .slice(i, i + 400)
          .map((k) => env.DB.prepare("insert into file_deletion (r2_key, created_at) values (?, ?)").bind(k, at)),
      );
    }
    await seed("stale.bin", { state: "uploading", createdAt: hoursAgo(2) });

    // Nothing at all without a statement; the read alone when nothing else fits.
    expect((await sweep({ queries: 0, subrequests: 45 })).usage.queries).toBe(0);
    const readOnly = await sweep({ queries: 1, subrequests: 45 });
    expect(readOnly).toMatchObject({ report: { deleted: 0, abandoned: 0 }, usage: { queries: 1, subrequests: 0 } });
    // No subrequest left: the stale upload is released, nothing is deleted from R2.
    const noCall = await sweep({ queries: 45, subrequests: 0 });
    expect(noCall.report).toEqual({ deleted: 0, abandoned: 1 });
    expect(noCall.usage.subrequests).toBe(0);
    expect(await queuedDeletions()).toHaveLength(keys.length + 1);

    const first = await sweep();
    expect(first.report.deleted).toBe(SWEEP_OUTBOX_KEYS);
    expect(first.usage).toMatchObject({ queries: 2, subrequests: 1 });
    const second = await sweep();
    expect(second.report.deleted).toBe(extra + 1);
    expect(await queuedDeletions()).toEqual([]);
    expect(await r2Keys()).toEqual([]);
    expect(SWEEP_OUTBOX_KEYS + SWEEP_STALE_UPLOADS).toBeLessThanOrEqual(1000);
    expect(STALE_UPLOAD_MS).toBe(3_600_000);
  });
});
