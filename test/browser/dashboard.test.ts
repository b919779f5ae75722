// The dashboard in a real browser against a real local Worker: setup wizard → login → overview with
// cards and charts → settings changed and still there after a reload → every page of the
// navigation, light and dark, desktop and phone, with no console error anywhere.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  baseUrl,
  openBrowser,
  type Session,
  seedActivity,
  setupToken,
  snap,
  stepsDependOnEachOther,
  where,
} from "./harness";

const PASSWORD = "browser-secret-1";
const NAV_LABELS = [
  "Overview",
  "Tasks",
  "Agents",
  "Scores",
  "Reviews",
  "Logs",
  "Feed",
  "Patrol",
  "Retrospectives",
  "Search",
  "Prompts & Rules",
  "Settings",
];
const OTHER_PAGES = [
  "/tasks",
  "/agents",
  "/scores",
  "/reviews",
  "/logs",
  "/feed",
  "/patrol",
  "/retrospectives",
  "/search",
  "/prompts",
];

let s: Session;

beforeAll(async () => {
  s = await openBrowser();
});

afterAll(async () => {
  await s?.context.close();
});

/** Runs `fn` while console errors matching `pattern` are expected (and ignored). */
async function expectingConsoleErrors(pattern: RegExp, fn: () => Promise<void>) {
  s.allow.push(pattern);
  try {
    await fn();
  } finally {
    s.allow.pop();
  }
}

describe("dashboard", () => {
  stepsDependOnEachOther();

  it("sends a fresh server to the setup wizard and initializes it", async () => {
    const { page } = s;
    await page.goto("/");
    await page.waitForURL("**/setup");
    await page.getByRole("heading", { name: "Set up OpenMOSS Edge" }).waitFor();
    await snap(page, "setup", { docs: true });

    // A wrong setup token comes back with the API's detail and returns to the first step.
    await page.getByLabel("Setup token").fill("not-the-token");
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByLabel("Admin password").fill(PASSWORD);
    await page.getByLabel("Confirm password").fill(PASSWORD);
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByLabel("Workspace directory").fill("/srv/agents/workspace");
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page.getByLabel("Agent registration token").inputValue()).resolves.toMatch(/^[0-9a-f]{32}$/);
    await expectingConsoleErrors(/status of 403/, async () => {
      await page.getByRole("button", { name: "Initialize" }).click();
      await page.getByText("X-Setup-Token does not match").waitFor();
    });
    await page.getByLabel("Setup token").waitFor();

    await page.getByLabel("Setup token").fill(setupToken);
    for (let i = 0; i < 3; i++) await page.getByRole("button", { name: "Next" }).click();
    // A new install lets the shared token register executors only; this test seeds every role with it.
    await expect(page.getByLabel("Executor").isChecked()).resolves.toBe(true);
    for (const role of ["Planner", "Reviewer", "Patrol"]) await page.getByLabel(role).check();
    await page.getByRole("button", { name: "Initialize" }).click();
    await page.getByRole("heading", { name: "Setup complete" }).waitFor();
    const registrationToken = await page.getByTestId("registration-token").textContent();
    expect(registrationToken).toMatch(/^[0-9a-f]{32}$/);
    await snap(page, "setup-done");
    await seedActivity(registrationToken!);
  });

  it("logs in, showing the API's error for a wrong password", async () => {
    const { page } = s;
    await page.getByRole("link", { name: "Go to login" }).click();
    await page.waitForURL("**/login?from=setup");
    await page.getByLabel("Admin password").fill("wrong-password");
    await expectingConsoleErrors(/status of 403/, async () => {
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByRole("alert").filter({ hasText: "wrong password" }).waitFor();
    });
    await snap(page, "login", { docs: true });
    await page.getByLabel("Admin password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL("**/overview");
  });

  it("shows the overview: cards, trend charts and highlights", async () => {
    const { page } = s;
    const cards = page.getByTestId("overview-cards");
    await cards.waitFor();
    await cards.getByText("Active agents").waitFor();
    // uPlot draws each trend into a canvas.
    await page.locator("[data-testid=trend-chart] canvas").first().waitFor();
    await expect(page.locator("[data-testid=trend-chart] canvas").count()).resolves.toBe(4);
    await page.getByRole("heading", { name: "Needs attention" }).waitFor();
    // The seeded work: one sub-task blocked, one waiting for review, one approved.
    const blocked = page.locator(".panel").filter({ hasText: "Blocked sub-tasks" });
    await blocked.getByText("publish the charts").waitFor();
    await page.locator(".panel").filter({ hasText: "Waiting for review" }).getByText("write the report").waitFor();
    await page.locator(".panel").filter({ hasText: "Recent reviews" }).getByText("clean the data").waitFor();
    await expect(cards.getByText("Blocked sub-tasks").locator("..").locator(".stat-value").textContent()).resolves.toBe(
      "1",
    );
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const label of NAV_LABELS) await nav.getByRole("link", { name: label, exact: true }).waitFor();
    await expect(nav.getByRole("link", { name: "Overview" }).getAttribute("aria-current")).resolves.toBe("page");
    await snap(page, "overview", { docs: true });

    // The range lives in the URL; the charts follow it.
    await page.getByRole("button", { name: "30 days" }).click();
    await page.waitForURL("**/overview?days=30");
    await expect(page.getByRole("button", { name: "30 days" }).getAttribute("aria-pressed")).resolves.toBe("true");
    await page.locator("[data-testid=trend-chart] canvas").first().waitFor();
    await page.reload();
    await expect(page.getByRole("button", { name: "30 days" }).getAttribute("aria-pressed")).resolves.toBe("true");
    await page.locator("[data-testid=trend-chart] canvas").first().waitFor();
  });

  it("changes settings and finds them after a reload", async () => {
    const { page } = s;
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
    await page.waitForURL("**/settings");
    const project = page.locator("section#project");
    await project.getByLabel("Project name").waitFor();
    await project.getByLabel("Project name").fill("Browser test project");
    await project.getByRole("button", { name: "Save" }).click();
    await project.getByText("Saved.").waitFor();

    const feed = page.locator("section#feed");
    await expect(feed.getByLabel("Public feed on").isChecked()).resolves.toBe(false);
    await feed.getByLabel("Public feed on").check();
    await feed.getByRole("button", { name: "Save" }).click();
    await feed.getByText("Saved.").waitFor();

    const patrol = page.locator("section#patrol");
    await patrol.getByLabel("Stuck (minutes)").fill("45");
    await patrol.getByRole("button", { name: "Save" }).click();
    await patrol.getByText("Saved.").waitFor();

    const notifications = page.locator("section#notifications");
    await notifications.getByRole("button", { name: "Add channel" }).click();
    await notifications.getByLabel("Name", { exact: true }).fill("Ops room");
    await notifications.getByLabel("Type").selectOption("slack");
    await notifications.getByLabel("Webhook URL").fill("https://hooks.example.com/services/T000/B000");
    // Retention has the API's bounds: 0 is refused on the page, before any request.
    await expect(notifications.getByLabel("Keep sent notifications (days)").inputValue()).resolves.toBe("7");
    await notifications.getByLabel("Keep sent notifications (days)").fill("0");
    await notifications.getByRole("button", { name: "Save" }).click();
    await notifications.getByText("Keep sent notifications for 1 to 365 days.").waitFor();
    await notifications.getByLabel("Keep sent notifications (days)").fill("30");
    await notifications.getByRole("button", { name: "Save" }).click();
    await notifications.getByText("Saved.").waitFor();

    const agents = page.locator("section#agents");
    const before = await agents.getByTestId("settings-registration-token").textContent();
    page.once("dialog", (d) => void d.accept());
    await agents.getByRole("button", { name: "Rotate" }).click();
    await agents.getByText("New token issued").waitFor();
    await expect.poll(() => agents.getByTestId("settings-registration-token").textContent()).not.toBe(before);

    await page.reload();
    await project.getByLabel("Project name").waitFor();
    await expect(project.getByLabel("Project name").inputValue()).resolves.toBe("Browser test project");
    await expect(feed.getByLabel("Public feed on").isChecked()).resolves.toBe(true);
    await expect(patrol.getByLabel("Stuck (minutes)").inputValue()).resolves.toBe("45");
    await expect(notifications.getByLabel("Name", { exact: true }).inputValue()).resolves.toBe("Ops room");
    await expect(notifications.getByLabel("Keep sent notifications (days)").inputValue()).resolves.toBe("30");
    await snap(page, "settings", { docs: true });

    // The API agrees with what the page shows.
    const token = await page.evaluate("localStorage.getItem('openmoss.admin_token')");
    const res = await fetch(`${baseUrl}/api/admin/config`, { headers: { "X-Admin-Token": String(token) } });
    const config = (await res.json()) as {
      project: { name: string };
      webui: { public_feed: boolean };
      patrol: { stuck_minutes: number };
      notification: { retention_days: number };
    };
    expect(config.project.name).toBe("Browser test project");
    expect(config.webui.public_feed).toBe(true);
    expect(config.notification.retention_days).toBe(30);
    expect(config.patrol.stuck_minutes).toBe(45);
  });

  it("limits the shared token's roles, issues and revokes an enrollment token, and composes both prompts", async () => {
    const { page } = s;
    const admin = { "X-Admin-Token": String(await page.evaluate("localStorage.getItem('openmoss.admin_token')")) };
    const register = (token: string, role: string, name: string) =>
      fetch(`${baseUrl}/api/agents/register`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-registration-token": token },
        body: JSON.stringify({ name, role }),
      });

    await page.goto("/settings#agents");
    const agents = page.locator("section#agents");
    await agents.getByLabel("Patrol").uncheck();
    await agents.getByRole("button", { name: "Save" }).first().click();
    await agents.getByText("Saved.").waitFor();
    const config = (await (await fetch(`${baseUrl}/api/admin/config`, { headers: admin })).json()) as {
      agent: { registration_roles: string[] };
    };
    expect(config.agent.registration_roles).toEqual(["planner", "executor", "reviewer"]);

    const issueForm = agents.getByRole("form", { name: "Issue an enrollment token" });
    await issueForm.getByLabel("Token role").selectOption("reviewer");
    await issueForm.getByLabel("Uses").fill("2");
    await issueForm.getByLabel("Label (optional)").fill("browser reviewers");
    await issueForm.getByRole("button", { name: "Issue token" }).click();
    const token = (await agents.getByTestId("secret-once").textContent())?.trim() ?? "";
    expect(token).toMatch(/^et_[A-Za-z0-9_-]{43}$/);
    const row = agents.getByTestId("enrollment-row").filter({ hasText: "browser reviewers" });
    await row.getByText("0 / 2").waitFor();
    await snap(page, "settings-enrollment");
    expect((await register(token, "reviewer", "reviewer-enrolled")).status).toBe(200);
    page.once("dialog", (d) => void d.accept());
    await row.getByRole("button", { name: "Revoke" }).click();
    await row.getByText("revoked").waitFor();
    expect((await register(token, "reviewer", "reviewer-late")).status).toBe(403);

    await page.goto("/prompts?slug=executor-backend");
    await expect.poll(() => page.getByTestId("composed-prompt").textContent()).toContain("## 🔧 Platform: every run");
    expect(await page.getByTestId("composed-prompt").textContent()).not.toMatch(/et_|reg-/);
    await expect(page.getByTestId("enrollment-prompt").textContent()).resolves.toContain(
      "<enrollment token from your admin>",
    );
    await page.getByText("Paste once into the new agent's first run").waitFor();
    await page.getByRole("button", { name: "Issue a one-time token" }).click();
    await page.getByRole("button", { name: "Copy the enrollment prompt" }).waitFor();
    const enrollment = (await page.getByTestId("enrollment-prompt").textContent()) ?? "";
    const promptToken = /et_[A-Za-z0-9_-]{43}/.exec(enrollment)?.[0] ?? "";
    expect(promptToken).not.toBe("");
    await snap(page, "prompts-two-prompts");
    expect((await register(promptToken, "executor", "executor-from-prompt")).status).toBe(200);
    expect((await register(promptToken, "executor", "executor-twice")).status).toBe(403);
  });

  it("navigates to every page of the navigation", async () => {
    const { page } = s;
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const path of OTHER_PAGES) {
      const previous = await page.locator("main h1").first().textContent();
      await nav.locator(`a[href="${path}"]`).click();
      await page.waitForURL(`**${path}`);
      // A page (a placeholder until it is built) with its own heading, not an error. Lazy routes load
      // their chunk first, so the old heading stays a while.
      await expect.poll(() => page.locator("main h1").first().textContent()).not.toBe(previous);
      await expect(page.locator("main .state-error").count()).resolves.toBe(0);
      await expect(nav.locator(`a[href="${path}"]`).getAttribute("aria-current")).resolves.toBe("page");
      await snap(page, path.slice(1));
    }
    await page.goto("/no-such-page");
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    await snap(page, "not-found");
  });

  it("follows the system's dark scheme", async () => {
    const { page } = s;
    await page.emulateMedia({ colorScheme: "dark" });
    for (const path of ["/overview", "/settings"]) {
      await page.goto(path);
      await page.locator("main h1").waitFor();
      if (path === "/overview") await page.locator("[data-testid=trend-chart] canvas").first().waitFor();
      const bg = await page.evaluate("getComputedStyle(document.documentElement).backgroundColor");
      expect(bg).toBe("rgb(17, 19, 24)");
      await snap(page, `${path.slice(1)}-dark`, { docs: path === "/overview" });
    }
    await page.emulateMedia({ colorScheme: "light" });
  });

  it("works on a phone: the navigation collapses into a menu", async () => {
    const { page } = s;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/overview");
    await page.getByTestId("overview-cards").waitFor();
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.isVisible()).resolves.toBe(false);
    await snap(page, "overview-phone", { fullPage: false });
    const menu = page.getByRole("button", { name: "Open navigation" });
    await menu.click();
    await nav.waitFor();
    await snap(page, "nav-phone", { fullPage: false });
    await page.keyboard.press("Escape");
    await nav.waitFor({ state: "hidden" });
    await expect(page.getByRole("button", { name: "Open navigation" }).getAttribute("aria-expanded")).resolves.toBe(
      "false",
    );
    await page.getByRole("button", { name: "Open navigation" }).click();
    await nav.getByRole("link", { name: "Settings" }).click();
    await page.waitForURL("**/settings");
    await nav.waitFor({ state: "hidden" });
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it("is usable from the keyboard", async () => {
    const { page } = s;
    const focused = () =>
      page.evaluate(
        "(() => { const e = document.activeElement; return e ? ((e.tagName === 'SELECT' && e.getAttribute('aria-label')) || e.id || e.getAttribute('href') || e.textContent || e.tagName) : null })()",
      );
    await page.goto("/overview");
    await page.getByTestId("overview-cards").waitFor();
    // The first Tab stop is the skip link; it moves focus to the main area.
    await page.keyboard.press("Tab");
    await expect(focused()).resolves.toBe("#main");
    await page.keyboard.press("Enter");
    await expect(focused()).resolves.toBe("main");
    await page.keyboard.press("Tab");
    await expect(focused()).resolves.toBe("Refresh");
    // Without it, Tab goes through the header (brand, search box, language, log out) into the navigation, each stop
    // with a visible focus ring.
    await page.reload();
    await page.getByTestId("overview-cards").waitFor();
    const stops: unknown[] = [];
    for (let i = 0; i < 7; i++) {
      await page.keyboard.press("Tab");
      stops.push(await focused());
    }
    expect(stops).toEqual(["#main", "/overview", "INPUT", "Language", "Log out", "/overview", "/tasks"]);
    await expect(page.evaluate("getComputedStyle(document.activeElement).outlineStyle")).resolves.toBe("solid");
    // The nav link works from the keyboard.
    await page.keyboard.press("Enter");
    await page.waitForURL("**/tasks");
  });

  it("sends a visitor without a session to the login, and back after it", async () => {
    const { page } = s;
    // The page open from the last test may be refetching (a live notice) when the token goes: that
    // request's 401 is this step's expected outcome, not an error.
    await expectingConsoleErrors(/status of 401/, async () => {
      await page.evaluate("localStorage.removeItem('openmoss.admin_token')");
      await page.goto("/settings?x=1");
      await page.waitForURL("**/login?next=%2Fsettings%3Fx%3D1");
    });
    // An expired or revoked session (401) also ends at the login.
    await page.evaluate("localStorage.setItem('openmoss.admin_token', 'expired-token')");
    await expectingConsoleErrors(/status of 401/, async () => {
      await page.goto("/overview");
      await page.waitForURL("**/login?next=%2Foverview");
      // The overview's other requests, sent in parallel, are refused too.
      await page.waitForLoadState("networkidle");
    });
    await expect(page.evaluate("localStorage.getItem('openmoss.admin_token')")).resolves.toBeNull();
    await page.getByLabel("Admin password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL("**/overview");
  });

  it("changes the password, which ends the session", async () => {
    const { page } = s;
    await page.goto("/settings#password");
    const section = page.locator("section#password");
    await section.getByLabel("Current password").fill(PASSWORD);
    await section.getByLabel("New password", { exact: true }).fill(`${PASSWORD}-2`);
    await section.getByLabel("Confirm new password").fill(`${PASSWORD}-2`);
    await section.getByRole("button", { name: "Change password" }).click();
    await page.waitForURL("**/login?reason=password");
    await page.getByLabel("Admin password").fill(`${PASSWORD}-2`);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL("**/overview");
  });

  it("logged no console error on any page", () => {
    expect(s.errors).toEqual([]);
    expect(where(s.page)).toBe("/overview");
  });
});

// Needs none of the steps above, so a failed step does not skip it.
describe("the dashboard's build", () => {
  it("serves the build, but not its manifest (.assetsignore)", async () => {
    const index = await fetch(`${baseUrl}/tasks/123`);
    expect(index.headers.get("content-type")).toMatch(/text\/html/);
    const manifest = await fetch(`${baseUrl}/.vite/manifest.json`);
    expect(manifest.headers.get("content-type")).not.toMatch(/json/);
    expect(await manifest.text()).toMatch(/^<!doctype html>/i);
  });
});
