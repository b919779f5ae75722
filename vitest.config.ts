import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const migrations = await readD1Migrations(fileURLToPath(new URL("./migrations", import.meta.url)));

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        // Delivery is driven explicitly by the notification tests (with a scripted fetch).
        bindings: {
          TEST_MIGRATIONS: migrations,
          SETUP_TOKEN: "test-setup-token",
          PASSWORD_PEPPER: "test-password-pepper",
          NOTIFY_INLINE: "off",
        },
      },
    }),
  ],
  test: {
    include: ["test/**/*.test.ts"],
    // Real-browser, CLI and MCP tests run in Node with their own configs (vitest.browser/cli.config.ts).
    exclude: ["test/browser/**", "test/cli/**", "test/mcp/**"],
    // Generous per-test limit: table-driven suites make hundreds of requests on a 2-core CI machine.
    testTimeout: 60_000,
    setupFiles: ["./test/apply-migrations.ts"],
    // One Workers runtime per pool worker, reused file after file: the setup file empties every table
    // before each test and all state lives in D1, so nothing carries over. Per-file isolation cost
    // ~3 s of startup and transform per file (Workers suite 335 s → 134 s on 2 cores).
    isolate: false,
  },
});
