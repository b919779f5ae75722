// Global setup of the browser project (vitest.config.ts): builds the dashboard when its
// sources changed, starts a throw-away `wrangler dev` (fresh state, a known SETUP_TOKEN) and hands
// the tests its URL, the token, a fresh Chromium profile folder and the screenshot folder.
// Everything is stopped and removed after the run.
import { accessSync, constants, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { ensureDashboardBuilt, startTestServer } from "../../scripts/lib/dev-server.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export default async function setup(project: TestProject) {
  try {
    accessSync(CHROMIUM, constants.X_OK);
  } catch {
    throw new Error(
      `The browser tests need Debian's Chromium at ${CHROMIUM}, and it is missing.\n` +
        "Install it with:  apt-get update && apt-get install -y chromium   (CI's .ci/run does this),\n" +
        "or point CHROMIUM_PATH at another Chromium build.",
    );
  }

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
  project.provide("chromiumPath", CHROMIUM);
  project.provide("profileDir", profile);
  project.provide("screenshotDir", screenshots);
  project.provide(
    "docsScreenshotDir",
    process.env.DOCS_SCREENSHOTS ? path.resolve(here, "..", "..", "docs", "screenshots") : "",
  );
  project.provide("wranglerLog", logFile);

  return teardown;
}
