import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach } from "vitest";
import { emptyDatabase } from "./tables";

// Every test starts from an empty, migrated database and an empty file bucket. Durable Objects keep no
// storage of their own (all state is in D1), so emptying the tables is a full reset. Local R2 is
// shared by every test of this pool worker, so each test empties it too.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

async function emptyBucket(): Promise<void> {
  for (;;) {
    const listed = await env.FILES.list({ limit: 1000 });
    if (listed.objects.length === 0) return;
    await env.FILES.delete(listed.objects.map((o) => o.key));
  }
}

beforeEach(async () => {
  await Promise.all([emptyDatabase(), emptyBucket()]);
});
