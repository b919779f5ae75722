import { and, eq, gt } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-types";
import type { Db } from "../db/client";
import { adminSession } from "../db/schema";
import { unauthorized } from "../lib/errors";
import { DAY, isoPlus, nowIso } from "../lib/time";
import { randomHex, sha256Hex } from "./crypto";

export const SESSION_TTL_MS = 7 * DAY;

/** Creates a session; only its hash is stored. Returns the token, shown to the admin once. */
export async function createAdminSession(db: Db): Promise<{ token: string; expiresAt: string }> {
  const token = randomHex(32);
  const now = nowIso();
  const expiresAt = isoPlus(now, SESSION_TTL_MS);
  await db.insert(adminSession).values({ tokenHash: await sha256Hex(token), createdAt: now, expiresAt });
  return { token, expiresAt };
}

/** `X-Admin-Token` must name an unexpired session. */
export const adminAuth = createMiddleware<AppEnv>(async (c, next) => {
  const token = c.req.header("x-admin-token");
  if (!token) throw unauthorized("missing_credentials", "missing X-Admin-Token header; log in first");
  if (token.length > 200) throw unauthorized("invalid_session", "admin session invalid or expired; log in again");
  const [session] = await c.var.db
    .select({ tokenHash: adminSession.tokenHash })
    .from(adminSession)
    .where(and(eq(adminSession.tokenHash, await sha256Hex(token)), gt(adminSession.expiresAt, nowIso())))
    .limit(1);
  if (!session) throw unauthorized("invalid_session", "admin session invalid or expired; log in again");
  await next();
});
