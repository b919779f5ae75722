// Every JSON body is scanned before anything parses it or queries D1 (worker/lib/json-scan.ts):
// nesting deeper than 400 levels is refused with too_deep, and a string at any depth, object keys
// included, that decodes to a lone surrogate with invalid_text. Both through the real path, and the
// scanner against a reference on random JSON.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../worker/lib/body";
import { MAX_JSON_DEPTH, scanJsonText } from "../worker/lib/json-scan";
import { call, env, initialize, ok, register } from "./helpers";

const tasks = async () => (await env.DB.prepare("select count(*) n from task").first<{ n: number }>())!.n;

/** A task body nesting `depth` levels deep: the object, then arrays around `inner` in an extra field. */
const deepTask = (depth: number, inner: string) =>
  `{"name":"T","description":"d","extra":${"[".repeat(depth - 1)}${inner}${"]".repeat(depth - 1)}}`;

async function planner(): Promise<string> {
  await initialize();
  return (await register("planner")).key;
}

describe("lone surrogates are refused at any depth", () => {
  for (const depth of [1, 50, MAX_JSON_DEPTH - 1]) {
    it(`depth ${depth}: in a value or a key → 400 invalid_text, before any D1 query, nothing stored`, async () => {
      const key = await planner();
      const bodies =
        depth === 1
          ? [
              '{"name":"bad \\ud800 text","description":"d"}',
              '{"name":"T","description":"\\uDFFF"}',
              '{"name":"T","\\udc00":"key"}',
            ]
          : [deepTask(depth, '"\\ud800"'), deepTask(depth, '"a\\uD83Dz"'), deepTask(depth - 1, '{"\\udc00":1}')];
      for (const rawBody of bodies) {
        const res = await call("POST", "/api/tasks", { key, rawBody });
        expect(res.status, rawBody.slice(-40)).toBe(400);
        expect(res.body).toEqual({
          detail: expect.stringContaining("lone surrogate"),
          code: "invalid_text",
          hint: expect.any(String),
        });
        expect(res.headers.get("x-d1-queries")).toBe("0");
      }
      expect(await tasks()).toBe(0);
    });
  }

  it("a whole pair, escaped or raw, and an escaped backslash before `u` are text", async () => {
    const key = await planner();
    const task = await ok(
      call("POST", "/api/tasks", {
        key,
        rawBody: '{"name":"go \\ud83d\\ude80 🚀 \\\\ud800 [[{","description":"\\uD83D\\uDE80"}',
      }),
    );
    expect(task.name).toBe("go 🚀 🚀 \\ud800 [[{");
    expect(task.description).toBe("🚀");
  });
});

describe("nesting depth is bounded", () => {
  it(`${MAX_JSON_DEPTH} levels pass the scan; ${MAX_JSON_DEPTH + 1} → 400 too_deep before any D1 query, nothing stored`, async () => {
    const key = await planner();
    const atLimit = await call("POST", "/api/tasks", { key, rawBody: deepTask(MAX_JSON_DEPTH, "0") });
    expect(atLimit.status).toBeLessThan(500);
    expect(atLimit.body.code).not.toBe("too_deep");
    const before = await tasks();
    for (const rawBody of [
      deepTask(MAX_JSON_DEPTH + 1, "0"),
      deepTask(MAX_JSON_DEPTH + 1, '"\\ud800"'),
      `{"a":${'{"a":'.repeat(MAX_JSON_DEPTH)}1${"}".repeat(MAX_JSON_DEPTH)}}`,
    ]) {
      const res = await call("POST", "/api/tasks", { key, rawBody });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        detail: expect.stringContaining(String(MAX_JSON_DEPTH)),
        code: "too_deep",
        hint: expect.any(String),
      });
      expect(res.headers.get("x-d1-queries")).toBe("0");
    }
    expect(await tasks()).toBe(before);
  });

  it("brackets inside strings do not count", async () => {
    const key = await planner();
    const task = await ok(call("POST", "/api/tasks", { key, body: { name: "T", description: "[{".repeat(1000) } }));
    expect(task.description).toBe("[{".repeat(1000));
  });

  it("a body of 256 KiB of `[` is refused fast, with 400 too_deep and no 5xx", async () => {
    const key = await planner();
    for (const rawBody of ["[".repeat(MAX_BODY_BYTES), '{"a":'.repeat(MAX_BODY_BYTES / 5)]) {
      const started = performance.now();
      const res = await call("POST", "/api/tasks", { key, rawBody });
      const ms = performance.now() - started;
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("too_deep");
      expect(ms).toBeLessThan(1000);
    }
  });
});

describe("scanJsonText against a reference", () => {
  const isLone = (s: string) => {
    try {
      encodeURIComponent(s); // throws URIError on a lone surrogate, and only then
      return false;
    } catch {
      return true;
    }
  };
  const anyLone = (v: unknown): boolean =>
    typeof v === "string"
      ? isLone(v)
      : Array.isArray(v)
        ? v.some(anyLone)
        : v !== null && typeof v === "object"
          ? Object.entries(v).some(([k, x]) => isLone(k) || anyLone(x))
          : false;
  /** The same JSON with every non-ASCII code unit written as a `\uXXXX` escape (only strings hold any). */
  const escapeAll = (json: string) =>
    json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

  // Code units biased towards surrogates and JSON's own punctuation.
  const unit = fc.oneof(
    fc.integer({ min: 0xd800, max: 0xdfff }),
    fc.constantFrom(0x22, 0x5c, 0x5b, 0x7b, 0x75, 0x61),
    fc.integer({ min: 0, max: 0xffff }),
  );
  const str = fc.array(unit, { maxLength: 6 }).map((units) => String.fromCharCode(...units));
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small" },
      str,
      fc.integer(),
      fc.constant(null),
      fc.array(tie("value"), { maxLength: 3 }),
      fc.dictionary(str, tie("value"), { maxKeys: 3 }),
    ),
  }));

  it("finds a lone surrogate exactly when one is there, escaped by JSON.stringify or by us", () => {
    fc.assert(
      fc.property(value, (v) => {
        const expected = anyLone(v) ? "lone_surrogate" : null;
        const json = JSON.stringify(v);
        expect(scanJsonText(json)).toBe(expected);
        expect(scanJsonText(escapeAll(json))).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it("counts depth exactly, with brackets and escapes in strings ignored", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_JSON_DEPTH + 3 }), str, (depth, s) => {
        const json = `${'{"k":['.repeat(Math.ceil(depth / 2))}${JSON.stringify(s)}${"]}".repeat(Math.ceil(depth / 2))}`;
        const levels = 2 * Math.ceil(depth / 2);
        const expected = levels > MAX_JSON_DEPTH ? "too_deep" : isLone(s) ? "lone_surrogate" : null;
        expect(scanJsonText(json)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});
