// Enrollment tokens and the global registration token's limits (issue 11, points 1–3): a token
// registers only its role, only as often as allowed, not once expired or revoked; registrations are
// throttled per token; composed prompts carry no shared secret.
import { describe, expect, it } from "vitest";
import {
  ADMIN_PASSWORD,
  type CallResult,
  call,
  env,
  initialize,
  login,
  ok,
  REGISTRATION_TOKEN,
  SETUP_TOKEN,
} from "./helpers";
import { expectInvariants } from "./invariants";

const TOKEN_SHAPE = /et_[A-Za-z0-9_-]{43}/;

/** A new install as an admin sets it up today: the global token registers executors only. */
async function freshInstall(): Promise<string> {
  await ok(
    call("POST", "/api/setup/initialize", {
      headers: { "x-setup-token": SETUP_TOKEN },
      body: {
        admin_password: ADMIN_PASSWORD,
        project_name: "Enrollment",
        workspace_root: "/ws",
        registration_token: REGISTRATION_TOKEN,
      },
    }),
  );
  return login();
}

const issue = (admin: string, body: Record<string, unknown>) =>
  ok(call("POST", "/api/admin/enrollment-tokens", { admin, body }));

/** Exactly what upstream's CLI `register --name --role --token --description` sends. */
const registerWith = (token: string, role: string, name: string, ip?: string): Promise<CallResult> =>
  call("POST", "/api/agents/register", {
    headers: {
      "x-registration-token": token,
      "content-type": "application/json",
      ...(ip ? { "cf-connecting-ip": ip } : {}),
    },
    body: { name, role, description: `${role} enrolled` },
  });

async function refused(res: Promise<CallResult> | CallResult, status: number, code: string): Promise<CallResult> {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body.code).toBe(code);
  return r;
}

const agentCount = async () => (await env.DB.prepare("select count(*) n from agent").first<{ n: number }>())!.n;

describe("enrollment tokens: issue, list, revoke", () => {
  it("shows the token once, stores only its hash, lists it without the token and audits each write", async () => {
    const admin = await freshInstall();
    const issued = await issue(admin, { role: "reviewer", label: "rev for team A" });
    expect(issued.token).toMatch(new RegExp(`^${TOKEN_SHAPE.source}$`));
    expect(issued).toMatchObject({
      role: "reviewer",
      label: "rev for team A",
      uses: 0,
      max_uses: 1,
      state: "active",
      revoked_at: null,
    });
    expect(issued.prefix).toBe(issued.token.slice(0, 9));
    // Default lifetime: the setting agent.enrollment_ttl_days (7).
    expect(Date.parse(issued.expires_at) - Date.parse(issued.created_at)).toBe(7 * 86_400_000);

    const stored = await env.DB.prepare("select * from enrollment_token").all();
    expect(JSON.stringify(stored.results)).not.toContain(issued.token);
    const list = await ok(call("GET", "/api/admin/enrollment-tokens", { admin }));
    expect(list).toHaveLength(1);
    expect(list[0]).not.toHaveProperty("token");
    expect(JSON.stringify(list)).not.toContain(issued.token);
    expect(list[0]).toMatchObject({ id: issued.id, prefix: issued.prefix, role: "reviewer", state: "active" });

    const revoked = await ok(call("DELETE", `/api/admin/enrollment-tokens/${issued.id}`, { admin }));
    expect(revoked.state).toBe("revoked");
    // Revoking again changes nothing and writes no second audit row.
    expect((await ok(call("DELETE", `/api/admin/enrollment-tokens/${issued.id}`, { admin }))).revoked_at).toBe(
      revoked.revoked_at,
    );
    await refused(call("DELETE", "/api/admin/enrollment-tokens/nope", { admin }), 404, "enrollment_token_not_found");
    const audit = await env.DB.prepare("select action, detail from audit_log order by rowid").all<{
      action: string;
      detail: string;
    }>();
    expect(audit.results.map((r) => r.action)).toEqual(["enrollment_token.issue", "enrollment_token.revoke"]);
    expect(JSON.stringify(audit.results)).not.toContain(issued.token);
  });

  it("bounds uses and lifetime, refuses unknown roles, and is admin-only", async () => {
    const admin = await freshInstall();
    await refused(
      call("POST", "/api/admin/enrollment-tokens", { admin, body: { role: "executor", max_uses: 1001 } }),
      400,
      "invalid_input",
    );
    await refused(
      call("POST", "/api/admin/enrollment-tokens", { admin, body: { role: "executor", max_uses: 0 } }),
      400,
      "invalid_input",
    );
    await refused(
      call("POST", "/api/admin/enrollment-tokens", { admin, body: { role: "executor", expires_in_days: 366 } }),
      400,
      "invalid_input",
    );
    await refused(
      call("POST", "/api/admin/enrollment-tokens", { admin, body: { role: "admin" } }),
      400,
      "invalid_input",
    );
    const t = await issue(admin, { role: "executor", max_uses: 1000, expires_in_days: 1 });
    expect(Date.parse(t.expires_at) - Date.parse(t.created_at)).toBe(86_400_000);
    const agent = await ok(registerWith(t.token, "executor", "exec-1"));
    expect((await call("GET", "/api/admin/enrollment-tokens", { key: agent.api_key })).status).toBe(401);
    expect(
      (await call("POST", "/api/admin/enrollment-tokens", { key: agent.api_key, body: { role: "reviewer" } })).status,
    ).toBe(401);
  });
});

describe("registering with an enrollment token", () => {
  it("registers exactly once, only its role; then answers used up", async () => {
    const admin = await freshInstall();
    const t = await issue(admin, { role: "reviewer" });
    const wrongRole = await refused(registerWith(t.token, "planner", "sneaky"), 403, "role_not_allowed");
    expect(wrongRole.body.detail).toContain("only reviewer");
    const agent = await ok(registerWith(t.token, "reviewer", "rev-1"));
    expect(agent).toMatchObject({ name: "rev-1", role: "reviewer" });
    await refused(registerWith(t.token, "reviewer", "rev-2"), 403, "enrollment_token_used");
    const [row] = await ok(call("GET", "/api/admin/enrollment-tokens", { admin }));
    expect(row).toMatchObject({ uses: 1, max_uses: 1, state: "used_up" });
    expect(row.last_used_at).not.toBeNull();
    expect(await agentCount()).toBe(1);
  });

  it("a token for several uses registers that many agents; a taken name does not spend a use", async () => {
    const admin = await freshInstall();
    const t = await issue(admin, { role: "executor", max_uses: 2 });
    await ok(registerWith(t.token, "executor", "exec-a"));
    await refused(registerWith(t.token, "executor", "EXEC-A"), 409, "name_taken");
    await ok(registerWith(t.token, "executor", "exec-b"));
    await refused(registerWith(t.token, "executor", "exec-c"), 403, "enrollment_token_used");
    expect((await ok(call("GET", "/api/admin/enrollment-tokens", { admin })))[0].uses).toBe(2);
  });

  it("refuses an expired or a revoked token with its own code, changing nothing", async () => {
    const admin = await freshInstall();
    const expired = await issue(admin, { role: "executor" });
    await env.DB.prepare("update enrollment_token set expires_at = ? where id = ?")
      .bind(new Date(Date.now() - 1000).toISOString(), expired.id)
      .run();
    await refused(registerWith(expired.token, "executor", "late"), 403, "enrollment_token_expired");
    const revoked = await issue(admin, { role: "executor" });
    await ok(call("DELETE", `/api/admin/enrollment-tokens/${revoked.id}`, { admin }));
    await refused(registerWith(revoked.token, "executor", "too-late"), 403, "enrollment_token_revoked");
    expect(await agentCount()).toBe(0);
    const list = await ok(call("GET", "/api/admin/enrollment-tokens", { admin }));
    expect(list.map((r: { state: string }) => r.state).sort()).toEqual(["expired", "revoked"]);
    expect(list.every((r: { uses: number }) => r.uses === 0)).toBe(true);
  });

  it("concurrent uses of a single-use token register exactly one agent", async () => {
    const admin = await freshInstall();
    const t = await issue(admin, { role: "executor" });
    // From different clients, so the per-client throttle of failed attempts stays out of the way.
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => registerWith(t.token, "executor", `racer-${i}`, `203.0.113.${i + 1}`)),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 200)) {
      expect(r.status).toBe(403);
      expect(r.body.code).toBe("enrollment_token_used");
    }
    expect(await agentCount()).toBe(1);
    expect((await env.DB.prepare("select uses from enrollment_token").first<{ uses: number }>())!.uses).toBe(1);
    await expectInvariants({ admin });
  });

  it("counts failed guesses, expired and used-up tokens toward the per-client throttle", async () => {
    const admin = await freshInstall();
    const t = await issue(admin, { role: "executor" });
    await ok(registerWith(t.token, "executor", "first", "198.51.100.7"));
    for (let i = 0; i < 10; i++)
      await refused(registerWith(t.token, "executor", `again-${i}`, "198.51.100.7"), 403, "enrollment_token_used");
    const fresh = await issue(admin, { role: "executor" });
    await refused(registerWith(fresh.token, "executor", "locked-out", "198.51.100.7"), 429, "too_many_attempts");
    await ok(registerWith(fresh.token, "executor", "other-client", "198.51.100.8"));
  });

  it("works the way upstream's CLI registers, and the agent runs claim → start → submit", async () => {
    const admin = await freshInstall();
    const planner = await ok(registerWith((await issue(admin, { role: "planner" })).token, "planner", "plan-up"));
    const exec = await ok(registerWith((await issue(admin, { role: "executor" })).token, "executor", "exec-up"));
    const as = (key: string) => ({ authorization: `Bearer ${key}`, "content-type": "application/json" });
    const task = await ok(
      call("POST", "/api/tasks", {
        headers: as(planner.api_key),
        body: { name: "upstream flow", description: "", type: "once" },
      }),
    );
    const st = await ok(
      call("POST", "/api/sub-tasks", {
        headers: as(planner.api_key),
        body: {
          task_id: task.id,
          name: "do it",
          description: "d",
          deliverable: "x",
          acceptance: "y",
          priority: "medium",
          type: "once",
        },
      }),
    );
    await ok(call("POST", `/api/sub-tasks/${st.id}/claim`, { headers: as(exec.api_key), body: {} }));
    await ok(
      call("POST", `/api/sub-tasks/${st.id}/start`, { headers: as(exec.api_key), body: { session_id: "cron:run:1" } }),
    );
    const submitted = await ok(call("POST", `/api/sub-tasks/${st.id}/submit`, { headers: as(exec.api_key) }));
    expect(submitted.status).toBe("review");
    await expectInvariants({ admin });
  });
});

describe("the global registration token", () => {
  it("registers only the roles the setting allows (new installs: executor) and nothing when off", async () => {
    const admin = await freshInstall();
    const config = await ok(call("GET", "/api/admin/config", { admin }));
    expect(config.agent.registration_roles).toEqual(["executor"]);
    await ok(registerWith(REGISTRATION_TOKEN, "executor", "exec-global"));
    const res = await refused(registerWith(REGISTRATION_TOKEN, "reviewer", "rev-global"), 403, "role_not_allowed");
    expect(res.body.detail).toContain("only executor");

    await ok(
      call("PUT", "/api/admin/config", { admin, body: { agent: { registration_roles: ["executor", "reviewer"] } } }),
    );
    await ok(registerWith(REGISTRATION_TOKEN, "reviewer", "rev-global"));
    await ok(call("PUT", "/api/admin/config", { admin, body: { agent: { registration_roles: [] } } }));
    await refused(registerWith(REGISTRATION_TOKEN, "executor", "nobody"), 403, "role_not_allowed");

    await ok(
      call("PUT", "/api/admin/config", {
        admin,
        body: { agent: { registration_roles: ["executor"], allow_registration: false } },
      }),
    );
    await refused(registerWith(REGISTRATION_TOKEN, "executor", "closed"), 403, "registration_closed");
    // Enrollment tokens still work while the global token is off.
    await ok(registerWith((await issue(admin, { role: "patrol" })).token, "patrol", "patrol-1"));
    expect(await agentCount()).toBe(3);
  });

  it("setup may choose the roles, and an install from before keeps every role", async () => {
    await ok(
      call("POST", "/api/setup/initialize", {
        headers: { "x-setup-token": SETUP_TOKEN },
        body: {
          admin_password: ADMIN_PASSWORD,
          project_name: "P",
          workspace_root: "/ws",
          registration_token: REGISTRATION_TOKEN,
          registration_roles: ["planner", "planner"],
        },
      }),
    );
    const admin = await login();
    expect((await ok(call("GET", "/api/admin/config", { admin }))).agent.registration_roles).toEqual(["planner"]);
    // No stored value (an install set up before this setting existed): the default, every role.
    await env.DB.prepare("delete from setting where key = 'agent.registration_roles'").run();
    await ok(registerWith(REGISTRATION_TOKEN, "reviewer", "old-install-reviewer"));
  });
});

describe("registrations are throttled per token", () => {
  it("answers 429 with Retry-After once a token used its hourly allowance; other tokens are not affected", async () => {
    const admin = await freshInstall();
    await ok(call("PUT", "/api/admin/config", { admin, body: { agent: { registrations_per_hour: 2 } } }));
    await ok(registerWith(REGISTRATION_TOKEN, "executor", "g1"));
    await ok(registerWith(REGISTRATION_TOKEN, "executor", "g2"));
    const limited = await refused(registerWith(REGISTRATION_TOKEN, "executor", "g3"), 429, "registration_rate_limited");
    // 2 an hour: the next one is due in 30 minutes.
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(1700);
    expect(retryAfter).toBeLessThanOrEqual(1800);
    expect(await agentCount()).toBe(2);

    const t = await issue(admin, { role: "executor", max_uses: 5 });
    await ok(registerWith(t.token, "executor", "e1"));
    await ok(registerWith(t.token, "executor", "e2"));
    await refused(registerWith(t.token, "executor", "e3"), 429, "registration_rate_limited");
    // A refused registration spends nothing: neither a use of the token nor an agent.
    expect((await ok(call("GET", "/api/admin/enrollment-tokens", { admin })))[0].uses).toBe(2);
    await ok(registerWith((await issue(admin, { role: "executor" })).token, "executor", "other-token"));
    expect(await agentCount()).toBe(5);
  });
});

describe("the two prompts", () => {
  it("the standing prompt holds no token; the enrollment prompt's token registers its role exactly once", async () => {
    const admin = await freshInstall();
    const preview = await ok(call("GET", "/api/admin/prompts/compose/executor-backend", { admin }));
    expect(preview.prompt).toBe(preview.standing_prompt);
    expect(preview.enrollment_prompt).toContain("<enrollment token from your admin>");
    expect(await ok(call("GET", "/api/admin/enrollment-tokens", { admin }))).toEqual([]);

    const composed = await ok(call("POST", "/api/admin/prompts/compose/executor-backend", { admin }));
    for (const text of [composed.prompt, composed.standing_prompt, preview.prompt, preview.enrollment_prompt]) {
      expect(text).not.toContain(REGISTRATION_TOKEN);
      expect(text).not.toMatch(/et_/);
    }
    expect(composed.standing_prompt).toContain("node task-cli.mjs briefing");
    expect(composed.enrollment_prompt).not.toContain(REGISTRATION_TOKEN);
    const token = TOKEN_SHAPE.exec(composed.enrollment_prompt)![0];
    expect(composed.enrollment_token).toMatchObject({
      role: "executor",
      max_uses: 1,
      uses: 0,
      state: "active",
      prefix: token.slice(0, 9),
    });
    expect(composed.enrollment_prompt).toContain(composed.enrollment_token.expires_at);
    expect(composed.enrollment_prompt).toContain("/api/agents/me/skill-bundle");

    // The escalation from the issue: the executor's prompt token cannot make a reviewer …
    await refused(registerWith(token, "reviewer", "self-reviewer"), 403, "role_not_allowed");
    // … nor can the global token of a new install.
    await refused(registerWith(REGISTRATION_TOKEN, "reviewer", "self-reviewer"), 403, "role_not_allowed");
    await ok(registerWith(token, "executor", "exec-from-prompt"));
    await refused(registerWith(token, "executor", "exec-again"), 403, "enrollment_token_used");
  });

  it("the onboarding guide: a placeholder on GET, a fresh token on POST; the global token never appears", async () => {
    const admin = await initialize();
    // Even pasted into a role template, the global token is scrubbed from composed text.
    await ok(
      call("PUT", "/api/admin/prompts/templates/planner", {
        admin,
        body: { content: `# Planner\nOld token: ${REGISTRATION_TOKEN}` },
      }),
    );
    const guide = await ok(call("GET", "/api/admin/prompts/onboarding/planner", { admin }));
    expect(guide.content).toContain("<enrollment token from your admin>");
    expect(guide.standing_prompt).toContain("# Planner");
    const issued = await ok(call("POST", "/api/admin/prompts/onboarding/planner", { admin }));
    for (const text of [guide.content, guide.standing_prompt, issued.content, issued.standing_prompt])
      expect(text).not.toContain(REGISTRATION_TOKEN);
    expect(issued.standing_prompt).not.toMatch(/et_/);
    const token = TOKEN_SHAPE.exec(issued.content)![0];
    expect(issued.enrollment_token).toMatchObject({ role: "planner", label: "onboarding planner" });
    await ok(registerWith(token, "planner", "planner-onboarded"));
    await refused(registerWith(token, "planner", "planner-twice"), 403, "enrollment_token_used");
    await refused(call("POST", "/api/admin/prompts/onboarding/boss", { admin }), 400, "invalid_role");
    await refused(call("POST", "/api/admin/prompts/compose/executor-nope", { admin }), 404, "prompt_not_found");
  });
});
