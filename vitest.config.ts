import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const migrations = await readD1Migrations(fileURLToPath(new URL("./migrations", import.meta.url)));

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        // Delivery is driven explicitly by the notification tests (with a scripted fetch).
        bindings: { TEST_MIGRATIONS: migrations, SETUP_TOKEN: "test-setup-token", NOTIFY_INLINE: "off" },
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
  },
});
