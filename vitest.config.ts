// Every test suite, one project each (`npx vitest run --project <name>`; `npm test` runs them all):
//   workers — test/**/*.test.ts in the Workers runtime (@cloudflare/vitest-plugin): HTTP → Worker → DO → D1;
//   domain  — the pure tests (test/domain, coalesce) in plain Node: they need no Workers runtime, and
//             starting them in one cost ~40 s for ~4 s of running;
//   browser — test/browser: a local `wrangler dev` driven through Debian's Chromium (playwright-core);
//   cli     — test/cli and test/mcp: the built CLI as child processes and the official MCP client
//             against another local `wrangler dev`, plus the CLI's pure parts.
// browser and cli tell one story each against one server, so their files run one after another. Vitest
// runs projects whose files are sequential in groups of their own, one group after another, so
// scripts/test.ts starts one vitest per suite and runs them two at a time (the Workers pool and the
// browser and CLI suites each keep about one core busy; docs/benchmarks.md has the figures).
import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import type { TestSpecification } from "vitest/node";
import { BaseSequencer } from "vitest/node";
import { STEP_LIMIT_MS, WAIT_LIMIT_MS } from "./test/browser/limits.ts";

const migrations = await readD1Migrations(fileURLToPath(new URL("./migrations", import.meta.url)));

/**
 * Pure test files: plain Node, no Workers runtime. test/domain/skills.test.ts stays in workers: it
 * reads the skills' Markdown through wrangler's text-module rules.
 */
const PURE = ["test/domain/**/*.test.ts", "test/coalesce.test.ts"];
const MARKDOWN_READER = "test/domain/skills.test.ts";

/**
 * In the cli project the scenario comes first (it initializes the shared server), then the other CLI
 * files, then the MCP files. Vitest takes one sequencer for all projects; the others keep its order.
 */
class CliScenarioFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const file = f.moduleId.replace(/\\/g, "/");
      if (f.project.name !== "cli") return 0;
      return file.endsWith("/test/cli/scenario.test.ts") ? 0 : file.includes("/test/mcp/") ? 2 : 1;
    };
    return [...(await super.sort(files))].sort((a, b) => rank(a) - rank(b));
  }
}

/** The node-side suites against a local Worker: generous limits, wrangler dev starts slowly on 2 busy cores. */
const LOCAL_WORKER_LIMITS = { environment: "node", testTimeout: 60_000, hookTimeout: 180_000 } as const;

export default defineConfig({
  test: {
    sequence: { sequencer: CliScenarioFirst },
    projects: [
      {
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
          name: "workers",
          // test/browser, test/cli and test/mcp are the node-side projects below.
          include: ["test/*.test.ts", MARKDOWN_READER],
          exclude: ["test/coalesce.test.ts"],
          // Generous per-test limit: table-driven suites make hundreds of requests on a 2-core CI machine.
          testTimeout: 60_000,
          setupFiles: ["./test/apply-migrations.ts"],
          // One Workers runtime per pool worker, reused file after file: the setup file empties every table
          // before each test and all state lives in D1, so nothing carries over. Per-file isolation cost
          // ~3 s of startup and transform per file (Workers suite 335 s → 134 s on 2 cores).
          isolate: false,
        },
      },
      {
        test: { name: "domain", include: PURE, exclude: [MARKDOWN_READER], environment: "node" },
      },
      {
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          globalSetup: ["./test/browser/global-setup.ts"],
          // One Worker, one browser, one story: the files run one after another.
          fileParallelism: false,
          ...LOCAL_WORKER_LIMITS,
          // Safety nets against a hang, not budgets (test/browser/limits.ts): expect.poll waits as long as
          // Playwright's own waits, and a step outlasts any one of its waits so that the wait reports.
          testTimeout: STEP_LIMIT_MS,
          expect: { poll: { timeout: WAIT_LIMIT_MS } },
        },
      },
      {
        test: {
          name: "cli",
          include: ["test/cli/**/*.test.ts", "test/mcp/**/*.test.ts"],
          globalSetup: ["./test/cli/global-setup.ts"],
          // The scenario is one story against one server: files run one after another.
          fileParallelism: false,
          ...LOCAL_WORKER_LIMITS,
        },
      },
    ],
  },
});
