// The dashboard as Cloudflare Pages serves it (issue 16, README "The dashboard on Cloudflare Pages"):
// the Pages build (VITE_API_BASE_URL = the Worker's origin) served by `wrangler pages dev` with the
// Pages configuration, on one origin, against a Worker of this file's own on another, whose
// CORS_ORIGINS lists the site. In Chromium on the site: the setup wizard, login, a board with seeded
// work, and a live update over the WebSocket, all cross-origin. The suite's shared Worker (no
// CORS_ORIGINS) shows the other side: it refuses the same origin, for HTTP and for the socket.
import type { Browser, Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCall, baseUrl, launchBrowser, stepsDependOnEachOther } from "./harness";
import { WAIT_LIMIT_MS } from "./limits";
import { type CrossOriginSetup, PAGES_HOST, RESOLVE_PAGES_HOST, startCrossOrigin } from "./pages-site";

const PASSWORD = "pages-secret-1";
const setupToken = crypto.randomUUID().replaceAll("-", "");

let servers: CrossOriginSetup;
let browser: Browser;
let page: Page;
/** Every request the page made, in order, and the URLs of the WebSockets it opened. */
const requests: Request[] = [];
const sockets: string[] = [];
/** Console errors and uncaught exceptions. */
const errors: string[] = [];
/**
 * Chromium honours Cross-Origin-Opener-Policy only on a trustworthy origin: https (as on Pages) or
 * localhost, not this test's http://dashboard.test, and says so in the console on every load.
 */
const COOP_IGNORED = /Cross-Origin-Opener-Policy header has been ignored, because the URL's origin was untrustworthy/;
let registrationToken = "";
let planner = "";
let taskId = "";
const timings: Record<string, number> = {};

beforeAll(async () => {
  const started = performance.now();
  [servers, browser] = await Promise.all([startCrossOrigin(setupToken), launchBrowser([RESOLVE_PAGES_HOST])]);
  timings["servers and build (s)"] = Math.round(performance.now() - started) / 1000;
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, reducedMotion: "reduce" });
  // As harness.ts: every wait is for a condition; the limit only catches a hang.
  context.setDefaultTimeout(WAIT_LIMIT_MS);
  page = await context.newPage();
  page.on("request", (r) => requests.push(r));
  page.on("websocket", (ws) => sockets.push(ws.url()));
  page.on("console", (m) => {
    if (m.type() === "error" && !COOP_IGNORED.test(m.text())) errors.push(`${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`${page.url()}: uncaught ${e.message}`));
});

afterAll(async () => {
  await browser?.close();
  await servers?.dispose();
  console.log(`[pages] ${JSON.stringify(timings)}`);
});

const apiRequests = () => requests.map((r) => new URL(r.url())).filter((u) => u.pathname.startsWith("/api/"));
const call = <T = any>(method: string, path: string, headers: Record<string, string>, body?: unknown) =>
  apiCall<T>(servers.api, method, path, headers, body);
const liveState = (state: string) => page.locator(`[data-testid="live-status"][data-state="${state}"]`);

describe("the dashboard on Pages, against the Worker on another origin", () => {
  stepsDependOnEachOther();

  it("serves the site on its own origin, not loopback, and the Worker echoes it in CORS", async () => {
    const site = new URL(servers.site);
    expect(site.hostname).toBe(PAGES_HOST);
    expect(site.origin).not.toBe(new URL(servers.api).origin);
    const res = await fetch(`${servers.api}/api/setup/status`, { headers: { origin: servers.site } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(servers.site);
  });

  it("runs the setup wizard with the setup token", async () => {
    await page.goto(servers.site);
    await page.waitForURL("**/setup");
    expect(new URL(page.url()).origin).toBe(servers.site);
    await page.getByLabel("Setup token").fill(setupToken);
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByLabel("Admin password").fill(PASSWORD);
    await page.getByLabel("Confirm password").fill(PASSWORD);
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByLabel("Workspace directory").fill("/srv/pages");
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByLabel("Planner").check();
    await page.getByRole("button", { name: "Initialize" }).click();
    await page.getByRole("heading", { name: "Setup complete" }).waitFor();
    registrationToken = (await page.getByTestId("registration-token").textContent()) ?? "";
    expect(registrationToken).toMatch(/^[0-9a-f]{32}$/);
    // The Worker was set up by the page: its API says so.
    await expect(call("GET", "/api/setup/status", {})).resolves.toMatchObject({ initialized: true });
  });

  it("logs in", async () => {
    await page.getByRole("link", { name: "Go to login" }).click();
    await page.waitForURL("**/login?from=setup");
    await page.getByLabel("Admin password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL("**/overview");
    await page.getByTestId("overview-cards").waitFor();
  });

  it("shows seeded work on a task's board, with the live connection up", async () => {
    planner = (
      await call<{ api_key: string }>(
        "POST",
        "/api/agents/register",
        { "x-registration-token": registrationToken },
        { name: "planner-pages", role: "planner", description: "planner of the Pages test" },
      )
    ).api_key;
    const auth = { authorization: `Bearer ${planner}` };
    taskId = (
      await call<{ id: string }>("POST", "/api/tasks", auth, {
        name: "Pages rollout",
        description: "cross-origin",
        type: "once",
      })
    ).id;
    await addSubTask("serve the site");
    await page.goto(`${servers.site}/tasks/${taskId}`);
    await page.locator('[data-status="pending"]').getByRole("link", { name: "serve the site", exact: true }).waitFor();
    // The WebSocket to the Worker's origin is accepted: the hub's hello turns the badge Live.
    await liveState("live").waitFor();
    await expect(page.getByTestId("live-status").textContent()).resolves.toBe("Live");
  });

  it("shows a change made through the API without a reload", async () => {
    await page.evaluate("window.__sameDocument = true");
    const created = performance.now();
    await addSubTask("push the update");
    await page.locator('[data-status="pending"]').getByRole("link", { name: "push the update", exact: true }).waitFor();
    timings["API change → on the page (ms)"] = Math.round(performance.now() - created);
    expect(await page.evaluate("window.__sameDocument === true")).toBe(true);
    await expect(page.getByTestId("live-status").textContent()).resolves.toBe("Live");
  });

  it("sent every API request and the socket to the Worker's origin, none to the site", () => {
    const api = apiRequests();
    expect(api.length).toBeGreaterThan(5);
    expect(api.filter((u) => u.origin !== servers.api).map((u) => u.href)).toEqual([]);
    expect(sockets.length).toBeGreaterThan(0);
    for (const url of sockets) expect(url).toBe(`${servers.api.replace(/^http/, "ws")}/api/admin/live`);
  });

  it("logged no console errors on the way", () => {
    expect(errors).toEqual([]);
  });

  it("is refused by a Worker that does not list the site in CORS_ORIGINS, for HTTP and the socket's path", async () => {
    // The suite's shared Worker has no CORS_ORIGINS: the same origin gets 403 before anything else.
    for (const path of ["/api/setup/status", "/api/admin/live"]) {
      const refused = await fetch(`${baseUrl}${path}`, { headers: { origin: servers.site } });
      expect(refused.status, path).toBe(403);
      await expect(refused.json()).resolves.toMatchObject({ code: "origin_not_allowed" });
    }
    // The Worker that lists the site lets the socket's path through the origin check (then wants an upgrade).
    const allowed = await fetch(`${servers.api}/api/admin/live`, { headers: { origin: servers.site } });
    expect(allowed.status).toBe(426);
  });
});

async function addSubTask(name: string) {
  await call(
    "POST",
    "/api/sub-tasks",
    { authorization: `Bearer ${planner}` },
    {
      task_id: taskId,
      name,
      description: name,
      deliverable: `${name} done`,
      acceptance: "visible on the board",
      priority: "medium",
      type: "once",
    },
  );
}
