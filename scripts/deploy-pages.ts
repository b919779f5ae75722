// `npm run deploy:pages -- --api https://<worker>.workers.dev [--project openmoss-dashboard] [--dry-run]`:
// the dashboard on Cloudflare Pages, calling the Worker's API on its own origin.
//
//   1. builds the dashboard with that API origin into dashboard/pages/dist (scripts/lib/pages-build.ts:
//      the size budget applies, the CSP lets the page reach the API);
//   2. creates the Pages project when the account has none of that name (safe to run again);
//   3. `wrangler pages deploy` with the Pages configuration (dashboard/pages/wrangler.toml: no Worker
//      bindings) to the production branch;
//   4. prints the site's URL and the CORS_ORIGINS value the Worker needs to accept it.
//
// --dry-run stops after the build and prints the wrangler commands it would run (no account needed).

import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildForPages, pagesDir } from "./lib/pages-build.ts";
import { corsOriginsNote, parseApiOrigin, parseDeployUrl, productionOrigin } from "./lib/pages-config.ts";
import { root, spawnWrangler } from "./lib/wrangler.ts";

const BRANCH = "main";
const { values } = parseArgs({
  options: {
    api: { type: "string" },
    project: { type: "string", default: "openmoss-dashboard" },
    "dry-run": { type: "boolean", default: false },
  },
});

let api: string;
try {
  api = parseApiOrigin(values.api);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(2);
}
const project = values.project;
if (!/^[a-z0-9][a-z0-9-]{0,57}$/.test(project)) {
  console.error(
    `--project must be a Pages project name (lower-case letters, digits, dashes), got ${JSON.stringify(project)}`,
  );
  process.exit(2);
}

/** Runs wrangler in the Pages configuration's folder; its output is shown and also returned. */
function wrangler(args: string[], { quiet = false } = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnWrangler(args, {
      cwd: pagesDir,
      env: { WRANGLER_SEND_METRICS: "false" },
      stdio: ["inherit", "pipe", "inherit"],
    });
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      if (!quiet) process.stdout.write(chunk);
    });
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code: code ?? 1, out }));
  });
}

const listArgs = ["pages", "project", "list", "--json"];
const createArgs = ["pages", "project", "create", project, "--production-branch", BRANCH];
const deployArgs = ["pages", "deploy", "--project-name", project, "--branch", BRANCH, "--commit-dirty=true"];

await buildForPages(api);
if (values["dry-run"]) {
  console.log(`Dry run: built dashboard/pages/dist for the API at ${api}. Without --dry-run, in dashboard/pages:`);
  for (const args of [listArgs, createArgs, deployArgs]) console.log(`  wrangler ${args.join(" ")}`);
  console.log("(the create only when the account has no project of that name)");
  process.exit(0);
}

const listed = await wrangler(listArgs, { quiet: true });
if (listed.code !== 0) {
  console.error("Listing the Pages projects failed: log in with `npx wrangler login` (or set CLOUDFLARE_API_TOKEN).");
  process.exit(listed.code);
}
let origin = productionOrigin(listed.out, project);
if (origin === null) {
  console.log(`Creating the Pages project ${project} (production branch ${BRANCH})`);
  const created = await wrangler(createArgs);
  if (created.code !== 0) process.exit(created.code);
  origin = productionOrigin((await wrangler(listArgs, { quiet: true })).out, project);
}

const deployed = await wrangler(deployArgs);
if (deployed.code !== 0) process.exit(deployed.code);
const site = origin ?? `https://${project}.pages.dev`;
console.log(`
  The dashboard is on ${site}   (this deployment: ${parseDeployUrl(deployed.out) ?? "see above"})
  It calls the API at ${api}.
${corsOriginsNote(site, readFileSync(path.join(root, "wrangler.toml"), "utf8"))}`);
