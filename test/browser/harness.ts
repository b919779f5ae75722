// Shared pieces of the browser suite: the values the global setup provides, launching the Chromium it
// found through playwright-core, console-error collection and screenshots.
// Kept free of node:* imports: the root tsconfig (Workers types) also checks this folder.
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterEach, beforeEach, inject } from "vitest";
import { WAIT_LIMIT_MS } from "./limits";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    setupToken: string;
    chromiumPath: string;
    /** The browser's whole environment: the global setup's, plus what the npm package's Chromium needs. */
    chromiumEnv: Record<string, string | undefined>;
    profileDir: string;
    screenshotDir: string;
    /** Empty unless DOCS_SCREENSHOTS is set: then the main pages are also written to docs/screenshots. */
    docsScreenshotDir: string;
    wranglerLog: string;
  }
}

export const baseUrl = inject("baseUrl");
export const setupToken = inject("setupToken");

const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-dev-shm-usage",
];

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions, each with the URL it happened on. */
  errors: string[];
  /** Console errors that a step expects (e.g. the browser logging a deliberate 403) and so ignores. */
  allow: RegExp[];
}

/** The Chromium the global setup found, with the environment it needs and the suite's flags. */
const launchOptions = (extraArgs: string[] = []) => ({
  executablePath: inject("chromiumPath"),
  env: inject("chromiumEnv"),
  headless: true,
  args: [...FLAGS, ...extraArgs],
});

/** A browser of a file's own, without the shared profile; `extraArgs` go after the suite's flags. */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch(launchOptions(extraArgs));
}

export async function openBrowser(): Promise<Session> {
  const context = await chromium.launchPersistentContext(inject("profileDir"), {
    ...launchOptions(),
    viewport: { width: 1280, height: 860 },
    baseURL: baseUrl,
    colorScheme: "light",
    reducedMotion: "reduce",
  });
  // Every wait is for a condition; the limit only catches a hang (limits.ts), it is not a budget.
  context.setDefaultTimeout(WAIT_LIMIT_MS);
  const page = context.pages()[0] ?? (await context.newPage());
  const session: Session = { context, page, errors: [], allow: [] };
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    const text = msg.text();
    if (session.allow.some((re) => re.test(text))) return;
    session.errors.push(`${page.url()}: ${text}`);
  });
  page.on("pageerror", (err) => session.errors.push(`${page.url()}: uncaught ${err.message}`));
  return session;
}

/**
 * For the steps of one story, each needing what the earlier ones did (the server set up, the admin
 * logged in, a sub-task created): once a step fails, the later ones are skipped, each naming the step
 * that failed, instead of each waiting out its limits on a page that never gets there. The first
 * failure is the one to read. Call it inside the story's describe.
 */
export function stepsDependOnEachOther(): void {
  let failed = "";
  beforeEach((ctx) => {
    if (failed) ctx.skip(`skipped: it needs the step "${failed}", which failed`);
  });
  afterEach((ctx) => {
    if (!failed && ctx.task.result?.state === "fail") failed = ctx.task.name;
  });
}

/** Full-page PNG of the current page in the screenshot folder (and docs/screenshots when asked). */
export async function snap(
  page: Page,
  name: string,
  { docs = false, fullPage = true }: { docs?: boolean; fullPage?: boolean } = {},
): Promise<void> {
  // Let charts and fonts settle, and keep the caret out of the picture.
  await page.waitForLoadState("networkidle");
  await page.screenshot({
    path: `${inject("screenshotDir")}/${name}.png`,
    fullPage,
    caret: "hide",
    animations: "disabled",
  });
  const docsDir = inject("docsScreenshotDir");
  if (docs && docsDir)
    await page.screenshot({ path: `${docsDir}/${name}.png`, fullPage: false, caret: "hide", animations: "disabled" });
}

/** Path and query of the page's URL. */
export function where(page: Page): string {
  const url = new URL(page.url());
  return url.pathname + url.search;
}

/** A JSON call to the API at `base`; throws on a non-2xx answer. */
export async function apiCall<T = any>(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Node-only modules, loaded at run time: the root tsconfig also checks this folder without Node's types. */
const load = (specifier: string): Promise<any> => import(/* @vite-ignore */ specifier);

export interface OwnServer {
  base: string;
  /** Stops the server; its state folder stays, so `start()` brings back the same data on the same port. */
  stop(): Promise<void>;
  start(): Promise<string>;
  /** Stops it and removes its state. */
  dispose(): Promise<void>;
}

/**
 * A throw-away Worker of the test file's own (scripts/lib/dev-server.ts), for files that need a
 * server nobody has set up yet or that stop and restart it.
 */
export async function ownServer(label: string, port: number, setupToken: string): Promise<OwnServer> {
  const [{ DevServer, applyMigrations }, fs, os, path] = await Promise.all([
    load(new URL("../../scripts/lib/dev-server.ts", (import.meta as unknown as { url: string }).url).href),
    load("node:fs"),
    load("node:os"),
    load("node:path"),
  ]);
  const tmp: string = fs.mkdtempSync(path.join(os.tmpdir(), `openmoss-${label}-`));
  const logFile = path.join(tmp, "wrangler.log");
  const persistTo = path.join(tmp, "state");
  const server = new DevServer({ persistTo, envFile: path.join(tmp, "env"), logFile, setupToken, port });
  await applyMigrations(persistTo, logFile);
  const base: string = await server.start();
  // A restart must come back on the same port, or a page could never reconnect.
  server.preferredPort = Number(new URL(base).port);
  return {
    base,
    stop: () => server.stop(),
    start: () => server.start(),
    dispose: async () => {
      await server.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** What a story's own server is set up with: the setup token it was started with, and the rest. */
export interface StorySetup {
  setupToken: string;
  password: string;
  registrationToken: string;
  /** Names the project ("<label> project") and its workspace (/srv/<label>). */
  label: string;
}

/**
 * Runs the setup wizard on a story's own server (every role may register with the shared token) and
 * logs in; returns the admin token.
 */
export async function initializeOwnServer(server: OwnServer, o: StorySetup): Promise<string> {
  await apiCall(
    server.base,
    "POST",
    "/api/setup/initialize",
    { "x-setup-token": o.setupToken },
    {
      admin_password: o.password,
      project_name: `${o.label} project`,
      workspace_root: `/srv/${o.label}`,
      registration_token: o.registrationToken,
      registration_roles: ["planner", "executor", "reviewer", "patrol"],
    },
  );
  return (await apiCall<{ token: string }>(server.base, "POST", "/api/admin/login", {}, { password: o.password }))
    .token;
}

/** The ids seedActivity created, for tests that open their detail pages. */
export interface SeededIds {
  taskId: string;
  /** The three sub-tasks: approved, waiting for review, blocked. */
  subTaskIds: [string, string, string];
  executorId: string;
}

/**
 * Some agent work over the agent API, so the overview has something to show: four agents, a task
 * with three sub-tasks — one approved, one waiting for review, one blocked by the patrol. `base` is
 * the suite's server unless a file seeds a server of its own.
 */
export async function seedActivity(registrationToken: string, base = baseUrl): Promise<SeededIds> {
  const call = <T = any>(method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    apiCall<T>(base, method, path, headers, body);
  const register = async (name: string, role: string) => {
    const a = await call<{ id: string; api_key: string }>(
      "POST",
      "/api/agents/register",
      { "x-registration-token": registrationToken },
      { name, role, description: `${role} of the browser test` },
    );
    const auth = { authorization: `Bearer ${a.api_key}` };
    return { id: a.id, post: <T = any>(path: string, body: unknown = {}) => call<T>("POST", path, auth, body) };
  };
  const planner = await register("planner-ada", "planner");
  const executor = await register("executor-bo", "executor");
  const reviewer = await register("reviewer-cy", "reviewer");
  const patrol = await register("patrol-dee", "patrol");
  const task = await planner.post<{ id: string }>("/api/tasks", {
    name: "Data pipeline",
    description: "ingest and report",
    type: "once",
  });
  const subTask = (name: string) =>
    planner.post<{ id: string }>("/api/sub-tasks", {
      task_id: task.id,
      name,
      description: name,
      deliverable: `${name} done`,
      acceptance: "reviewed",
      priority: "medium",
      type: "once",
    });
  const [a, b, c] = [
    await subTask("clean the data"),
    await subTask("write the report"),
    await subTask("publish the charts"),
  ];
  for (const st of [a, b, c]) {
    await executor.post(`/api/sub-tasks/${st.id}/claim`);
    await executor.post(`/api/sub-tasks/${st.id}/start`, { session_id: "browser-test" });
  }
  await executor.post("/api/logs", { action: "coding", summary: "cleaned the data", sub_task_id: a.id });
  await executor.post(`/api/sub-tasks/${a.id}/submit`);
  await reviewer.post("/api/review-records", {
    sub_task_id: a.id,
    result: "approved",
    score: 4,
    comment: "good",
    issues: "",
  });
  await executor.post(`/api/sub-tasks/${b.id}/submit`);
  await patrol.post(`/api/sub-tasks/${c.id}/block`);
  return { taskId: task.id, subTaskIds: [a.id, b.id, c.id], executorId: executor.id };
}
