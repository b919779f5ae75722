// Throttling for password and token checks, kept in D1 so every isolate sees it. An attempt is
// counted atomically *before* the secret is checked, so a burst of parallel guesses cannot slip
// past the limit; a success gives its slot back, so only failures accumulate.
import { and, eq, gt, lte, sql } from "drizzle-orm";
import { atomicWrite, type Db } from "../db/client";
import { authThrottle } from "../db/schema";
import { text } from "../i18n";
import { ApiError } from "../lib/errors";
import { isoMinus, isoPlus, MINUTE } from "../lib/time";

const WINDOW_MS = 15 * MINUTE;
const LOCK_MS = 15 * MINUTE;

/** Attempts allowed per client within the window, per kind of secret. */
export const ATTEMPT_LIMITS = { login: 5, register: 10, setup: 5 } as const;
export type ThrottleKind = keyof typeof ATTEMPT_LIMITS;

export const throttleKey = (kind: ThrottleKind, req: Request): string =>
  `${kind}:${req.headers.get("cf-connecting-ip") ?? "local"}`;

/** Counts one attempt; refuses it (429) when the client is over its limit or locked out. */
export async function beginAttempt(db: Db, kind: ThrottleKind, key: string, now: string): Promise<void> {
  const windowStart = isoMinus(now, WINDOW_MS);
  const fresh = sql`${authThrottle.windowStartedAt} < ${windowStart}`;
  const count = sql`case when ${fresh} then 1 else ${authThrottle.failures} + 1 end`;
  const [row] = await db
    .insert(authThrottle)
    .values({ key, failures: 1, windowStartedAt: now })
    .onConflictDoUpdate({
      target: authThrottle.key,
      set: {
        failures: count,
        windowStartedAt: sql`case when ${fresh} then ${now} else ${authThrottle.windowStartedAt} end`,
        lockedUntil: sql`case when ${authThrottle.lockedUntil} > ${now} then ${authThrottle.lockedUntil}
          when ${count} > ${ATTEMPT_LIMITS[kind]} then ${isoPlus(now, LOCK_MS)} else ${authThrottle.lockedUntil} end`,
      },
    })
    .returning({ lockedUntil: authThrottle.lockedUntil });
  if (row?.lockedUntil && row.lockedUntil > now) {
    throw new ApiError(429, "too_many_attempts", text("tooManyAttempts"));
  }
}

/** A successful attempt gives its slot back (a counter back at zero disappears). */
export async function attemptSucceeded(db: Db, key: string): Promise<void> {
  await atomicWrite(db, [
    db.delete(authThrottle).where(and(eq(authThrottle.key, key), lte(authThrottle.failures, 1))),
    db
      .update(authThrottle)
      .set({ failures: sql`${authThrottle.failures} - 1` })
      .where(and(eq(authThrottle.key, key), gt(authThrottle.failures, 1))),
  ]);
}
