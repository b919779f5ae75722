// The browser suite: test/browser/*.test.ts in plain Node (not the Workers pool). The global setup
// builds the dashboard and starts a local Worker; the tests drive Debian's Chromium through
// playwright-core. `npm run test:browser`, and the last step of `npm test`.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    environment: "node",
    globalSetup: ["./test/browser/global-setup.mjs"],
    // One Worker, one browser, one story: the files run one after another.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
