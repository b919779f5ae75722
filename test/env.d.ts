// The test runtime's bindings: the Worker's (generated, worker-configuration.d.ts) plus the migrations
// vitest.config.ts reads for test/apply-migrations.ts.
declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}

export {};
