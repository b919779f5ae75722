// The dashboard's catalogue as the i18n browser test uses it: every English text beside its zh-CN
// text (the global setup loads both with scripts/lib/i18n-catalogue.ts and provides the list), the
// English texts a Chinese page must not show, and the Chinese twin of an English text so the test can
// click "新建任务" without knowing which key holds it. Pure: no node:* (the root tsconfig checks it
// with Workers types), used on the node side by the global setup and by the test files.
import type { Tree } from "../../scripts/lib/i18n-check";

/** One catalogue text: where it lives, its English, and its zh-CN text (null while untranslated). */
export interface CatalogueText {
  /** area › component › key (› plural form), for the failure message. */
  source: string;
  en: string;
  zh: string | null;
}

declare module "vitest" {
  export interface ProvidedContext {
    /** Every text of the dashboard's catalogue, English beside zh-CN (global-setup.ts). */
    dashboardTexts: CatalogueText[];
  }
}

const isTree = (v: unknown): v is Tree => typeof v === "object" && v !== null;

/** Flattens English and zh-CN trees (area → component → key → text or plural forms) into pairs. */
export function pairTexts(en: Tree, zh: Tree | undefined, path: string[] = []): CatalogueText[] {
  const out: CatalogueText[] = [];
  for (const [key, value] of Object.entries(en)) {
    const twin = zh?.[key];
    if (typeof value === "string")
      out.push({ source: [...path, key].join(" › "), en: value, zh: typeof twin === "string" ? twin : null });
    else if (isTree(value)) out.push(...pairTexts(value, isTree(twin) ? twin : undefined, [...path, key]));
  }
  return out;
}

/** An English text a Chinese page must not show: a plain text or, with {placeholders}, a pattern. */
export interface EnglishText {
  source: string;
  en: string;
  matches: (shown: string) => boolean;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** "{count} items" → /^.+? items$/: a placeholder stands for any text. */
const patternOf = (text: string) =>
  new RegExp(
    `^${text
      .split(/\{\w+\}/)
      .map(escapeRegExp)
      .join(".+?")}$`,
    "s",
  );
const letters = (text: string) => text.replace(/\{\w+\}/g, "").replace(/[^A-Za-z]/g, "").length;
/** Spaces and line breaks as the page collapses them. */
export const normalize = (s: string) => s.replace(/\s+/g, " ").trim();

/**
 * The English texts whose Chinese differs: those the zh-CN catalogue also uses verbatim (product
 * names, API, URL: scripts/check-i18n.ts SAME_IN_BOTH) may show in Chinese too, and texts with fewer
 * than three letters ("OK", "×") are too short to tell English from a symbol or an id.
 */
export function englishTexts(texts: CatalogueText[]): EnglishText[] {
  const usedInChinese = new Set(texts.flatMap((t) => (t.zh === null ? [] : [normalize(t.zh)])));
  const out: EnglishText[] = [];
  for (const { source, en } of texts) {
    const text = normalize(en);
    if (letters(text) < 3 || usedInChinese.has(text)) continue;
    const re = /\{\w+\}/.test(text) ? patternOf(text) : null;
    out.push({ source, en: text, matches: re ? (shown) => re.test(shown) : (shown) => shown === text });
  }
  return out;
}

/** The zh-CN text of an English one (the first key holding it); throws while it is untranslated. */
export function zhFor(texts: CatalogueText[], en: string): string {
  const hit = texts.find((t) => t.en === en && t.zh !== null);
  if (!hit) throw new Error(`no zh-CN text for "${en}" in the dashboard's catalogue yet`);
  return hit.zh!;
}
