// Enrollment tokens: an admin issues one for a role; it registers agents of that role only, a limited
// number of times, until it expires or is revoked. They replace handing every agent the one global
// registration token (which let an executor register itself a reviewer). Pure: no I/O.
import type { Role } from "../../contract/vocabulary";
import { type Text, text } from "../i18n";

export const ENROLLMENT_TOKEN_PREFIX = "et_";
/** Random bytes behind a token: 256 bits, base64url-encoded (43 characters after the prefix). */
const TOKEN_BYTES = 32;
/** Characters of a token kept in clear so an admin can tell tokens apart in a list (`et_` + 6). */
const SHOWN_PREFIX_LENGTH = 9;
export const MAX_ENROLLMENT_USES = 1000;
export const MAX_ENROLLMENT_TTL_DAYS = 365;
export const MAX_ENROLLMENT_LABEL = 200;

const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

/** A fresh token: `et_` + 32 random bytes in base64url. Shown once; only its SHA-256 is stored. */
export const newEnrollmentToken = (): string =>
  ENROLLMENT_TOKEN_PREFIX + base64url(crypto.getRandomValues(new Uint8Array(TOKEN_BYTES)));

/** The part of a token that lists show. */
export const shownPrefix = (token: string): string => token.slice(0, SHOWN_PREFIX_LENGTH);

export type EnrollmentState = "active" | "revoked" | "used_up" | "expired";

export interface EnrollmentLimits {
  uses: number;
  maxUses: number;
  expiresAt: string;
  revokedAt: string | null;
}

/**
 * Whether a token still registers agents at `now` (ISO). Revocation is reported first (the admin's
 * decision), then use, then age. The same three conditions guard the registration write in SQL.
 */
export function enrollmentState(t: EnrollmentLimits, now: string): EnrollmentState {
  if (t.revokedAt !== null) return "revoked";
  if (t.uses >= t.maxUses) return "used_up";
  if (t.expiresAt <= now) return "expired";
  return "active";
}

/** Why a registration with a token in this state is refused: one code per state, a next step for the agent. */
export const ENROLLMENT_REFUSALS: Record<Exclude<EnrollmentState, "active">, { code: string; detail: Text }> = {
  revoked: { code: "enrollment_token_revoked", detail: text("enrollmentRevoked") },
  used_up: { code: "enrollment_token_used", detail: text("enrollmentUsedUp") },
  expired: { code: "enrollment_token_expired", detail: text("enrollmentExpired") },
};

/** The 403 detail when a token (or the global one) may not register the role asked for. */
export const roleNotAllowedDetail = (allowed: readonly Role[], asked: Role): Text =>
  allowed.length === 0
    ? text("tokenRegistersNoRole", { asked })
    : text("tokenRegistersOnly", { allowed: allowed.join(", "), asked });
