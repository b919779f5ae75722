import { and, eq, gt, sql } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-types";
import { atomicWrite, type Db, guardedInsert } from "../db/client";
import { adminSession, setting } from "../db/schema";
import { text } from "../i18n";
import { conflict, unauthorized } from "../lib/errors";
import { DAY, isoPlus, nowIso } from "../lib/time";
import { randomHex, sha256Hex } from "./crypto";

export const SESSION_TTL_MS = 7 * DAY;

/**
 * Creates a session; only its hash is stored. It is written only while the stored password hash is
 * still the one just verified, so a login racing a password change cannot outlive the revocation.
 * `rehashed` (the same password in today's hash form) replaces the stored hash in the same batch,
 * only where it still equals the verified one: a concurrent password change is never overwritten,
 * and then the session's guard fails too. Returns the token, shown to the admin once.
 */
export async function createAdminSession(
  db: Db,
  verifiedHash: string,
  rehashed?: string,
): Promise<{ token: string; expiresAt: string }> {
  const token = randomHex(32);
  const now = nowIso();
  const expiresAt = isoPlus(now, SESSION_TTL_MS);
  const upgrade = rehashed
    ? [
        sql`update ${setting} set value = ${JSON.stringify(rehashed)}, updated_at = ${now}
        where key = 'admin.password_hash' and value = ${JSON.stringify(verifiedHash)}`,
      ]
    : [];
  const current = JSON.stringify(rehashed ?? verifiedHash);
  const stillCurrent = sql`exists (select 1 from ${setting} where key = 'admin.password_hash' and value = ${current})`;
  const results = await atomicWrite(db, [
    ...upgrade,
    guardedInsert(adminSession, { tokenHash: await sha256Hex(token), createdAt: now, expiresAt }, stillCurrent),
  ]);
  const inserted = results[upgrade.length];
  if (inserted?.meta.changes !== 1) throw conflict("password_changed", text("passwordChangedDuringLogin"));
  return { token, expiresAt };
}

/** `X-Admin-Token` must name an unexpired session. */
export const adminAuth = createMiddleware<AppEnv>(async (c, next) => {
  const token = c.req.header("x-admin-token");
  if (!token) throw unauthorized("missing_credentials", text("missingAdminToken"));
  await findAdminSession(c.var.db, token);
  await next();
});

/** The unexpired session a token names (its hash and expiry), or 401 invalid_session. */
export async function findAdminSession(db: Db, token: string): Promise<{ tokenHash: string; expiresAt: string }> {
  const invalid = () => unauthorized("invalid_session", text("invalidSession"));
  if (token.length > 200) throw invalid();
  const [session] = await db
    .select({ tokenHash: adminSession.tokenHash, expiresAt: adminSession.expiresAt })
    .from(adminSession)
    .where(and(eq(adminSession.tokenHash, await sha256Hex(token)), gt(adminSession.expiresAt, nowIso())))
    .limit(1);
  if (!session) throw invalid();
  return session;
}
