// Failed-attempt throttling for login and registration, kept in D1 so every isolate sees it.
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { authThrottle } from "../db/schema";
import { ApiError } from "../lib/errors";
import { isoMinus, isoPlus, MINUTE } from "../lib/time";

const MAX_FAILURES = 5;
const WINDOW_MS = 15 * MINUTE;
const LOCK_MS = 15 * MINUTE;

export async function assertNotThrottled(db: Db, key: string, now: string): Promise<void> {
  const [row] = await db.select().from(authThrottle).where(eq(authThrottle.key, key)).limit(1);
  if (row?.lockedUntil && row.lockedUntil > now) {
    throw new ApiError(429, "too_many_attempts", "too many failed attempts; try again later");
  }
}

/** Counts a failure; the fifth inside the window locks the key. One atomic upsert. */
export async function recordFailure(db: Db, key: string, now: string): Promise<void> {
  const windowStart = isoMinus(now, WINDOW_MS);
  await db
    .insert(authThrottle)
    .values({ key, failures: 1, windowStartedAt: now })
    .onConflictDoUpdate({
      target: authThrottle.key,
      set: {
        failures: sql`case when ${authThrottle.windowStartedAt} < ${windowStart} then 1 else ${authThrottle.failures} + 1 end`,
        windowStartedAt: sql`case when ${authThrottle.windowStartedAt} < ${windowStart} then ${now} else ${authThrottle.windowStartedAt} end`,
        lockedUntil: sql`case when ${authThrottle.windowStartedAt} >= ${windowStart} and ${authThrottle.failures} + 1 >= ${MAX_FAILURES} then ${isoPlus(now, LOCK_MS)} else ${authThrottle.lockedUntil} end`,
      },
    });
}

export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.delete(authThrottle).where(eq(authThrottle.key, key));
}

export const clientKey = (kind: string, req: Request): string =>
  `${kind}:${req.headers.get("cf-connecting-ip") ?? "local"}`;
