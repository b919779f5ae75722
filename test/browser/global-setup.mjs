// @ts-check
// Global setup of the browser suite (vitest.browser.config.ts): builds the dashboard when its
// sources changed, starts a throw-away `wrangler dev` (fresh state, a known SETUP_TOKEN) and hands
// the tests its URL, the token, a fresh Chromium profile folder and the screenshot folder.
// Everything is stopped and removed after the run.
import { randomBytes } from "node:crypto";
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { applyMigrations, DevServer, ensureDashboardBuilt, stopAllServers } from "../../scripts/lib/dev-server.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** @param {import("vitest/node").TestProject} project */
export default async function setup(project) {
  try {
    accessSync(CHROMIUM, constants.X_OK);
  } catch {
    throw new Error(
      `The browser tests need Debian's Chromium at ${CHROMIUM}, and it is missing.\n` +
        "Install it with:  apt-get update && apt-get install -y chromium   (CI's .ci/run does this),\n" +
        "or point CHROMIUM_PATH at another Chromium build.",
    );
  }

  const started = Date.now();
  ensureDashboardBuilt({ log: (m) => console.log(`[browser tests] ${m}`) });

  const tmp = mkdtempSync(path.join(tmpdir(), "openmoss-browser-"));
  const logFile = path.join(tmp, "wrangler.log");
  const persistTo = path.join(tmp, "state");
  const setupToken = randomBytes(16).toString("hex");
  const server = new DevServer({ persistTo, envFile: path.join(tmp, "env"), logFile, setupToken, port: 8797 });
  let stopped = false;
  const teardown = async () => {
    if (stopped) return;
    stopped = true;
    await server.stop();
    await stopAllServers();
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    await applyMigrations(persistTo, logFile);
    const base = await server.start();
    // The first requests of a new wrangler dev are slow (asset manifest, module compilation): take
    // them here rather than inside a test's time limit.
    for (const warm of ["/", "/api/setup/status", "/api/openapi.json"]) await (await fetch(`${base}${warm}`)).arrayBuffer();
    console.log(`[browser tests] wrangler dev on ${base} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (err) {
    await teardown();
    throw err;
  }

  const screenshots = path.join(here, "screenshots");
  mkdirSync(screenshots, { recursive: true });
  const profile = path.join(tmp, "chromium-profile");
  mkdirSync(profile);

  project.provide("baseUrl", server.base);
  project.provide("setupToken", setupToken);
  project.provide("chromiumPath", CHROMIUM);
  project.provide("profileDir", profile);
  project.provide("screenshotDir", screenshots);
  project.provide("docsScreenshotDir", process.env.DOCS_SCREENSHOTS ? path.resolve(here, "..", "..", "docs", "screenshots") : "");
  project.provide("wranglerLog", logFile);

  return teardown;
}
