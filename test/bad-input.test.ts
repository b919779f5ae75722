// Bad input on every mutating endpoint: each refusal is a 4xx `{detail, code}` (never a 5xx) and leaves
// the database exactly as it was. The cases are generated from the OpenAPI document, so a field's
// limits (maxLength, enum, minimum, …) are read from the same schema the Worker validates with, and a
// new mutating endpoint fails the coverage test until it has a row in the table below.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../worker/lib/body";
import { upload } from "./file-fixtures";
import type { Schema } from "./fuzz-arbitraries";
import {
  ADMIN_PASSWORD,
  type CallOptions,
  type CallResult,
  call,
  dbSnapshot,
  env,
  initialize,
  ok,
  REGISTRATION_TOKEN,
  register,
  SETUP_TOKEN,
  snapshotAllTables,
  type World,
} from "./helpers";
import { insertRetro, pattern } from "./retro-rows";
import { seedRecurringTask } from "./round-seed";

const MUTATING = ["post", "put", "patch", "delete"];

// ---------------------------------------------------------------------------------------------
// The OpenAPI document
// ---------------------------------------------------------------------------------------------

interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required?: boolean;
  schema: Schema;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: { "application/json"?: { schema: Schema } } };
  security?: Record<string, string[]>[];
}

interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

let docPromise: Promise<OpenApiDoc> | undefined;
function openApi(): Promise<OpenApiDoc> {
  docPromise ??= call<OpenApiDoc>("GET", "/api/openapi.json").then((res) => {
    if (res.status !== 200) throw new Error(`openapi.json: ${res.status}`);
    return res.body;
  });
  return docPromise;
}

function resolve(doc: OpenApiDoc, s: Schema): Schema {
  if (!s.$ref) return s;
  const name = s.$ref.replace("#/components/schemas/", "");
  const target = doc.components?.schemas?.[name];
  if (!target) throw new Error(`unresolved ${s.$ref}`);
  return resolve(doc, target);
}

async function operation(key: string): Promise<Operation> {
  const [method, path] = key.split(" ") as [string, string];
  const op = (await openApi()).paths[path]?.[method.toLowerCase()];
  if (!op) throw new Error(`${key} is not in the OpenAPI document`);
  return op;
}

// ---------------------------------------------------------------------------------------------
// Generating bad values from a schema
// ---------------------------------------------------------------------------------------------

/** Unknown enum values, per field name (the values the brief names), else a generic one. */
const JUNK_ENUM: Record<string, string> = {
  role: "ceo",
  status: "exploded",
  priority: "urgent",
  result: "maybe",
  action: "dance",
  scope: "universe",
  type: "forever",
};

interface BadValue {
  label: string;
  value: unknown;
}

const typesOf = (s: Schema): string[] => (s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type]);

/** Values that must fail validation for a field with schema `s` (named `name`). */
function badValues(doc: OpenApiDoc, name: string, raw: Schema): BadValue[] {
  const s = resolve(doc, raw);
  const variants = (s.anyOf ?? s.oneOf ?? [s]).map((v) => resolve(doc, v));
  const types = new Set(variants.flatMap((v) => (v.enum && !v.type ? ["string"] : typesOf(v))));
  const out: BadValue[] = [];

  // Wrong JSON types.
  if (!types.has("number") && !types.has("integer"))
    out.push({ label: "number where a string/boolean/array/object is expected", value: 12345 });
  if (types.has("integer") || types.has("number"))
    out.push({ label: "string where an integer is expected", value: "abc" });
  // A string of digits is an integer (docs/compatibility.md); a fraction in a string is not.
  if (types.has("integer")) out.push({ label: "fractional numeric string where an integer is expected", value: "5.5" });
  if (types.has("boolean") && !types.has("string"))
    out.push({ label: "string where a boolean is expected", value: "yes" });
  if (!types.has("boolean")) out.push({ label: "boolean where a non-boolean is expected", value: true });
  if (types.has("array") && !types.has("string"))
    out.push({ label: "string where an array is expected", value: "not-an-array" });
  if (types.has("object") && !types.has("string"))
    out.push({ label: "string where an object is expected", value: "not-an-object" });
  if (!types.has("object")) out.push({ label: "object where a scalar is expected", value: { nested: true } });
  if (!types.has("array")) out.push({ label: "array where a scalar is expected", value: ["x"] });
  if (!types.has("null")) out.push({ label: "null for a non-nullable field", value: null });

  for (const v of variants) {
    const vt = typesOf(v);
    const enumValues = (v.enum ?? []).filter((e) => e !== null);
    if (enumValues.length > 0)
      out.push({ label: `unknown enum value for ${name}`, value: JUNK_ENUM[name] ?? "exploded" });
    if (vt.includes("string") && v.maxLength !== undefined) {
      const value =
        v.format === "uri"
          ? `https://example.com/${"a".repeat(v.maxLength + 1 - "https://example.com/".length)}`
          : "x".repeat(v.maxLength + 1);
      out.push({ label: `string of ${v.maxLength + 1} chars (max ${v.maxLength})`, value });
    }
    if (vt.includes("string") && (v.minLength ?? 0) > 0) {
      out.push({ label: `string shorter than minLength ${v.minLength}`, value: "x".repeat(v.minLength! - 1) });
    }
    if (v.format === "uri") out.push({ label: "not a URL", value: "not a url" });
    if (vt.includes("integer")) {
      out.push({ label: "fractional number where an integer is expected", value: 2.5 });
      if (v.minimum !== undefined) out.push({ label: `below minimum ${v.minimum}`, value: v.minimum - 1 });
      if (v.maximum !== undefined) out.push({ label: `above maximum ${v.maximum}`, value: v.maximum + 1 });
    }
    if (vt.includes("array") && v.items) {
      const items = resolve(doc, v.items);
      if (v.maxItems !== undefined)
        out.push({
          label: `array of ${v.maxItems + 1} items (max ${v.maxItems})`,
          value: Array(v.maxItems + 1).fill("x"),
        });
      for (const bad of badValues(doc, `${name}[]`, items))
        out.push({ label: `item: ${bad.label}`, value: [bad.value] });
    }
  }
  return out;
}

interface BadCase {
  label: string;
  /** A JSON value to send, or raw text, or a streamed body of this many bytes without Content-Length. */
  body?: unknown;
  contentType?: string;
  raw?: string;
  streamBytes?: number;
  /** Replaces the path (bad path parameters). */
  path?: string;
  expect: number;
}

const clone = <T>(v: T): T => structuredClone(v);

function setAt(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (!next || typeof next !== "object" || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

function deleteAt(target: Record<string, unknown>, path: string[]): void {
  let node: unknown = target;
  for (const key of path.slice(0, -1)) node = (node as Record<string, unknown> | undefined)?.[key];
  if (node && typeof node === "object") delete (node as Record<string, unknown>)[path[path.length - 1]!];
}

const statusFor = (body: unknown) =>
  new TextEncoder().encode(JSON.stringify(body)).byteLength > MAX_BODY_BYTES ? 413 : 400;

/** Every field-level case of an object schema, applied to a copy of the valid body. */
function fieldCases(doc: OpenApiDoc, raw: Schema, valid: Record<string, unknown>, prefix: string[] = []): BadCase[] {
  const s = resolve(doc, raw);
  const out: BadCase[] = [];
  for (const req of s.required ?? []) {
    const body = clone(valid);
    deleteAt(body, [...prefix, req]);
    out.push({ label: `missing required field ${[...prefix, req].join(".")}`, body, expect: 400 });
  }
  for (const [name, prop] of Object.entries(s.properties ?? {})) {
    const path = [...prefix, name];
    for (const bad of badValues(doc, name, prop)) {
      const body = clone(valid);
      setAt(body, path, bad.value);
      out.push({ label: `${path.join(".")}: ${bad.label}`, body, expect: statusFor(body) });
    }
    const propSchema = resolve(doc, prop);
    const objectVariant = (propSchema.anyOf ?? [propSchema]).map((v) => resolve(doc, v)).find((v) => v.properties);
    if (objectVariant) out.push(...fieldCases(doc, objectVariant, valid, path));
  }
  return out;
}

/** Cases that do not depend on the fields: malformed or non-object JSON, wrong media types, oddities. */
function bodyShapeCases(doc: OpenApiDoc, schema: Schema, valid: Record<string, unknown>): BadCase[] {
  const validText = JSON.stringify(valid);
  const out: BadCase[] = [
    { label: "malformed JSON", raw: '{"name":', expect: 400 },
    { label: "truncated JSON", raw: validText.slice(0, -1), expect: 400 },
    { label: "trailing garbage after JSON", raw: `${validText} x`, expect: 400 },
    { label: "single-quoted pseudo-JSON", raw: "{'name': 'x'}", expect: 400 },
    { label: "JSON null", raw: "null", expect: 400 },
    { label: "JSON array", raw: "[]", expect: 400 },
    { label: "JSON string", raw: '"text"', expect: 400 },
    { label: "JSON number", raw: "42", expect: 400 },
    { label: "valid JSON sent as text/plain", body: valid, contentType: "text/plain", expect: 415 },
    {
      label: "form-encoded body",
      raw: "name=x&role=executor",
      contentType: "application/x-www-form-urlencoded",
      expect: 415,
    },
  ];
  // Deep nesting inside a known field (or as the whole body when there are no fields).
  const nested = `${"[".repeat(30_000)}${"]".repeat(30_000)}`;
  const firstProp = Object.keys(resolve(doc, schema).properties ?? {})[0];
  out.push({
    label: "deeply nested JSON (30,000 levels)",
    raw: firstProp ? `{${JSON.stringify(firstProp)}:${nested}}` : nested,
    expect: 400,
  });
  const required = resolve(doc, schema).required ?? [];
  const first = required[0];
  if (first !== undefined) {
    // A required field hidden under "__proto__" must not be found through the prototype chain.
    const { [first]: moved, ...rest } = valid;
    const raw = `{"__proto__":${JSON.stringify({ [first]: moved })}${Object.keys(rest).length ? `,${JSON.stringify(rest).slice(1)}` : "}"}`;
    out.push({ label: `required ${first} only under __proto__`, raw, expect: 400 });
  }
  return out;
}

function oversizeCases(valid: Record<string, unknown> | undefined): BadCase[] {
  return [
    {
      label: `body over the ${MAX_BODY_BYTES}-byte limit (valid JSON)`,
      raw: JSON.stringify({ ...valid, padding: "x".repeat(MAX_BODY_BYTES) }),
      expect: 413,
    },
    { label: "body of exactly the limit + 1 byte", raw: `${" ".repeat(MAX_BODY_BYTES - 1)}{}`, expect: 413 },
    { label: "streamed body over the limit without Content-Length", streamBytes: MAX_BODY_BYTES + 8192, expect: 413 },
  ];
}

function pathParamCases(op: Operation, concrete: string, template: string): BadCase[] {
  const out: BadCase[] = [];
  const segments = template.split("/");
  for (const p of op.parameters ?? []) {
    if (p.in !== "path" || p.schema.maxLength === undefined) continue;
    const at = segments.indexOf(`{${p.name}}`);
    const bad = "x".repeat(p.schema.maxLength + 1);
    const parts = concrete.split("/");
    parts[at] = bad;
    out.push({ label: `path parameter ${p.name} of ${bad.length} chars`, path: parts.join("/"), expect: 400 });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// A world with real ids and every role
// ---------------------------------------------------------------------------------------------

async function world(): Promise<World> {
  const admin = await initialize();
  const planner = await register("planner");
  const exec = await register("executor");
  const exec2 = await register("executor");
  const reviewer = await register("reviewer");
  const patrol = await register("patrol");
  const task = await ok(call("POST", "/api/tasks", { key: planner.key, body: { name: "bad input task" } }));
  const mod = await ok(call("POST", `/api/tasks/${task.id}/modules`, { key: planner.key, body: { name: "m1" } }));
  return { admin, planner, exec, exec2, reviewer, patrol, taskId: task.id, moduleId: mod.id };
}

type SubTaskState = "pending" | "assigned" | "in_progress" | "review" | "blocked";

/** A sub-task in the given state, worked on by `w.exec`. */
async function subTaskIn(w: World, state: SubTaskState): Promise<string> {
  const st = await ok(
    call("POST", "/api/sub-tasks", { key: w.planner.key, body: { task_id: w.taskId, name: `st-${state}` } }),
  );
  const step = (op: string, key: string, body: unknown = {}) =>
    ok(call("POST", `/api/sub-tasks/${st.id}/${op}`, { key, body }));
  if (state === "pending") return st.id;
  await step("claim", w.exec.key);
  if (state === "blocked") await step("block", w.patrol.key);
  if (state === "assigned" || state === "blocked") return st.id;
  await step("start", w.exec.key);
  if (state === "in_progress") return st.id;
  await step("submit", w.exec.key);
  return st.id;
}

interface Target {
  path: string;
  auth: Pick<CallOptions, "key" | "admin" | "headers">;
  /** A body that succeeds (absent for endpoints without a body). */
  valid?: Record<string, unknown>;
  /** Endpoint-specific bad bodies the schema alone cannot express. */
  extra?: BadCase[];
  /**
   * The raw bytes that succeed, for the one route whose body is not JSON (the file upload, lib/body.ts
   * isRawUpload): its size and length refusals are tested in test/files-upload.test.ts.
   */
  rawValid?: string;
}

/** Every mutating endpoint: how to reach it with the right role, real ids and a valid body. */
const TABLE: Record<string, () => Promise<Target>> = {
  "POST /api/setup/initialize": async () => ({
    path: "/api/setup/initialize",
    auth: { headers: { "x-setup-token": SETUP_TOKEN } },
    valid: {
      admin_password: ADMIN_PASSWORD,
      project_name: "P",
      workspace_root: "/ws",
      registration_token: REGISTRATION_TOKEN,
      notification: { enabled: true, channels: ["chat:x"], events: ["task_completed"] },
      external_url: "https://moss.example",
    },
    extra: [
      {
        label: "blank project_name",
        body: { admin_password: ADMIN_PASSWORD, project_name: "   ", workspace_root: "/ws" },
        expect: 400,
      },
      {
        label: "blank workspace_root",
        body: { admin_password: ADMIN_PASSWORD, project_name: "P", workspace_root: "  " },
        expect: 400,
      },
    ],
  }),
  "POST /api/admin/login": async () => {
    await initialize();
    return { path: "/api/admin/login", auth: {}, valid: { password: ADMIN_PASSWORD } };
  },
  "POST /api/admin/logout": async () => ({ path: "/api/admin/logout", auth: { admin: await initialize() } }),
  "PUT /api/admin/config/password": async () => ({
    path: "/api/admin/config/password",
    auth: { admin: await initialize() },
    valid: { old_password: ADMIN_PASSWORD, new_password: "another password" },
  }),
  "POST /api/agents/me/heartbeat": async () => {
    const w = await world();
    return { path: "/api/agents/me/heartbeat", auth: { key: w.exec.key } };
  },
  "POST /api/agents/register": async () => {
    await initialize();
    return {
      path: "/api/agents/register",
      auth: { headers: { "x-registration-token": REGISTRATION_TOKEN } },
      valid: { name: "fresh-agent", role: "executor", description: "d" },
      extra: [{ label: "blank name", body: { name: "   ", role: "executor" }, expect: 400 }],
    };
  },
  "POST /api/agents": async () => ({
    path: "/api/agents",
    auth: { admin: await initialize() },
    valid: { name: "fresh-agent", role: "reviewer", description: "d" },
    extra: [{ label: "blank name", body: { name: "   ", role: "executor" }, expect: 400 }],
  }),
  "PUT /api/agents/{agent_id}/status": async () => {
    const w = await world();
    return { path: `/api/agents/${w.exec.id}/status`, auth: { admin: w.admin }, valid: { status: "disabled" } };
  },
  "POST /api/tasks": async () => {
    const w = await world();
    return {
      path: "/api/tasks",
      auth: { key: w.planner.key },
      valid: { name: "t", description: "d", type: "once" },
      extra: [{ label: "blank name", body: { name: "  " }, expect: 400 }],
    };
  },
  "PUT /api/tasks/{task_id}": async () => {
    const w = await world();
    return {
      path: `/api/tasks/${w.taskId}`,
      auth: { key: w.planner.key },
      valid: { name: "renamed", description: "new" },
      extra: [{ label: "blank name", body: { name: "  " }, expect: 400 }],
    };
  },
  "PUT /api/tasks/{task_id}/status": async () => {
    const w = await world();
    return {
      path: `/api/tasks/${w.taskId}/status`,
      auth: { key: w.planner.key },
      valid: { status: "active" },
      extra: [{ label: "status cancelled (has its own endpoint)", body: { status: "cancelled" }, expect: 400 }],
    };
  },
  "POST /api/tasks/{task_id}/cancel": async () => {
    const w = await world();
    return { path: `/api/tasks/${w.taskId}/cancel`, auth: { key: w.planner.key } };
  },
  "PUT /api/tasks/{task_id}/schedule": async () => {
    const w = await world();
    // Its body has more fields than any agent route: more cases than one agent's burst allows.
    const now = new Date().toISOString();
    await env.DB.prepare(
      "insert or replace into setting (key, value, updated_at) values ('agent.rate_limit_burst', '100000', ?), ('agent.rate_limit_per_minute', '100000', ?)",
    )
      .bind(now, now)
      .run();
    return {
      path: `/api/tasks/${w.taskId}/schedule`,
      auth: { key: w.planner.key },
      valid: {
        schedule: { kind: "cron", expr: "0 9 * * *", tz: "Asia/Shanghai" },
        template: { sub_tasks: [{ key: "collect", name: "Collect {date}" }] },
      },
      extra: [
        {
          label: "a cron expression that never runs",
          body: {
            schedule: { kind: "cron", expr: "0 0 30 2 *", tz: "UTC" },
            template: { sub_tasks: [{ key: "collect", name: "Collect" }] },
          },
          expect: 400,
        },
        {
          label: "an unknown time zone",
          body: {
            schedule: { kind: "every", every: 1, unit: "days", tz: "Mars/Olympus" },
            template: { sub_tasks: [{ key: "collect", name: "Collect" }] },
          },
          expect: 400,
        },
        {
          label: "a dependency cycle in the template",
          body: {
            schedule: { kind: "every", every: 1, unit: "days", tz: "UTC" },
            template: {
              sub_tasks: [
                { key: "a", name: "A", depends_on: ["b"] },
                { key: "b", name: "B", depends_on: ["a"] },
              ],
            },
          },
          expect: 400,
        },
      ],
    };
  },
  "DELETE /api/tasks/{task_id}/schedule": async () => {
    const w = await world();
    const { taskId } = await seedRecurringTask(w.planner, []);
    return { path: `/api/tasks/${taskId}/schedule`, auth: { key: w.planner.key } };
  },
  "POST /api/tasks/{task_id}/schedule/pause": async () => {
    const w = await world();
    const { taskId } = await seedRecurringTask(w.planner, []);
    return { path: `/api/tasks/${taskId}/schedule/pause`, auth: { key: w.planner.key } };
  },
  "POST /api/tasks/{task_id}/schedule/resume": async () => {
    const w = await world();
    const { taskId } = await seedRecurringTask(w.planner, []);
    await ok(call("POST", `/api/tasks/${taskId}/schedule/pause`, { key: w.planner.key }));
    return { path: `/api/tasks/${taskId}/schedule/resume`, auth: { key: w.planner.key } };
  },
  "POST /api/tasks/{task_id}/rounds": async () => {
    const w = await world();
    const { taskId } = await seedRecurringTask(w.planner, []);
    return { path: `/api/tasks/${taskId}/rounds`, auth: { key: w.planner.key } };
  },
  "POST /api/tasks/{task_id}/modules": async () => {
    const w = await world();
    return {
      path: `/api/tasks/${w.taskId}/modules`,
      auth: { key: w.planner.key },
      valid: { name: "m2", description: "d" },
    };
  },
  "POST /api/sub-tasks": async () => {
    const w = await world();
    return {
      path: "/api/sub-tasks",
      auth: { key: w.planner.key },
      valid: {
        task_id: w.taskId,
        name: "st",
        description: "d",
        deliverable: "x",
        acceptance: "y",
        priority: "high",
        module_id: w.moduleId,
        assigned_agent: w.exec.id,
        type: "once",
      },
      extra: [
        { label: "blank name", body: { task_id: w.taskId, name: "  " }, expect: 400 },
        {
          label: "assigned to a reviewer",
          body: { task_id: w.taskId, name: "st", assigned_agent: w.reviewer.id },
          expect: 400,
        },
      ],
    };
  },
  "PUT /api/sub-tasks/{id}": async () => {
    const w = await world();
    const id = await subTaskIn(w, "pending");
    return {
      path: `/api/sub-tasks/${id}`,
      auth: { key: w.planner.key },
      valid: { name: "renamed", description: "d", deliverable: "x", acceptance: "y", priority: "low" },
      extra: [{ label: "blank name", body: { name: "  " }, expect: 400 }],
    };
  },
  "PUT /api/sub-tasks/{id}/dependencies": async () => {
    const w = await world();
    const id = await subTaskIn(w, "pending");
    const dep = await subTaskIn(w, "pending");
    return {
      path: `/api/sub-tasks/${id}/dependencies`,
      auth: { key: w.planner.key },
      valid: { depends_on: [dep] },
      extra: [
        { label: "repeated id", body: { depends_on: [dep, dep] }, expect: 400 },
        { label: "depends on itself", body: { depends_on: [id] }, expect: 409 },
        { label: "unknown id", body: { depends_on: ["nope"] }, expect: 404 },
      ],
    };
  },
  "POST /api/sub-tasks/{id}/claim": async () => {
    const w = await world();
    return {
      path: `/api/sub-tasks/${await subTaskIn(w, "pending")}/claim`,
      auth: { key: w.exec.key },
      valid: { session_id: "s-1" },
    };
  },
  "POST /api/sub-tasks/{id}/start": async () => {
    const w = await world();
    return {
      path: `/api/sub-tasks/${await subTaskIn(w, "assigned")}/start`,
      auth: { key: w.exec.key },
      valid: { session_id: "s-1" },
    };
  },
  "POST /api/sub-tasks/{id}/session": async () => {
    const w = await world();
    return {
      path: `/api/sub-tasks/${await subTaskIn(w, "in_progress")}/session`,
      auth: { key: w.exec.key },
      valid: { session_id: "s-2" },
    };
  },
  "POST /api/sub-tasks/{id}/submit": async () => {
    const w = await world();
    return { path: `/api/sub-tasks/${await subTaskIn(w, "in_progress")}/submit`, auth: { key: w.exec.key }, valid: {} };
  },
  "POST /api/sub-tasks/{id}/complete": async () => {
    const w = await world();
    return {
      path: `/api/sub-tasks/${await subTaskIn(w, "review")}/complete`,
      auth: { key: w.reviewer.key },
      valid: {},
    };
  },
  "POST /api/sub-tasks/{id}/rework": async () => {
    const w = await world();
    return {
      path: `/api/sub-tasks/${await subTaskIn(w, "review")}/rework`,
      auth: { key: w.reviewer.key },
      valid: { rework_agent: w.exec2.id },
      extra: [{ label: "rework_agent is a planner", body: { rework_agent: w.planner.id }, expect: 400 }],
    };
  },
  "POST /api/sub-tasks/{id}/block": async () => {
    const w = await world();
    return {
      path: `/api/sub-tasks/${await subTaskIn(w, "assigned")}/block`,
      auth: { key: w.patrol.key },
      valid: { reason: "stuck" },
    };
  },
  "POST /api/sub-tasks/{id}/reassign": async () => {
    const w = await world();
    return {
      path: `/api/sub-tasks/${await subTaskIn(w, "blocked")}/reassign`,
      auth: { key: w.planner.key },
      valid: { agent_id: w.exec2.id },
      extra: [{ label: "agent_id is a patrol agent", body: { agent_id: w.patrol.id }, expect: 400 }],
    };
  },
  "POST /api/sub-tasks/{id}/cancel": async () => {
    const w = await world();
    return { path: `/api/sub-tasks/${await subTaskIn(w, "pending")}/cancel`, auth: { key: w.planner.key }, valid: {} };
  },
  "POST /api/review-records": async () => {
    const w = await world();
    const id = await subTaskIn(w, "review");
    return {
      path: "/api/review-records",
      auth: { key: w.reviewer.key },
      valid: { sub_task_id: id, result: "approved", score: 5, issues: "", comment: "fine" },
      extra: [
        {
          label: "rejected with blank issues",
          body: { sub_task_id: id, result: "rejected", score: 2, issues: "   " },
          expect: 400,
        },
        { label: "rejected without issues", body: { sub_task_id: id, result: "rejected", score: 2 }, expect: 400 },
        {
          label: "rework_agent is a reviewer",
          body: { sub_task_id: id, result: "rejected", score: 2, issues: "x", rework_agent: w.reviewer.id },
          expect: 400,
        },
      ],
    };
  },
  "POST /api/scores/adjust": async () => {
    const w = await world();
    return {
      path: "/api/scores/adjust",
      auth: { key: w.planner.key },
      valid: { agent_id: w.exec.id, score_delta: 3, reason: "bonus" },
      extra: [
        { label: "score_delta 0", body: { agent_id: w.exec.id, score_delta: 0, reason: "nothing" }, expect: 400 },
        { label: "blank reason", body: { agent_id: w.exec.id, score_delta: 1, reason: "   " }, expect: 400 },
      ],
    };
  },
  "POST /api/rules": async () => {
    const w = await world();
    return {
      path: "/api/rules",
      auth: { admin: w.admin },
      valid: { scope: "task", content: "task rule", task_id: w.taskId },
      extra: [
        { label: "task scope without task_id", body: { scope: "task", content: "x" }, expect: 400 },
        { label: "sub_task scope without sub_task_id", body: { scope: "sub_task", content: "x" }, expect: 400 },
      ],
    };
  },
  "PUT /api/rules/{rule_id}": async () => {
    const w = await world();
    return {
      path: `/api/rules/${await globalRuleId()}`,
      auth: { admin: w.admin },
      valid: { content: "new global rule" },
    };
  },
  "DELETE /api/rules/{rule_id}": async () => {
    const w = await world();
    return { path: `/api/rules/${await globalRuleId()}`, auth: { admin: w.admin } };
  },
  "POST /api/sub-tasks/{id}/files": async () => {
    const w = await world();
    const id = await subTaskIn(w, "in_progress");
    return { path: `/api/sub-tasks/${id}/files?name=a.txt`, auth: { key: w.exec.key }, rawValid: "bytes" };
  },
  "DELETE /api/sub-tasks/{id}/files/{file_id}": async () => {
    const w = await world();
    const id = await subTaskIn(w, "in_progress");
    const file = await upload(w.exec.key, id, "a.txt", "bytes");
    return { path: `/api/sub-tasks/${id}/files/${file.body.id}`, auth: { key: w.exec.key } };
  },
  "POST /api/logs": async () => {
    const w = await world();
    const id = await subTaskIn(w, "in_progress");
    return {
      path: "/api/logs",
      auth: { key: w.exec.key },
      valid: { action: "coding", summary: "s", sub_task_id: id, session_id: "s-1" },
    };
  },
  "POST /api/retrospectives": async () => {
    const w = await world();
    return {
      path: "/api/retrospectives",
      auth: { key: w.planner.key },
      valid: { period: "daily", date: "2026-11-20" },
      extra: [
        { label: "a day that does not exist", body: { period: "daily", date: "2026-02-31" }, expect: 400 },
        { label: "a day not begun", body: { period: "weekly", date: "2999-01-01" }, expect: 400 },
      ],
    };
  },
  "POST /api/retrospectives/{retrospective_id}/findings/{finding_id}/rule": async () => {
    const w = await world();
    const retro = await insertRetro({
      periodKey: "day:2026-12-04",
      scope: "team",
      patterns: [pattern("sources missing", 2, w.taskId)],
    });
    return {
      path: `/api/retrospectives/${retro}/findings/f1/rule`,
      auth: { key: w.planner.key },
      valid: { content: "Cite every source." },
      extra: [{ label: "a task that does not exist", body: { task_id: "no-such-task" }, expect: 404 }],
    };
  },
  "POST /api/patrol/records": async () => {
    const w = await world();
    const id = await subTaskIn(w, "assigned");
    return {
      path: "/api/patrol/records",
      auth: { key: w.patrol.key },
      valid: { type: "stuck", severity: "warning", sub_task_id: id, description: "no progress", action_taken: "" },
      extra: [{ label: "no target", body: { type: "stuck", severity: "warning", description: "x" }, expect: 400 }],
    };
  },
  "POST /api/patrol/records/{id}/resolve": async () => {
    const w = await world();
    const id = await subTaskIn(w, "assigned");
    const filed = await call("POST", "/api/patrol/records", {
      key: w.patrol.key,
      body: { type: "stuck", severity: "warning", sub_task_id: id, description: "no progress" },
    });
    return {
      path: `/api/patrol/records/${filed.body.id}/resolve`,
      auth: { key: w.patrol.key },
      valid: { note: "handled" },
    };
  },
  "POST /api/admin/tasks": async () => {
    const w = await world();
    return {
      path: "/api/admin/tasks",
      auth: { admin: w.admin },
      valid: { name: "t", description: "d", type: "once", status: "active" },
    };
  },
  "PUT /api/admin/tasks/{id}": async () => {
    const w = await world();
    return {
      path: `/api/admin/tasks/${w.taskId}`,
      auth: { admin: w.admin },
      valid: { name: "renamed", description: "d" },
      extra: [{ label: "nothing to update", body: {}, expect: 400 }],
    };
  },
  "POST /api/admin/tasks/{id}/cancel": async () => {
    const w = await world();
    return { path: `/api/admin/tasks/${w.taskId}/cancel`, auth: { admin: w.admin } };
  },
  "POST /api/admin/tasks/{id}/restart": async () => {
    const w = await world();
    await ok(call("POST", `/api/admin/tasks/${w.taskId}/cancel`, { admin: w.admin }));
    return { path: `/api/admin/tasks/${w.taskId}/restart`, auth: { admin: w.admin } };
  },
  "DELETE /api/admin/tasks/{id}": async () => {
    const w = await world();
    return {
      path: `/api/admin/tasks/${w.taskId}`,
      auth: { admin: w.admin },
      valid: { confirm_name: "bad input task" },
      extra: [{ label: "confirm_name differs in case", body: { confirm_name: "Bad Input Task" }, expect: 400 }],
    };
  },
  "POST /api/admin/sub-tasks": async () => {
    const w = await world();
    return {
      path: "/api/admin/sub-tasks",
      auth: { admin: w.admin },
      valid: {
        task_id: w.taskId,
        name: "s",
        description: "d",
        deliverable: "x",
        acceptance: "y",
        priority: "high",
        module_id: w.moduleId,
        assigned_agent: w.exec.id,
        type: "once",
      },
    };
  },
  "PUT /api/admin/sub-tasks/{id}": async () => {
    const w = await world();
    return {
      path: `/api/admin/sub-tasks/${await subTaskIn(w, "pending")}`,
      auth: { admin: w.admin },
      valid: { name: "renamed", description: "d", deliverable: "x", acceptance: "y", priority: "low" },
      extra: [{ label: "nothing to update", body: {}, expect: 400 }],
    };
  },
  "POST /api/admin/sub-tasks/{id}/cancel": async () => {
    const w = await world();
    return { path: `/api/admin/sub-tasks/${await subTaskIn(w, "pending")}/cancel`, auth: { admin: w.admin } };
  },
  "POST /api/admin/sub-tasks/{id}/reassign": async () => {
    const w = await world();
    return {
      path: `/api/admin/sub-tasks/${await subTaskIn(w, "blocked")}/reassign`,
      auth: { admin: w.admin },
      valid: { agent_id: w.exec2.id },
    };
  },
  "POST /api/admin/sub-tasks/{id}/block": async () => {
    const w = await world();
    return {
      path: `/api/admin/sub-tasks/${await subTaskIn(w, "assigned")}/block`,
      auth: { admin: w.admin },
      valid: { reason: "stuck" },
    };
  },
  "POST /api/admin/patrol-records/{id}/resolve": async () => {
    const w = await world();
    const id = await subTaskIn(w, "assigned");
    const filed = await ok(
      call("POST", "/api/patrol/records", {
        key: w.patrol.key,
        body: { type: "stuck", severity: "warning", sub_task_id: id, description: "d" },
      }),
    );
    return {
      path: `/api/admin/patrol-records/${filed.id}/resolve`,
      auth: { admin: w.admin },
      valid: { note: "handled" },
    };
  },
  "POST /api/admin/registration-token/rotate": async () => {
    const w = await world();
    return { path: "/api/admin/registration-token/rotate", auth: { admin: w.admin } };
  },
  "POST /api/admin/agents": async () => ({
    path: "/api/admin/agents",
    auth: { admin: await initialize() },
    valid: { name: "fresh-agent", role: "executor", description: "d" },
    extra: [{ label: "blank name", body: { name: "   ", role: "executor" }, expect: 400 }],
  }),
  "PUT /api/admin/agents/{id}": async () => {
    const w = await world();
    return {
      path: `/api/admin/agents/${w.exec.id}`,
      auth: { admin: w.admin },
      valid: { name: "renamed", role: "executor", description: "d" },
      extra: [
        { label: "nothing to change", body: {}, expect: 400 },
        { label: "another agent's name", body: { name: w.exec2.name }, expect: 409 },
      ],
    };
  },
  "PUT /api/admin/agents/{id}/status": async () => {
    const w = await world();
    return { path: `/api/admin/agents/${w.exec.id}/status`, auth: { admin: w.admin }, valid: { status: "disabled" } };
  },
  "POST /api/admin/agents/{id}/reset-key": async () => {
    const w = await world();
    return { path: `/api/admin/agents/${w.exec.id}/reset-key`, auth: { admin: w.admin } };
  },
  "DELETE /api/admin/agents/{id}": async () => {
    const w = await world();
    await subTaskIn(w, "assigned");
    return {
      path: `/api/admin/agents/${w.exec2.id}`,
      auth: { admin: w.admin },
      valid: { confirm_name: w.exec2.name },
      extra: [
        { label: "confirm_name of another agent", body: { confirm_name: w.exec.name }, expect: 400 },
        {
          label: "agent with open work",
          path: `/api/admin/agents/${w.exec.id}`,
          body: { confirm_name: w.exec.name },
          expect: 409,
        },
      ],
    };
  },
  "POST /api/admin/scores/adjust": async () => {
    const w = await world();
    return {
      path: "/api/admin/scores/adjust",
      auth: { admin: w.admin },
      valid: { agent_id: w.exec.id, score_delta: 5, reason: "helped the team", sub_task_id: null },
      extra: [
        { label: "delta 0", body: { agent_id: w.exec.id, score_delta: 0, reason: "r" }, expect: 400 },
        {
          label: "prefixed reason over 100 characters",
          body: { agent_id: w.exec.id, score_delta: 1, reason: "x".repeat(82) },
          expect: 400,
        },
        { label: "unknown agent", body: { agent_id: "nope", score_delta: 1, reason: "r" }, expect: 404 },
        {
          label: "unknown sub-task",
          body: { agent_id: w.exec.id, score_delta: 1, reason: "r", sub_task_id: "nope" },
          expect: 404,
        },
      ],
    };
  },
  "POST /api/admin/shipped-texts": async () => ({
    path: "/api/admin/shipped-texts",
    auth: { admin: await initialize() },
    valid: { language: "zh-CN", mode: "unedited" },
    extra: [{ label: "a mode that does not exist", body: { language: "zh-CN", mode: "some" }, expect: 400 }],
  }),
  "PUT /api/admin/prompts/templates/{role}": async () => ({
    path: "/api/admin/prompts/templates/planner",
    auth: { admin: await initialize() },
    valid: { content: "# Planner\nBreak tasks down." },
  }),
  "POST /api/admin/prompts/agents": async () => ({
    path: "/api/admin/prompts/agents",
    auth: { admin: await initialize() },
    valid: {
      slug: "qa-lead",
      name: "Backend engineer",
      role: "executor",
      description: "APIs",
      content: "You build APIs.",
      example: false,
    },
  }),
  "PUT /api/admin/prompts/agents/{slug}": async () => {
    const admin = await initialize();
    await ok(
      call("POST", "/api/admin/prompts/agents", {
        admin,
        body: { slug: "qa-lead", name: "Backend", role: "executor", content: "x" },
      }),
    );
    return {
      path: "/api/admin/prompts/agents/executor-qa-lead",
      auth: { admin },
      valid: { name: "Backend", description: "APIs and data", content: "Updated.", example: true },
    };
  },
  "DELETE /api/admin/prompts/agents/{slug}": async () => {
    const admin = await initialize();
    await ok(
      call("POST", "/api/admin/prompts/agents", {
        admin,
        body: { slug: "qa-lead", name: "Backend", role: "executor", content: "x" },
      }),
    );
    return { path: "/api/admin/prompts/agents/executor-qa-lead", auth: { admin } };
  },
  "POST /api/admin/prompts/compose/{slug}": async () => ({
    path: "/api/admin/prompts/compose/executor-backend",
    auth: { admin: await initialize() },
  }),
  "POST /api/admin/prompts/onboarding/{role}": async () => ({
    path: "/api/admin/prompts/onboarding/reviewer",
    auth: { admin: await initialize() },
  }),
  "POST /api/admin/enrollment-tokens": async () => ({
    path: "/api/admin/enrollment-tokens",
    auth: { admin: await initialize() },
    valid: { role: "reviewer", max_uses: 3, expires_in_days: 2, label: "team A" },
  }),
  "DELETE /api/admin/enrollment-tokens/{id}": async () => {
    const admin = await initialize();
    const issued = await ok(call("POST", "/api/admin/enrollment-tokens", { admin, body: { role: "executor" } }));
    return { path: `/api/admin/enrollment-tokens/${issued.id}`, auth: { admin } };
  },
  "POST /api/admin/notifications/test": async () => {
    const w = await world();
    // A closed local port: the valid request fails fast without leaving the machine.
    await ok(
      call("PUT", "/api/admin/config", {
        admin: w.admin,
        body: {
          notification: { webhooks: [{ id: "local", name: "local", type: "slack", url: "http://127.0.0.1:9/hook" }] },
        },
      }),
    );
    return {
      path: "/api/admin/notifications/test",
      auth: { admin: w.admin },
      valid: { channel_id: "local" },
      extra: [{ label: "unknown channel", body: { channel_id: "nope" }, expect: 404 }],
    };
  },
  "PUT /api/admin/config": async () => {
    const w = await world();
    return {
      path: "/api/admin/config",
      auth: { admin: w.admin },
      valid: { project: { name: "Renamed" }, patrol: { stuck_minutes: 90 } },
      extra: [
        { label: "no known section", body: { bogus: { a: 1 } }, expect: 400 },
        { label: "critical threshold below warning", body: { patrol: { timeout_critical_minutes: 30 } }, expect: 400 },
        { label: "server section with another key", body: { server: { port: 1 } }, expect: 400 },
        {
          label: "webhook with a non-http URL",
          body: { notification: { webhooks: [{ name: "x", type: "slack", url: "ftp://x" }] } },
          expect: 400,
        },
      ],
    };
  },
};

/**
 * Every table except request_log (written for every agent call, by design); agents' rate-limit
 * buckets are left out too (see snapshotQuery). auth_throttle is included: bad input is not a failed
 * login or registration and must not count toward a lockout.
 */
async function fullSnapshot(): Promise<Record<string, unknown[]>> {
  const snap = await snapshotAllTables(["request_log"]);
  expect(Object.keys(snap)).toContain("auth_throttle");
  return snap;
}

async function globalRuleId(): Promise<string> {
  const row = await env.DB.prepare("select id from rule where scope = 'global'").first<{ id: string }>();
  return row!.id;
}

// ---------------------------------------------------------------------------------------------
// Sending a case
// ---------------------------------------------------------------------------------------------

async function send(method: string, target: Target, c: BadCase): Promise<CallResult> {
  const path = c.path ?? target.path;
  if (c.streamBytes !== undefined) return streamed(method, path, target.auth, c.streamBytes);
  const opts: CallOptions = {
    ...target.auth,
    headers: { "content-type": c.contentType ?? "application/json", ...target.auth.headers },
  };
  if (c.raw !== undefined) opts.rawBody = c.raw;
  else if (c.body !== undefined) opts.body = c.body;
  else if (target.valid !== undefined) opts.body = target.valid;
  else if (target.rawValid !== undefined) opts.rawBody = target.rawValid;
  return call(method, path, opts);
}

/** A chunked body (no Content-Length), so the Worker must count bytes as they arrive. */
async function streamed(method: string, path: string, auth: Target["auth"], bytes: number): Promise<CallResult> {
  const headers: Record<string, string> = { "content-type": "application/json", ...auth.headers };
  if (auth.key) headers.authorization = `Bearer ${auth.key}`;
  if (auth.admin) headers["x-admin-token"] = auth.admin;
  const chunk = new TextEncoder().encode("x".repeat(4096));
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === 0) controller.enqueue(new TextEncoder().encode('{"padding":"'));
      if (sent >= bytes) {
        controller.enqueue(new TextEncoder().encode('"}'));
        controller.close();
        return;
      }
      controller.enqueue(chunk);
      sent += chunk.byteLength;
    },
  });
  const res = await exports.default.fetch(
    new Request(new URL(path, "http://openmoss.test"), { method, headers, body, duplex: "half" } as RequestInit),
  );
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

function expectErrorShape(res: CallResult, expected: number, label: string): void {
  const where = `${label} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
  expect(res.status, where).toBe(expected);
  expect(res.headers.get("content-type") ?? "", where).toContain("application/json");
  expect(typeof res.body?.detail, where).toBe("string");
  expect(typeof res.body?.code, where).toBe("string");
  expect((res.body.code as string).length, where).toBeGreaterThan(0);
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

describe("bad input on every mutating endpoint", () => {
  it("the table covers exactly the mutating operations of the OpenAPI document", async () => {
    const doc = await openApi();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) =>
        Object.keys(ops)
          .filter((m) => MUTATING.includes(m))
          .map((m) => `${m.toUpperCase()} ${path}`),
      )
      .sort();
    expect(Object.keys(TABLE).sort()).toEqual(documented);
    // Every documented mutating endpoint lives under /api.
    for (const key of documented) expect(key.split(" ")[1]!.startsWith("/api/")).toBe(true);
  });

  for (const [key, prepare] of Object.entries(TABLE)) {
    it(`${key}: every bad request is a 4xx {detail, code} and changes nothing`, async () => {
      const [method] = key.split(" ") as [string];
      const doc = await openApi();
      const op = await operation(key);
      const target = await prepare();
      const bodySchema = op.requestBody?.content["application/json"]?.schema;

      const cases: BadCase[] = [
        ...(target.rawValid === undefined ? oversizeCases(target.valid) : []),
        ...pathParamCases(op, target.path, key.split(" ")[1]!),
      ];
      if (bodySchema) {
        expect(target.valid, `${key} has a body schema, so the table must give a valid body`).toBeDefined();
        cases.push(
          ...bodyShapeCases(doc, bodySchema, target.valid!),
          ...fieldCases(doc, bodySchema, target.valid!),
          ...(target.extra ?? []),
        );
        // A body schema with fields must produce field-level cases.
        if (Object.keys(resolve(doc, bodySchema).properties ?? {}).length > 0) {
          expect(cases.some((c) => c.label.includes(":"))).toBe(true);
        }
      } else {
        expect(target.valid, `${key} has no body schema`).toBeUndefined();
        expect(target.extra).toBeUndefined();
      }

      const before = await fullSnapshot();
      for (const c of cases) {
        const res = await send(method, target, c);
        expectErrorShape(res, c.expect, `${key} [${c.label}]`);
        expect(await fullSnapshot(), `${key} [${c.label}] changed the database`).toEqual(before);
      }

      // The same credentials, ids and a valid body succeed: the refusals above were about the input.
      const good = await send(method, target, { label: "valid", expect: 200 });
      expect(good.status, `${key} valid request → ${good.status} ${JSON.stringify(good.body)}`).toBeOneOf([200, 201]);
      expect(await fullSnapshot(), `${key}: the valid request should change something`).not.toEqual(before);
    });
  }
});

describe("body size limit boundary", () => {
  it("accepts a body of exactly the limit and refuses one byte more, with and without Content-Length", async () => {
    const w = await world();
    const json = JSON.stringify({ name: "at the limit" });
    const atLimit = json + " ".repeat(MAX_BODY_BYTES - json.length);
    const accepted = await call("POST", "/api/tasks", { key: w.planner.key, rawBody: atLimit });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    const before = await dbSnapshot();
    const refused = await call("POST", "/api/tasks", { key: w.planner.key, rawBody: `${atLimit} ` });
    expectErrorShape(refused, 413, "limit + 1");
    expect(refused.body.code).toBe("payload_too_large");
    const streamedRes = await streamed("POST", "/api/tasks", { key: w.planner.key }, MAX_BODY_BYTES);
    expectErrorShape(streamedRes, 413, "streamed over the limit");
    expect(await dbSnapshot()).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------
// Query validation on the read endpoints
// ---------------------------------------------------------------------------------------------

/** A bad value for one query parameter, by its schema. */
function badQueryValues(doc: OpenApiDoc, p: Parameter): BadValue[] {
  const s = resolve(doc, p.schema);
  const variants = (s.anyOf ?? [s]).map((v) => resolve(doc, v));
  const out: BadValue[] = [];
  for (const v of variants) {
    const vt = typesOf(v);
    if (vt.includes("integer") || vt.includes("number")) {
      out.push({ label: "not a number", value: "abc" }, { label: "fraction", value: "1.5" });
      if (v.maximum !== undefined) out.push({ label: `above maximum ${v.maximum}`, value: String(v.maximum + 1) });
      if (v.minimum !== undefined) out.push({ label: `below minimum ${v.minimum}`, value: String(v.minimum - 1) });
    }
    const enumValues = (v.enum ?? []).filter((e) => e !== null);
    if (enumValues.length > 0) out.push({ label: "unknown enum value", value: "bogus" });
    if (vt.includes("string") && v.maxLength !== undefined)
      out.push({ label: `longer than ${v.maxLength}`, value: "x".repeat(v.maxLength + 1) });
    if (v.format === "date-time") out.push({ label: "not a date-time", value: "yesterday-ish" });
  }
  return out;
}

describe("query validation on GET endpoints", () => {
  it("every GET query parameter refuses values of the wrong type or range with 400 {detail, code}", async () => {
    const doc = await openApi();
    const w = await world();
    const subTaskId = await subTaskIn(w, "review");
    // The public feed answers 403 while off; switch it on so only validation can refuse.
    await env.DB.prepare(
      "insert into setting (key, value, updated_at) values ('webui.public_feed', 'true', '2026-01-01T00:00:00.000Z') on conflict(key) do update set value = 'true'",
    ).run();
    const ids: Record<string, string> = {
      agent_id: w.exec.id,
      task_id: w.taskId,
      id: subTaskId,
      rule_id: await globalRuleId(),
      prefix: subTaskId.slice(0, 8),
      language: "en",
    };

    const tried: string[] = [];
    // A briefing remembers the rules revision it served (agent.rules_revision); served once here, the
    // baseline briefings below find it unchanged and write nothing.
    ok(await call("GET", "/api/agents/me/briefing", { key: w.exec.key }));
    const before = await dbSnapshot();
    for (const [path, ops] of Object.entries(doc.paths)) {
      const op = ops.get;
      if (!op) continue;
      const query = (op.parameters ?? []).filter((p) => p.in === "query");
      if (query.length === 0) continue;
      const concrete = path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? "unknown");
      const security = op.security ?? [];
      const auth: CallOptions = security.some((s) => "AdminToken" in s)
        ? { admin: w.admin }
        : security.some((s) => "AgentKey" in s)
          ? { key: w.exec.key }
          : {};
      // Required parameters get a valid value unless they are the one under test.
      const baseline: Record<string, string> = {};
      for (const p of query) if (p.required) baseline[p.name] = ids[p.name] ?? "x";

      // The baseline itself is accepted.
      const fine = await call("GET", concrete, { ...auth, query: baseline });
      expect([200, 404], `GET ${path} baseline → ${fine.status} ${JSON.stringify(fine.body)}`).toContain(fine.status);

      for (const p of query) {
        if (p.required) {
          const { [p.name]: _omit, ...rest } = baseline;
          const res = await call("GET", concrete, { ...auth, query: rest });
          expectErrorShape(res, 400, `GET ${path} without required ${p.name}`);
          tried.push(`${path}?${p.name}=<missing>`);
        }
        for (const bad of badQueryValues(doc, p)) {
          const res = await call("GET", concrete, { ...auth, query: { ...baseline, [p.name]: bad.value as string } });
          expectErrorShape(res, 400, `GET ${path}?${p.name}=${String(bad.value).slice(0, 20)} (${bad.label})`);
          tried.push(`${path}?${p.name}=${String(bad.value).slice(0, 20)}`);
        }
      }
    }
    expect(await dbSnapshot()).toEqual(before);

    // The cases the brief names are among those generated.
    for (const listPath of [
      "/api/tasks",
      "/api/sub-tasks",
      "/api/sub-tasks/mine",
      "/api/sub-tasks/available",
      "/api/review-records",
      "/api/scores/me/logs",
    ]) {
      expect(tried).toContain(`${listPath}?page_size=abc`);
      expect(tried).toContain(`${listPath}?page=abc`);
    }
    for (const listPath of ["/api/tasks", "/api/sub-tasks", "/api/sub-tasks/mine", "/api/agents"])
      expect(tried).toContain(`${listPath}?status=bogus`);
    expect(tried).toContain("/api/agents?role=bogus");
    expect(tried).toContain("/api/sub-tasks/latest?task_id=<missing>");
    expect(tried).toContain("/api/rules?cli_version=abc");
    expect(tried).toContain("/api/logs?limit=abc");
    expect(tried).toContain("/api/logs?days=abc");
  });

  it("spells out the common list-endpoint cases", async () => {
    const w = await world();
    for (const [path, query] of [
      ["/api/tasks", { page_size: "abc" }],
      ["/api/tasks", { status: "bogus" }],
      ["/api/sub-tasks", { page_size: "abc" }],
      ["/api/sub-tasks", { status: "bogus" }],
      ["/api/sub-tasks/mine", { status: "exploded" }],
      ["/api/sub-tasks/available", { page: "one" }],
      ["/api/review-records", { page_size: "1e999" }],
      ["/api/scores/me/logs", { page_size: "abc" }],
      [`/api/scores/${w.exec.id}/logs`, { page_size: "abc" }],
      ["/api/logs/mine", { limit: "many" }],
    ] as const) {
      const res = await call("GET", path, { key: w.exec.key, query });
      expectErrorShape(res, 400, `GET ${path} ${JSON.stringify(query)}`);
    }
    const rules = await call("GET", "/api/rules/list", { admin: w.admin, query: { scope: "bogus" } });
    expectErrorShape(rules, 400, "GET /api/rules/list?scope=bogus");
  });
});
