// The dashboard's size budget, run after `vite build` by `npm run build:dashboard`.
//
// The shell is everything index.html loads before any route chunk: its entry script and every
// chunk that entry imports statically (modulepreload), followed transitively. Its JavaScript must
// stay within BUDGET_KB gzip; past it this script exits 1 and the build fails. It also prints each
// route chunk (the dynamic imports) so a page that grows is visible.
//
// Reads Vite's manifest (dashboard/dist/.vite/manifest.json; .assetsignore keeps it out of the deploy).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

/** 60 KB; DASHBOARD_BUDGET_KB overrides it (to try the failure path). */
export const BUDGET_KB = Number(process.env.DASHBOARD_BUDGET_KB) || 60;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The build to measure: dashboard/dist, or the folder given as the argument (the Pages build). */
const dist = process.argv[2] ? path.resolve(process.argv[2]) : path.join(root, "dashboard", "dist");
const manifestFile = path.join(dist, ".vite", "manifest.json");

if (!existsSync(manifestFile)) {
  console.error(`check-budget: ${path.relative(root, manifestFile)} is missing; run \`npm run build:dashboard\`.`);
  process.exit(1);
}
/** One chunk of vite's build manifest (dist/.vite/manifest.json), the fields read here. */
interface Chunk {
  file: string;
  name?: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  css?: string[];
}
const manifest: Record<string, Chunk> = JSON.parse(readFileSync(manifestFile, "utf8"));
const chunk = (key: string): Chunk => manifest[key]!; // keys come from the manifest itself

const gz = (file: string) => gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The chunk keys `key` pulls in statically, itself included. */
function staticClosure(key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const dep of manifest[key]?.imports ?? []) staticClosure(dep, seen);
  return seen;
}

const entries = Object.keys(manifest).filter((k) => chunk(k).isEntry);
if (entries.length !== 1) {
  console.error(`check-budget: expected one entry (index.html), found ${entries.length}`);
  process.exit(1);
}
const shellKeys = staticClosure(entries[0]!);
const shellJs = [...shellKeys].map((k) => chunk(k).file).filter((f) => f.endsWith(".js"));
const shellCss = [...new Set([...shellKeys].flatMap((k) => chunk(k).css ?? []))];
const shellBytes = shellJs.reduce((sum, f) => sum + gz(f), 0);
const cssBytes = shellCss.reduce((sum, f) => sum + gz(f), 0);

console.log("\nDashboard bundle (gzip):");
console.log(`  shell JS   ${kb(shellBytes).padStart(9)}  (${shellJs.join(", ")})   budget ${BUDGET_KB} KB`);
console.log(`  shell CSS  ${kb(cssBytes).padStart(9)}  (${shellCss.join(", ") || "none"})`);

// Each route chunk with what it adds beyond the shell (its own static imports not already loaded).
const routes = Object.keys(manifest).filter((k) => chunk(k).isDynamicEntry);
for (const key of routes.sort()) {
  const extra = [...staticClosure(key)].filter((k) => !shellKeys.has(k));
  const js = extra.map((k) => chunk(k).file).filter((f) => f.endsWith(".js"));
  const css = [...new Set(extra.flatMap((k) => chunk(k).css ?? []))];
  const label = chunk(key).src ?? chunk(key).name ?? key;
  const cssNote = css.length ? ` + ${kb(css.reduce((s, f) => s + gz(f), 0))} CSS` : "";
  console.log(`  route      ${kb(js.reduce((s, f) => s + gz(f), 0)).padStart(9)}  ${label}${cssNote}`);
}

if (shellBytes > BUDGET_KB * 1024) {
  console.error(
    `\ncheck-budget: FAILED — the shell's initial JavaScript is ${kb(shellBytes)} gzip, over the ${BUDGET_KB} KB budget.`,
  );
  console.error("Move code behind a route (lazy import) or drop a dependency.");
  process.exit(1);
}
console.log(`\ncheck-budget: OK — shell ${kb(shellBytes)} of ${BUDGET_KB} KB gzip.\n`);
