import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach } from "vitest";
import { appTables } from "./tables";

// Every test starts from an empty, migrated database. Durable Objects keep no storage of their own
// (all state is in D1), so emptying the tables is a full reset.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
const wipe = (await appTables()).map((name) => env.DB.prepare(`delete from "${name}"`));

beforeEach(async () => {
  await env.DB.batch(wipe);
});
