// The static side of the Worker, against the browser suite's real `wrangler dev` (dashboard/dist as
// Workers Static Assets, dashboard/public/_headers applied by the asset server):
// - every response carries the security headers (the dashboard's from _headers, the API's from
//   worker/lib/security-headers.ts), exactly;
// - hostile paths (traversal, encodings, backslashes, null bytes, very long) sent byte for byte on a
//   raw socket never return a file from outside dashboard/dist, never a 5xx, never an off-site redirect;
// - in Chromium the dashboard boots under its CSP with no violation, while the CSP does block an
//   injected inline script and style; the API reference page runs under its own CSP.
// This file only reads: it never initializes the shared server (dashboard.test.ts expects a fresh one).
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, launchBrowser, setupToken } from "./harness";
import { WAIT_LIMIT_MS } from "./limits";

/** Node-only modules, loaded at run time: the root tsconfig also checks this folder without Node's types. */
const load = (specifier: string): Promise<any> => import(/* @vite-ignore */ specifier);

const DASHBOARD_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "strict-transport-security": "max-age=15552000; includeSubDomains",
};
const API_HEADERS = { ...DASHBOARD_HEADERS, "content-security-policy": "default-src 'none'; frame-ancestors 'none'" };

/** Text that only files outside the bundle (or bundle files kept out of the deploy) contain. */
const FOREIGN_MARKERS = [
  "compatibility_date", // wrangler.toml
  "[assets]", // wrangler.toml
  '"devDependencies"', // package.json
  "SETUP_TOKEN", // .dev.vars, the env file of this server
  setupToken, // this server's secret itself
  "SQLite format 3", // D1 / Durable Object state under .wrangler or --persist-to
  "createBaseApp", // worker sources
  "root:x:0:0", // /etc/passwd
  '"isEntry"', // dist/.vite/manifest.json (kept out by .assetsignore)
  "Content-Security-Policy:", // dist/_headers (configuration, never served)
];

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * One HTTP/1.1 GET with the request target sent exactly as given (fetch and node:http would
 * normalize or refuse it), over a fresh connection. Decodes a chunked body.
 */
async function rawGet(target: string): Promise<RawResponse> {
  const net = await load("node:net");
  const { Buffer } = await load("node:buffer");
  const url = new URL(baseUrl);
  const bytes: Uint8Array = await new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const chunks: Uint8Array[] = [];
    socket.on("data", (d: Uint8Array) => chunks.push(d));
    socket.on("end", () => resolve(Buffer.concat(chunks)));
    socket.on("error", reject);
    socket.write(Buffer.from(`GET ${target} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`, "latin1"));
  });
  const text = Buffer.from(bytes).toString("latin1");
  const split = text.indexOf("\r\n\r\n");
  expect(split, `no complete response for ${JSON.stringify(target.slice(0, 80))}`).toBeGreaterThan(0);
  const [statusLine, ...lines] = text.slice(0, split).split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine!)?.[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(":");
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = text.slice(split + 4);
  if (headers["transfer-encoding"]?.includes("chunked")) {
    let decoded = "";
    for (let at = 0; ; ) {
      const eol = body.indexOf("\r\n", at);
      const size = parseInt(body.slice(at, eol), 16);
      if (!size) break;
      decoded += body.slice(eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
    }
    body = decoded;
  }
  return { status, headers, body: Buffer.from(body, "latin1").toString("utf8") };
}

let indexHtml = "";

/** What a hostile path may answer: the SPA's index.html, a JSON error, or an empty error. */
function expectHarmless(res: RawResponse, target: string) {
  const what = `${JSON.stringify(target.slice(0, 100))} → ${res.status}`;
  expect(res.status, what).toBeGreaterThanOrEqual(200);
  expect(res.status, what).toBeLessThan(500);
  for (const marker of FOREIGN_MARKERS) expect(res.body.includes(marker), `${what} contains ${marker}`).toBe(false);
  const isIndex = res.body === indexHtml;
  const isJsonError = (() => {
    try {
      return typeof JSON.parse(res.body).code === "string";
    } catch {
      return false;
    }
  })();
  // workerd's own refusals (400 invalid URI, 414) are short plain text.
  const isShortError = res.status >= 400 && res.body.length < 100;
  const isEmptyRedirect = res.status >= 300 && res.status < 400 && res.body === "";
  expect(isIndex || isJsonError || isShortError || isEmptyRedirect, `${what}: ${res.body.slice(0, 200)}`).toBe(true);
}

/** Follows redirects (same-origin only) up to 5 hops, checking every answer on the way. */
async function probe(target: string): Promise<RawResponse> {
  let current = target;
  for (let hop = 0; hop < 5; hop++) {
    const res = await rawGet(current);
    expectHarmless(res, current);
    if (res.status < 300 || res.status >= 400) return res;
    const location = res.headers.location ?? "";
    // A path on this origin: never `//host` or `/\host`, which browsers read as another site.
    expect(location, `redirect of ${JSON.stringify(current)}`).toMatch(/^\/(?![/\\])/);
    current = location;
  }
  throw new Error(`more than 5 redirects from ${JSON.stringify(target)}`);
}

beforeAll(async () => {
  const res = await fetch(`${baseUrl}/`);
  indexHtml = await res.text();
  expect(indexHtml).toContain('<div id="app"></div>');
});

describe("security headers", () => {
  it("the dashboard's files and its SPA fallback carry the dashboard's headers", async () => {
    const script = /src="(\/assets\/index-[^"]+\.js)"/.exec(indexHtml)?.[1];
    const style = /href="(\/assets\/index-[^"]+\.css)"/.exec(indexHtml)?.[1];
    expect(script).toBeDefined();
    expect(style).toBeDefined();
    for (const path of ["/", "/setup", "/login", "/tasks/some-id", "/no/such/page", script!, style!, "/favicon.svg"]) {
      const res = await fetch(`${baseUrl}${path}`);
      expect(res.status, path).toBe(200);
      for (const [name, value] of Object.entries(DASHBOARD_HEADERS))
        expect(res.headers.get(name), `${path} ${name}`).toBe(value);
      await res.arrayBuffer();
    }
  });

  it("API responses, errors included, carry the API's headers", async () => {
    // (null: whatever the endpoint answers, as long as it is not a 5xx.)
    const cases: [string, RequestInit, number | null][] = [
      ["/api/health", {}, 200],
      ["/api/openapi.json", {}, 200],
      ["/api/no-such-endpoint", {}, 404],
      ["/api/agents", {}, 401],
      [
        "/api/tasks",
        {
          method: "POST",
          body: "{not json",
          headers: { "content-type": "application/json", authorization: `Bearer ak_${"0".repeat(32)}` },
        },
        401,
      ],
      [
        "/api/tasks",
        {
          method: "OPTIONS",
          headers: { origin: "https://elsewhere.example", "access-control-request-method": "POST" },
        },
        204,
      ],
      ["/mcp", {}, null],
    ];
    for (const [path, init, status] of cases) {
      const res = await fetch(`${baseUrl}${path}`, init);
      if (status === null) expect(res.status, path).toBeLessThan(500);
      else expect(res.status, path).toBe(status);
      for (const [name, value] of Object.entries(API_HEADERS))
        expect(res.headers.get(name), `${init.method ?? "GET"} ${path} ${name}`).toBe(value);
      await res.arrayBuffer();
    }
  });

  it("the API reference page gets its own CSP and its Swagger UI files from this server", async () => {
    const res = await fetch(`${baseUrl}/api/docs`);
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain("<script>");
    expect(res.headers.get("content-security-policy")).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    for (const [file, type] of [
      ["swagger-ui-bundle.js", "javascript"],
      ["swagger-ui.css", "text/css"],
      ["init.js", "javascript"],
    ]) {
      const asset = await fetch(`${baseUrl}/api-docs/${file}`);
      expect(asset.status, file).toBe(200);
      expect(asset.headers.get("content-type"), file).toContain(type);
      await asset.arrayBuffer();
    }
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("hostile paths to the static assets", () => {
  const levels = (n: number, step: string) => step.repeat(n);
  const TARGETS = [
    "/../wrangler.toml",
    "/../../wrangler.toml",
    "/../../../../../../etc/passwd",
    "/%2e%2e/wrangler.toml",
    "/%2e%2e/%2e%2e/wrangler.toml",
    "/.%2e/.%2e/package.json",
    "/..%2f..%2fpackage.json",
    "/..%2f..%2f..%2fpackage.json",
    "/assets/..%2f..%2f..%2fwrangler.toml",
    "/assets/../../../worker/index.ts",
    "/%2e%2e%2f%2e%2e%2f.dev.vars",
    "/%2e%2e%2f%2e%2e%2fwrangler.toml",
    "/..%2F..%2FWRANGLER.TOML",
    "/.wrangler/state",
    "/.wrangler/state/v3/d1",
    "/api/../../wrangler.toml",
    "/api/..%2f..%2fwrangler.toml",
    "/api/%2e%2e/%2e%2e/package.json",
    // backslashes, raw and encoded
    "/..\\..\\wrangler.toml",
    "/assets\\..\\..\\..\\package.json",
    "/..%5c..%5cwrangler.toml",
    "/assets/..%5c..%5c..%5cpackage.json",
    // double encoding and overlong UTF-8
    "/%252e%252e%252f%252e%252e%252fwrangler.toml",
    "/%252e%252e/%252e%252e/package.json",
    "/..%252f..%252fpackage.json",
    "/..%c0%af..%c0%afwrangler.toml",
    "/%c0%ae%c0%ae/%c0%ae%c0%ae/wrangler.toml",
    // null bytes, encoded and raw
    "/index.html%00.js",
    "/..%00/..%00/wrangler.toml",
    "/%00../../wrangler.toml",
    "/../../wrangler.toml\0",
    "/\0../wrangler.toml",
    // odd shapes
    "//etc/passwd",
    "/%2fetc%2fpasswd",
    "/....//....//wrangler.toml",
    "/..;/..;/wrangler.toml",
    "/%2e%2e%5c%2e%2e%5c.dev.vars",
    // files that exist next to or inside dist but are not part of the deploy
    "/wrangler.toml",
    "/package.json",
    "/.dev.vars",
    "/.git/config",
    "/node_modules/hono/package.json",
    "/worker/index.ts",
    "/_headers",
    "/.assetsignore",
    "/.vite/manifest.json",
    "/%2evite/manifest.json",
    // very long paths: many levels, and one past workerd's limit
    `/${levels(2000, "..%2f")}wrangler.toml`,
    `/${levels(1500, "../")}wrangler.toml`,
    `/${levels(4000, "a/")}`,
    `/${"a".repeat(70_000)}`,
  ];

  it("never answer with a file from outside dashboard/dist, a 5xx or an off-site redirect (raw request targets)", async () => {
    const statuses = new Map<number, number>();
    for (const target of TARGETS) {
      const res = await probe(target);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
    // The probe saw real answers: mostly the SPA fallback, plus workerd's refusals of the malformed ones.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(TARGETS.length / 2);
    expect(statuses.get(400) ?? 0).toBeGreaterThanOrEqual(1); // a raw NUL in the target
    expect(statuses.get(414) ?? 0).toBeGreaterThanOrEqual(1); // the 70 000-character path
  });

  it("the same paths through fetch (normalized by the client, as a browser sends them)", async () => {
    for (const target of TARGETS.filter((t) => !t.includes("\0") && t.length < 8000)) {
      const res = await fetch(`${baseUrl}${target}`);
      const body = await res.text();
      expect(res.status, target).toBeLessThan(500);
      for (const marker of FOREIGN_MARKERS) expect(body.includes(marker), `${target} contains ${marker}`).toBe(false);
    }
  });

  it("the bundle's real files are still served (the probe is not just a wall of fallbacks)", async () => {
    const favicon = await rawGet("/favicon.svg");
    expect(favicon.status).toBe(200);
    expect(favicon.headers["content-type"]).toBe("image/svg+xml");
    expect(favicon.body).toContain("<svg");
    expect(indexHtml).not.toBe(favicon.body);
  });
});

describe("the dashboard in Chromium under its CSP", () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];

  /** Violations as the page itself sees them (securitypolicyviolation events), in order. */
  const violations = (p: Page) => p.evaluate("window.__csp") as Promise<string[]>;

  beforeAll(async () => {
    // Its own browser and a context without a profile: the shared profile stays untouched.
    browser = await launchBrowser();
    context = await browser.newContext({ baseURL: baseUrl });
    context.setDefaultTimeout(WAIT_LIMIT_MS);
    // (Strings, not functions: the root tsconfig checks this file without the DOM's types.)
    await context.addInitScript(
      "window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.effectiveDirective + ' ' + e.blockedURI));",
    );
    page = await context.newPage();
    page.on("console", (msg) => {
      if (msg.type() === "error") consoleErrors.push(msg.text());
    });
    page.on("pageerror", (err) => consoleErrors.push(`uncaught ${err.message}`));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it("boots (setup wizard or login, whichever this server is at) with no CSP violation and no console error", async () => {
    const response = await page.goto("/");
    expect(response?.headers()["content-security-policy"]).toBe(DASHBOARD_HEADERS["content-security-policy"]);
    // Rendered by the app's own modules: the CSP let the scripts and the stylesheet through.
    await page.locator("#setup-title, #login-title").first().waitFor();
    await page.waitForLoadState("networkidle");
    // The stylesheet applied (browsers default the body's margin to 8px; styles.css sets 0).
    expect(await page.evaluate("getComputedStyle(document.body).margin")).toBe("0px");
    expect(await violations(page)).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it("the CSP is enforced: an injected inline script and an inline style attribute are blocked", async () => {
    const result = (await page.evaluate(`(() => {
      const script = document.createElement("script");
      script.textContent = "window.__injected = true";
      document.body.append(script);
      const div = document.createElement("div");
      div.setAttribute("style", "color: rgb(255, 0, 0)");
      document.body.append(div);
      return { injected: window.__injected ?? false, color: getComputedStyle(div).color };
    })()`)) as { injected: boolean; color: string };
    expect(result.injected).toBe(false);
    expect(result.color).not.toBe("rgb(255, 0, 0)");
    // The events are queued as tasks: wait for both.
    await page.waitForFunction("window.__csp.length >= 2");
    expect((await violations(page)).map((v) => v.split(" ")[0]).sort()).toEqual(["script-src-elem", "style-src-attr"]);
    // The browser's console messages reach this process on their own channel, maybe after the events.
    await expect.poll(() => consoleErrors.length).toBe(2);
    expect(consoleErrors.every((e) => /Content Security Policy/.test(e))).toBe(true);
    consoleErrors.length = 0;
  });

  it("the API reference runs the real Swagger UI under its CSP and shows the OpenAPI document, with no request to another origin", async () => {
    const foreign: string[] = [];
    const onRequest = (r: { url(): string }) => {
      if (!r.url().startsWith(baseUrl) && !r.url().startsWith("data:")) foreign.push(r.url());
    };
    page.on("request", onRequest);
    const response = await page.goto("/api/docs");
    expect(response?.headers()["content-security-policy"]).toMatch(/^default-src 'none'; script-src 'self'; /);
    await page.locator("#swagger-ui .info .title", { hasText: "OpenMOSS Edge API" }).waitFor();
    // Every tag (collapsed, like the schemas: expanded, the whole document is more than Swagger UI
    // renders; dashboard/public/api-docs/init.js), and one opened to its operations.
    await expect.poll(() => page.locator("#swagger-ui .opblock-tag").count()).toBeGreaterThanOrEqual(25);
    await expect(page.locator("#swagger-ui").textContent()).resolves.toContain("Schemas");
    await page.locator("#swagger-ui .opblock-tag", { hasText: "Admin auth" }).click();
    await expect.poll(() => page.locator("#swagger-ui").textContent()).toContain("/api/admin/login");
    expect(await page.locator("#swagger-ui .opblock").count()).toBeGreaterThanOrEqual(3);
    page.off("request", onRequest);
    expect(foreign).toEqual([]);
    expect(await violations(page)).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
