import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach } from "vitest";

// Every test starts from an empty, migrated database. Durable Objects keep no storage of their own
// (all state is in D1), so emptying the tables is a full reset.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
const { results } = await env.DB.prepare(
  "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '\\_cf\\_%' escape '\\' and name <> 'd1_migrations'",
).all<{ name: string }>();
const wipe = results.map(({ name }) => env.DB.prepare(`delete from "${name}"`));

beforeEach(async () => {
  await env.DB.batch(wipe);
});
