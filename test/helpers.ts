// Test helpers: every call goes through the Worker's real fetch handler (HTTP → Worker → DO → D1).
import { env, exports } from "cloudflare:workers";
import type { Role } from "../contract/vocabulary";
import { agentBucketKey } from "../worker/auth/rate-limit";
import { createAgent } from "../worker/db/agents";
import { getDb } from "../worker/db/client";
import { readSettings, type Settings } from "../worker/db/settings";
import { recordedFixture } from "./fixture-seed";
import { appTables } from "./tables";

export const SETUP_TOKEN = "test-setup-token";
export const ADMIN_PASSWORD = "correct horse battery";
export const REGISTRATION_TOKEN = "reg-token-for-tests";

export interface CallOptions {
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  key?: string;
  admin?: string;
  query?: Record<string, string | number | undefined>;
}

export interface CallResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls the Worker like a remote client would. `key` sends `Authorization: Bearer`, `admin` sends `X-Admin-Token`. */
export async function call<T = any>(method: string, path: string, opts: CallOptions = {}): Promise<CallResult<T>> {
  const url = new URL(path, "http://openmoss.test");
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  if (opts.admin) headers["x-admin-token"] = opts.admin;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined && !headers["content-type"]) headers["content-type"] = "application/json";
  const res = await exports.default.fetch(new Request(url, { method, headers, body }));
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep text
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** The body of a fixture call that must succeed (200/201); throws with the answer otherwise. */
export async function ok<T = any>(res: Promise<CallResult<T>> | CallResult<T>): Promise<T> {
  const r = await res;
  if (r.status !== 200 && r.status !== 201)
    throw new Error(`fixture call failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Every role: fixtures register agents of any role with the global token (new installs allow executor only). */
export const ALL_ROLES = ["planner", "executor", "reviewer", "patrol"] as const;
/** Fixture registrations per hour and token: far above what one test registers (the default is 20). */
export const FIXTURE_REGISTRATIONS_PER_HOUR = 10_000;

/**
 * Runs the setup wizard once and logs in; returns the admin token. The registration rate is raised
 * in D1 directly, so no test sees an extra settings.update row in its audit log. The wizard's and the
 * login's rows are recorded once per pool worker and replayed in one batch after that (fixture-seed.ts).
 */
export function initialize(): Promise<string> {
  return recordedFixture("initialize", runSetupWizard);
}

async function runSetupWizard(): Promise<string> {
  const init = await call("POST", "/api/setup/initialize", {
    headers: { "x-setup-token": SETUP_TOKEN },
    body: {
      admin_password: ADMIN_PASSWORD,
      project_name: "Test Project",
      workspace_root: "/ws",
      registration_token: REGISTRATION_TOKEN,
      registration_roles: ALL_ROLES,
    },
  });
  if (init.status !== 200) throw new Error(`setup failed: ${init.status} ${JSON.stringify(init.body)}`);
  await env.DB.prepare(
    "insert or replace into setting (key, value, updated_at) values ('agent.registrations_per_hour', ?, ?)",
  )
    .bind(JSON.stringify(FIXTURE_REGISTRATIONS_PER_HOUR), new Date().toISOString())
    .run();
  return login();
}

export async function login(): Promise<string> {
  const res = await call("POST", "/api/admin/login", { body: { password: ADMIN_PASSWORD } });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

export interface TestAgent {
  id: string;
  name: string;
  role: string;
  key: string;
}

let agentCounter = 0;
/** Every role, an admin session and a task with a module: what the suites that drive every operation start from. */
export interface World {
  admin: string;
  planner: TestAgent;
  exec: TestAgent;
  exec2: TestAgent;
  reviewer: TestAgent;
  patrol: TestAgent;
  taskId: string;
  moduleId: string;
}

/**
 * A new agent with a working key. While the wizard's registration settings are in place (initialize()),
 * the agent row is written with the Worker's own createAgent (key hash, name key): what the route
 * writes after its token, throttle and rate checks, without the request. Anything else goes through
 * the API. Tests of registration itself call the API (call("POST", "/api/agents/register", …)).
 */
export async function register(
  role: "planner" | "executor" | "reviewer" | "patrol",
  name?: string,
): Promise<TestAgent> {
  const agentName = name ?? `${role}-${++agentCounter}-${crypto.randomUUID().slice(0, 6)}`;
  const body = { name: agentName, role, description: `${role} for tests` };
  const db = getDb(env.DB);
  if (fixtureRegistrationOpen(await readSettings(db), role)) {
    const created = await createAgent(db, body);
    return { id: created.id, name: agentName, role, key: created.api_key };
  }
  const res = await call("POST", "/api/agents/register", {
    headers: { "x-registration-token": REGISTRATION_TOKEN },
    body,
  });
  if (res.status !== 200) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, name: agentName, role, key: res.body.api_key };
}

/** The route would take REGISTRATION_TOKEN for `role` without refusing or rate-limiting: initialize()'s settings. */
const fixtureRegistrationOpen = (settings: Settings, role: Role): boolean =>
  settings["agent.allow_registration"] &&
  settings["agent.registration_token"] === REGISTRATION_TOKEN &&
  settings["agent.registration_roles"].includes(role) &&
  settings["agent.registrations_per_hour"] === FIXTURE_REGISTRATIONS_PER_HOUR;

/**
 * The query for one table's rows in a before/after snapshot that proves a refused request changed
 * nothing. Agents' rate-limit buckets are left out: every authenticated call, refused or not, takes
 * a token from its agent's bucket by design (worker/auth/rate-limit.ts).
 */
export const snapshotQuery = (table: string): string =>
  `select * from "${table}"${table === "rate_bucket" ? ` where key not like '${agentBucketKey("")}%'` : ""} order by rowid`;

/**
 * Every row of every table but `except` (agents' rate-limit buckets aside, see snapshotQuery), read
 * in one D1 batch, to prove a refused request changed nothing. The table list is read once per file.
 */
export async function snapshotAllTables(except: readonly string[] = []): Promise<Record<string, unknown[]>> {
  const tables = (await appTables()).filter((t) => !except.includes(t));
  const results = await env.DB.batch(tables.map((t) => env.DB.prepare(snapshotQuery(t))));
  return Object.fromEntries(tables.map((t, i) => [t, results[i]!.results]));
}

/** A snapshot of every table's rows, to prove a rejected request changed nothing. */
export async function dbSnapshot(): Promise<Record<string, unknown[]>> {
  const tables = [
    "agent",
    "task",
    "module",
    "sub_task",
    "sub_task_event",
    "rule",
    "activity_log",
    "review_record",
    "reward_log",
    "patrol_record",
    "setting",
    "admin_session",
  ];
  const out: Record<string, unknown[]> = {};
  for (const t of tables) out[t] = (await env.DB.prepare(`select * from ${t} order by rowid`).all()).results;
  return out;
}

/** Inserts an active task with one pending sub-task straight into D1; returns the sub-task id. */
export async function insertSubTask(): Promise<string> {
  const now = new Date().toISOString();
  const taskId = crypto.randomUUID();
  const subTaskId = crypto.randomUUID();
  await env.DB.batch([
    env.DB.prepare(
      "insert into task (id, name, description, type, status, created_at, updated_at) values (?, 'T', '', 'once', 'active', ?, ?)",
    ).bind(taskId, now, now),
    env.DB.prepare(
      "insert into sub_task (id, task_id, name, status, priority, type, created_at, updated_at) values (?, ?, 'S', 'pending', 'medium', 'once', ?, ?)",
    ).bind(subTaskId, taskId, now, now),
  ]);
  return subTaskId;
}

export { env };

/**
 * Rows written after a response (the request log: a batch per isolate at most 200 ms apart, see
 * worker/lib/request-log.ts): runs `read` until `done` holds, for up to 3 s, and returns the last value.
 */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let i = 0; i < 150 && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 20));
    value = await read();
  }
  return value;
}
