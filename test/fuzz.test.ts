// Property-based fuzzing of every operation in the OpenAPI document (fast-check): arbitrary bodies,
// queries, path parameters and headers, sent with the right credentials and with random or missing
// ones, through the Worker's real fetch handler (HTTP → Worker → DO → D1). For every request:
//   - the status is never 5xx;
//   - every non-2xx answer is JSON `{detail: string, code: string}`;
//   - a 4xx leaves the database exactly as it was (every table but request_log, which records agent
//     calls by design; failed secret checks may count in auth_throttle, a request carrying an
//     Idempotency-Key may store its answer under that key, and every authenticated agent call takes a
//     token from that agent's rate-limit bucket).
// A 2xx is allowed (random input may be valid). Operations come from /api/openapi.json, so a new
// endpoint is fuzzed without touching this file.
//
// Reproducible: each operation has its own fixed seed. A failure prints the seed, the shrink path and
// the counterexample; to replay one, put them into REPLAY below.
import { exports } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { agentBucketKey } from "../worker/auth/rate-limit";
import { MAX_BODY_BYTES } from "../worker/lib/body";
import { upload } from "./file-fixtures";
import {
  type Body,
  type Creds,
  type FuzzRequest,
  jsonText,
  type Op,
  type OpenApiDoc,
  operations,
  POOLS,
  type Pool,
  type Ref,
  ROLES,
  type Role,
  requestArb,
} from "./fuzz-arbitraries";
import { call, env, initialize, ok, REGISTRATION_TOKEN, register, SETUP_TOKEN, type TestAgent } from "./helpers";
import { insertRetro, pattern } from "./retro-rows";
import { appTables, emptyDatabase } from "./tables";

/** Runs per operation: ~125 operations × 25 runs stays well within a minute on 2 cores. */
const RUNS = 25;
const BASE_SEED = 20_260_504;
/** The document listed 125 operations when this was written; fewer means routes went missing. */
const MIN_OPERATIONS = 125;
/**
 * To replay a failure, copy seed and path from its message here, with the key of the failing test: an
 * operation ("POST /api/tasks"), "sequences" or "oversized". Only that test then runs.
 */
const REPLAY = undefined as { key: string; seed: number; path: string } | undefined;
const fcParams = (key: string, numRuns: number) =>
  REPLAY?.key === key ? { seed: REPLAY.seed, path: REPLAY.path, numRuns } : { seed: seedFor(key), numRuns };
const skipped = (key: string) => REPLAY !== undefined && REPLAY.key !== key;

const BASE = "http://openmoss.test";

// ---------------------------------------------------------------------------------------------
// The document (read once, at collection, so every operation gets its own test)
// ---------------------------------------------------------------------------------------------

const docResponse = await exports.default.fetch(new Request(`${BASE}/api/openapi.json`));
if (docResponse.status !== 200) throw new Error(`GET /api/openapi.json → ${docResponse.status}`);
const doc = (await docResponse.json()) as OpenApiDoc;
const OPS: Op[] = operations(doc);

function seedFor(key: string): number {
  let h = BASE_SEED;
  for (let i = 0; i < key.length; i++) h = (Math.imul(h, 31) + key.charCodeAt(i)) | 0;
  return h;
}

// ---------------------------------------------------------------------------------------------
// The world: every role, a task with a module, sub-tasks in several states, reviews, a patrol
// record, rules, a custom prompt, a webhook channel, an open public feed. Built through the API once,
// then copied back into D1 before each test (and whenever a fuzzed request broke a credential the
// fuzzer relies on), which is much cheaper than 125 rebuilds with two password hashes each.
// ---------------------------------------------------------------------------------------------

interface World {
  admin: string;
  agents: (TestAgent & { disabled?: boolean })[];
  pools: Record<Pool, string[]>;
}

let world: World;
let tables: string[];
let dump: Record<string, Record<string, unknown>[]>;
/** The credential-bearing rows right after a restore; when they change, the world is restored. */
let credentialBaseline: string;

async function buildWorld(): Promise<World> {
  const admin = await initialize();
  const planner = await register("planner");
  const exec = await register("executor");
  const exec2 = await register("executor");
  const reviewer = await register("reviewer");
  const patrol = await register("patrol");
  const retired = await register("executor");
  await ok(call("PUT", `/api/agents/${retired.id}/status`, { admin, body: { status: "disabled" } }));
  await ok(
    call("PUT", "/api/admin/config", {
      admin,
      // The feed is public so its routes reach validation; a closed local port as the test channel.
      body: {
        webui: { public_feed: true },
        notification: { webhooks: [{ id: "local", name: "local", type: "slack", url: "http://127.0.0.1:9/hook" }] },
      },
    }),
  );
  const task = await ok(call("POST", "/api/tasks", { key: planner.key, body: { name: "fuzz task" } }));
  const mod = await ok(
    call("POST", `/api/tasks/${task.id}/modules`, { key: planner.key, body: { name: "fuzz module" } }),
  );
  const subTasks: Record<string, string> = {};
  const reviews: string[] = [];
  for (const state of ["pending", "assigned", "in_progress", "review", "blocked", "done", "rework"] as const) {
    const st = await ok(
      call("POST", "/api/sub-tasks", {
        key: planner.key,
        body: { task_id: task.id, module_id: mod.id, name: `st-${state}` },
      }),
    );
    subTasks[state] = st.id;
    const step = (op: string, key: string) => ok(call("POST", `/api/sub-tasks/${st.id}/${op}`, { key, body: {} }));
    if (state === "pending") continue;
    await step("claim", exec.key);
    if (state === "blocked") await step("block", patrol.key);
    if (state === "assigned" || state === "blocked") continue;
    await step("start", exec.key);
    if (state === "in_progress") continue;
    await step("submit", exec.key);
    if (state === "review") continue;
    const review = await ok(
      call("POST", "/api/review-records", {
        key: reviewer.key,
        body:
          state === "done"
            ? { sub_task_id: st.id, result: "approved", score: 5, comment: "fine" }
            : { sub_task_id: st.id, result: "rejected", score: 2, issues: "redo" },
      }),
    );
    reviews.push(review.id);
  }
  await ok(
    call("PUT", `/api/sub-tasks/${subTasks.pending}/dependencies`, {
      key: planner.key,
      body: { depends_on: [subTasks.in_progress] },
    }),
  );
  const patrolRecord = await ok(
    call("POST", "/api/patrol/records", {
      key: patrol.key,
      body: { type: "stuck", severity: "warning", sub_task_id: subTasks.assigned, description: "no progress" },
    }),
  );
  await ok(call("POST", "/api/rules", { admin, body: { scope: "task", content: "task rule", task_id: task.id } }));
  await ok(
    call("POST", "/api/logs", {
      key: exec.key,
      body: { action: "coding", summary: "working", sub_task_id: subTasks.in_progress },
    }),
  );
  await ok(
    call("POST", "/api/admin/scores/adjust", { admin, body: { agent_id: exec.id, score_delta: 3, reason: "fixture" } }),
  );
  await ok(
    call("POST", "/api/admin/prompts/agents", {
      admin,
      body: { slug: "qa-lead", name: "QA lead", role: "executor", content: "You test." },
    }),
  );
  const enrollment = await ok(
    call("POST", "/api/admin/enrollment-tokens", { admin, body: { role: "executor", label: "fuzz" } }),
  );
  // A team retrospective with two findings, and an executor's own (retrospectives have no create route).
  const patterns = [pattern("sources missing", 3, task.id), pattern("no tests", 2, task.id)];
  const teamRetro = await insertRetro({ periodKey: "day:2026-12-04", scope: "team", patterns });
  const ownRetro = await insertRetro({ periodKey: "day:2026-12-04", scope: "agent", agentId: exec.id });
  // A file on the sub-task in progress (held by exec), for {file_id}.
  const file = await ok(upload(exec.key, subTasks.in_progress!, "fuzz.txt", "fuzz"));
  const rules = await ok(call("GET", "/api/rules/list", { admin }));
  const prompts = await ok(call("GET", "/api/admin/prompts/agents", { admin }));

  const agents = [planner, exec, exec2, reviewer, patrol, { ...retired, disabled: true }];
  const ruleIds = collectIds(rules);
  const slugs = collect(prompts, "slug");
  expect(ruleIds.length, "rules in the world").toBeGreaterThanOrEqual(2);
  expect(slugs, "prompt slugs in the world").toContain("executor-qa-lead");
  return {
    admin,
    agents,
    pools: {
      agent: agents.map((a) => a.id),
      task: [task.id],
      module: [mod.id],
      subTask: Object.values(subTasks),
      review: reviews,
      patrolRecord: [patrolRecord.id],
      rule: ruleIds,
      slug: slugs,
      role: [...ROLES],
      channel: ["local"],
      name: [...agents.map((a) => a.name), "fuzz task"],
      sessionId: ["s-1", "s-2"],
      enrollmentToken: [enrollment.id],
      retrospective: [teamRetro, ownRetro],
      finding: ["f1", "f2"],
      file: [file.id],
    },
  };
}

/** Every `id` in a JSON response (rules come back grouped). */
function collectIds(body: unknown): string[] {
  return collect(body, "id");
}

function collect(body: unknown, field: string): string[] {
  const out = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const value = (v as Record<string, unknown>)[field];
      if (typeof value === "string") out.add(value);
      Object.values(v).forEach(walk);
    }
  };
  walk(body);
  return [...out];
}

async function readAll(names: string[]): Promise<Record<string, Record<string, unknown>[]>> {
  const results = await env.DB.batch(names.map((t) => env.DB.prepare(`select * from "${t}" order by rowid`)));
  return Object.fromEntries(names.map((t, i) => [t, results[i]!.results as Record<string, unknown>[]]));
}

async function restoreWorld(): Promise<void> {
  const statements = tables.map((t) => env.DB.prepare(`delete from "${t}"`));
  for (const [t, rows] of Object.entries(dump)) {
    for (const row of rows) {
      const cols = Object.keys(row);
      statements.push(
        env.DB.prepare(
          `insert into "${t}" (${cols.map((c) => `"${c}"`).join(", ")}) values (${cols.map(() => "?").join(", ")})`,
        ).bind(...cols.map((c) => row[c])),
      );
    }
  }
  await env.DB.batch(statements);
  snapshotCache = undefined;
  credentialBaseline = credentialRows(await snapshot());
}

/** The rows the fuzzer's credentials depend on: its agents, its admin session, the secrets. */
function credentialRows(snap: Snapshot): string {
  const ids = new Set(world.agents.map((a) => a.id));
  return JSON.stringify([
    rowsOf(snap, "agent")
      .filter((a) => ids.has(a.id as string))
      .map((a) => [a.id, a.role, a.status, a.api_key_hash]),
    rowsOf(snap, "admin_session").map((s) => s.token_hash),
    rowsOf(snap, "setting").filter((s) =>
      [
        "agent.registration_token",
        "agent.allow_registration",
        "admin.password_hash",
        "setup.initialized",
        "webui.public_feed",
      ].includes(s.key as string),
    ),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Database fingerprints
// ---------------------------------------------------------------------------------------------

/** Each watched table's rows as one JSON text, read with a single query (cheap enough per request). */
type Snapshot = Record<string, string>;
/** Written for every agent call, answered or refused, after the response (waitUntil): by design. */
const UNWATCHED = new Set(["request_log"]);
/** Agents' rate-limit buckets: every authenticated call, refused or not, takes a token by design. */
const AGENT_BUCKET_PREFIX = agentBucketKey("");
/** Answers to a failed secret check, which count toward the lockout by design. */
const THROTTLE_CODES = new Set(["wrong_password", "invalid_registration_token", "too_many_attempts"]);

let snapshotCache: Snapshot | undefined;
let snapshotSql: string | undefined;

async function snapshot(): Promise<Snapshot> {
  if (snapshotSql === undefined) {
    const parts: string[] = [];
    for (const t of tables.filter((name) => !UNWATCHED.has(name))) {
      const { results } = await env.DB.prepare(`select name from pragma_table_info('${t}')`).all<{ name: string }>();
      const fields = results.map(({ name }) => `'${name}', "${name}"`).join(", ");
      parts.push(
        `(select json_group_array(json_object(${fields})) from (select * from "${t}" order by rowid)) as "${t}"`,
      );
    }
    snapshotSql = `select ${parts.join(", ")}`;
  }
  return (await env.DB.prepare(snapshotSql).first<Snapshot>())!;
}

const rowsOf = (snap: Snapshot, table: string): Record<string, unknown>[] =>
  JSON.parse(snap[table] ?? "[]") as Record<string, unknown>[];

/** The tables that differ, less the changes a refusal may make by design. */
function changedTables(
  before: Snapshot,
  after: Snapshot,
  allowed: { idempotencyKey?: string; code?: string },
): string[] {
  const changed: string[] = [];
  for (const t of Object.keys(after)) {
    if (before[t] === after[t]) continue;
    if (t === "auth_throttle" && allowed.code !== undefined && THROTTLE_CODES.has(allowed.code)) continue;
    if (t === "rate_bucket") {
      const others = (snap: Snapshot) =>
        JSON.stringify(rowsOf(snap, t).filter((r) => !String(r.key).startsWith(AGENT_BUCKET_PREFIX)));
      if (others(before) === others(after)) continue;
    }
    if (t === "idempotency_key" && allowed.idempotencyKey !== undefined) {
      const key = allowed.idempotencyKey.trim();
      const others = (snap: Snapshot) => JSON.stringify(rowsOf(snap, t).filter((r) => r.key !== key));
      if (others(before) === others(after)) continue;
    }
    changed.push(t);
  }
  return changed;
}

function rowDiff(before: Snapshot, after: Snapshot, table: string): string {
  const a = new Set(rowsOf(before, table).map((r) => JSON.stringify(r)));
  const b = new Set(rowsOf(after, table).map((r) => JSON.stringify(r)));
  const gone = [...a].filter((r) => !b.has(r));
  const added = [...b].filter((r) => !a.has(r));
  return `-${gone.join("\n-").slice(0, 600)}\n+${added.join("\n+").slice(0, 600)}`;
}

// ---------------------------------------------------------------------------------------------
// Turning a symbolic request into a real one
// ---------------------------------------------------------------------------------------------

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const encode = (s: string) => encodeURIComponent(s.replace(LONE_SURROGATE, "\uFFFD"));

function deref(r: Ref): string {
  const pool = world.pools[r.pool];
  return pool.length ? pool[r.i % pool.length]! : "none";
}

/** The credentials that the operation accepts; `i` picks one. */
function rightCredentials(op: Op, i: number): Record<string, string> {
  const active = world.agents.filter((a) => !a.disabled);
  const keyOf = (a: TestAgent) => ({ authorization: `Bearer ${a.key}` });
  let options: Record<string, string>[];
  switch (op.auth.kind) {
    case "public":
      options = [{ "x-registration-token": REGISTRATION_TOKEN, "x-setup-token": SETUP_TOKEN }];
      break;
    case "admin":
      options = [{ "x-admin-token": world.admin }];
      break;
    case "agent":
      options = active.map(keyOf);
      break;
    case "roles": {
      const roles = op.auth.roles;
      options = [
        ...(roles.includes("admin") ? [{ "x-admin-token": world.admin }] : []),
        ...active.filter((a) => roles.includes(a.role as Role)).map(keyOf),
      ];
    }
  }
  if (options.length === 0) throw new Error(`${op.key}: no credentials in the world for ${JSON.stringify(op.auth)}`);
  return options[i % options.length]!;
}

function credentialHeaders(op: Op, creds: Creds): Record<string, string> {
  if (creds.mode === "right") return rightCredentials(op, creds.i);
  if (creds.mode === "none") return {};
  const out: Record<string, string> = {};
  if (creds.authorization !== undefined) out.authorization = creds.authorization;
  if (creds.agentKey) {
    const agent = world.agents[creds.agentKey.i % world.agents.length]!;
    out.authorization = creds.agentKey.form.replaceAll("%s", agent.key);
  }
  if (creds.adminToken !== undefined) out["x-admin-token"] = creds.adminToken;
  return out;
}

interface Built {
  url: string;
  method: string;
  init: RequestInit;
  /** For failure messages. */
  describe: string;
}

function build(op: Op, req: FuzzRequest): Built {
  const method = req.method ?? op.method;
  let path = op.path;
  for (const p of op.pathParams) {
    const seg = req.segments[p.name]!;
    const text = "ref" in seg ? encode(deref(seg.ref)) : "encoded" in seg ? encode(seg.encoded) : seg.raw;
    path = path.replace(`{${p.name}}`, text);
  }
  const query = req.query.map(([k, v]) => `${encode(k)}=${encode("ref" in v ? deref(v.ref) : v.value)}`);
  if (req.rawQuery !== undefined) query.push(req.rawQuery);
  const url = `${BASE}${path}${query.length ? `?${query.join("&")}` : ""}`;

  const headers = new Headers(credentialHeaders(op, req.creds));
  let body: Uint8Array | undefined;
  let preview = "";
  // GET and HEAD requests cannot carry a body.
  const sent: Body = method === "GET" || method === "HEAD" ? { kind: "none" } : req.body;
  switch (sent.kind) {
    case "json": {
      const text = jsonText(sent.j, deref);
      body = new TextEncoder().encode(text);
      preview = text;
      break;
    }
    case "text":
      body = new TextEncoder().encode(sent.s);
      preview = JSON.stringify(sent.s);
      break;
    case "bytes":
      body = Uint8Array.from(sent.b);
      preview = `bytes[${sent.b.join(",")}]`;
      break;
    case "none":
      break;
  }
  if (req.contentType === undefined) {
    if (body !== undefined) headers.set("content-type", "application/json");
  } else if (req.contentType !== null) headers.set("content-type", req.contentType);
  if (req.idempotencyKey !== undefined) headers.set("idempotency-key", req.idempotencyKey);
  if (req.contentLength !== undefined) headers.set("content-length", req.contentLength);
  for (const [k, v] of req.extraHeaders) headers.append(k, v);

  const shownHeaders = [...headers]
    .map(([k, v]) => `${k}: ${v.length > 120 ? `${v.slice(0, 120)}…(${v.length})` : v}`)
    .join(" | ");
  const shownBody = preview.length > 400 ? `${preview.slice(0, 400)}…(${preview.length} chars)` : preview;
  return {
    url,
    method,
    init: { method, headers, ...(body !== undefined ? { body } : {}) },
    describe: `${method} ${url.length > 300 ? `${url.slice(0, 300)}…(${url.length})` : url}\n  headers: ${shownHeaders}\n  body: ${shownBody}`,
  };
}

// ---------------------------------------------------------------------------------------------
// The property
// ---------------------------------------------------------------------------------------------

interface Stats {
  statuses: Record<number, number>;
  /** Requests with the right credentials that got past authentication and authorization. */
  pastAuth: number;
}

async function checkOne(op: Op, req: FuzzRequest, stats: Stats): Promise<void> {
  const built = build(op, req);
  const before = snapshotCache ?? (await snapshot());
  const res = await exports.default.fetch(new Request(built.url, built.init));
  // A WebSocket route may answer 101 with a socket: close it, the upgrade itself is the success.
  if (res.webSocket) {
    res.webSocket.accept();
    res.webSocket.close(1000, "fuzz");
  }
  // Bytes, not text(): a zip (skill bundle) would make workerd warn about decoding a binary body.
  const text = res.status === 101 ? "" : new TextDecoder().decode(await res.arrayBuffer());
  const after = await snapshot();
  snapshotCache = after;
  stats.statuses[res.status] = (stats.statuses[res.status] ?? 0) + 1;
  if (req.creds.mode === "right" && res.status !== 401 && res.status !== 403) stats.pastAuth++;

  const where = `${built.describe}\n  → ${res.status} ${text.slice(0, 300)}`;
  if (res.status >= 500) throw new Error(`5xx:\n  ${where}`);
  const inApi =
    new URL(res.url || built.url).pathname.startsWith("/api/") && new URL(built.url).pathname.startsWith("/api/");
  let code: string | undefined;
  const success = (res.status >= 200 && res.status < 300) || (res.status === 101 && res.webSocket !== null);
  // A HEAD answer has no body to check.
  if (inApi && !success && built.method !== "HEAD") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`non-JSON error body:\n  ${where}`);
    }
    const p = parsed as { detail?: unknown; code?: unknown };
    if (typeof p?.detail !== "string" || typeof p?.code !== "string" || p.code === "")
      throw new Error(`error body is not {detail, code}:\n  ${where}`);
    if (!(res.headers.get("content-type") ?? "").includes("application/json"))
      throw new Error(`error without a JSON content type:\n  ${where}`);
    code = p.code;
  }
  if (res.status >= 400 && res.status < 500) {
    const changed = changedTables(before, after, { idempotencyKey: req.idempotencyKey, code });
    if (changed.length > 0) {
      throw new Error(
        `a ${res.status} changed ${changed.join(", ")}:\n  ${where}\n${changed.map((t) => `  ${t}:\n${rowDiff(before, after, t)}`).join("\n")}`,
      );
    }
  }
  // A success may have used up what the fuzzer needs (logout, a reset key, a disabled agent, …).
  if (success && built.method !== "GET" && built.method !== "HEAD" && credentialRows(after) !== credentialBaseline)
    await restoreWorld();
}

beforeAll(async () => {
  // The setup file empties the database before each test; the world is built once and copied back.
  tables = await appTables();
  await emptyDatabase();
  world = await buildWorld();
  dump = await readAll(tables);
});

describe("fuzzing every operation of the OpenAPI document", () => {
  it(`the document lists at least ${MIN_OPERATIONS} operations, each with a readable auth`, () => {
    expect(OPS.length).toBeGreaterThanOrEqual(MIN_OPERATIONS);
    const keys = OPS.map((o) => o.key);
    for (const key of [
      "POST /api/setup/initialize",
      "POST /api/sub-tasks/{id}/claim",
      "PUT /api/admin/config",
      "GET /api/feed/logs",
      "DELETE /api/rules/{rule_id}",
    ]) {
      expect(keys).toContain(key);
    }
    // Every kind of auth is present, so every branch of rightCredentials is exercised.
    expect(new Set(OPS.map((o) => o.auth.kind))).toEqual(new Set(["public", "agent", "admin", "roles"]));
    // The fuzzer's ids reach every path parameter: none is left to random strings only.
    for (const op of OPS) {
      for (const p of op.pathParams)
        expect(p.pool, `${op.key} {${p.name}}: no pool of real values (see SEGMENT_POOLS / namePool)`).toBeDefined();
    }
    for (const pool of POOLS) expect(world.pools[pool].length, `pool ${pool} is empty`).toBeGreaterThan(0);
  });

  it("the fingerprint sees every write, and lets through only the changes a refusal may make by design", async () => {
    await restoreWorld();
    const planner = world.agents.find((a) => a.role === "planner")!;
    const s0 = await snapshot();
    expect(Object.keys(s0).sort()).toEqual(tables.filter((t) => !UNWATCHED.has(t)).sort());
    expect((await call("POST", "/api/tasks", { key: planner.key, body: { name: "seen" } })).status).toBe(200);
    const s1 = await snapshot();
    expect(changedTables(s0, s1, {})).toContain("task");
    // The call took a token from the planner's rate-limit bucket: excused for agents' buckets only.
    expect(s1.rate_bucket).not.toEqual(s0.rate_bucket);
    expect(changedTables(s0, s1, {})).not.toContain("rate_bucket");
    // A wrong password counts toward the lockout: excused for that answer's code only.
    const wrong = await call("POST", "/api/admin/login", { body: { password: "wrong password" } });
    expect(wrong.body.code).toBe("wrong_password");
    const s2 = await snapshot();
    expect(changedTables(s1, s2, {})).toEqual(["auth_throttle"]);
    expect(changedTables(s1, s2, { code: "invalid_input" })).toEqual(["auth_throttle"]);
    expect(changedTables(s1, s2, { code: "wrong_password" })).toEqual([]);
    // An answer stored under an Idempotency-Key: excused for that key only.
    const keyed = await call("POST", "/api/tasks", {
      key: planner.key,
      body: { name: 5 },
      headers: { "idempotency-key": "fingerprint-check" },
    });
    expect(keyed.status).toBe(400);
    const s3 = await snapshot();
    expect(changedTables(s2, s3, {})).toEqual(["idempotency_key"]);
    expect(changedTables(s2, s3, { idempotencyKey: "another-key" })).toEqual(["idempotency_key"]);
    expect(changedTables(s2, s3, { idempotencyKey: "fingerprint-check" })).toEqual([]);
  });

  for (const op of OPS) {
    it.skipIf(skipped(op.key))(`${op.key}: never a 5xx, errors are {detail, code}, a 4xx changes nothing`, async () => {
      await restoreWorld();
      const stats: Stats = { statuses: {}, pastAuth: 0 };
      await fc.assert(
        fc.asyncProperty(requestArb(doc, op), (req) => checkOne(op, req, stats)),
        fcParams(op.key, RUNS),
      );
      // The right credentials did get requests past auth, so the bodies reached validation.
      expect(stats.pastAuth, `${op.key}: ${JSON.stringify(stats.statuses)}`).toBeGreaterThan(0);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Sequences across operations: state left by one request (a deleted agent, a cancelled task, a
// rotated token, …) must not make another one fail with a 5xx.
// ---------------------------------------------------------------------------------------------

describe("fuzzing sequences of operations in one world", () => {
  it.skipIf(skipped("sequences"))(
    "random sequences of requests to any operations: never a 5xx, errors are {detail, code}, a 4xx changes nothing",
    async () => {
      const stats: Stats = { statuses: {}, pastAuth: 0 };
      const step = fc.oneof(...OPS.map((op) => requestArb(doc, op).map((req) => ({ op, req }))));
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 10, maxLength: 40 }), async (steps) => {
          await restoreWorld();
          for (const { op, req } of steps) await checkOne(op, req, stats);
        }),
        fcParams("sequences", 10),
      );
      const successes = Object.entries(stats.statuses)
        .filter(([s]) => Number(s) < 300)
        .reduce((n, [, c]) => n + c, 0);
      expect(successes, JSON.stringify(stats.statuses)).toBeGreaterThan(10);
    },
  );
});

// ---------------------------------------------------------------------------------------------
// Oversized bodies
// ---------------------------------------------------------------------------------------------

type Delivery = "declared" | "lying-small" | "unstated" | "streamed" | "streamed-lying";

describe("oversized bodies are refused early", () => {
  it.skipIf(skipped("oversized"))(
    `any body over ${MAX_BODY_BYTES} bytes → 413 payload_too_large before auth or D1, however it arrives; nothing written`,
    async () => {
      await restoreWorld();
      const mutating = OPS.filter((o) => o.method !== "GET");
      expect(mutating.length).toBeGreaterThanOrEqual(55);
      const seen = new Set<Delivery>();
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            op: fc.constantFrom(...mutating),
            size: fc.integer({ min: MAX_BODY_BYTES + 1, max: 3 * MAX_BODY_BYTES }),
            delivery: fc.constantFrom<Delivery>("declared", "lying-small", "unstated", "streamed", "streamed-lying"),
            declared: fc.constantFrom("0", "1", "2", "100", String(MAX_BODY_BYTES)),
            chunk: fc.integer({ min: 512, max: 64 * 1024 }),
            filler: fc.constantFrom("x", "é", "😀", " "),
            withCredentials: fc.boolean(),
          }),
          async (c) => {
            seen.add(c.delivery);
            const path = c.op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
              const pool = c.op.pathParams.find((p) => p.name === name)?.pool;
              return encodeURIComponent(pool ? deref({ pool, i: 0 }) : "x");
            });
            const headers = new Headers({
              "content-type": "application/json",
              ...(c.withCredentials ? rightCredentials(c.op, 0) : {}),
            });
            // A JSON object padded to exactly `size` bytes.
            const head = new TextEncoder().encode('{"name":"');
            const tail = new TextEncoder().encode('"}');
            const unit = new TextEncoder().encode(c.filler);
            const bytes = new Uint8Array(c.size);
            bytes.set(head, 0);
            let at = head.length;
            while (at + unit.length <= c.size - tail.length) {
              bytes.set(unit, at);
              at += unit.length;
            }
            bytes.fill(0x20, at, c.size - tail.length);
            bytes.set(tail, c.size - tail.length);

            let pulled = 0;
            let body: BodyInit = bytes;
            if (c.delivery === "declared") headers.set("content-length", String(c.size));
            if (c.delivery === "lying-small" || c.delivery === "streamed-lying")
              headers.set("content-length", c.declared);
            if (c.delivery === "streamed" || c.delivery === "streamed-lying") {
              body = new ReadableStream<Uint8Array>({
                pull(controller) {
                  if (pulled >= c.size) return controller.close();
                  const next = bytes.subarray(pulled, Math.min(pulled + c.chunk, c.size));
                  pulled += next.byteLength;
                  controller.enqueue(next);
                },
              });
            }
            const before = snapshotCache ?? (await snapshot());
            const res = await exports.default.fetch(
              new Request(`${BASE}${path}`, { method: c.op.method, headers, body, duplex: "half" } as RequestInit),
            );
            const text = await res.text();
            const after = await snapshot();
            snapshotCache = after;
            const where = `${c.op.method} ${path} (${c.size} bytes, ${c.delivery}, declared ${headers.get("content-length")}, chunk ${c.chunk}) → ${res.status} ${text.slice(0, 200)}`;
            expect(res.status, where).toBe(413);
            expect(JSON.parse(text), where).toEqual({
              detail: expect.any(String),
              code: "payload_too_large",
              hint: expect.any(String),
            });
            // Early: before authentication, so before any D1 query.
            expect(res.headers.get("x-d1-queries"), where).toBe("0");
            // A stream is abandoned soon after the limit, not read to its end.
            if (c.delivery.startsWith("streamed"))
              expect(pulled, where).toBeLessThanOrEqual(MAX_BODY_BYTES + 3 * c.chunk);
            expect(changedTables(before, after, {}), where).toEqual([]);
          },
        ),
        fcParams("oversized", 40),
      );
      expect([...seen].sort()).toEqual(["declared", "lying-small", "streamed", "streamed-lying", "unstated"]);
    },
  );
});
