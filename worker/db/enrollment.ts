// Enrollment tokens in D1: issue, list, revoke (admin writes, each with its audit row in the same
// batch) and consume (a registration). Only SHA-256(token) is stored.
import { desc, eq, type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import type { Role } from "../../contract/vocabulary";
import type { AppEnv } from "../app-types";
import { sha256Hex } from "../auth/crypto";
import {
  ENROLLMENT_REFUSALS,
  type EnrollmentState,
  enrollmentState,
  newEnrollmentToken,
  shownPrefix,
} from "../domain/enrollment";
import { nameTaken } from "../domain/names";
import { text } from "../i18n";
import { forbidden, notFound } from "../lib/errors";
import { PLAIN_LIST_LIMIT } from "../lib/pagination";
import { DAY, isoPlus } from "../lib/time";
import { type NewAgent, newAgentRow, registeredAgent } from "./agents";
import { auditStatement } from "./audit";
import { atomicWrite, type Db, guardedInsert } from "./client";
import { agent, enrollmentToken } from "./schema";

export type EnrollmentRow = typeof enrollmentToken.$inferSelect;

/** What lists and answers show of a token: never the token or its hash. */
export interface EnrollmentTokenView {
  id: string;
  prefix: string;
  role: Role;
  label: string;
  uses: number;
  max_uses: number;
  expires_at: string;
  revoked_at: string | null;
  created_at: string;
  last_used_at: string | null;
  state: EnrollmentState;
}

export const enrollmentView = (r: EnrollmentRow, now: string): EnrollmentTokenView => ({
  id: r.id,
  prefix: r.prefix,
  role: r.role,
  label: r.label,
  uses: r.uses,
  max_uses: r.maxUses,
  expires_at: r.expiresAt,
  revoked_at: r.revokedAt,
  created_at: r.createdAt,
  last_used_at: r.lastUsedAt,
  state: enrollmentState(r, now),
});

export interface EnrollmentRequest {
  role: Role;
  maxUses: number;
  ttlDays: number;
  label: string;
}

/** Issues a token; the token itself is in the answer once and nowhere else. */
export async function issueEnrollmentToken(
  c: Context<AppEnv>,
  input: EnrollmentRequest,
  now: string,
): Promise<{ token: string; row: EnrollmentRow }> {
  const token = newEnrollmentToken();
  const row: EnrollmentRow = {
    id: crypto.randomUUID(),
    tokenHash: await sha256Hex(token),
    prefix: shownPrefix(token),
    role: input.role,
    label: input.label,
    maxUses: input.maxUses,
    uses: 0,
    expiresAt: isoPlus(now, input.ttlDays * DAY),
    revokedAt: null,
    createdAt: now,
    lastUsedAt: null,
  };
  await atomicWrite(c.var.db, [
    c.var.db.insert(enrollmentToken).values(row),
    auditStatement(
      c,
      {
        action: "enrollment_token.issue",
        targetType: "enrollment_token",
        targetId: row.id,
        detail: { role: row.role, max_uses: row.maxUses, expires_at: row.expiresAt, label: row.label },
      },
      now,
    ),
  ]);
  return { token, row };
}

/** Newest first; bounded like every plain list. */
export const listEnrollmentTokens = (db: Db): Promise<EnrollmentRow[]> =>
  db
    .select()
    .from(enrollmentToken)
    .orderBy(desc(enrollmentToken.createdAt), desc(enrollmentToken.id))
    .limit(PLAIN_LIST_LIMIT);

async function getEnrollmentToken(db: Db, id: string): Promise<EnrollmentRow> {
  const [row] = await db.select().from(enrollmentToken).where(eq(enrollmentToken.id, id)).limit(1);
  if (!row) throw notFound("enrollment_token_not_found", text("enrollmentTokenNotFound", { id }));
  return row;
}

/** Revokes a token at once (idempotent: revoking a revoked token changes nothing and writes no audit row). */
export async function revokeEnrollmentToken(c: Context<AppEnv>, id: string, now: string): Promise<EnrollmentRow> {
  const db = c.var.db;
  const live: SQL = sql`exists (select 1 from ${enrollmentToken} where id = ${id} and revoked_at is null)`;
  await atomicWrite(db, [
    auditStatement(
      c,
      { action: "enrollment_token.revoke", targetType: "enrollment_token", targetId: id, detail: {} },
      now,
      live,
    ),
    db.update(enrollmentToken).set({ revokedAt: now }).where(sql`id = ${id} and revoked_at is null`),
  ]);
  return getEnrollmentToken(db, id);
}

/** The stored token a presented one hashes to, or null. */
export async function findEnrollmentToken(db: Db, presented: string): Promise<EnrollmentRow | null> {
  const [row] = await db
    .select()
    .from(enrollmentToken)
    .where(eq(enrollmentToken.tokenHash, await sha256Hex(presented)))
    .limit(1);
  return row ?? null;
}

/** The 403 for a token that no longer registers anyone (null when it still does). */
export function enrollmentRefusal(row: EnrollmentRow, now: string) {
  const state = enrollmentState(row, now);
  return state === "active" ? null : forbidden(ENROLLMENT_REFUSALS[state].code, ENROLLMENT_REFUSALS[state].detail);
}

/**
 * Registers an agent with an enrollment token, race-free: one batch inserts the agent only while the
 * token is usable (the same rules as domain/enrollment.ts `enrollmentState`), then counts the use only
 * if that agent row is there. D1 runs batches one at a time, so of two registrations racing for the
 * last use exactly one inserts its agent.
 */
export async function registerWithEnrollment(db: Db, token: EnrollmentRow, input: NewAgent, now: string) {
  const { row, apiKey } = await newAgentRow(input);
  const usable = sql`exists (select 1 from ${enrollmentToken}
    where id = ${token.id} and revoked_at is null and uses < max_uses and expires_at > ${now})`;
  const [inserted] = await atomicWrite(db, [
    // A taken name is an answer (409), not an error: the insert just does not happen.
    sql`${guardedInsert(agent, row, usable)} on conflict do nothing`,
    db
      .update(enrollmentToken)
      .set({ uses: sql`${enrollmentToken.uses} + 1`, lastUsedAt: now })
      .where(sql`id = ${token.id} and exists (select 1 from ${agent} where id = ${row.id})`),
  ]);
  if (inserted?.meta.changes === 1) return registeredAgent(row, apiKey);
  // Not inserted: either the token ran out meanwhile (another registration took the last use), or the name is taken.
  const [current] = await db.select().from(enrollmentToken).where(eq(enrollmentToken.id, token.id)).limit(1);
  const refusal = current
    ? enrollmentRefusal(current, now)
    : forbidden(ENROLLMENT_REFUSALS.revoked.code, ENROLLMENT_REFUSALS.revoked.detail);
  throw refusal ?? nameTaken(input.name);
}

/** Who may register through this request: the roles its token allows and the bucket its registrations are counted in. */
export interface Registrar {
  roles: readonly Role[];
  /** rate_bucket key: one per token (the global one, or each enrollment token). */
  bucket: string;
  /** Successful registrations per hour through this token (setting agent.registrations_per_hour). */
  perHour: number;
  /** Set for an enrollment token: the registration then consumes one of its uses. */
  enrollment: EnrollmentRow | null;
}
