// Idempotency-Key for mutating agent calls: the first response to a key is stored and replayed on
// retries, so a request retried after a lost response changes state once. A retry is the same
// request: same method, path and body bytes (compared by SHA-256); anything else reusing the key is
// refused, never answered with the first request's response.
import { and, eq, isNull, lt } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../app-types";
import { sha256Hex } from "../auth/crypto";
import type { Db } from "../db/client";
import { idempotencyKey } from "../db/schema";
import { text } from "../i18n";
import { badRequest, conflict } from "./errors";
import { DAY, isoMinus, nowIso } from "./time";

export const IDEMPOTENCY_HEADER = "idempotency-key";
export const REPLAYED_HEADER = "Idempotent-Replayed";
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
/** Keys older than this are dropped by housekeeping; a retry after that runs again. */
export const IDEMPOTENCY_TTL_MS = DAY;

const MUTATING = new Set(["POST", "PUT", "DELETE", "PATCH"]);

/**
 * Runs after agent auth (it needs `c.var.agent`). Acts only on mutating methods that carry the
 * header. The key is claimed with an insert that only one concurrent request can land; that request
 * runs and stores its response (unless 5xx: then the claim is dropped so a retry can run). Others
 * replay the stored response, or get 409 while the first is still in flight or if the key was used
 * for a different method, path or body.
 */
export const idempotency = createMiddleware<AppEnv>(async (c, next) => {
  const method = c.req.method;
  const key = c.req.header(IDEMPOTENCY_HEADER);
  if (key === undefined || !MUTATING.has(method)) return next();
  if (key.length < 1 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw badRequest("invalid_idempotency_key", text("idempotencyKeyLength", { max: MAX_IDEMPOTENCY_KEY_LENGTH }));
  }
  const db = c.var.db;
  const agentId = c.var.agent.id;
  const path = new URL(c.req.url).pathname.slice(0, 500);
  const requestHash = await sha256Hex(c.var.rawBody ?? "");
  const claimed = await db
    .insert(idempotencyKey)
    .values({ agentId, key, method, path, requestHash, status: null, body: null, createdAt: nowIso() })
    .onConflictDoNothing()
    .returning({ key: idempotencyKey.key });

  const mine = and(eq(idempotencyKey.agentId, agentId), eq(idempotencyKey.key, key));
  if (claimed.length === 0) {
    const [stored] = await db.select().from(idempotencyKey).where(mine).limit(1);
    // Gone between the insert and the read (a failed first attempt released it): ask for a retry.
    if (!stored) throw inProgress();
    if (stored.method !== method || stored.path !== path) {
      throw conflict(
        "idempotency_key_reused",
        text("idempotencyKeyOtherRequest", { method: stored.method, path: stored.path }),
      );
    }
    // A key claimed before bodies were hashed (null) counts as the same body: a retry across the deploy.
    if (stored.requestHash !== null && stored.requestHash !== requestHash) {
      throw conflict("idempotency_key_reused", text("idempotencyKeyOtherBody"));
    }
    if (stored.status === null) throw inProgress();
    c.header(REPLAYED_HEADER, "true");
    return c.body(stored.body ?? "", stored.status as ContentfulStatusCode, { "content-type": "application/json" });
  }

  await next();
  const status = c.res.status;
  try {
    if (status >= 500) {
      await db.delete(idempotencyKey).where(and(mine, isNull(idempotencyKey.status)));
    } else {
      const body = await c.res.clone().text();
      await db.update(idempotencyKey).set({ status, body }).where(mine);
    }
  } catch (err) {
    // The response already happened; a claim left open only makes retries answer 409 until housekeeping.
    console.error("idempotency record failed", (err as Error).message);
  }
});

const inProgress = () => conflict("request_in_progress", text("idempotencyInProgress"));

/** Housekeeping: the delete of keys past their lifetime, for the cron's batch. */
export const expiredIdempotencyKeys = (db: Db, now: string) =>
  db.delete(idempotencyKey).where(lt(idempotencyKey.createdAt, isoMinus(now, IDEMPOTENCY_TTL_MS)));
