// Cron step: deletes from R2 the objects the file_deletion outbox lists, and gives up uploads that never
// finished (docs/files.md). Runs on what the minute's budget has left (cron.ts `leftover`).
//
// Cost: 1 read when idle (the outbox and the stale uploads in one statement); with work, at most
// 1 read + RELEASE_STATEMENTS (releasing stale uploads, one batch) + 1 delete of outbox rows, and one R2
// call (a delete of up to 1,000 keys, counted as one subrequest). What the allowance does not cover
// waits for the next minute: the outbox keeps every key until R2 confirmed its deletion.
import { sql } from "drizzle-orm";
import { atomicWrite, type Db } from "../db/client";
import type { Usage } from "../db/metered";
import { fileDeletion, fileUsage, subTaskFile } from "../db/schema-files";
import type { Env } from "../env";
import { HOUR, isoMinus } from "../lib/time";

export interface FileSweepReport {
  deleted: number;
  abandoned: number;
}

/** R2's delete takes at most 1,000 keys: the outbox keys and the released uploads' together. */
export const SWEEP_OUTBOX_KEYS = 900;
export const SWEEP_STALE_UPLOADS = 100;
/** An upload still `uploading` after this long was cut off (a crash, a lost connection): its reservation goes. */
export const STALE_UPLOAD_MS = HOUR;
/** Statements of the release batch: keys to the outbox, usage down, rows deleted. */
export const RELEASE_STATEMENTS = 3;

export async function sweepFiles(
  env: Env,
  db: Db,
  now: string,
  allowance: { queries: number; subrequests: number },
  usage: Usage,
): Promise<FileSweepReport> {
  const report: FileSweepReport = { deleted: 0, abandoned: 0 };
  if (allowance.queries < 1) return report;
  const cutoff = isoMinus(now, STALE_UPLOAD_MS);
  const found = await db.all<{ kind: "outbox" | "stale"; ref: string }>(sql`
    select 'outbox' as kind, ref from (select ${fileDeletion.r2Key} as ref from ${fileDeletion} limit ${SWEEP_OUTBOX_KEYS})
    union all
    select 'stale' as kind, ref from (select ${subTaskFile.id} as ref from ${subTaskFile}
      where ${subTaskFile.state} = 'uploading' and ${subTaskFile.createdAt} < ${cutoff}
      order by ${subTaskFile.createdAt} limit ${SWEEP_STALE_UPLOADS})`);
  let queriesLeft = allowance.queries - 1;
  const keys = found.filter((r) => r.kind === "outbox").map((r) => r.ref);
  const stale = found.filter((r) => r.kind === "stale").map((r) => r.ref);
  // Releasing is worth it only if the outbox delete still fits after it (else next minute does both).
  if (stale.length > 0 && queriesLeft >= RELEASE_STATEMENTS + 1) {
    const released = await releaseStaleUploads(db, stale, cutoff, now);
    queriesLeft -= RELEASE_STATEMENTS;
    report.abandoned = released.length;
    keys.push(...released);
  }
  if (keys.length === 0 || allowance.subrequests < 1 || queriesLeft < 1) return report;
  usage.subrequests += 1;
  // A failure leaves the keys in the outbox for the next run (deleting a missing key succeeds).
  await env.FILES.delete(keys);
  await db.run(
    sql`delete from ${fileDeletion} where ${fileDeletion.r2Key} in (select value from json_each(${JSON.stringify(keys)}))`,
  );
  report.deleted = keys.length;
  return report;
}

/**
 * One batch: the rows still uploading and still stale (an upload that finished meanwhile is left
 * alone) give their keys to the outbox and their reserved bytes back to file_usage, and go. Returns
 * the keys of the rows actually released.
 */
async function releaseStaleUploads(db: Db, ids: string[], cutoff: string, now: string): Promise<string[]> {
  const stale = sql`${subTaskFile.state} = 'uploading' and ${subTaskFile.createdAt} < ${cutoff}
    and ${subTaskFile.id} in (select value from json_each(${JSON.stringify(ids)}))`;
  const results = await atomicWrite(db, [
    sql`insert or ignore into ${fileDeletion} (r2_key, created_at) select ${subTaskFile.r2Key}, ${now} from ${subTaskFile} where ${stale}`,
    sql`update ${fileUsage} set
      bytes = bytes - (select coalesce(sum(${subTaskFile.size}), 0) from ${subTaskFile} where ${stale}),
      files = files - (select count(*) from ${subTaskFile} where ${stale})
      where ${fileUsage.id} = 1`,
    sql`delete from ${subTaskFile} where ${stale} returning r2_key`,
  ]);
  return ((results.at(-1)?.results ?? []) as { r2_key: string }[]).map((r) => r.r2_key);
}
