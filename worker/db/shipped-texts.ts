// The rows a switch of shipped texts reads and writes (domain/shipped-texts.ts decides which). The
// writes are one batch: a claim first, whose condition is that every row to replace still holds the
// text the plan was made from; every write after it (the audit row too) runs only if that claim landed.
// An admin's edit between the dry run and the write therefore fails the whole switch (409) rather than
// being overwritten, and a half-applied switch cannot happen.
import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { ShippedTextKind } from "../../contract/api/shipped-texts";
import type { Role } from "../../contract/vocabulary";
import { type PlannedText, SHIPPED_TARGETS, type StoredText } from "../domain/shipped-texts";
import { atomicWrite, type Db } from "./client";
import { agentPrompt, promptTemplate, rule, setting } from "./schema";
import { reindex, ruleEntry } from "./search-index";

/** The setting row a switch claims; its value is the switch's own nonce. */
const CLAIM_KEY = "shipped_texts.claim";

const exampleSlugs = SHIPPED_TARGETS.filter((t) => t.kind === "example_prompt").map((t) => t.key);

/** The stored rows a switch covers, by kind and key. */
export async function readShippedRows(db: Db): Promise<(kind: ShippedTextKind, key: string) => StoredText | undefined> {
  const [globals, templates, examples] = await Promise.all([
    db.select({ content: rule.content, updatedAt: rule.updatedAt }).from(rule).where(eq(rule.scope, "global")).limit(1),
    db.select().from(promptTemplate),
    db
      .select({
        slug: agentPrompt.slug,
        name: agentPrompt.name,
        description: agentPrompt.description,
        content: agentPrompt.content,
        updatedAt: agentPrompt.updatedAt,
      })
      .from(agentPrompt)
      .where(inArray(agentPrompt.slug, exampleSlugs)),
  ]);
  const rows = new Map<string, StoredText>([
    ...globals.map((r) => [`global_rule:global`, r] as const),
    ...templates.map((r) => [`template:${r.role}`, r] as const),
    ...examples.map((r) => [`example_prompt:${r.slug}`, r] as const),
  ]);
  return (kind, key) => rows.get(`${kind}:${key}`);
}

/** The global rule's column, read inside the batch. */
const globalRule = (column: "id" | "created_at"): SQL =>
  sql`(select r.${sql.raw(column)} from ${rule} r where r.scope = 'global')`;

/** Where one planned row lives, and the condition that it is still as read. */
function rowOf(item: PlannedText): { unchanged: SQL; write: (guard: SQL, now: string) => SQL[] } {
  const read = item.stored!;
  const { content, name, description } = item.target;
  switch (item.kind) {
    case "global_rule":
      return {
        unchanged: sql`exists (select 1 from ${rule} where scope = 'global' and content = ${read.content}
          and updated_at = ${read.updatedAt})`,
        write: (guard, now) => [
          sql`update ${rule} set content = ${content}, updated_at = ${now} where scope = 'global' and ${guard}`,
          // The search index follows the rule's new text in the same batch.
          ...reindex(
            "rule",
            globalRule("id"),
            ruleEntry({
              id: globalRule("id"),
              scope: "global",
              taskId: null,
              subTaskId: null,
              content,
              createdAt: globalRule("created_at"),
            }),
            sql`${guard} and exists (select 1 from ${rule} r where r.scope = 'global')`,
          ),
        ],
      };
    case "template":
      return {
        unchanged: sql`exists (select 1 from ${promptTemplate} where role = ${item.key} and content = ${read.content}
          and updated_at = ${read.updatedAt})`,
        write: (guard, now) => [
          sql`update ${promptTemplate} set content = ${content}, updated_at = ${now}
            where role = ${item.key as Role} and ${guard}`,
        ],
      };
    case "example_prompt":
      return {
        unchanged: sql`exists (select 1 from ${agentPrompt} where slug = ${item.key} and content = ${read.content}
          and updated_at = ${read.updatedAt})`,
        write: (guard, now) => [
          sql`update ${agentPrompt} set content = ${content}, name = ${name ?? item.key},
            description = ${description ?? ""}, updated_at = ${now} where slug = ${item.key} and ${guard}`,
        ],
      };
  }
}

/**
 * Writes the target text of every row planned `replace`, and the `alongside` statements (the audit row),
 * in one batch; false (nothing written) when any of those rows changed since it was read.
 */
export async function applySwitch(
  db: Db,
  planned: readonly PlannedText[],
  now: string,
  alongside: (guard: SQL) => SQL[],
): Promise<boolean> {
  const replaced = planned.filter((p) => p.outcome === "replace").map(rowOf);
  const nonce = JSON.stringify(crypto.randomUUID());
  const unchanged = replaced.length ? and(...replaced.map((r) => r.unchanged))! : sql`1`;
  const claim = sql`insert into ${setting} (key, value, updated_at) select ${CLAIM_KEY}, ${nonce}, ${now}
    where ${unchanged} on conflict(key) do update set value = excluded.value, updated_at = excluded.updated_at`;
  const ours = sql`exists (select 1 from ${setting} where key = ${CLAIM_KEY} and value = ${nonce})`;
  const [claimed] = await atomicWrite(db, [claim, ...replaced.flatMap((r) => r.write(ours, now)), ...alongside(ours)]);
  return claimed?.meta.changes === 1;
}
