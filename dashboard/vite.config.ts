// The dashboard build: `npm run build:dashboard` (= `vite build dashboard`, then the budget check).
// Output goes to dashboard/dist, which wrangler.toml serves as the Worker's static assets.
// `npm run dev:dashboard` serves it with hot reload and proxies /api to `npm start` on :8787.
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: true })],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // dist/.vite/manifest.json: the chunk graph scripts/check-budget.mjs measures (never deployed: .assetsignore).
    manifest: true,
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    proxy: { "/api": process.env.OPENMOSS_API ?? "http://localhost:8787" },
  },
});
