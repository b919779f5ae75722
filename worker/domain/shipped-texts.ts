// Switching an install's shipped texts to another language (issue 17): which stored rows get the
// target language's text. Pure: the rows are read and written by db/shipped-texts.ts.
//
// A row is matched to what shipped by its key (the global rule, a role, an example's slug). Whether an
// admin edited it is read from its text: a row that still equals what shipped in some language is
// unedited (line endings and trailing spaces aside: an editor may have touched those), and so is one
// that still holds an earlier shipped version of that text (domain/shipped-history.ts).
import type { ShippedTextItem, ShippedTextKind, ShippedTextMode } from "../../contract/api/shipped-texts";
import { LANGUAGES, type Language } from "../../contract/languages";
import { ROLES } from "../../contract/vocabulary";
import { shippedEarlier } from "./shipped-history";
import { SHIPPED_AGENT_PROMPTS, SHIPPED_GLOBAL_RULE, SHIPPED_TEMPLATES } from "./shipped-prompts";

/** The fields a switch compares and writes: an example prompt's name and description are translated too. */
export interface ShippedFields {
  content: string;
  name?: string;
  description?: string;
}

/** A stored row a switch may replace, as read; `updatedAt` is the value its guarded write checks. */
export interface StoredText extends ShippedFields {
  updatedAt: string;
}

export interface ShippedTarget {
  kind: ShippedTextKind;
  /** The role, the slug, or "global". */
  key: string;
  /** The row's text in each language. */
  shipped: Readonly<Record<Language, ShippedFields>>;
}

/** One row's outcome, with the text it gets when replaced. */
export interface PlannedText extends ShippedTextItem {
  target: ShippedFields;
  stored: StoredText | undefined;
}

/** Line endings and trailing whitespace (per line and at the end) do not make a text edited. */
export const normaliseText = (text: string): string =>
  text
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t]+$/gm, "")
    .trimEnd();

const sameFields = (a: ShippedFields, b: ShippedFields): boolean =>
  normaliseText(a.content) === normaliseText(b.content) &&
  (a.name ?? "") === (b.name ?? "") &&
  normaliseText(a.description ?? "") === normaliseText(b.description ?? "");

const byLanguage = <T>(pick: (lang: Language) => T): Record<Language, T> =>
  Object.fromEntries(LANGUAGES.map((lang) => [lang, pick(lang)])) as Record<Language, T>;

/** Every shipped text a switch covers: the global rule, the four templates, the examples, in that order. */
export const SHIPPED_TARGETS: readonly ShippedTarget[] = [
  { kind: "global_rule", key: "global", shipped: byLanguage((lang) => ({ content: SHIPPED_GLOBAL_RULE[lang] })) },
  ...ROLES.map((role) => ({
    kind: "template" as const,
    key: role,
    shipped: byLanguage((lang) => ({ content: SHIPPED_TEMPLATES[lang][role] })),
  })),
  ...SHIPPED_AGENT_PROMPTS.en.map(({ slug }) => ({
    kind: "example_prompt" as const,
    key: slug,
    shipped: byLanguage((lang) => {
      const prompt = SHIPPED_AGENT_PROMPTS[lang].find((p) => p.slug === slug);
      if (!prompt) throw new Error(`example prompt ${slug} does not ship in ${lang}`);
      return { content: prompt.content, name: prompt.name, description: prompt.description };
    }),
  })),
];

/**
 * What a switch to `language` does to each shipped row, given the stored rows by kind and key
 * (undefined: the admin deleted it; never recreated).
 */
export function planSwitch(
  language: Language,
  mode: ShippedTextMode,
  stored: (kind: ShippedTextKind, key: string) => StoredText | undefined,
): PlannedText[] {
  return SHIPPED_TARGETS.map(({ kind, key, shipped }) => {
    const target = shipped[language];
    const row = stored(kind, key);
    const base = { kind, key, name: target.name ?? key, target, stored: row };
    if (!row) return { ...base, outcome: "missing" as const };
    if (sameFields(row, target)) return { ...base, outcome: "same" as const };
    const unedited =
      LANGUAGES.some((lang) => sameFields(row, shipped[lang])) || shippedEarlier(kind, key, normaliseText(row.content));
    return { ...base, outcome: mode === "all" || unedited ? ("replace" as const) : ("keep_edited" as const) };
  });
}
