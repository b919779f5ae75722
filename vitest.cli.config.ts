// The CLI suite: test/cli/*.test.ts and test/mcp/*.test.ts in plain Node. The global setup builds the
// CLI and starts a local Worker; the scenario test drives the built CLI as child processes against it,
// the MCP test drives the same server with the official MCP client, the unit tests check the CLI's
// pure parts. `npm run test:cli`, and the last step of `npm test`.

import { defineConfig } from "vitest/config";
import type { TestSpecification } from "vitest/node";
import { BaseSequencer } from "vitest/node";

/** The scenario first (it initializes the shared server), then the other CLI files, then the MCP files. */
class CliFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const file = f.moduleId.replace(/\\/g, "/");
      return file.endsWith("/test/cli/scenario.test.ts") ? 0 : file.includes("/test/mcp/") ? 2 : 1;
    };
    return [...(await super.sort(files))].sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ["test/cli/**/*.test.ts", "test/mcp/**/*.test.ts"],
    environment: "node",
    globalSetup: ["./test/cli/global-setup.mjs"],
    // The scenario is one story against one server: files run one after another.
    fileParallelism: false,
    sequence: { sequencer: CliFirst },
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
