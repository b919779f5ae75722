// The dashboard build: `npm run build:dashboard` (= `vite build dashboard`, then the budget check).
// Output goes to dashboard/dist, which wrangler.toml serves as the Worker's static assets.
// `npm run dev:dashboard` serves it with hot reload and proxies /api to `npm start` on :8787.
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import preact from "@preact/preset-vite";
import { defineConfig, type Plugin } from "vite";

/**
 * Swagger UI for the API reference at /api/docs, copied from the pinned swagger-ui-dist package into
 * dist/api-docs/ (beside public/api-docs/init.js), so the page loads nothing from a CDN: it works
 * offline and no third-party script runs on the dashboard's origin.
 */
function apiDocsAssets(): Plugin {
  let outDir = "";
  return {
    name: "openmoss-api-docs-assets",
    apply: "build",
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const dist = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
      mkdirSync(path.join(outDir, "api-docs"), { recursive: true });
      for (const file of ["swagger-ui-bundle.js", "swagger-ui.css"])
        copyFileSync(path.join(dist, file), path.join(outDir, "api-docs", file));
    },
  };
}

export default defineConfig({
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: true }), apiDocsAssets()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // dist/.vite/manifest.json: the chunk graph scripts/check-budget.ts measures (never deployed: .assetsignore).
    manifest: true,
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    proxy: { "/api": process.env.OPENMOSS_API ?? "http://localhost:8787" },
  },
});
