// Token buckets in D1, so every isolate sees the same count. One statement takes a token: it refills
// the bucket for the time since its last take (up to the burst size) and spends one, or changes
// nothing when less than one token is left. Refused calls cost the caller nothing, so an agent that
// backs off for Retry-After seconds always gets through.
import { eq, sql } from "drizzle-orm";
import type { Db } from "./client";
import { rateBucket } from "./schema";

export interface BucketLimit {
  /** Tokens added per minute (the sustained rate). */
  perMinute: number;
  /** The most tokens a bucket holds (the largest burst). */
  burst: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

export async function takeToken(db: Db, key: string, limit: BucketLimit, nowMs: number = Date.now()): Promise<TakeResult> {
  const perMs = limit.perMinute / 60_000;
  const refilled = sql`min(${limit.burst}, ${rateBucket.tokens} + max(0, ${nowMs} - ${rateBucket.updatedMs}) * ${perMs})`;
  const taken = await db
    .insert(rateBucket)
    .values({ key, tokens: limit.burst - 1, updatedMs: nowMs })
    .onConflictDoUpdate({ target: rateBucket.key, set: { tokens: sql`${refilled} - 1`, updatedMs: nowMs }, setWhere: sql`${refilled} >= 1` })
    .returning({ tokens: rateBucket.tokens });
  if (taken.length > 0) return { ok: true };
  const [row] = await db.select().from(rateBucket).where(eq(rateBucket.key, key)).limit(1);
  const left = row ? Math.min(limit.burst, row.tokens + Math.max(0, nowMs - row.updatedMs) * perMs) : 0;
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - left) / perMs / 1000)) };
}
