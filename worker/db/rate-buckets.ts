// Token buckets in D1, so every isolate sees the same count. One statement takes a token: it refills
// the bucket for the time since its last take (up to the burst size) and spends one, or changes
// nothing when less than one token is left. Refused calls cost the caller nothing, so an agent that
// backs off for Retry-After seconds always gets through.
import { eq, lt, type SQL, sql } from "drizzle-orm";
import { DAY } from "../lib/time";
import type { Db } from "./client";
import { rateBucket } from "./schema";

/** A number, or an SQL expression the statement evaluates itself (e.g. a setting, see `settingNumber`). */
export type Amount = number | SQL;

export interface BucketLimit {
  /** Tokens added per minute (the sustained rate). */
  perMinute: Amount;
  /** The most tokens a bucket holds (the largest burst). */
  burst: Amount;
}

/** A refusal says when one token will be there again, and the limits it was judged by. */
export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number; perMinute: number; burst: number };

/**
 * The one statement that takes a token from the bucket named `key` (a value, or an SQL expression
 * that may select nothing: then nothing is taken). It returns a row only when a token was taken.
 * `nowMs` may be a placeholder (auth/rate-limit.ts builds it once per isolate).
 */
export function takeTokenSql(key: string | SQL, limit: BucketLimit, nowMs: number | SQL): SQL {
  const perMs = sql`(${limit.perMinute} / 60000.0)`;
  const refilled = sql`min(${limit.burst}, ${rateBucket.tokens} + max(0, ${nowMs} - ${rateBucket.updatedMs}) * ${perMs})`;
  // `where` keeps SQLite from reading the upsert's `on conflict` as a join constraint.
  return sql`insert into ${rateBucket} (key, tokens, updated_ms)
    select bucket, ${limit.burst} - 1, ${nowMs} from (select ${key} as bucket) where bucket is not null
    on conflict (key) do update set tokens = ${refilled} - 1, updated_ms = ${nowMs} where ${refilled} >= 1
    returning tokens`;
}

export async function takeToken(
  db: Db,
  key: string,
  limit: BucketLimit,
  nowMs: number = Date.now(),
): Promise<TakeResult> {
  const taken = await db.all(takeTokenSql(key, limit, nowMs));
  return taken.length > 0 ? { ok: true } : refusal(db, key, limit, nowMs);
}

/** Why a take was refused: when one token will be there again. Runs only on the refused path. */
export async function refusal(db: Db, key: string, limit: BucketLimit, nowMs: number): Promise<TakeResult> {
  const [row] = await db
    .select({
      tokens: rateBucket.tokens,
      updatedMs: rateBucket.updatedMs,
      perMinute: sql<number>`${limit.perMinute}`.as("per_minute"),
      burst: sql<number>`${limit.burst}`.as("burst"),
    })
    .from(rateBucket)
    .where(eq(rateBucket.key, key))
    .limit(1);
  // Deleted since the refusal (nothing deletes buckets today): a missing bucket is a full one.
  if (!row) return takeToken(db, key, limit, nowMs);
  const rowPerMs = row.perMinute / 60_000;
  const left = Math.min(row.burst, row.tokens + Math.max(0, nowMs - row.updatedMs) * rowPerMs);
  return {
    ok: false,
    retryAfterSeconds: Math.max(1, Math.ceil((1 - left) / rowPerMs / 1000)),
    perMinute: row.perMinute,
    burst: row.burst,
  };
}

/**
 * Housekeeping: the buckets nobody took from for a day (deleted agents, spent enrollment tokens). A
 * missing bucket counts as full, and a bucket refills within the hour at any sensible setting, so
 * this only forgets full ones.
 */
export const idleRateBuckets = (db: Db, now: string) =>
  db.delete(rateBucket).where(lt(rateBucket.updatedMs, Date.parse(now) - DAY));
