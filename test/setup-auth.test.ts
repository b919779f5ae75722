import { describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, call, env, initialize, REGISTRATION_TOKEN, register, SETUP_TOKEN } from "./helpers";

const initBody = { admin_password: ADMIN_PASSWORD, project_name: "P", workspace_root: "/ws" };

describe("setup wizard", () => {
  it("reports not initialized, refuses a missing or wrong X-Setup-Token, then initializes once", async () => {
    expect((await call("GET", "/api/setup/status")).body).toEqual({ initialized: false, has_external_url: false });

    const noToken = await call("POST", "/api/setup/initialize", { body: initBody });
    expect(noToken.status).toBe(403);
    expect(noToken.body.code).toBe("invalid_setup_token");
    const wrong = await call("POST", "/api/setup/initialize", { body: initBody, headers: { "x-setup-token": "nope" } });
    expect(wrong.status).toBe(403);

    const ok = await call("POST", "/api/setup/initialize", {
      body: { ...initBody, external_url: "https://moss.example/" },
      headers: { "x-setup-token": SETUP_TOKEN },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.registration_token).toMatch(/^[0-9a-f]{32}$/);
    expect((await call("GET", "/api/setup/status")).body).toEqual({ initialized: true, has_external_url: true });

    const again = await call("POST", "/api/setup/initialize", {
      body: initBody,
      headers: { "x-setup-token": SETUP_TOKEN },
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("already_initialized");
  });

  it("lets exactly one of many concurrent initializations win", async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call("POST", "/api/setup/initialize", {
          body: { ...initBody, admin_password: `password-${i}`, registration_token: `token-${i}` },
          headers: { "x-setup-token": SETUP_TOKEN },
        }),
      ),
    );
    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    // Losers see the finished setup (409) or, since every attempt counts before the token is
    // checked, the setup throttle (429): never a second success.
    expect(results.filter((r) => r.status === 409 || r.status === 429)).toHaveLength(9);
    const winnerToken = winners[0]!.body.registration_token as string;
    const i = Number(winnerToken.split("-")[1]);
    // The stored password and token are the winner's, not a mix.
    expect((await call("POST", "/api/admin/login", { body: { password: `password-${i}` } })).status).toBe(200);
    const row = await env.DB.prepare("select value from setting where key = 'agent.registration_token'").first<{
      value: string;
    }>();
    expect(JSON.parse(row!.value)).toBe(winnerToken);
  });

  it("throttles setup-token guesses, and after setup answers 409 whatever the token", async () => {
    const guess = (token: string) =>
      call("POST", "/api/setup/initialize", {
        body: initBody,
        headers: { "x-setup-token": token, "cf-connecting-ip": "203.0.113.9" },
      });
    for (let i = 0; i < 5; i++) expect((await guess(`wrong-${i}`)).body.code).toBe("invalid_setup_token");
    const locked = await guess(SETUP_TOKEN);
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe("too_many_attempts");
    expect((await call("GET", "/api/setup/status")).body.initialized).toBe(false);

    await initialize();
    for (const token of [SETUP_TOKEN, "wrong"]) {
      const after = await call("POST", "/api/setup/initialize", {
        body: initBody,
        headers: { "x-setup-token": token },
      });
      expect(after.status).toBe(409);
      expect(after.body.code).toBe("already_initialized");
    }
  });

  it("seeds the global rule at setup", async () => {
    await initialize();
    const row = await env.DB.prepare("select count(*) as n from rule where scope = 'global'").first<{ n: number }>();
    expect(row!.n).toBe(1);
  });
});

describe("admin login", () => {
  it("stores only a hash of the session token, and logout ends the session", async () => {
    const token = await initialize();
    const stored = await env.DB.prepare("select token_hash from admin_session").all<{ token_hash: string }>();
    expect(stored.results.map((r) => r.token_hash)).not.toContain(token);
    expect((await call("POST", "/api/agents", { admin: token, body: { name: "a1", role: "executor" } })).status).toBe(
      200,
    );
    expect((await call("POST", "/api/admin/logout", { admin: token })).status).toBe(200);
    const after = await call("POST", "/api/agents", { admin: token, body: { name: "a2", role: "executor" } });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe("invalid_session");
  });

  it("rejects expired sessions", async () => {
    const token = await initialize();
    await env.DB.prepare("update admin_session set expires_at = '2000-01-01T00:00:00.000Z'").run();
    const res = await call("POST", "/api/agents", { admin: token, body: { name: "a1", role: "executor" } });
    expect(res.status).toBe(401);
  });

  it("throttles repeated failed logins", async () => {
    await initialize();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await call("POST", "/api/admin/login", { body: { password: "wrong-password" } })).status);
    expect(statuses.slice(0, 5)).toEqual([403, 403, 403, 403, 403]);
    expect(statuses[5]).toBe(429);
    // Even the right password is refused while locked.
    expect((await call("POST", "/api/admin/login", { body: { password: ADMIN_PASSWORD } })).status).toBe(429);
  });

  it("throttles a burst of parallel wrong logins too", async () => {
    await initialize();
    const results = await Promise.all(
      Array.from({ length: 40 }, () => call("POST", "/api/admin/login", { body: { password: "wrong-password" } })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 403).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(35);
  });

  it("counts wrong old passwords on a password change like failed logins", async () => {
    const admin = await initialize();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push(
        (
          await call("PUT", "/api/admin/config/password", {
            admin,
            body: { old_password: "guess-guess", new_password: "whatever1" },
          })
        ).status,
      );
    }
    expect(statuses).toEqual([403, 403, 403, 403, 403, 429]);
  });

  it("refuses login before setup (409), and without a session the password endpoints answer 401", async () => {
    expect((await call("POST", "/api/admin/login", { body: { password: "anything" } })).body.code).toBe(
      "not_initialized",
    );
    expect(
      (await call("PUT", "/api/admin/config/password", { body: { old_password: "x", new_password: "yyyyyy" } })).status,
    ).toBe(401);
  });

  it("password change revokes every session", async () => {
    const a = await initialize();
    const b = (await call("POST", "/api/admin/login", { body: { password: ADMIN_PASSWORD } })).body.token;
    const change = await call("PUT", "/api/admin/config/password", {
      admin: a,
      body: { old_password: ADMIN_PASSWORD, new_password: "new-password-1" },
    });
    expect(change.status).toBe(200);
    for (const t of [a, b]) expect((await call("POST", "/api/admin/logout", { admin: t })).status).toBe(401);
    expect((await call("POST", "/api/admin/login", { body: { password: "new-password-1" } })).status).toBe(200);
  });
});

describe("agent registration and keys", () => {
  it("issues ak_ keys, stores only their SHA-256, and authenticates by them", async () => {
    await initialize();
    const agent = await register("executor", "exec-one");
    expect(agent.key).toMatch(/^ak_[0-9a-f]{32}$/);
    const row = await env.DB.prepare("select * from agent where id = ?")
      .bind(agent.id)
      .first<Record<string, unknown>>();
    expect(JSON.stringify(row)).not.toContain(agent.key);
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(agent.key));
    const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
    expect(row!.api_key_hash).toBe(hex);
    const list = await call("GET", "/api/agents", { key: agent.key });
    expect(list.status).toBe(200);
    expect(list.body[0]).toEqual({
      id: agent.id,
      name: "exec-one",
      role: "executor",
      description: "executor for tests",
      status: "active",
      total_score: 0,
    });
    expect(JSON.stringify(list.body)).not.toContain("api_key");
  });

  it("refuses a wrong registration token, a duplicate name, and a disabled agent", async () => {
    const admin = await initialize();
    const bad = await call("POST", "/api/agents/register", {
      headers: { "x-registration-token": "wrong" },
      body: { name: "x", role: "executor" },
    });
    expect(bad.status).toBe(403);
    expect(bad.body.code).toBe("invalid_registration_token");
    const missing = await call("POST", "/api/agents/register", { body: { name: "x", role: "executor" } });
    expect(missing.status).toBe(401);
    const a = await register("executor", "dup");
    const dup = await call("POST", "/api/agents/register", {
      headers: { "x-registration-token": REGISTRATION_TOKEN },
      body: { name: "dup", role: "planner" },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe("name_taken");

    const disable = await call("PUT", `/api/agents/${a.id}/status`, { admin, body: { status: "disabled" } });
    expect(disable.status).toBe(200);
    expect(disable.body.status).toBe("disabled");
    const denied = await call("GET", "/api/agents", { key: a.key });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe("agent_disabled");
  });

  it("throttles parallel registration guesses but not a team registering at once", async () => {
    await initialize();
    const team = await Promise.all(Array.from({ length: 8 }, (_, i) => register("executor", `team-${i}`)));
    expect(team).toHaveLength(8);
    const guesses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        call("POST", "/api/agents/register", {
          headers: { "x-registration-token": `guess-${i}` },
          body: { name: `g${i}`, role: "executor" },
        }),
      ),
    );
    expect(guesses.filter((r) => r.status === 403).length).toBeLessThanOrEqual(10);
    expect(guesses.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(30);
    expect((await env.DB.prepare("select count(*) n from agent").first<{ n: number }>())!.n).toBe(8);
  });

  it("refuses registration while it is closed", async () => {
    const admin = await initialize();
    await call("PUT", "/api/admin/config", { admin, body: { agent: { allow_registration: false } } });
    const res = await call("POST", "/api/agents/register", {
      headers: { "x-registration-token": REGISTRATION_TOKEN },
      body: { name: "x", role: "executor" },
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("registration_closed");
  });

  it("answers 401 with a code for missing, malformed and unknown keys", async () => {
    await initialize();
    expect((await call("GET", "/api/agents")).body.code).toBe("missing_credentials");
    expect((await call("GET", "/api/agents", { headers: { authorization: "Token abc" } })).body.code).toBe(
      "bad_credentials",
    );
    const unknown = await call("GET", "/api/agents", { key: `ak_${"0".repeat(32)}` });
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe("invalid_api_key");
  });

  it("takes the Bearer scheme name in any case (RFC 9110)", async () => {
    await initialize();
    const agent = await register("executor");
    for (const scheme of ["bearer", "BEARER", "Bearer  "]) {
      const res = await call("GET", "/api/agents/me/briefing", {
        headers: { authorization: `${scheme} ${agent.key}` },
      });
      expect(res.status, scheme).toBe(200);
      expect(res.body.agent.id).toBe(agent.id);
    }
  });
});
