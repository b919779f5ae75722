import { and, isNull, lt, or } from "drizzle-orm";
import { atomicWrite, type Db } from "../db/client";
import { expiredNotifications } from "../db/outbox";
import { idleRateBuckets } from "../db/rate-buckets";
import { expiredRetrospectives } from "../db/retro-write";
import { adminSession, authThrottle, requestLog } from "../db/schema";
import { readSettings } from "../db/settings";
import { expiredIdempotencyKeys } from "../lib/idempotency";
import { DAY, HOUR, isoMinus } from "../lib/time";

/**
 * Run by the Cron Trigger: drops request-log rows past `webui.feed_retention_days` (upstream did
 * this only at startup), expired admin sessions, stale throttle counters, Idempotency-Keys older
 * than a day, rate-limit buckets idle for a day, and finished notifications past
 * `notification.retention_days` (a capped number per run; a backlog goes over the next runs), and
 * retrospectives of periods that ended more than `retro.retention_days` ago (also capped).
 * Deletions are bounded per statement (500 rows per notification table, others by age), and the
 * statements are fixed: HOUSEKEEPING_QUERIES of a cron run's D1 budget.
 */
/** Its D1 statements: the settings read and the 9 deletes below. */
export const HOUSEKEEPING_QUERIES = 10;

export async function housekeeping(db: Db, now: string): Promise<void> {
  const settings = await readSettings(db);
  await atomicWrite(db, [
    db.delete(requestLog).where(lt(requestLog.timestamp, isoMinus(now, settings["webui.feed_retention_days"] * DAY))),
    db.delete(adminSession).where(lt(adminSession.expiresAt, now)),
    db
      .delete(authThrottle)
      .where(
        and(
          lt(authThrottle.windowStartedAt, isoMinus(now, HOUR)),
          or(isNull(authThrottle.lockedUntil), lt(authThrottle.lockedUntil, now)),
        ),
      ),
    expiredIdempotencyKeys(db, now),
    idleRateBuckets(db, now),
    ...expiredNotifications(isoMinus(now, settings["notification.retention_days"] * DAY)),
    expiredRetrospectives(isoMinus(now, settings["retro.retention_days"] * DAY)),
  ]);
}
