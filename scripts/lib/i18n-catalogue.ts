// Loads the catalogues in Node: the dashboard's (dashboard/src/i18n/en/<area>.ts, nanostores i18n
// components, and zh-CN/<area>.ts, their translations), the Worker's and the CLI's. The files import
// each other without extensions, as Vite and wrangler allow, so they are bundled with esbuild in memory
// first. Used by scripts/check-i18n.ts and by the browser tests' untranslated-text check.
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { Tree } from "./i18n-check.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const DASHBOARD_I18N = path.join(root, "dashboard", "src", "i18n");

/** Area file names ("shell", "enums", …) of one language folder. */
export const areasOf = (lang: string): string[] =>
  readdirSync(path.join(DASHBOARD_I18N, lang))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => f.slice(0, -3))
    .sort();

/** Both languages, as trees: area → component → key → text or plural forms. */
export interface DashboardCatalogues {
  en: Record<string, Tree>;
  zh: Record<string, Tree>;
}

/** Bundles TypeScript `contents` (imports resolved from `resolveDir`) in memory and imports the result. */
async function importBundled<T>(contents: string, resolveDir: string): Promise<T> {
  const out = await build({
    stdin: { contents, resolveDir, loader: "ts", sourcefile: "catalogues.ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    write: false,
    logLevel: "error",
  });
  const code = out.outputFiles[0]!.text;
  return (await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`)) as T;
}

export async function loadDashboardCatalogues(): Promise<DashboardCatalogues> {
  const en = areasOf("en");
  const zh = areasOf("zh-CN");
  const id = (s: string) => s.replace(/\W/g, "_");
  const entry = [
    `import { messagesToJSON } from "@nanostores/i18n";`,
    ...en.map((a) => `import * as en_${id(a)} from "./en/${a}.ts";`),
    ...zh.map((a) => `import zh_${id(a)} from "./zh-CN/${a}.ts";`),
    // messagesToJSON reads the English base kept on each component outside production builds.
    `export const en = {${en.map((a) => `${JSON.stringify(a)}: messagesToJSON(...Object.values(en_${id(a)}))`).join(",")}};`,
    `export const zh = {${zh.map((a) => `${JSON.stringify(a)}: zh_${id(a)}`).join(",")}};`,
  ].join("\n");
  return importBundled<DashboardCatalogues>(entry, DASHBOARD_I18N);
}

/**
 * A catalogue pair of plain objects (the Worker's, the CLI's): `exports` names the English and the
 * translation exported by the two modules, e.g. worker/i18n/en/index.ts `en` and zh-CN/index.ts `zhCN`.
 */
export async function loadCataloguePair(
  folder: string,
  [enFile, enExport]: [string, string],
  [zhFile, zhExport]: [string, string],
): Promise<{ en: Tree; zh: Tree }> {
  const entry = [
    `export { ${enExport} as en } from "./${enFile}";`,
    `export { ${zhExport} as zh } from "./${zhFile}";`,
  ].join("\n");
  return importBundled<{ en: Tree; zh: Tree }>(entry, path.join(root, folder));
}
