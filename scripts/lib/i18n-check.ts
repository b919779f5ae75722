// The key-coverage check of every catalogue pair (English and a translation): the dashboard's, the
// Worker's and the CLI's. Pure: scripts/check-i18n.ts loads the catalogues and prints what this finds.
//
// A catalogue is a tree of plain objects whose leaves are texts (strings, with `{name}` placeholders),
// plural forms (`{one, other}` objects under a key listed as plural) or functions (texts built from
// typed arguments; the type check compares their parameters, this check their arity).

export type Leaf = string | ((...args: never[]) => string);
export interface Tree {
  [key: string]: Leaf | Tree;
}

/** `{name}` placeholders of a text, sorted. */
export const placeholders = (text: string): string[] =>
  [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();

/** Han characters: a translated text that has none (and is not allowed to) is an English text left over. */
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const PLURAL_FORMS = new Set(["zero", "one", "two", "few", "many", "other"]);

/** A `count()` message: an object of plural forms with at least `other`. */
export const isPluralForms = (value: unknown): value is Record<string, string> =>
  typeof value === "object" &&
  value !== null &&
  "other" in value &&
  Object.entries(value).every(([k, v]) => PLURAL_FORMS.has(k) && typeof v === "string");

export interface CheckOptions {
  /** Texts that are the same in both languages on purpose (names, acronyms), compared after trimming. */
  sameInBoth: ReadonlySet<string>;
}

/** Every difference between `base` (English) and `translation`, as "path: what is wrong" lines. */
export function compareCatalogues(base: Tree, translation: Tree, opts: CheckOptions, path = ""): string[] {
  const problems: string[] = [];
  const at = (key: string) => (path ? `${path}.${key}` : key);
  for (const key of Object.keys(translation))
    if (!(key in base)) problems.push(`${at(key)}: not in English (a stale or misspelled key)`);
  for (const [key, en] of Object.entries(base)) {
    const where = at(key);
    if (!(key in translation)) {
      problems.push(`${where}: missing`);
      continue;
    }
    const tr = translation[key];
    if (typeof en === "function") {
      if (typeof tr !== "function") problems.push(`${where}: English is a function, the translation is not`);
      else if (tr.length !== en.length)
        problems.push(`${where}: takes ${tr.length} argument(s), English takes ${en.length}`);
    } else if (typeof en === "string") {
      if (typeof tr !== "string") problems.push(`${where}: English is a text, the translation is not`);
      else problems.push(...compareTexts(where, en, tr, opts));
    } else if (isPluralForms(en)) {
      if (!isPluralForms(tr))
        problems.push(`${where}: English has plural forms, the translation needs at least "other"`);
      else
        for (const [form, text] of Object.entries(tr))
          problems.push(...compareTexts(`${where}.${form}`, en.other!, text, opts));
    } else if (typeof tr !== "object" || tr === null || isPluralForms(tr)) {
      problems.push(`${where}: English is a group of texts, the translation is not`);
    } else problems.push(...compareCatalogues(en, tr as Tree, opts, where));
  }
  return problems;
}

function compareTexts(where: string, en: string, tr: string, opts: CheckOptions): string[] {
  if (tr.trim() === "") return [`${where}: empty`];
  const problems: string[] = [];
  const want = placeholders(en).join(", ");
  const got = placeholders(tr).join(", ");
  if (want !== got) problems.push(`${where}: placeholders {${got}} differ from English {${want}}`);
  // A pure format ("{name}（{role}）") has no words to translate: only its punctuation may change.
  const words = tr.replace(/\{\w+\}/g, "");
  const isFormat = !/\p{L}/u.test(words);
  if (!isFormat && !opts.sameInBoth.has(en.trim()) && !CJK.test(tr))
    problems.push(`${where}: not translated ("${tr}")`);
  return problems;
}
