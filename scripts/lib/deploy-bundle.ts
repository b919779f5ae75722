// The Worker bundle's size, as Cloudflare's upload limit counts it: the gzip of every module the
// Worker uploads (the script and the Markdown it imports as text), source maps and static assets
// excluded (assets have their own per-file limit). `wrangler deploy --dry-run --outdir` writes those
// modules; this gzips them the way wrangler's own "Total Upload … gzip" line does (one stream over
// all modules, main script first), so the two figures agree and the budget does not depend on
// scraping wrangler's text.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { gzipSync } from "node:zlib";

/**
 * 610 KB gzip: the bundle measured 437 KB when the budget was first set (December 2026), 499 KB once
 * every text an agent reads came in two languages (issue 17: the Chinese skills, prompts, rules and
 * catalogues, and the CLI's two catalogues inside it), and 557 KB with recurring tasks and
 * retrospectives (issue 18: croner ~10 KB, the new routes, queries, texts in both languages and the
 * CLI's new commands), plus ~10 % headroom so ordinary growth passes and a new heavy dependency fails
 * CI. DEPLOY_BUDGET_KB overrides it (to try the failure path, or to raise it on purpose in one run).
 */
export const DEFAULT_BUDGET_KB = 610;

export function budgetKb(): number {
  return Number(process.env.DEPLOY_BUDGET_KB) || DEFAULT_BUDGET_KB;
}

/** Files `--outdir` holds that are not uploaded as modules: wrangler's note about the folder, source maps. */
const notUploaded = (name: string) => name === "README.md" || name.endsWith(".map");

export interface BundleSize {
  gzipBytes: number;
  rawBytes: number;
  modules: string[];
}

/** Measures the modules in a `wrangler deploy --dry-run --outdir <dir>` folder. */
export function measureBundle(outdir: string, main = "index.js"): BundleSize {
  const others = readdirSync(outdir)
    .filter((name) => name !== main && !notUploaded(name))
    .sort();
  const modules = [main, ...others];
  const contents = modules.map((name) => readFileSync(path.join(outdir, name)));
  const all = Buffer.concat(contents);
  return { gzipBytes: gzipSync(all).length, rawBytes: all.length, modules };
}

/** wrangler's own figure ("Total Upload: 2166.04 KiB / gzip: 437.04 KiB"), in bytes, if it printed one. */
export function wranglerGzipBytes(output: string): number | undefined {
  // wrangler colours the figures.
  const plain = stripVTControlCharacters(output);
  const match = /Total Upload:.*?gzip:\s*([\d.]+)\s*KiB/.exec(plain);
  return match ? Math.round(Number(match[1]) * 1024) : undefined;
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
