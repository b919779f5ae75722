// Role templates (§6.21), one per role, stored in D1 so edits survive deploys.
import { asc, eq, type SQL, sql } from "drizzle-orm";
import type { Role } from "../../contract/vocabulary";
import { PLAIN_LIST_LIMIT } from "../lib/pagination";
import { atomicWrite, type Db } from "./client";
import { promptTemplate } from "./schema";

export type PromptTemplateRow = typeof promptTemplate.$inferSelect;

/** Every stored template, by role. */
export function listPromptTemplates(db: Db): Promise<PromptTemplateRow[]> {
  return db.select().from(promptTemplate).orderBy(asc(promptTemplate.role)).limit(PLAIN_LIST_LIMIT);
}

/** The role's template, or undefined if none is stored. */
export async function promptTemplateFor(db: Db, role: Role): Promise<PromptTemplateRow | undefined> {
  const [row] = await db.select().from(promptTemplate).where(eq(promptTemplate.role, role)).limit(1);
  return row;
}

/** Only the text of the role's template (what a standing prompt is composed from), null if none. */
export async function promptTemplateText(db: Db, role: Role): Promise<string | null> {
  const [row] = await db
    .select({ content: promptTemplate.content })
    .from(promptTemplate)
    .where(eq(promptTemplate.role, role))
    .limit(1);
  return row?.content ?? null;
}

/** Creates or replaces the role's template, in one batch after the `alongside` statements (the audit row). */
export async function savePromptTemplate(
  db: Db,
  template: PromptTemplateRow,
  alongside: (always: SQL) => SQL[],
): Promise<void> {
  const { role, content, updatedAt } = template;
  await atomicWrite(db, [
    ...alongside(sql`1`),
    db
      .insert(promptTemplate)
      .values({ role, content, updatedAt })
      .onConflictDoUpdate({ target: promptTemplate.role, set: { content, updatedAt } }),
  ]);
}
