// The pages the i18n test walks, how it waits for one to be loaded and what it reports: in zh-CN every
// text shown that is an English text of the dashboard's catalogue, in en-US every Chinese character.
import type { Page } from "playwright-core";
import { expect, inject } from "vitest";
import type { SeededIds } from "./harness";
import { type ShownText, shownTexts } from "./page-texts";
import { englishTexts } from "./ui-texts";

export interface WalkedPage {
  name: string;
  path: (ids: SeededIds) => string;
  /** One of the main pages written to docs/screenshots in both languages. */
  docs?: boolean;
}

/** Every page of the navigation and the detail pages, with seeded content (harness seedActivity). */
export const PAGES: WalkedPage[] = [
  { name: "overview", path: () => "/overview", docs: true },
  { name: "tasks", path: () => "/tasks", docs: true },
  { name: "task-detail", path: (ids) => `/tasks/${ids.taskId}`, docs: true },
  // The one waiting for review: it has a submission, a log and the admin actions.
  { name: "sub-task-detail", path: (ids) => `/sub-tasks/${ids.subTaskIds[1]}`, docs: true },
  { name: "agents", path: () => "/agents", docs: true },
  { name: "agent-detail", path: (ids) => `/agents/${ids.executorId}` },
  { name: "scores", path: () => "/scores" },
  { name: "reviews", path: () => "/reviews" },
  { name: "logs", path: () => "/logs" },
  { name: "feed", path: () => "/feed", docs: true },
  { name: "patrol", path: () => "/patrol" },
  { name: "retrospectives", path: () => "/retrospectives" },
  // The seeded sub-tasks' descriptions ("clean the data", …) are in the team memory.
  { name: "search", path: () => "/search?q=data" },
  { name: "prompts", path: () => "/prompts", docs: true },
  { name: "settings", path: () => "/settings", docs: true },
  { name: "not-found", path: () => "/no/such/page" },
];

/**
 * Loaded: the page's heading is there, no request is pending (the page's data and its zh-CN chunk,
 * fetched when its components mount) and no loading state is left on screen.
 */
export async function waitUntilLoaded(page: Page): Promise<void> {
  await page.locator("h1").first().waitFor();
  await page.waitForLoadState("networkidle");
  await expect.poll(() => page.locator(".state .spinner").count()).toBe(0);
}

const ENGLISH = englishTexts(inject("dashboardTexts"));
const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;

const line = (s: ShownText, extra: string) => `"${s.text}" (${s.kind} of ${s.element}) ${extra}`;
const unique = (lines: string[]) => [...new Set(lines)];

/** Texts on the page that are English texts of the catalogue, each with the key it comes from. */
export async function englishLeftovers(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const shown of await shownTexts(page)) {
    // The same English text often sits under several keys: name two, enough to find the file.
    const hits = ENGLISH.filter((e) => e.matches(shown.text)).map((e) => e.source);
    if (hits.length > 0) found.push(line(shown, `= en ${hits.slice(0, 2).join("; ")}${hits.length > 2 ? "; …" : ""}`));
  }
  return unique(found);
}

/** Texts on the page with Chinese characters in them. */
export async function chineseTexts(page: Page): Promise<string[]> {
  return unique((await shownTexts(page)).filter((s) => HAN.test(s.text)).map((s) => line(s, "")));
}

export const hasHan = (text: string | null) => HAN.test(text ?? "");
