// `node scripts/check-i18n.ts` (run by `npm run build:dashboard`, so by `npm start`, `npm test` and
// `npm run deploy`): every catalogue's translation has every English key and no other, keeps each
// text's {placeholders}, leaves no English text untranslated, and no English area goes without its
// translation file. Exits 1 with the list of problems. The type check catches the same gaps in the
// Worker's and the CLI's catalogues; this catches them in the build, and covers the dashboard's.
import { areasOf, loadCataloguePair, loadDashboardCatalogues } from "./lib/i18n-catalogue.ts";
import { compareCatalogues } from "./lib/i18n-check.ts";

/** Texts that read the same in both languages on purpose: names, formats, symbols. */
const SAME_IN_BOTH = new Set(["OpenMOSS Edge", "{page} · OpenMOSS Edge", "API", "MCP", "ID", "URL", "JSON"]);

const problems: string[] = [];
const report = (what: string, found: string[]) => problems.push(...found.map((p) => `${what}: ${p}`));

const dashboard = await loadDashboardCatalogues();
const zhAreas = new Set(areasOf("zh-CN"));
for (const area of areasOf("en")) {
  if (!zhAreas.has(area)) report("dashboard", [`i18n/zh-CN/${area}.ts is missing`]);
  else
    report(
      `dashboard ${area}`,
      compareCatalogues(dashboard.en[area]!, dashboard.zh[area]!, { sameInBoth: SAME_IN_BOTH }),
    );
}
for (const area of zhAreas) if (!(area in dashboard.en)) report("dashboard", [`i18n/en/${area}.ts is missing`]);

const worker = await loadCataloguePair("worker/i18n", ["en/index.ts", "en"], ["zh-CN/index.ts", "zhCN"]);
report("worker", compareCatalogues(worker.en, worker.zh, { sameInBoth: SAME_IN_BOTH }));

const cli = await loadCataloguePair("skills/cli/i18n", ["en/index.ts", "en"], ["zh-CN/index.ts", "zhCN"]);
report("cli", compareCatalogues(cli.en, cli.zh, { sameInBoth: SAME_IN_BOTH }));

if (problems.length > 0) {
  console.error(`check-i18n: ${problems.length} problem(s) in the catalogues:`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log("check-i18n: OK — every catalogue has both languages, key for key.");
