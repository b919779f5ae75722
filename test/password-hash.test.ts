// Admin password hashes: peppered PBKDF2 at a Free-plan iteration count, old hashes upgraded on login.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createAdminSession } from "../worker/auth/admin";
import { hashPassword, PASSWORD_ITERATIONS, verifyPassword } from "../worker/auth/crypto";
import { getDb } from "../worker/db/client";
import { ApiError } from "../worker/lib/errors";
import { ADMIN_PASSWORD, call, env, initialize } from "./helpers";

const storedHash = async () =>
  JSON.parse(
    (await env.DB.prepare("select value from setting where key = 'admin.password_hash'").first<{ value: string }>())!
      .value,
  ) as string;
const storeHash = (hash: string) =>
  env.DB.prepare("update setting set value = ? where key = 'admin.password_hash'").bind(JSON.stringify(hash)).run();
const login = (password: string) => call("POST", "/api/admin/login", { body: { password } });

/** A hash as the previous release stored it: unpeppered PBKDF2-SHA256, 100,000 iterations. */
async function legacyHash(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations: 100_000 }, key, 256);
  const hex = (b: ArrayBuffer | Uint8Array) =>
    [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `pbkdf2-sha256$100000$${hex(salt)}$${hex(bits)}`;
}

afterEach(() => vi.restoreAllMocks());

describe("admin password hashing", () => {
  it("setup and password change store the peppered scheme; the stored hash does not verify without the pepper", async () => {
    const admin = await initialize();
    const hash = await storedHash();
    expect(hash).toMatch(new RegExp(`^pbkdf2-sha256-p\\$${PASSWORD_ITERATIONS}\\$[0-9a-f]{32}\\$[0-9a-f]{64}$`));
    // Same password and salt (both come from the stored string), another pepper: no match.
    expect((await verifyPassword(ADMIN_PASSWORD, hash, { PASSWORD_PEPPER: "another-pepper" })).ok).toBe(false);
    expect((await verifyPassword(ADMIN_PASSWORD, hash, env)).ok).toBe(true);

    const change = await call("PUT", "/api/admin/config/password", {
      admin,
      body: { old_password: ADMIN_PASSWORD, new_password: "a new password" },
    });
    expect(change.status).toBe(200);
    const changed = await storedHash();
    expect(changed).toMatch(/^pbkdf2-sha256-p\$/);
    expect(changed).not.toBe(hash);
    expect((await login(ADMIN_PASSWORD)).status).toBe(403);
    expect((await login("a new password")).status).toBe(200);
  });

  it("logs in with a legacy hash and rewrites it once; a wrong password rewrites nothing", async () => {
    await initialize();
    const legacy = await legacyHash(ADMIN_PASSWORD);
    await storeHash(legacy);

    const wrong = await login("not the password");
    expect(wrong.status).toBe(403);
    expect(await storedHash()).toBe(legacy);

    const right = await login(ADMIN_PASSWORD);
    expect(right.status).toBe(200);
    const upgraded = await storedHash();
    expect(upgraded).toMatch(/^pbkdf2-sha256-p\$/);
    expect((await verifyPassword(ADMIN_PASSWORD, upgraded, env)).rehash).toBe(false);
    // The session made by the upgrading login works, and so does the next login (no second rewrite).
    expect((await call("GET", "/api/admin/config", { admin: right.body.token })).status).toBe(200);
    expect((await login(ADMIN_PASSWORD)).status).toBe(200);
    expect(await storedHash()).toBe(upgraded);
  });

  it("moves a SETUP_TOKEN-peppered hash to PASSWORD_PEPPER once that secret is set", async () => {
    await initialize();
    const fallback = await hashPassword(ADMIN_PASSWORD, { SETUP_TOKEN: env.SETUP_TOKEN });
    expect(fallback).toMatch(/^pbkdf2-sha256-s\$/);
    // Without PASSWORD_PEPPER the fallback form is current: nothing to upgrade.
    expect(await verifyPassword(ADMIN_PASSWORD, fallback, { SETUP_TOKEN: env.SETUP_TOKEN })).toEqual({
      ok: true,
      rehash: false,
    });
    await storeHash(fallback);
    expect((await login(ADMIN_PASSWORD)).status).toBe(200);
    expect(await storedHash()).toMatch(/^pbkdf2-sha256-p\$/);
  });

  it("never overwrites a hash that changed between verification and the rewrite", async () => {
    await initialize();
    const legacy = await legacyHash(ADMIN_PASSWORD);
    const concurrent = await hashPassword("changed meanwhile", env);
    await storeHash(concurrent);
    const upgrade = createAdminSession(getDb(env.DB), legacy, await hashPassword(ADMIN_PASSWORD, env));
    await expect(upgrade).rejects.toMatchObject({ status: 409, code: "password_changed" });
    expect(await storedHash()).toBe(concurrent);
  });

  it("answers 503 password_pepper_missing when the pepper secret is gone, rather than 'wrong password'", async () => {
    const hash = await hashPassword(ADMIN_PASSWORD, { PASSWORD_PEPPER: "kept" });
    const missing = verifyPassword(ADMIN_PASSWORD, hash, { SETUP_TOKEN: "only this" });
    await expect(missing).rejects.toBeInstanceOf(ApiError);
    await expect(missing).rejects.toMatchObject({ status: 503, code: "password_pepper_missing" });
    await expect(hashPassword(ADMIN_PASSWORD, {})).rejects.toMatchObject({
      status: 503,
      code: "password_pepper_missing",
    });
  });

  it("compares hashes with timingSafeEqual and rejects malformed stored values", async () => {
    const spy = vi.spyOn(crypto.subtle, "timingSafeEqual");
    const hash = await hashPassword(ADMIN_PASSWORD, env);
    expect((await verifyPassword("wrong", hash, env)).ok).toBe(false);
    expect(spy).toHaveBeenCalledTimes(1);
    for (const bad of [
      "",
      "pbkdf2-sha256-x$10000$00$00",
      `${hash.slice(0, -2)}`,
      hash.replace("$10000$", "$0$"),
      "pbkdf2-sha256-p$10000$zz$00",
    ]) {
      expect((await verifyPassword(ADMIN_PASSWORD, bad, env)).ok).toBe(false);
    }
  });
});
