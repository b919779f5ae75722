// What a new installation starts with: its settings, the default global rule, the role templates and
// the example agent prompts, in the project's language. Written once, at setup, and never over an
// existing row — admins' edits survive deploys that ship newer files (switching languages later is an
// admin's explicit request: db/shipped-texts.ts).
import { type SQL, sql } from "drizzle-orm";
import { DEFAULT_LANGUAGE, type Language } from "../../contract/languages";
import { SHIPPED_AGENT_PROMPTS, SHIPPED_GLOBAL_RULE, SHIPPED_TEMPLATES } from "../domain/shipped-prompts";
import { atomicWrite, type Db } from "./client";
import { agentPrompt, promptTemplate, rule, setting } from "./schema";
import { indexIf, ruleEntry } from "./search-index";
import { type Settings, settingWrites } from "./settings";

/**
 * The one-time setup as one batch: the settings and every shipped default in the language of
 * `settings["project.language"]` (English when not given). Of two concurrent calls
 * only one inserts the claim (a nonce); every other write checks that this call holds it. False when
 * another call claimed setup first (nothing was written).
 */
export async function initializeInstallation(db: Db, settings: Partial<Settings>, now: string): Promise<boolean> {
  const nonce = JSON.stringify(crypto.randomUUID());
  const claim = sql`insert into ${setting} (key, value, updated_at) values ('setup.claim', ${nonce}, ${now})
    on conflict(key) do nothing`;
  const ours = sql`exists (select 1 from ${setting} where key = 'setup.claim' and value = ${nonce})`;
  const [claimed] = await atomicWrite(db, [
    claim,
    ...settingWrites(settings, now, ours),
    ...seedStatements(now, ours, settings["project.language"] ?? DEFAULT_LANGUAGE),
  ]);
  return claimed?.meta.changes === 1;
}

/** Insert statements for every shipped default, each a no-op unless `guard` holds and the row is new. */
function seedStatements(now: string, guard: SQL, lang: Language): SQL[] {
  // `where` also settles SQLite's INSERT … SELECT … ON CONFLICT parsing ambiguity.
  const ruleId = crypto.randomUUID();
  const content = SHIPPED_GLOBAL_RULE[lang];
  return [
    sql`insert into ${rule} (id, scope, content, created_at, updated_at)
      select ${ruleId}, 'global', ${content}, ${now}, ${now} where ${guard}
      on conflict do nothing`,
    // Indexed only if this insert landed (an existing global rule keeps its own entry).
    ...indexIf(
      ruleEntry({ id: ruleId, scope: "global", taskId: null, subTaskId: null, content, createdAt: now }),
      sql`exists (select 1 from ${rule} where ${rule.id} = ${ruleId})`,
    ),
    ...Object.entries(SHIPPED_TEMPLATES[lang]).map(
      ([role, content]) => sql`insert into ${promptTemplate} (role, content, updated_at)
        select ${role}, ${content}, ${now} where ${guard} on conflict do nothing`,
    ),
    ...SHIPPED_AGENT_PROMPTS[lang].map(
      (p) => sql`insert into ${agentPrompt} (slug, name, role, description, content, example, created_at, updated_at)
        select ${p.slug}, ${p.name}, ${p.role}, ${p.description}, ${p.content}, 1, ${now}, ${now} where ${guard}
        on conflict do nothing`,
    ),
  ];
}
