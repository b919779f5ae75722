import { sql } from "drizzle-orm";
import defaultGlobalRule from "../../rules/global-rule.md";
import type { Db } from "./client";
import { rule } from "./schema";

/** Seeds the default global rule unless one exists (the unique index makes a race harmless). */
export async function seedGlobalRule(db: Db, now: string): Promise<void> {
  await db.run(sql`insert into ${rule} (id, scope, content, created_at, updated_at)
    values (${crypto.randomUUID()}, 'global', ${defaultGlobalRule}, ${now}, ${now})
    on conflict do nothing`);
}
