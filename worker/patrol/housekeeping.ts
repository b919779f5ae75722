import { and, isNull, lt, or } from "drizzle-orm";
import { atomicWrite, type Db } from "../db/client";
import { idleRateBuckets } from "../db/rate-buckets";
import { adminSession, authThrottle, requestLog } from "../db/schema";
import { readSettings } from "../db/settings";
import { expiredIdempotencyKeys } from "../lib/idempotency";
import { DAY, HOUR, isoMinus } from "../lib/time";

/**
 * Run by the Cron Trigger: drops request-log rows past `webui.feed_retention_days` (upstream did
 * this only at startup), expired admin sessions, stale throttle counters, Idempotency-Keys older
 * than a day and rate-limit buckets idle for a day.
 */
export async function housekeeping(db: Db, now: string): Promise<void> {
  const retentionDays = (await readSettings(db))["webui.feed_retention_days"];
  await atomicWrite(db, [
    db.delete(requestLog).where(lt(requestLog.timestamp, isoMinus(now, retentionDays * DAY))),
    db.delete(adminSession).where(lt(adminSession.expiresAt, now)),
    db.delete(authThrottle).where(
      and(lt(authThrottle.windowStartedAt, isoMinus(now, HOUR)), or(isNull(authThrottle.lockedUntil), lt(authThrottle.lockedUntil, now))),
    ),
    expiredIdempotencyKeys(db, now),
    idleRateBuckets(db, now),
  ]);
}
