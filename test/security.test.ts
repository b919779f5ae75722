// Hostile callers, inside the Workers runtime with the real D1 and Durable Objects:
// - security headers on every kind of Worker response (the static side is test/browser/static-security.test.ts);
// - the auth matrix: every operation of the OpenAPI document, called with no, wrong, malformed,
//   disabled, wrong-role and expired credentials, answers 401/403 with the right code and changes nothing;
// - another executor's sub-task cannot be started, submitted or re-sessioned;
// - brute force: a locked client is refused even the right secret until the lock ends;
// - no secret (password, session token, API key, registration or setup token) in any D1 column,
//   the request log or anything written to the console during a flow that uses them all.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import worker from "../worker/index";
import {
  ADMIN_PASSWORD,
  ALL_ROLES,
  env,
  initialize,
  login,
  REGISTRATION_TOKEN,
  register,
  SETUP_TOKEN,
  snapshotAllTables,
  type TestAgent,
} from "./helpers";

const randomHex = (bytes: number) =>
  [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
const sha256Hex = async (s: string) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)))]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");

interface Result {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

/**
 * One request through the Worker's fetch handler, waiting for everything it handed to waitUntil
 * (the request log, notifications) so the database is final when this returns.
 */
async function send(
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: unknown } = {},
): Promise<Result> {
  const headers: Record<string, string> = { ...opts.headers };
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
    headers["content-type"] ??= "application/json";
  }
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(new URL(path, "https://openmoss.test"), { method, headers, body }),
    env,
    ctx,
  );
  const isBinary = res.headers.get("content-type") === "application/zip";
  const text = isBinary ? `(${(await res.arrayBuffer()).byteLength} bytes)` : await res.text();
  await waitOnExecutionContext(ctx);
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const adminHeader = (token: string) => ({ "x-admin-token": token });

/** Every row of every table (not only the domain tables dbSnapshot covers): sessions, throttling, logs, outbox… */
const fullSnapshot = () => snapshotAllTables();

const API_HEADERS = {
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "strict-transport-security": "max-age=15552000; includeSubDomains",
};

function expectApiHeaders(res: Result, what: string) {
  for (const [name, value] of Object.entries(API_HEADERS))
    expect(res.headers.get(name), `${what}: ${name}`).toBe(value);
}

describe("security headers on the Worker's responses", () => {
  it("JSON, errors, 404s, preflights, text and zip downloads all carry them", async () => {
    const admin = await initialize();
    const exec = await register("executor");
    const cases: [string, string, Record<string, string>, number][] = [
      ["GET", "/api/health", {}, 200],
      ["GET", "/api/openapi.json", {}, 200],
      ["GET", "/api/agents", {}, 401],
      ["GET", "/api/admin/config", adminHeader("not-a-session"), 401],
      ["GET", "/api/admin/config", adminHeader(admin), 200],
      ["GET", "/api/no-such-endpoint", {}, 404],
      ["GET", "/not-under-api", {}, 404],
      ["OPTIONS", "/api/tasks", { origin: "https://elsewhere.example", "access-control-request-method": "POST" }, 204],
      ["GET", "/api/tools/cli", bearer(exec.key), 200],
      ["GET", "/api/agents/me/skill-bundle", bearer(exec.key), 200],
    ];
    for (const [method, path, headers, status] of cases) {
      const res = await send(method, path, { headers });
      expect(res.status, `${method} ${path}`).toBe(status);
      expectApiHeaders(res, `${method} ${path}`);
    }
    // A body the API refuses still gets them (the error path of the same middleware chain).
    const bad = await send("POST", "/api/tasks", { headers: bearer(exec.key), body: "{not json" });
    expect(bad.status).toBe(403); // wrong_role comes before the body is parsed
    expectApiHeaders(bad, "POST /api/tasks");
  });

  it("the API reference page: its own CSP, this origin only, no inline script", async () => {
    const res = await send("GET", "/api/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect([...res.text.matchAll(/<script>([\s\S]*?)<\/script>/g)]).toHaveLength(0);
    expect(res.headers.get("content-security-policy")).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    // Every script and stylesheet of the page is a path on this origin (the dashboard's assets).
    const refs = [...res.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs).toEqual(["/api-docs/swagger-ui.css", "/api-docs/swagger-ui-bundle.js", "/api-docs/init.js"]);
    for (const name of ["x-frame-options", "x-content-type-options", "referrer-policy", "cross-origin-opener-policy"]) {
      expect(res.headers.get(name)).toBe(API_HEADERS[name as keyof typeof API_HEADERS]);
    }
  });
});

// ---------------------------------------------------------------------------------------------------

type AuthKind =
  | { kind: "public" }
  | { kind: "admin" }
  | { kind: "agent" }
  | { kind: "roles"; roles: string[]; admin: boolean };
const ROLES = ["planner", "executor", "reviewer", "patrol"] as const;

interface Operation {
  method: string;
  path: string;
  auth: AuthKind;
}

/** The auth of an operation, as defineRoute writes it into the document (security + description). */
function authOf(op: { security?: unknown[]; description?: string }): AuthKind | null {
  if (!op.security || op.security.length === 0) return { kind: "public" };
  const d = op.description ?? "";
  if (/^Auth: admin\./.test(d)) return { kind: "admin" };
  if (/^Auth: agent\./.test(d)) return { kind: "agent" };
  const roles = /^Roles: ([a-z, ]+)\./.exec(d)?.[1]?.split(", ");
  if (roles?.every((r) => r === "admin" || (ROLES as readonly string[]).includes(r))) {
    return { kind: "roles", roles: roles.filter((r) => r !== "admin"), admin: roles.includes("admin") };
  }
  return null;
}

/** Exactly these operations need no credentials (a new public one must be added here on purpose). */
const PUBLIC_OPERATIONS = [
  "GET /api/health",
  "GET /api/setup/status",
  "POST /api/setup/initialize",
  "POST /api/admin/login",
  "POST /api/agents/register",
  "GET /api/feed/status",
  "GET /api/feed/logs",
  "GET /api/feed/agents",
  "GET /api/feed/agent-summary",
];
/** WebSocket upgrades documented by hand (no defineRoute): their auth is tested in the live tests. */
const HAND_DOCUMENTED = ["GET /api/admin/live", "GET /api/feed/live"];
/** The document's operations when this was written (116 behind credentials, 9 public). */
const MIN_OPERATIONS = 125;

async function operations(): Promise<Operation[]> {
  const doc = (await send("GET", "/api/openapi.json")).body as {
    paths: Record<string, Record<string, { security?: unknown[]; description?: string }>>;
  };
  const ops: Operation[] = [];
  const unknown: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const name = `${method.toUpperCase()} ${path}`;
      if (HAND_DOCUMENTED.includes(name)) continue;
      const auth = authOf(op);
      if (auth === null)
        unknown.push(`${name}: ${JSON.stringify({ security: op.security, description: op.description })}`);
      else ops.push({ method: method.toUpperCase(), path, auth });
    }
  }
  expect(unknown, "operations whose auth the document does not state").toEqual([]);
  return ops;
}

const fill = (path: string) => path.replace(/\{[^}]+\}/g, () => crypto.randomUUID());

interface Probe {
  label: string;
  headers: Record<string, string>;
  status: 401 | 403;
  code: string;
}

describe("auth matrix over every operation of the OpenAPI document", () => {
  it("refuses missing, wrong, malformed, disabled, wrong-role and expired credentials, and changes nothing", async () => {
    const admin = await initialize();
    const expired = await login();
    await env.DB.prepare("update admin_session set expires_at = '2000-01-01T00:00:00.000Z' where token_hash = ?")
      .bind(await sha256Hex(expired))
      .run();
    const active: Record<string, TestAgent> = {};
    const disabled: Record<string, TestAgent> = {};
    for (const role of ROLES) {
      active[role] = await register(role);
      disabled[role] = await register(role);
      expect(
        (
          await send("PUT", `/api/agents/${disabled[role]!.id}/status`, {
            headers: adminHeader(admin),
            body: { status: "disabled" },
          })
        ).status,
      ).toBe(200);
    }
    // The expired session really is expired, and the other credentials really work (else the matrix proves little).
    expect((await send("GET", "/api/admin/config", { headers: adminHeader(expired) })).body.code).toBe(
      "invalid_session",
    );
    expect((await send("GET", "/api/admin/config", { headers: adminHeader(admin) })).status).toBe(200);
    for (const role of ROLES)
      expect((await send("GET", "/api/agents", { headers: bearer(active[role]!.key) })).status).toBe(200);

    const ops = await operations();
    expect(ops.length).toBeGreaterThanOrEqual(MIN_OPERATIONS);
    const publicOps = ops.filter((o) => o.auth.kind === "public").map((o) => `${o.method} ${o.path}`);
    expect(publicOps.sort()).toEqual([...PUBLIC_OPERATIONS].sort());
    const kinds = new Set(ops.map((o) => o.auth.kind));
    expect(kinds).toEqual(new Set(["public", "admin", "agent", "roles"]));

    const wrongKey = `ak_${randomHex(16)}`;
    const malformed: Record<string, string>[] = [
      { authorization: "Token abc" },
      { authorization: "Basic dXNlcjpwYXNzd29yZA==" },
      { authorization: "Bearer" },
      { authorization: `Bearer ${active.executor!.key} extra` },
      { authorization: `Bearer ${"x".repeat(201)}` },
    ];
    const before = await fullSnapshot();
    const failures: string[] = [];
    let probes = 0;

    for (const op of ops) {
      if (op.auth.kind === "public") continue;
      const list: Probe[] = [{ label: "no credentials", headers: {}, status: 401, code: "missing_credentials" }];
      if (op.auth.kind === "admin") {
        list.push(
          { label: "expired session", headers: adminHeader(expired), status: 401, code: "invalid_session" },
          { label: "unknown session", headers: adminHeader(randomHex(32)), status: 401, code: "invalid_session" },
          { label: "oversized session", headers: adminHeader("a".repeat(201)), status: 401, code: "invalid_session" },
          { label: "empty session header", headers: adminHeader(""), status: 401, code: "missing_credentials" },
          { label: "wrong agent key", headers: bearer(wrongKey), status: 401, code: "missing_credentials" },
          {
            label: "disabled agent key",
            headers: bearer(disabled.planner!.key),
            status: 401,
            code: "missing_credentials",
          },
          ...ROLES.map(
            (role): Probe => ({
              label: `${role} key on an admin operation`,
              headers: bearer(active[role]!.key),
              status: 401,
              code: "missing_credentials",
            }),
          ),
        );
      } else {
        const allowed = op.auth.kind === "roles" ? op.auth.roles : [...ROLES];
        list.push(
          { label: "wrong key", headers: bearer(wrongKey), status: 401, code: "invalid_api_key" },
          ...malformed.map(
            (headers, i): Probe => ({
              label: `malformed Authorization #${i}`,
              headers,
              status: 401,
              code: "bad_credentials",
            }),
          ),
          ...allowed.map(
            (role): Probe => ({
              label: `disabled ${role}`,
              headers: bearer(disabled[role]!.key),
              status: 403,
              code: "agent_disabled",
            }),
          ),
          ...ROLES.filter((r) => !allowed.includes(r)).map(
            (role): Probe => ({
              label: `${role} (not allowed)`,
              headers: bearer(active[role]!.key),
              status: 403,
              code: "wrong_role",
            }),
          ),
        );
        const adminToo = op.auth.kind === "roles" && op.auth.admin;
        if (adminToo) {
          list.push(
            { label: "expired session", headers: adminHeader(expired), status: 401, code: "invalid_session" },
            { label: "unknown session", headers: adminHeader(randomHex(32)), status: 401, code: "invalid_session" },
            // The header sent decides: an admin header is judged as an admin session, whatever else comes along.
            {
              label: "expired session + a valid key",
              headers: { ...adminHeader(expired), ...bearer(active[allowed[0]!]!.key) },
              status: 401,
              code: "invalid_session",
            },
          );
        } else {
          list.push({
            label: "admin session on an agent operation",
            headers: adminHeader(admin),
            status: 401,
            code: "missing_credentials",
          });
        }
      }
      for (const probe of list) {
        probes++;
        const init = op.method === "GET" || op.method === "DELETE" ? {} : { body: {} };
        const res = await send(op.method, fill(op.path), { headers: probe.headers, ...init });
        if (res.status !== probe.status || res.body?.code !== probe.code) {
          failures.push(
            `${op.method} ${op.path} [${probe.label}] → ${res.status} ${res.text.slice(0, 120)}; expected ${probe.status} ${probe.code}`,
          );
        }
      }
    }
    // Endpoints outside the document's defineRoute operations: the MCP endpoint (agent key) and the
    // admin's live socket (the session as a WebSocket subprotocol).
    const upgrade = (protocols: string) => ({ upgrade: "websocket", "sec-websocket-protocol": protocols });
    const extra: [string, string, Record<string, string>, number, string][] = [
      ["POST", "/mcp", {}, 401, "missing_credentials"],
      ["POST", "/mcp", bearer(wrongKey), 401, "invalid_api_key"],
      ["POST", "/mcp", { authorization: "Token abc" }, 401, "bad_credentials"],
      ["POST", "/mcp", bearer(disabled.executor!.key), 403, "agent_disabled"],
      ["POST", "/mcp", adminHeader(admin), 401, "missing_credentials"],
      ["GET", "/api/admin/live", upgrade("openmoss.v1"), 401, "missing_credentials"],
      ["GET", "/api/admin/live", upgrade(`openmoss.v1, token.${expired}`), 401, "invalid_session"],
      ["GET", "/api/admin/live", upgrade(`openmoss.v1, token.${randomHex(32)}`), 401, "invalid_session"],
      [
        "GET",
        "/api/admin/live",
        { ...upgrade("openmoss.v1"), ...adminHeader(admin), ...bearer(active.planner!.key) },
        401,
        "missing_credentials",
      ],
    ];
    for (const [method, path, headers, status, code] of extra) {
      probes++;
      const res = await send(method, path, {
        headers,
        ...(method === "POST" ? { body: { jsonrpc: "2.0", id: 1, method: "tools/list" } } : {}),
      });
      if (res.status !== status || res.body?.code !== code)
        failures.push(
          `${method} ${path} ${JSON.stringify(headers).slice(0, 80)} → ${res.status} ${res.text.slice(0, 120)}; expected ${status} ${code}`,
        );
    }

    expect(failures).toEqual([]);
    expect(probes).toBeGreaterThan(ops.length * 5);
    expect(await fullSnapshot()).toEqual(before);
  });

  it("another executor cannot start, re-session or submit a sub-task it does not hold (403 not_owner), and nothing changes", async () => {
    await initialize();
    const planner = await register("planner");
    const owner = await register("executor");
    const other = await register("executor");
    const task = await send("POST", "/api/tasks", { headers: bearer(planner.key), body: { name: "T" } });
    const st = await send("POST", "/api/sub-tasks", {
      headers: bearer(planner.key),
      body: { task_id: task.body.id, name: "S" },
    });
    expect(st.status).toBe(200);
    const id = st.body.id as string;
    expect((await send("POST", `/api/sub-tasks/${id}/claim`, { headers: bearer(owner.key) })).status).toBe(200);

    const attempt = async (op: string, body: unknown = {}) => {
      const before = await fullSnapshot();
      const res = await send("POST", `/api/sub-tasks/${id}/${op}`, { headers: bearer(other.key), body });
      expect(res.status, op).toBe(403);
      expect(res.body.code, op).toBe("not_owner");
      expect(await fullSnapshot()).toEqual(before);
    };
    await attempt("start", { session_id: "intruder" }); // assigned
    expect(
      (await send("POST", `/api/sub-tasks/${id}/start`, { headers: bearer(owner.key), body: { session_id: "mine" } }))
        .status,
    ).toBe(200);
    await attempt("session", { session_id: "intruder" }); // in progress
    await attempt("submit");
    // The owner still can.
    const submitted = await send("POST", `/api/sub-tasks/${id}/submit`, { headers: bearer(owner.key) });
    expect(submitted.status).toBe(200);
    expect(submitted.body.status).toBe("review");
  });
});

// ---------------------------------------------------------------------------------------------------

describe("brute force", () => {
  const loginWith = (password: string, ip?: string) =>
    send("POST", "/api/admin/login", { body: { password }, headers: ip ? { "cf-connecting-ip": ip } : {} });
  /** Lets the lock and the window of every throttled client run out, as 15 minutes would. */
  const timePasses = () =>
    env.DB.prepare(
      "update auth_throttle set locked_until = '2000-01-01T00:00:00.000Z', window_started_at = '2000-01-01T00:00:00.000Z'",
    ).run();

  it("login: once locked, even the right password is refused until the lock ends; then it works and the count starts over", async () => {
    await initialize();
    const sessions = () => env.DB.prepare("select count(*) n from admin_session").first<{ n: number }>();
    const sessionsBefore = await sessions();
    for (let i = 0; i < 5; i++) expect((await loginWith("wrong-password")).status).toBe(403);
    const locked = await loginWith("wrong-password");
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe("too_many_attempts");
    for (let i = 0; i < 3; i++) expect((await loginWith(ADMIN_PASSWORD)).status).toBe(429);
    expect(await sessions()).toEqual(sessionsBefore);

    await timePasses();
    const ok = await loginWith(ADMIN_PASSWORD);
    expect(ok.status).toBe(200);
    expect(ok.body.token).toMatch(/^[0-9a-f]{64}$/);
    // A fresh window: five more failures before the next lock.
    for (let i = 0; i < 5; i++) expect((await loginWith("wrong-password")).status).toBe(403);
    expect((await loginWith("wrong-password")).status).toBe(429);
  });

  it("login: the lock is per client address; another client still logs in", async () => {
    await initialize();
    for (let i = 0; i < 6; i++) await loginWith("wrong-password", "203.0.113.7");
    expect((await loginWith(ADMIN_PASSWORD, "203.0.113.7")).status).toBe(429);
    expect((await loginWith(ADMIN_PASSWORD, "198.51.100.2")).status).toBe(200);
  });

  it("a lock earned by guessing the old password on a password change also refuses logins", async () => {
    const admin = await initialize();
    for (let i = 0; i < 6; i++)
      await send("PUT", "/api/admin/config/password", {
        headers: adminHeader(admin),
        body: { old_password: "guess-guess", new_password: "whatever1" },
      });
    expect((await loginWith(ADMIN_PASSWORD)).status).toBe(429);
    const change = await send("PUT", "/api/admin/config/password", {
      headers: adminHeader(admin),
      body: { old_password: ADMIN_PASSWORD, new_password: "whatever1" },
    });
    expect(change.status).toBe(429);
    expect((await loginWith("whatever1")).status).toBe(429); // the password did not change
    await timePasses();
    expect((await loginWith(ADMIN_PASSWORD)).status).toBe(200);
  });

  it("registration: once locked, even the right token is refused until the lock ends, and no agent is created", async () => {
    await initialize();
    const registerWith = (token: string, name: string) =>
      send("POST", "/api/agents/register", {
        headers: { "x-registration-token": token },
        body: { name, role: "executor" },
      });
    for (let i = 0; i < 10; i++) expect((await registerWith(`guess-${i}`, `g${i}`)).status).toBe(403);
    expect((await registerWith("guess-10", "g10")).status).toBe(429);
    const refused = await registerWith(REGISTRATION_TOKEN, "legit");
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe("too_many_attempts");
    expect(await env.DB.prepare("select count(*) n from agent").first<{ n: number }>()).toEqual({ n: 0 });
    await timePasses();
    const ok = await registerWith(REGISTRATION_TOKEN, "legit");
    expect(ok.status).toBe(200);
    expect(ok.body.api_key).toMatch(/^ak_[0-9a-f]{32}$/);
  });
});

// ---------------------------------------------------------------------------------------------------

describe("no secrets at rest or in logs", () => {
  const logged: string[] = [];
  beforeEach(() => {
    logged.length = 0;
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      const original = console[level].bind(console);
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        logged.push(
          args
            .map((a) =>
              a instanceof Error ? `${a.name} ${a.message} ${a.stack}` : typeof a === "string" ? a : JSON.stringify(a),
            )
            .join(" "),
        );
        original(...args);
      });
    }
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("a flow using every kind of secret leaves none in D1 (hashes only), the request log or the console", async () => {
    const password1 = `pw1-${randomHex(12)}`;
    const password2 = `pw2-${randomHex(12)}`;
    const wrongPassword = `wrong-${randomHex(12)}`;
    const registrationToken = `reg-${randomHex(16)}`;
    const registrationToken2 = `reg2-${randomHex(16)}`;
    const secrets: Record<string, string> = {
      setupToken: SETUP_TOKEN,
      pepper: env.PASSWORD_PEPPER!,
      password1,
      password2,
      wrongPassword,
      registrationToken,
      registrationToken2,
    };

    // Setup, with a wrong setup token first.
    expect(
      (
        await send("POST", "/api/setup/initialize", {
          headers: { "x-setup-token": `x${SETUP_TOKEN}` },
          body: { admin_password: password1, project_name: "P", workspace_root: "/ws" },
        })
      ).status,
    ).toBe(403);
    const init = await send("POST", "/api/setup/initialize", {
      headers: { "x-setup-token": SETUP_TOKEN },
      body: {
        admin_password: password1,
        project_name: "P",
        workspace_root: "/ws",
        registration_token: registrationToken,
        registration_roles: ALL_ROLES,
      },
    });
    expect(init.status).toBe(200);

    // Logins: a wrong one, two right ones; one session is logged out, the password change ends the other.
    expect((await send("POST", "/api/admin/login", { body: { password: wrongPassword } })).status).toBe(403);
    const session1 = (await send("POST", "/api/admin/login", { body: { password: password1 } })).body.token as string;
    const session2 = (await send("POST", "/api/admin/login", { body: { password: password1 } })).body.token as string;
    secrets.session1 = session1;
    secrets.session2 = session2;
    expect((await send("POST", "/api/admin/logout", { headers: adminHeader(session1) })).status).toBe(200);
    expect(
      (
        await send("PUT", "/api/admin/config/password", {
          headers: adminHeader(session2),
          body: { old_password: wrongPassword, new_password: password2 },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await send("PUT", "/api/admin/config/password", {
          headers: adminHeader(session2),
          body: { old_password: password1, new_password: password2 },
        })
      ).status,
    ).toBe(200);
    const session3 = (await send("POST", "/api/admin/login", { body: { password: password2 } })).body.token as string;
    secrets.session3 = session3;
    expect(session3).toMatch(/^[0-9a-f]{64}$/);

    // Agents: self-registered (planner, executor, reviewer), one created by the admin, one key reset.
    const registerAs = async (role: string, token = registrationToken) => {
      const res = await send("POST", "/api/agents/register", {
        headers: { "x-registration-token": token },
        body: { name: `${role}-${randomHex(3)}`, role },
      });
      expect(res.status).toBe(200);
      return res.body as { id: string; api_key: string };
    };
    const planner = await registerAs("planner");
    const executor = await registerAs("executor");
    const reviewer = await registerAs("reviewer");
    const created = await send("POST", "/api/admin/agents", {
      headers: adminHeader(session3),
      body: { name: "made-by-admin", role: "patrol" },
    });
    expect(created.status).toBe(200);
    const reset = await send("POST", `/api/admin/agents/${executor.id}/reset-key`, { headers: adminHeader(session3) });
    expect(reset.status).toBe(200);
    Object.assign(secrets, {
      plannerKey: planner.api_key,
      executorOldKey: executor.api_key,
      reviewerKey: reviewer.api_key,
      patrolKey: created.body.api_key as string,
      executorKey: reset.body.new_api_key as string,
    });
    for (const k of ["plannerKey", "executorOldKey", "reviewerKey", "patrolKey", "executorKey"])
      expect(secrets[k]).toMatch(/^ak_[0-9a-f]{32}$/);

    // The registration token is changed by the admin; the new one registers an agent.
    expect(
      (
        await send("PUT", "/api/admin/config", {
          headers: adminHeader(session3),
          body: { agent: { registration_token: registrationToken2 } },
        })
      ).status,
    ).toBe(200);
    secrets.lateKey = (await registerAs("executor", registrationToken2)).api_key;

    // Agent work that lands in the request log, with secrets where a careless agent might put them:
    // in fields named like secrets (body and query), and an Idempotency-Key (not a secret).
    const planned = await send("POST", "/api/tasks", {
      headers: { ...bearer(planner.api_key), "idempotency-key": "idem-visible-1" },
      body: {
        name: "T",
        description: "d",
        password: password2,
        api_key: secrets.executorKey,
        nested: { token: registrationToken2, client_secret: session3 },
      },
    });
    expect(planned.status).toBe(200);
    const st = await send("POST", "/api/sub-tasks", {
      headers: bearer(planner.api_key),
      body: { task_id: planned.body.id, name: "S" },
    });
    expect(
      (await send("POST", `/api/sub-tasks/${st.body.id}/claim`, { headers: bearer(secrets.executorKey!) })).status,
    ).toBe(200);
    expect((await send("GET", "/api/sub-tasks/mine", { headers: bearer(secrets.executorKey!) })).status).toBe(200);
    expect((await send("GET", "/api/rules", { headers: bearer(reviewer.api_key) })).status).toBe(200);
    const withQuery = await send(
      "GET",
      `/api/logs/mine?token=${registrationToken2}&api_key=${secrets.executorKey}&password=${password2}`,
      { headers: bearer(secrets.executorKey!) },
    );
    expect(withQuery.status).toBeLessThan(500);
    // Downloads that embed the caller's key in their body.
    const skill = await send("GET", "/api/agents/me/skill", { headers: bearer(secrets.executorKey!) });
    expect(skill.text).toContain(secrets.executorKey!);
    expect((await send("GET", "/api/agents/me/skill-bundle", { headers: bearer(secrets.executorKey!) })).status).toBe(
      200,
    );
    // Failed agent auth with the old (reset) key and a disabled agent.
    expect((await send("GET", "/api/agents", { headers: bearer(secrets.executorOldKey!) })).status).toBe(401);

    // The cron: its JSON line proves the console spy sees what the Worker logs.
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "* * * * *" }), env);
    expect(logged.some((line) => line.startsWith('{"cron":'))).toBe(true);

    // 1. D1: no secret in any column of any table, except the registration token in its setting
    //    (the admin reads it back to hand it to agents; docs/security.md).
    const snapshot = await fullSnapshot();
    expect(Object.keys(snapshot).length).toBeGreaterThanOrEqual(12);
    const found: string[] = [];
    const hashesSeen = new Set<string>();
    const keyHashes = await Promise.all(
      ["plannerKey", "reviewerKey", "patrolKey", "executorKey", "lateKey"].map((k) => sha256Hex(secrets[k]!)),
    );
    for (const [table, rows] of Object.entries(snapshot)) {
      for (const row of rows as Record<string, unknown>[]) {
        for (const [column, value] of Object.entries(row)) {
          const text = value === null ? "" : String(value);
          for (const h of keyHashes) if (text.includes(h)) hashesSeen.add(h);
          for (const [name, secret] of Object.entries(secrets)) {
            if (!text.includes(secret)) continue;
            const byDesign =
              table === "setting" &&
              row.key === "agent.registration_token" &&
              column === "value" &&
              name === "registrationToken2";
            if (!byDesign) found.push(`${table}.${column} holds ${name}`);
          }
        }
      }
    }
    expect(found).toEqual([]);
    // The scan reads every column: it finds the SHA-256 of every live key (agent.api_key_hash).
    expect(hashesSeen.size).toBe(keyHashes.length);
    const stored = await env.DB.prepare("select value from setting where key = 'admin.password_hash'").first<{
      value: string;
    }>();
    expect(JSON.parse(stored!.value)).toMatch(/^pbkdf2-sha256-p\$10000\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    expect(
      await env.DB.prepare("select count(*) n from admin_session where token_hash = ?")
        .bind(await sha256Hex(session3))
        .first<{ n: number }>(),
    ).toEqual({ n: 1 });

    // 2. The request log: written (the agent calls above), redacted.
    const requestLog = snapshot.request_log as { path: string; request_body: string | null }[];
    expect(requestLog.length).toBeGreaterThanOrEqual(6);
    const taskRow = requestLog.find((r) => r.path === "/api/tasks");
    expect(JSON.parse(taskRow!.request_body!)).toEqual({
      name: "T",
      description: "d",
      password: "[redacted]",
      api_key: "[redacted]",
      nested: { token: "[redacted]", client_secret: "[redacted]" },
    });
    const queryRow = requestLog.find((r) => r.path === "/api/logs/mine");
    expect(JSON.parse(queryRow!.request_body!)).toEqual({
      token: "[redacted]",
      api_key: "[redacted]",
      password: "[redacted]",
    });

    // 3. The console: nothing the flow logged holds a secret.
    expect(logged.length).toBeGreaterThanOrEqual(1);
    for (const [name, secret] of Object.entries(secrets)) {
      expect(
        logged.filter((line) => line.includes(secret)),
        `console lines holding ${name}`,
      ).toEqual([]);
    }
  });
});
