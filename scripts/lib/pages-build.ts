// The dashboard built for Cloudflare Pages: the same sources as dashboard/dist (which the Worker
// serves), built with VITE_API_BASE_URL so every API call and the live socket go to the Worker's
// origin, into dashboard/pages/dist (the Pages configuration's pages_build_output_dir). Used by
// `npm run deploy:pages`, `npm run dev:pages` and the browser suite's cross-origin test.
import { spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { WRANGLER_ENV } from "./dev-server.ts";
import { pagesHeaders } from "./pages-config.ts";
import { root } from "./wrangler.ts";

/** The folder of the Pages configuration (dashboard/pages/wrangler.toml); wrangler runs here. */
export const pagesDir = path.join(root, "dashboard", "pages");
/** Its pages_build_output_dir. */
export const pagesDist = path.join(pagesDir, "dist");

/** Runs a Node script to completion (asynchronously: a test starts its Worker meanwhile); throws when it fails. */
function run(args: string[], env: Record<string, string>, quiet: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: ["ignore", quiet ? "ignore" : "inherit", "inherit"],
      env: { ...process.env, ...env },
    });
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${args.join(" ")} failed (exit ${code ?? signal})`)),
    );
  });
}

/**
 * vite build into dashboard/pages/dist with the API's origin compiled in, the shell's size budget
 * (scripts/check-budget.ts) on that build, the CSP widened for the API, and Vite's manifest removed
 * (Pages would publish it; the Worker's .assetsignore keeps it out of the other build).
 */
export async function buildForPages(apiOrigin: string, { quiet = false } = {}): Promise<void> {
  if (!quiet)
    console.log(`building the dashboard for Pages into ${path.relative(root, pagesDist)} (API at ${apiOrigin})`);
  const env = { ...WRANGLER_ENV, VITE_API_BASE_URL: apiOrigin };
  const vite = path.join(root, "node_modules", "vite", "bin", "vite.js");
  await run([vite, "build", "dashboard", "--outDir", pagesDist, "--emptyOutDir", "--logLevel", "warn"], env, quiet);
  await run([path.join(root, "scripts", "check-budget.ts"), pagesDist], env, quiet);
  const headersFile = path.join(pagesDist, "_headers");
  writeFileSync(headersFile, pagesHeaders(readFileSync(headersFile, "utf8"), apiOrigin));
  rmSync(path.join(pagesDist, ".vite"), { recursive: true, force: true });
  rmSync(path.join(pagesDist, ".assetsignore"), { force: true });
}
