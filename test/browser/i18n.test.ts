// The dashboard in both languages (issue 17): one browser context per locale against a seeded Worker.
// zh-CN: the login page and every page, plus the main dialogs and the phone navigation drawer, show
// no English text of the dashboard's catalogue (user data and code are skipped: page-texts.ts). en-US:
// the same pages show no Chinese and <html lang="en">. The header's language switch (and the login
// page's) changes the language without a reload, and the choice survives one. With DOCS_SCREENSHOTS
// set, the main pages are written to docs/screenshots/<page>.<en|zh-CN>.png.
//
// It runs a Worker of its own (harness ownServer): the suite's server is initialized by
// dashboard.test.ts's setup-wizard story, which needs it fresh, and the files' order is not fixed.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, launchBrowser, type OwnServer, ownServer, type SeededIds, seedActivity, snap } from "./harness";
import { chineseTexts, englishLeftovers, hasHan, PAGES, waitUntilLoaded } from "./i18n-walk";
import { WAIT_LIMIT_MS } from "./limits";
import { zhFor } from "./ui-texts";

const PASSWORD = "i18n-secret-1";
const setupToken = crypto.randomUUID().replaceAll("-", "");
const registrationToken = crypto.randomUUID().replaceAll("-", "");
const zh = (en: string) => zhFor(inject("dashboardTexts"), en);

let server: OwnServer;
let browser: Browser;
let ids: SeededIds;

beforeAll(async () => {
  server = await ownServer("i18n", 8877, setupToken);
  await apiCall(
    server.base,
    "POST",
    "/api/setup/initialize",
    { "x-setup-token": setupToken },
    {
      admin_password: PASSWORD,
      project_name: "i18n project",
      workspace_root: "/srv/i18n",
      registration_token: registrationToken,
      registration_roles: ["planner", "executor", "reviewer", "patrol"],
      external_url: "https://agents.example.com",
    },
  );
  ids = await seedActivity(registrationToken, server.base);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

interface Locale {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions: a page that throws while switching has not switched. */
  errors: string[];
  loggedIn: boolean;
}

async function openLocale(locale: string): Promise<Locale> {
  const context = await browser.newContext({
    locale,
    viewport: { width: 1280, height: 860 },
    baseURL: server.base,
    colorScheme: "light",
    reducedMotion: "reduce",
  });
  context.setDefaultTimeout(WAIT_LIMIT_MS);
  const page = await context.newPage();
  const l: Locale = { context, page, errors: [], loggedIn: false };
  page.on("pageerror", (err) => l.errors.push(`${page.url()}: ${err.message}`));
  return l;
}

async function logIn(l: Locale): Promise<void> {
  await l.page.goto("/login");
  await l.page.locator("input[type=password]").fill(PASSWORD);
  await l.page.locator("input[type=password]").press("Enter");
  await l.page.waitForURL("**/overview");
  l.loggedIn = true;
}

/** The header's (or the login page's) language select, named in the language shown now. */
const languageSelect = (page: Page, shownIn: "en" | "zh-CN") =>
  page.getByRole("combobox", { name: shownIn === "en" ? "Language" : zh("Language") });

/**
 * On a zh-CN page: English chosen in the select re-renders in place (a marker set on window survives,
 * so no reload), <html lang> follows, the choice is stored and outlives a reload; then back to Chinese.
 */
async function switchesWithoutReload(page: Page, watched: string): Promise<void> {
  const text = () => page.locator(watched).first().textContent();
  await expect.poll(text).toSatisfy(hasHan);
  await page.evaluate("window.__marker = 1");
  await languageSelect(page, "zh-CN").selectOption("en");
  await expect.poll(text).not.toSatisfy(hasHan);
  await expect.poll(() => page.evaluate("document.documentElement.lang")).toBe("en");
  await expect(page.evaluate("window.__marker")).resolves.toBe(1);
  await expect(page.evaluate("localStorage.getItem('openmoss.lang')")).resolves.toBe("en");
  // The same check that finds nothing in Chinese finds the English page's texts: the catalogue and
  // the collector work, so an empty result above means translated, not unseen.
  expect(await englishLeftovers(page)).not.toEqual([]);

  await page.reload();
  await expect.poll(text).not.toSatisfy(hasHan);
  await expect(page.evaluate("window.__marker")).resolves.toBeUndefined();
  await languageSelect(page, "en").selectOption("zh-CN");
  await expect.poll(text).toSatisfy(hasHan);
  await expect(page.evaluate("document.documentElement.lang")).resolves.toBe("zh-CN");
}

describe("zh-CN", () => {
  let l: Locale;
  beforeAll(async () => {
    l = await openLocale("zh-CN");
  });
  afterAll(async () => {
    await l?.context.close();
  });

  it("shows the login page in Chinese, logged out", async () => {
    await l.page.goto("/login");
    await waitUntilLoaded(l.page);
    await expect(l.page.evaluate("document.documentElement.lang")).resolves.toBe("zh-CN");
    expect(await englishLeftovers(l.page)).toEqual([]);
  });

  it("switches the login page to English and back without a reload", async () => {
    // The heading is the product name in both languages; the button is not.
    await switchesWithoutReload(l.page, "form button[type=submit]");
  });

  it("logs in", async () => {
    await logIn(l);
  });

  for (const p of PAGES)
    it(`shows ${p.name} with no English from the catalogue`, async (ctx) => {
      if (!l.loggedIn) ctx.skip();
      await l.page.goto(p.path(ids));
      await waitUntilLoaded(l.page);
      expect(await englishLeftovers(l.page)).toEqual([]);
      // A page whose texts are not in the catalogue at all would pass the check above: it must read Chinese.
      expect(await l.page.locator("main").textContent()).toSatisfy(hasHan);
      if (p.docs) await snap(l.page, `${p.name}.zh-CN`, { docs: true });
    });

  it("shows the create-task dialog, a confirmation and the phone drawer in Chinese", async (ctx) => {
    if (!l.loggedIn) ctx.skip();
    const { page } = l;
    await page.goto("/tasks");
    await waitUntilLoaded(page);
    await page.getByRole("button", { name: zh("New task") }).click();
    await page.getByRole("dialog").waitFor();
    expect(await englishLeftovers(page)).toEqual([]);
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "hidden" });

    await page.goto(PAGES.find((p) => p.name === "sub-task-detail")!.path(ids));
    await waitUntilLoaded(page);
    await page.getByRole("button", { name: zh("Cancel sub-task") }).click();
    await page.getByRole("dialog").waitFor();
    expect(await englishLeftovers(page)).toEqual([]);
    await page.keyboard.press("Escape");

    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto("/overview");
      await waitUntilLoaded(page);
      await page.getByRole("button", { name: zh("Open navigation") }).click();
      await page.getByRole("navigation", { name: zh("Main") }).waitFor();
      expect(await englishLeftovers(page)).toEqual([]);
    } finally {
      await page.setViewportSize({ width: 1280, height: 860 });
    }
  });

  it("switches a page to English and back without a reload", async (ctx) => {
    if (!l.loggedIn) ctx.skip();
    await l.page.goto("/overview");
    await waitUntilLoaded(l.page);
    await switchesWithoutReload(l.page, "nav[aria-label] a[href='/overview']");
    expect(l.errors).toEqual([]);
  });
});

describe("en-US", () => {
  let l: Locale;
  beforeAll(async () => {
    l = await openLocale("en-US");
  });
  afterAll(async () => {
    await l?.context.close();
  });

  it("shows the login page in English, logged out", async () => {
    await l.page.goto("/login");
    await waitUntilLoaded(l.page);
    await expect(l.page.evaluate("document.documentElement.lang")).resolves.toBe("en");
    expect(await chineseTexts(l.page)).toEqual([]);
    await logIn(l);
  });

  for (const p of PAGES)
    it(`shows ${p.name} with no Chinese`, async (ctx) => {
      if (!l.loggedIn) ctx.skip();
      await l.page.goto(p.path(ids));
      await waitUntilLoaded(l.page);
      await expect(l.page.evaluate("document.documentElement.lang")).resolves.toBe("en");
      expect(await chineseTexts(l.page)).toEqual([]);
      if (p.docs) await snap(l.page, `${p.name}.en`, { docs: true });
      expect(l.errors).toEqual([]);
    });
});
