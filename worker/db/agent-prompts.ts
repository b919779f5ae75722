// Agent prompts (§6.21: a role template plus a specialisation), keyed by slug. Each write is one
// batch: the `alongside` statements (an admin's audit row) first, under the write's own guard, so
// both land or neither does; each returns whether it landed.
import { asc, eq, getTableColumns, type SQL, sql } from "drizzle-orm";
import { PLAIN_LIST_LIMIT } from "../lib/pagination";
import { atomicWrite, type Db, guardedInsert } from "./client";
import { agentPrompt } from "./schema";

export type AgentPromptRow = typeof agentPrompt.$inferSelect;
export type AgentPromptMeta = Omit<AgentPromptRow, "content">;
type Alongside = (guard: SQL) => SQL[];

const slugExists = (slug: string): SQL => sql`exists (select 1 from ${agentPrompt} where slug = ${slug})`;

/** The prompt stored under `slug`, or undefined. */
export async function agentPromptBySlug(db: Db, slug: string): Promise<AgentPromptRow | undefined> {
  const [row] = await db.select().from(agentPrompt).where(eq(agentPrompt.slug, slug)).limit(1);
  return row;
}

/** Every prompt's metadata (no content), by slug. */
export function listAgentPromptMetas(db: Db): Promise<AgentPromptMeta[]> {
  const { content: _content, ...columns } = getTableColumns(agentPrompt);
  return db.select(columns).from(agentPrompt).orderBy(asc(agentPrompt.slug)).limit(PLAIN_LIST_LIMIT);
}

/** Inserts the prompt unless its slug is taken; false if it was. */
export async function createAgentPrompt(db: Db, row: AgentPromptRow, alongside: Alongside): Promise<boolean> {
  const free = sql`not ${slugExists(row.slug)}`;
  const [first] = await atomicWrite(db, [...alongside(free), guardedInsert(agentPrompt, row, free)]);
  return first?.meta.changes === 1;
}

/** The fields an edit may change; undefined leaves a field as it is. */
export type AgentPromptChanges = Partial<Pick<AgentPromptRow, "name" | "role" | "description" | "content" | "example">>;

/**
 * Writes `changes` (and `slug`, when a new role renames the prompt) if the prompt is unchanged since
 * `current` was read (so the rename was computed from the stored role) and a new slug is still free.
 * False if either did not hold (see `agentPromptSlugsPresent` for which).
 */
export async function updateAgentPrompt(
  db: Db,
  current: Pick<AgentPromptRow, "slug" | "updatedAt">,
  update: { slug: string; changes: AgentPromptChanges; now: string },
  alongside: Alongside,
): Promise<boolean> {
  const renamed = update.slug !== current.slug;
  const guard = sql`exists (select 1 from ${agentPrompt} where slug = ${current.slug} and updated_at = ${current.updatedAt})
    and ${renamed ? sql`not ${slugExists(update.slug)}` : sql`1`}`;
  const { name, role, description, content, example } = update.changes;
  const [first] = await atomicWrite(db, [
    ...alongside(guard),
    db
      .update(agentPrompt)
      .set({ slug: update.slug, name, role, description, content, example, updatedAt: update.now })
      .where(sql`slug = ${current.slug} and ${guard}`),
  ]);
  return first?.meta.changes === 1;
}

/** Whether prompts exist under the old and the new slug (why an update did not land). */
export async function agentPromptSlugsPresent(
  db: Db,
  oldSlug: string,
  newSlug: string,
): Promise<{ old: boolean; new: boolean }> {
  const [old, taken] = await Promise.all([
    db.select({ slug: agentPrompt.slug }).from(agentPrompt).where(eq(agentPrompt.slug, oldSlug)).limit(1),
    db.select({ slug: agentPrompt.slug }).from(agentPrompt).where(eq(agentPrompt.slug, newSlug)).limit(1),
  ]);
  return { old: old.length > 0, new: taken.length > 0 };
}

/** Deletes the prompt; false if it was already gone. */
export async function deleteAgentPrompt(db: Db, slug: string, alongside: Alongside): Promise<boolean> {
  const [first] = await atomicWrite(db, [
    ...alongside(slugExists(slug)),
    db.delete(agentPrompt).where(eq(agentPrompt.slug, slug)),
  ]);
  return first?.meta.changes === 1;
}
