// Arbitraries for fuzz.test.ts: hostile requests generated from the OpenAPI document. A generated
// request is symbolic (it names "the 3rd sub-task", "a key of an allowed role"), so it stays valid
// when the fuzz test rebuilds its world, and fast-check can shrink it.
import fc from "fast-check";

// ---------------------------------------------------------------------------------------------
// The OpenAPI document
// ---------------------------------------------------------------------------------------------

/** The subset of JSON Schema the document uses. */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  format?: string;
  default?: unknown;
}

interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema: Schema;
}

interface RawOperation {
  description?: string;
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, Schema> };
}

export const ROLES = ["planner", "executor", "reviewer", "patrol"] as const;
export type Role = (typeof ROLES)[number];

/** Who may call an operation, as define.ts writes it into `description` ("Auth: …" / "Roles: …"). */
export type Auth =
  | { kind: "public" }
  | { kind: "agent" }
  | { kind: "admin" }
  | { kind: "roles"; roles: (Role | "admin")[] };

export interface Op {
  key: string;
  method: string;
  /** The OpenAPI path template, e.g. /api/sub-tasks/{id}/claim. */
  path: string;
  auth: Auth;
  pathParams: { name: string; schema: Schema; pool: Pool | undefined }[];
  query: { name: string; schema: Schema; required: boolean }[];
  headers: { name: string; schema: Schema }[];
  /** The resolved JSON body schema, when the operation takes one. */
  body?: Schema;
}

export function parseAuth(description: string | undefined): Auth | undefined {
  const text = description ?? "";
  const single = /^Auth: (public|agent|admin)\./.exec(text);
  if (single) return { kind: single[1] as "public" | "agent" | "admin" };
  const roles = /^Roles: ([a-z_, ]+)\./.exec(text);
  if (roles) {
    const list = roles[1]!.split(",").map((r) => r.trim());
    for (const r of list)
      if (r !== "admin" && !(ROLES as readonly string[]).includes(r)) throw new Error(`unknown role ${r} in "${text}"`);
    if (list.length === 0) throw new Error(`no roles in "${text}"`);
    return { kind: "roles", roles: list as (Role | "admin")[] };
  }
  return undefined;
}

/** The auth of an operation declared without define.ts, from its `security` requirement. */
function authFromSecurity(security: Record<string, string[]>[] | undefined): Auth {
  const schemes = new Set((security ?? []).flatMap((s) => Object.keys(s)));
  if (schemes.size === 0) return { kind: "public" };
  if (schemes.has("AgentKey") && schemes.has("AdminToken")) return { kind: "roles", roles: ["admin", ...ROLES] };
  if (schemes.has("AdminToken")) return { kind: "admin" };
  return { kind: "agent" };
}

export function resolve(doc: OpenApiDoc, s: Schema): Schema {
  if (!s.$ref) return s;
  const target = doc.components?.schemas?.[s.$ref.replace("#/components/schemas/", "")];
  if (!target) throw new Error(`unresolved ${s.$ref}`);
  return resolve(doc, target);
}

/** Every operation of the document, with its auth read from the description. */
export function operations(doc: OpenApiDoc): Op[] {
  const out: Op[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
      const params = op.parameters ?? [];
      const json = op.requestBody?.content["application/json"]?.schema;
      const declared = parseAuth(op.description);
      out.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        // A route not declared through define.ts has no "Auth:"/"Roles:" line: read its `security`.
        auth: declared ?? authFromSecurity(op.security),
        pathParams: params
          .filter((p) => p.in === "path")
          .map((p) => ({ name: p.name, schema: resolve(doc, p.schema), pool: pathPool(path, p.name) })),
        query: params
          .filter((p) => p.in === "query")
          .map((p) => ({ name: p.name, schema: resolve(doc, p.schema), required: p.required === true })),
        headers: params
          .filter((p) => p.in === "header")
          .map((p) => ({ name: p.name.toLowerCase(), schema: resolve(doc, p.schema) })),
        ...(json ? { body: resolve(doc, json) } : {}),
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Symbolic references into the fuzz world
// ---------------------------------------------------------------------------------------------

/** Sets of real values in the world: ids, names, slugs, roles. */
export type Pool =
  | "agent"
  | "task"
  | "module"
  | "subTask"
  | "review"
  | "patrolRecord"
  | "rule"
  | "slug"
  | "role"
  | "channel"
  | "name"
  | "sessionId"
  | "enrollmentToken"
  | "retrospective"
  | "finding"
  | "file";

export const POOLS: Pool[] = [
  "agent",
  "task",
  "module",
  "subTask",
  "review",
  "patrolRecord",
  "rule",
  "slug",
  "role",
  "channel",
  "name",
  "sessionId",
  "enrollmentToken",
  "retrospective",
  "finding",
  "file",
];

/** "The i-th value of a pool" (modulo its size), resolved when the request is sent. */
export interface Ref {
  pool: Pool;
  i: number;
}

const SEGMENT_POOLS: Record<string, Pool> = {
  "sub-tasks": "subTask",
  tasks: "task",
  agents: "agent",
  modules: "module",
  "review-records": "review",
  records: "patrolRecord",
  "patrol-records": "patrolRecord",
  rules: "rule",
  "enrollment-tokens": "enrollmentToken",
  retrospectives: "retrospective",
  findings: "finding",
  // GET /api/ids/{prefix}: a whole id is a prefix of itself.
  ids: "subTask",
};

/** The pool a path parameter draws real values from: by its name, else by the segment before it. */
function pathPool(path: string, param: string): Pool | undefined {
  const byName = namePool(param);
  if (byName) return byName;
  const segments = path.split("/");
  const at = segments.indexOf(`{${param}}`);
  return SEGMENT_POOLS[segments[at - 1] ?? ""];
}

/** The pool a body field or query parameter draws plausible values from, by its name. */
export function namePool(name: string): Pool | undefined {
  if (name === "task_id") return "task";
  if (name === "sub_task_id" || name === "depends_on") return "subTask";
  if (name === "module_id") return "module";
  if (["agent_id", "assigned_agent", "rework_agent", "reviewer_agent"].includes(name)) return "agent";
  if (name === "rule_id") return "rule";
  if (name === "channel_id") return "channel";
  if (name === "confirm_name") return "name";
  if (name === "slug") return "slug";
  if (name === "role") return "role";
  if (name === "session_id") return "sessionId";
  if (name === "retrospective_id") return "retrospective";
  if (name === "finding_id") return "finding";
  if (name === "file_id") return "file";
  return undefined;
}

/** `arb` in about one case out of `outOf`, else undefined (fc.option's freq is the other way round). */
const sometimes = <T>(arb: fc.Arbitrary<T>, outOf: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: outOf - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

const refArb = (pool: Pool): fc.Arbitrary<Ref> => fc.nat({ max: 50 }).map((i) => ({ pool, i }));

// ---------------------------------------------------------------------------------------------
// A JSON text under our control: own `__proto__` keys, duplicate keys, literal numbers such as
// 1e999 or -0, escaped lone surrogates and real ids, none of which JSON.stringify of a value gives.
// ---------------------------------------------------------------------------------------------

export type J =
  | { t: "lit"; s: string }
  | { t: "ref"; ref: Ref }
  | { t: "arr"; items: J[] }
  | { t: "obj"; entries: [string, J][] };

const lit = (s: string): J => ({ t: "lit", s });
const str = (s: string): J => lit(JSON.stringify(s));

export function jsonText(j: J, deref: (r: Ref) => string): string {
  switch (j.t) {
    case "lit":
      return j.s;
    case "ref":
      return JSON.stringify(deref(j.ref));
    case "arr":
      return `[${j.items.map((x) => jsonText(x, deref)).join(",")}]`;
    case "obj":
      return `{${j.entries.map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v, deref)}`).join(",")}}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Hostile scalars
// ---------------------------------------------------------------------------------------------

const LONE_SURROGATES = ["\uD800", "\uDBFF", "\uDC00", "\uDFFF"];

/** Strings that broke something somewhere once: encodings, traversal, injection, numbers-as-text. */
export const SPECIAL_STRINGS = [
  "",
  " ",
  "\t",
  "\n",
  "null",
  "undefined",
  "true",
  "false",
  "[]",
  "{}",
  "NaN",
  "Infinity",
  "-Infinity",
  "-0",
  "1e308",
  "1e999",
  "0x1F",
  "+5",
  " 5",
  "5 ",
  "05",
  "1.5",
  "1_000",
  "9007199254740993",
  "-9007199254740993",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "../",
  "../../etc/passwd",
  "..\\..\\",
  "%2e%2e",
  "%2e%2e%2f",
  "..%2f",
  "%00",
  "\u0000",
  "a\u0000b",
  "'; drop table agent; --",
  '" or 1=1 --',
  "%",
  "%%",
  "%zz",
  "?",
  "#",
  "&",
  "=",
  "/",
  "\\",
  "*",
  ...LONE_SURROGATES,
  "a\uD800b",
  "\uDC00\uD800",
  "😀",
  "e\u0301",
  "\u202Eevil",
  "\uFEFF",
  "\uFFFF",
  "\u2028",
  "\u0085",
  "<script>alert(1)</script>",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, sent as literal text.
  "${7*7}",
  "{{7*7}}",
  `ak_${"0".repeat(64)}`,
  "Bearer",
  "2026-01-01T00:00:00Z",
  "2026-13-45T99:99:99Z",
  "0000-00-00",
];

/** A string of any code points, now and then a lone surrogate. */
const anyUnit = fc.oneof(
  { weight: 80, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom(...LONE_SURROGATES) },
);

/** Long strings: past every maxLength the API has (10,000 and 100,000), some past the body limit. */
const hugeString = fc
  .tuple(
    fc.constantFrom(201, 1_001, 5_001, 10_001, 50_001, 100_001),
    fc.constantFrom("x", "x", "é", "😀", "\u0000", " "),
  )
  .map(([n, c]) => c.repeat(n));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
  { weight: 3, arbitrary: fc.string({ unit: anyUnit, maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 30 }) },
  { weight: 1, arbitrary: hugeString },
);

/** Number literals as JSON text, including ones JSON.stringify cannot produce (1e999, -0). */
const hostileNumber: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "0",
    "-0",
    "1",
    "-1",
    "1.5",
    "1e308",
    "-1e308",
    "1e999",
    "-1e999",
    "5e-324",
    "1E+2",
    "0.1e1",
    "9007199254740993",
    "123456789012345678901234567890",
    "2147483648",
    "-2147483649",
    "1000",
    "1001",
    "-1001",
    "100000",
  ),
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
);

const hostileScalar: fc.Arbitrary<J> = fc.oneof(
  { weight: 4, arbitrary: hostileString.map(str) },
  { weight: 2, arbitrary: hostileNumber.map(lit) },
  { weight: 1, arbitrary: fc.constantFrom("true", "false", "null").map(lit) },
);

const POLLUTION_KEYS = ["__proto__", "constructor", "prototype"];

function keyArb(names: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    ...(names.length ? [{ weight: 3, arbitrary: fc.constantFrom(...names) }] : []),
    { weight: 2, arbitrary: fc.constantFrom(...POLLUTION_KEYS) },
    { weight: 1, arbitrary: hostileString.filter((s) => s.length < 300) },
  );
}

/** Deep nesting as literal text (40,000 levels is at most 240 KB, inside the body limit). */
const deepNesting: fc.Arbitrary<J> = fc
  .tuple(fc.constantFrom(64, 1_000, 10_000, 40_000), fc.constantFrom("array", "object", "unclosed"))
  .map(([n, kind]) =>
    lit(
      kind === "array"
        ? "[".repeat(n) + "]".repeat(n)
        : kind === "object"
          ? `${'{"a":'.repeat(n)}1${"}".repeat(n)}`
          : "[".repeat(n),
    ),
  );

/** Any JSON tree with hostile leaves and keys (own __proto__ / constructor among them). */
function hostileTree(names: string[]): fc.Arbitrary<J> {
  const { node } = fc.letrec<{ node: J; arr: J; obj: J }>((tie) => ({
    node: fc.oneof({ maxDepth: 3, depthIdentifier: "hostile" }, hostileScalar, tie("arr"), tie("obj")),
    arr: fc.array(tie("node"), { maxLength: 4, depthIdentifier: "hostile" }).map((items): J => ({ t: "arr", items })),
    obj: fc
      .array(fc.tuple(keyArb(names), tie("node")), { maxLength: 4, depthIdentifier: "hostile" })
      .map((entries): J => ({ t: "obj", entries })),
  }));
  return node;
}

// ---------------------------------------------------------------------------------------------
// Plausible values from a schema: valid enough to get past validation now and then, so random
// input also reaches the handlers, the Durable Object and D1.
// ---------------------------------------------------------------------------------------------

const typesOf = (s: Schema): string[] => (s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type]);

function plausible(doc: OpenApiDoc, name: string, raw: Schema, depth = 0): fc.Arbitrary<J> {
  const s = resolve(doc, raw);
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return fc.oneof(...variants.map((v) => plausible(doc, name, v, depth)));
  const pool = namePool(name.replace(/\[\]$/, ""));
  const types = typesOf(s);
  const options: fc.Arbitrary<J>[] = [];
  if (s.enum) options.push(fc.constantFrom(...s.enum).map((v) => lit(JSON.stringify(v))));
  if (types.includes("null")) options.push(fc.constant(lit("null")));
  if (types.includes("boolean")) options.push(fc.boolean().map((b) => lit(String(b))));
  if (types.includes("integer") || types.includes("number")) {
    const min = s.minimum ?? -1000;
    const max = s.maximum ?? 1000;
    // Plausible values stay within ±1e6, unless the schema's minimum is above that (a limit in bytes).
    const low = Math.max(min, -1e6);
    options.push(fc.integer({ min: low, max: Math.max(low, Math.min(max, 1e6)) }).map((n) => lit(String(n))));
  }
  if (types.includes("string") && !s.enum) {
    if (pool) options.push(refArb(pool).map((ref): J => ({ t: "ref", ref })));
    else if (s.format === "date-time")
      options.push(
        fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }).map((d) => str(d.toISOString())),
      );
    else if (s.format === "uri" || name.endsWith("url"))
      options.push(fc.constantFrom("https://example.com", "http://127.0.0.1:9/hook", "").map(str));
    else {
      const min = s.minLength ?? 0;
      const max = Math.max(min, Math.min(s.maxLength ?? 40, 40));
      options.push(fc.string({ unit: "grapheme", minLength: min, maxLength: max }).map(str));
    }
  }
  if (types.includes("array") && depth < 3) {
    const item = s.items ?? {};
    const maxLength = Math.min(s.maxItems ?? 4, 4);
    options.push(
      fc
        .array(plausible(doc, `${name}[]`, item, depth + 1), {
          minLength: Math.min(s.minItems ?? 0, maxLength),
          maxLength,
        })
        .map((items): J => ({ t: "arr", items })),
    );
  }
  if ((types.includes("object") || s.properties) && depth < 3) options.push(objectFromSchema(doc, s, depth + 1));
  if (options.length === 0) options.push(hostileScalar);
  return fc.oneof(...options);
}

/** A field's value: mostly plausible, often hostile (wrong type, huge, unicode, nested, deep). */
function fieldValue(doc: OpenApiDoc, name: string, s: Schema, depth: number, names: string[]): fc.Arbitrary<J> {
  return fc.oneof(
    { weight: 5, arbitrary: plausible(doc, name, s, depth) },
    { weight: 3, arbitrary: hostileScalar },
    { weight: 1, arbitrary: hostileTree(names) },
    { weight: 1, arbitrary: deepNesting },
  );
}

/**
 * An object built from the schema's own property names. "valid-ish": every field plausible (required
 * ones nearly always present), so the request reaches the handler, the Durable Object and D1, and at
 * most one field or stray key is hostile. "mixed": any field may be hostile or missing.
 */
function objectFromSchema(
  doc: OpenApiDoc,
  raw: Schema,
  depth = 0,
  mode: "valid-ish" | "mixed" = "mixed",
): fc.Arbitrary<J> {
  const s = resolve(doc, raw);
  const props = Object.entries(s.properties ?? {});
  const names = props.map(([n]) => n);
  const required = new Set(s.required ?? []);
  const value = (n: string, p: Schema) =>
    mode === "valid-ish" ? plausible(doc, n, p, depth) : fieldValue(doc, n, p, depth, names);
  const fields = props.map(([n, p]) =>
    fc.option(
      value(n, p).map((v): [string, J] => [n, v]),
      { nil: undefined, freq: required.has(n) ? (mode === "valid-ish" ? 30 : 8) : 2 },
    ),
  );
  const stray = fc.tuple(keyArb(names), fc.oneof(hostileScalar, hostileTree(names)));
  const extras =
    mode === "valid-ish" ? sometimes(stray, 4).map((e) => (e ? [e] : [])) : fc.array(stray, { maxLength: 2 });
  // In valid-ish mode one present field may be swapped for a hostile value.
  const spoil =
    mode === "valid-ish" && names.length
      ? sometimes(fc.tuple(fc.nat(), fieldValue(doc, "", {}, depth, names)), 4)
      : fc.constant(undefined);
  return fc.tuple(fc.tuple(...fields), extras, spoil).map(([present, extra, spoiled]): J => {
    const entries = [...present.filter((e): e is [string, J] => e !== undefined), ...extra];
    if (spoiled && entries.length)
      entries[spoiled[0] % entries.length] = [entries[spoiled[0] % entries.length]![0], spoiled[1]];
    return { t: "obj", entries };
  });
}

// ---------------------------------------------------------------------------------------------
// Whole requests
// ---------------------------------------------------------------------------------------------

export type Body =
  | { kind: "none" }
  | { kind: "json"; j: J }
  | { kind: "text"; s: string }
  | { kind: "bytes"; b: number[] };

export type Creds =
  /** The i-th of the credentials that the operation accepts (admin session, key of an allowed role). */
  | { mode: "right"; i: number }
  | { mode: "none" }
  /** Anything but the right credentials. `agentKey` is a real key, possibly of a wrong role. */
  | { mode: "random"; authorization?: string; adminToken?: string; agentKey?: { i: number; form: string } };

/** A path segment: a real value from a pool, a hostile string (percent-encoded), or raw URL text. */
export type Segment = { ref: Ref } | { encoded: string } | { raw: string };

export interface FuzzRequest {
  /** Now and then another method than the documented one (HEAD, OPTIONS, PATCH, …). */
  method: string | undefined;
  segments: Record<string, Segment>;
  query: [string, { ref: Ref } | { value: string }][];
  rawQuery: string | undefined;
  body: Body;
  /** undefined: application/json; null: no Content-Type at all. */
  contentType: string | null | undefined;
  creds: Creds;
  idempotencyKey: string | undefined;
  contentLength: string | undefined;
  extraHeaders: [string, string][];
}

/** Printable ASCII (header values must be byte strings; workerd warns on anything above 0x7f). */
const headerValue = (maxLength = 60) =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength });

const RAW_SEGMENTS = [
  "..",
  ".",
  "../..",
  "%2e%2e",
  "%2E%2E%2F",
  "..%2F..%2F",
  "%",
  "%zz",
  "%00",
  "%ED%A0%80",
  "%C0%AE",
  "%F0%9F%98%80",
  "a/b",
  ";",
  "*",
  "é",
  "😀",
  " ",
  "%20",
  "x".repeat(1000),
  "__proto__",
  "constructor",
  "%5F%5Fproto%5F%5F",
];

function segmentArb(pool: Pool | undefined): fc.Arbitrary<Segment> {
  return fc.oneof(
    ...(pool ? [{ weight: 6, arbitrary: refArb(pool).map((ref): Segment => ({ ref })) }] : []),
    { weight: 2, arbitrary: hostileString.filter((s) => s.length <= 2_000).map((s): Segment => ({ encoded: s })) },
    { weight: 2, arbitrary: fc.constantFrom(...RAW_SEGMENTS).map((s): Segment => ({ raw: s })) },
  );
}

const RAW_QUERIES = [
  "%",
  "%zz",
  "page=%E0%A4%A",
  "a=%ED%A0%80",
  "&&",
  "=",
  "==",
  "page",
  "page=",
  "page=1&page=2&page=3",
  "x=1;y=2",
  "%00=%00",
  "a[b]=c",
  "__proto__[x]=1",
  "constructor=1",
  "page_size=1e999",
  "limit=-0",
  "days=NaN",
];

function queryArb(doc: OpenApiDoc, op: Op): fc.Arbitrary<FuzzRequest["query"]> {
  const names = op.query.map((q) => q.name);
  const valueFor = (name: string): fc.Arbitrary<{ ref: Ref } | { value: string }> => {
    const q = op.query.find((x) => x.name === name);
    const plausibleValue = q
      ? plausible(doc, name, q.schema).map((j): { ref: Ref } | { value: string } =>
          j.t === "ref"
            ? { ref: j.ref }
            : { value: j.t === "lit" && j.s.startsWith('"') ? (JSON.parse(j.s) as string) : j.t === "lit" ? j.s : "x" },
        )
      : fc.constant({ value: "1" });
    return fc.oneof(
      { weight: 4, arbitrary: plausibleValue },
      { weight: 3, arbitrary: hostileString.map((value) => ({ value })) },
      { weight: 1, arbitrary: hostileNumber.map((value) => ({ value })) },
    );
  };
  const pair = fc.oneof(
    ...(names.length
      ? [
          {
            weight: 4,
            arbitrary: fc.constantFrom(...names).chain((n) => valueFor(n).map((v): [string, typeof v] => [n, v])),
          },
        ]
      : []),
    {
      weight: 1,
      arbitrary: fc.tuple(
        keyArb(names),
        hostileString.map((value) => ({ value })),
      ),
    },
  );
  const required = op.query.filter((q) => q.required);
  return fc
    .tuple(
      fc.tuple(
        ...required.map((q) =>
          fc.option(
            valueFor(q.name).map((v): [string, typeof v] => [q.name, v]),
            { nil: undefined, freq: 6 },
          ),
        ),
      ),
      fc.array(pair, { maxLength: names.length ? 6 : 2 }),
    )
    .map(([req, rest]) => [...req.filter((r) => r !== undefined), ...rest]);
}

function bodyArb(doc: OpenApiDoc, op: Op): fc.Arbitrary<Body> {
  if (op.method === "GET") return fc.constant({ kind: "none" });
  const names = Object.keys(op.body?.properties ?? {});
  const schemaBody = (mode: "valid-ish" | "mixed") =>
    op.body ? objectFromSchema(doc, op.body, 0, mode) : fc.constant<J>({ t: "obj", entries: [] });
  return fc.oneof(
    { weight: 6, arbitrary: schemaBody("valid-ish").map((j): Body => ({ kind: "json", j })) },
    { weight: 6, arbitrary: schemaBody("mixed").map((j): Body => ({ kind: "json", j })) },
    { weight: 2, arbitrary: fc.jsonValue().map((v): Body => ({ kind: "json", j: lit(JSON.stringify(v) ?? "null") })) },
    { weight: 2, arbitrary: hostileTree(names).map((j): Body => ({ kind: "json", j })) },
    { weight: 1, arbitrary: deepNesting.map((j): Body => ({ kind: "json", j })) },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.constantFrom(
            "",
            " ",
            "{",
            "}",
            "null",
            "\uFEFF{}",
            "{}garbage",
            "{} {}",
            "{'a':1}",
            "<x/>",
            "a=b&c=d",
            '{"a":1,}',
            "[1,]",
            '{"a":"\\ud800"}',
            '{"a":"\\u00"}',
          ),
          hostileString,
        )
        .map((s): Body => ({ kind: "text", s })),
    },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.integer({ min: 0, max: 255 }), { maxLength: 200 })
        .map((b): Body => ({ kind: "bytes", b })),
    },
    { weight: 1, arbitrary: fc.constant<Body>({ kind: "none" }) },
  );
}

const CONTENT_TYPES = [
  "application/json; charset=utf-8",
  "APPLICATION/JSON",
  "application/json;charset=latin1",
  "text/plain",
  "text/plain;charset=UTF-8",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=----x",
  "application/xml",
  "application/octet-stream",
  "",
  " ",
  "application/vnd.api+json",
  "*/*",
  "application/json, text/plain",
  "json",
  "application/json-patch+json",
];

function credsArb(op: Op): fc.Arbitrary<Creds> {
  const random = fc.record(
    {
      authorization: fc.oneof(
        headerValue(),
        headerValue().map((s) => `Bearer ${s}`),
        fc.constant(`Bearer ak_${"0".repeat(64)}`),
        fc.constant("Bearer"),
        fc.constant(`Bearer ${"k".repeat(201)}`),
      ),
      adminToken: fc.oneof(headerValue(), fc.constant("x".repeat(201)), fc.constant("0".repeat(64))),
      agentKey: fc.record({
        i: fc.nat({ max: 50 }),
        form: fc.constantFrom("Bearer %s", "bearer %s", "Bearer  %s ", "%s", "Bearer %s%s", "Bearer %sx"),
      }),
    },
    { requiredKeys: [] },
  );
  return fc.oneof(
    {
      weight: op.auth.kind === "public" ? 1 : 6,
      arbitrary: fc.nat({ max: 50 }).map((i): Creds => ({ mode: "right", i })),
    },
    { weight: 1, arbitrary: fc.constant<Creds>({ mode: "none" }) },
    { weight: 2, arbitrary: random.map((r): Creds => ({ mode: "random", ...r })) },
  );
}

export function requestArb(doc: OpenApiDoc, op: Op): fc.Arbitrary<FuzzRequest> {
  const segments = fc.record(
    Object.fromEntries(op.pathParams.map((p) => [p.name, segmentArb(p.pool)])),
  ) as fc.Arbitrary<Record<string, Segment>>;
  return fc.record({
    method: sometimes(fc.constantFrom("HEAD", "OPTIONS", "PATCH", "GET", "POST", "PUT", "DELETE"), 12),
    segments,
    query: queryArb(doc, op),
    rawQuery: sometimes(fc.constantFrom(...RAW_QUERIES), 6),
    body: bodyArb(doc, op),
    contentType: fc.oneof(
      { weight: 10, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constant(null) },
      { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
      { weight: 1, arbitrary: headerValue(40) },
    ),
    creds: credsArb(op),
    idempotencyKey: sometimes(
      fc.oneof(
        { weight: 6, arbitrary: headerValue(40) },
        { weight: 1, arbitrary: fc.constantFrom("", "k".repeat(201)) },
        { weight: 2, arbitrary: fc.constant("fuzz-fixed-key") },
      ),
      4,
    ),
    // Content-Length that lies: smaller or larger than the body, or not a number at all.
    contentLength: sometimes(
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom("0", "1", "10", "abc", "-1", "1e3", " 5", "0x10", "") },
        { weight: 1, arbitrary: fc.constantFrom("999999999", "99999999999999999999999", String(256 * 1024 + 1)) },
      ),
      6,
    ),
    extraHeaders: fc
      .tuple(
        // The operation's own header parameters: a documented value (enum) or anything.
        fc.tuple(
          ...op.headers.map((h) =>
            fc.option(
              fc
                .oneof(...(h.schema.enum ? [fc.constantFrom(...h.schema.enum.map(String))] : []), headerValue())
                .map((v): [string, string] => [h.name, v]),
              { nil: undefined, freq: 4 }, // present 3 times out of 4
            ),
          ),
        ),
        fc.array(
          fc.tuple(
            fc.constantFrom(
              "x-forwarded-for",
              "cf-connecting-ip",
              "x-real-ip",
              "origin",
              "accept",
              "x-registration-token",
              "x-setup-token",
              "x-http-method-override",
              "cookie",
              "range",
            ),
            headerValue(),
          ),
          { maxLength: 3 },
        ),
      )
      .map(([own, extra]) => [...own.filter((h): h is [string, string] => h !== undefined), ...extra]),
  });
}
