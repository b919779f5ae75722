// Global setup of the cli project (vitest.config.ts): builds the CLI (skills/dist/task-cli.mjs and
// worker/generated/cli.ts, which the Worker embeds), builds the dashboard when its sources changed
// (wrangler serves it as the assets), starts a throw-away `wrangler dev` with fresh state and a
// random SETUP_TOKEN, and hands the tests its URL and the token. Everything is removed afterwards.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { ensureDashboardBuilt, startTestServer } from "../../scripts/lib/dev-server.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export default async function setup(project: TestProject) {
  const build = spawnSync(process.execPath, [path.join(root, "scripts", "build-cli.ts")], {
    cwd: root,
    stdio: "inherit",
  });
  if (build.status !== 0) throw new Error(`scripts/build-cli.ts failed (exit ${build.status ?? build.signal})`);
  ensureDashboardBuilt({ log: (m) => console.log(`[cli tests] ${m}`) });

  // npm test starts this suite's server while the browser suite starts its own (8797, 8817, 8837):
  // the free port is looked for from here upwards (50 ports), so the two searches never meet.
  const { base, setupToken, logFile, teardown } = await startTestServer({ label: "cli", port: 8900 });

  project.provide("baseUrl", base);
  project.provide("setupToken", setupToken);
  project.provide("cliBuild", path.join(root, "skills", "dist", "task-cli.mjs"));
  project.provide("wranglerLog", logFile);
  return teardown;
}
