// Hashing and comparison helpers on WebCrypto; nothing here stores or logs a secret.

import { text } from "../i18n";
import { ApiError } from "../lib/errors";

const encoder = new TextEncoder();

const toHex = (bytes: ArrayBuffer | Uint8Array): string =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

export function randomHex(byteCount: number): string {
  return toHex(crypto.getRandomValues(new Uint8Array(byteCount)));
}

export async function sha256Hex(value: string): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", encoder.encode(value)));
}

/** Constant-time string equality: compares fixed-length digests, so length leaks nothing either. */
export async function safeEqual(a: string, b: string): Promise<boolean> {
  const [da, db] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(a)),
    crypto.subtle.digest("SHA-256", encoder.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(da, db);
}

/** Agent API keys keep upstream's shape: `ak_` + 32 lowercase hex characters. */
export const newApiKey = (): string => `ak_${randomHex(16)}`;

/**
 * Admin password hashing. Stored form: `pbkdf2-sha256-<source>$<iterations>$<salt hex>$<hash hex>`,
 * where the PBKDF2 input is HMAC-SHA256(pepper, password) and <source> names the Worker secret that
 * holds the pepper: `p` = PASSWORD_PEPPER, `s` = SETUP_TOKEN (the fallback every install has, since
 * setup needs it). The pepper never touches D1, so a leaked database alone cannot be brute-forced;
 * that is what lets the iteration count drop to fit the Free plan's 10 ms CPU (docs/security.md).
 * Legacy `pbkdf2-sha256$100000$…` hashes (no pepper) still verify and ask to be re-hashed.
 */
export const PASSWORD_ITERATIONS = 10_000;

/** The Worker secrets a pepper can come from. */
export interface PepperSecrets {
  PASSWORD_PEPPER?: string;
  SETUP_TOKEN?: string;
}

type PepperSource = "p" | "s";
const SECRET_NAME: Record<PepperSource, keyof PepperSecrets> = { p: "PASSWORD_PEPPER", s: "SETUP_TOKEN" };
const LEGACY_SCHEME = "pbkdf2-sha256";

/** PASSWORD_PEPPER when set, else SETUP_TOKEN; new hashes always use this one. */
function currentSource(secrets: PepperSecrets): PepperSource | null {
  if (secrets.PASSWORD_PEPPER) return "p";
  return secrets.SETUP_TOKEN ? "s" : null;
}

const pepperMissing = (name: string) => new ApiError(503, "password_pepper_missing", text("pepperMissing", { name }));

async function pbkdf2(input: BufferSource, salt: Uint8Array, iterations: number): Promise<string> {
  const key = await crypto.subtle.importKey("raw", input, "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
  return toHex(bits);
}

/** PBKDF2 over HMAC-SHA256(pepper, password): a fixed-length input, and no hash without the pepper. */
async function pepperedHash(password: string, pepper: string, salt: Uint8Array, iterations: number): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(pepper), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return pbkdf2(await crypto.subtle.sign("HMAC", key, encoder.encode(password)), salt, iterations);
}

/** A new hash under the current pepper; 503 password_pepper_missing if neither secret is set. */
export async function hashPassword(password: string, secrets: PepperSecrets): Promise<string> {
  const source = currentSource(secrets);
  if (!source) throw pepperMissing("PASSWORD_PEPPER (or SETUP_TOKEN)");
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await pepperedHash(password, secrets[SECRET_NAME[source]]!, salt, PASSWORD_ITERATIONS);
  return `${LEGACY_SCHEME}-${source}$${PASSWORD_ITERATIONS}$${toHex(salt)}$${hash}`;
}

/**
 * Checks a password in constant time. `rehash` is true when the stored hash is not in today's form
 * (legacy, fallback pepper while PASSWORD_PEPPER is now set, other iteration count): the caller
 * then stores a fresh hash. A hash whose pepper secret is gone answers 503, not "wrong password".
 */
export async function verifyPassword(
  password: string,
  stored: string,
  secrets: PepperSecrets,
): Promise<{ ok: boolean; rehash: boolean }> {
  const [scheme = "", iterationText, saltHex, hash] = stored.split("$");
  const iterations = Number(iterationText);
  if (!saltHex || !hash || !/^(?:[0-9a-f]{2})+$/.test(saltHex) || !Number.isInteger(iterations) || iterations < 1)
    return { ok: false, rehash: false };
  const salt = new Uint8Array(saltHex.match(/../g)!.map((h) => parseInt(h, 16)));
  let computed: string;
  let source: PepperSource | null = null;
  if (scheme === LEGACY_SCHEME) {
    computed = await pbkdf2(encoder.encode(password), salt, iterations);
  } else {
    source = scheme === `${LEGACY_SCHEME}-p` ? "p" : scheme === `${LEGACY_SCHEME}-s` ? "s" : null;
    if (!source) return { ok: false, rehash: false };
    const pepper = secrets[SECRET_NAME[source]];
    if (!pepper) throw pepperMissing(SECRET_NAME[source]);
    computed = await pepperedHash(password, pepper, salt, iterations);
  }
  const ok = await safeEqual(computed, hash);
  return { ok, rehash: ok && (source !== currentSource(secrets) || iterations !== PASSWORD_ITERATIONS) };
}
