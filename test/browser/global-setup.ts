// Global setup of the browser project (vitest.config.ts): builds the dashboard when its
// sources changed, starts a throw-away `wrangler dev` (fresh state, a known SETUP_TOKEN) and hands
// the tests its URL, the token, the Chromium to launch (scripts/lib/chromium.ts finds it), a fresh
// profile folder, the screenshot folder and the dashboard's catalogue texts.
// Everything is stopped and removed after the run.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { findChromium } from "../../scripts/lib/chromium.ts";
import { ensureDashboardBuilt, startTestServer } from "../../scripts/lib/dev-server.ts";
import { loadDashboardCatalogues } from "../../scripts/lib/i18n-catalogue.ts";
import { pairTexts } from "./ui-texts.ts";

const here = path.dirname(fileURLToPath(import.meta.url));

export default async function setup(project: TestProject) {
  // First, so a machine without a browser learns it at once, before the build and the server.
  const chromium = await findChromium();
  console.log(`[browser tests] Chromium: ${chromium.description}`);

  ensureDashboardBuilt({ log: (m) => console.log(`[browser tests] ${m}`) });
  // The first requests of a new wrangler dev are slow (asset manifest, module compilation).
  const { base, setupToken, tmp, logFile, teardown } = await startTestServer({
    label: "browser",
    port: 8797,
    warm: ["/", "/api/setup/status", "/api/openapi.json"],
  });

  const screenshots = path.join(here, "screenshots");
  mkdirSync(screenshots, { recursive: true });
  const profile = path.join(tmp, "chromium-profile");
  mkdirSync(profile);

  project.provide("baseUrl", base);
  project.provide("setupToken", setupToken);
  project.provide("chromiumPath", chromium.executablePath);
  // Playwright gives the browser exactly the env it is handed: the whole environment plus the additions.
  project.provide("chromiumEnv", { ...process.env, ...chromium.env });
  project.provide("profileDir", profile);
  project.provide("screenshotDir", screenshots);
  project.provide(
    "docsScreenshotDir",
    process.env.DOCS_SCREENSHOTS ? path.resolve(here, "..", "..", "docs", "screenshots") : "",
  );
  project.provide("wranglerLog", logFile);
  // The dashboard's texts in both languages, for i18n.test.ts's untranslated-text check.
  const catalogues = await loadDashboardCatalogues();
  project.provide("dashboardTexts", pairTexts(catalogues.en, catalogues.zh));

  return teardown;
}
