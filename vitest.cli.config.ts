// The CLI suite: test/cli/*.test.ts in plain Node. The global setup builds the CLI and starts a
// local Worker; the scenario test drives the built CLI as child processes against it, the unit tests
// check its pure parts. `npm run test:cli`, and the last step of `npm test`.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/cli/**/*.test.ts"],
    environment: "node",
    globalSetup: ["./test/cli/global-setup.mjs"],
    // The scenario is one story against one server: files run one after another.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
