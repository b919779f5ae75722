// The languages people and agents can read OpenMOSS Edge in (docs/i18n.md). The Worker, the dashboard
// and the CLI share this list; a project has one of them as its language (setting `project.language`).
export const LANGUAGES = ["en", "zh-CN"] as const;
export type Language = (typeof LANGUAGES)[number];

export const DEFAULT_LANGUAGE: Language = "en";

export const isLanguage = (value: unknown): value is Language => LANGUAGES.includes(value as Language);

/**
 * The language a list of BCP 47 tags asks for, in preference order: the first tag that is some English
 * or some Chinese (zh, zh-CN, zh-Hans, zh-TW…: we have one Chinese), or null when none is. Wildcards
 * and other languages are skipped, so `*` (what many HTTP clients send by default) asks for nothing.
 */
export function languageOfTags(tags: readonly string[]): Language | null {
  for (const tag of tags) {
    if (/^zh\b/i.test(tag)) return "zh-CN";
    if (/^en\b/i.test(tag)) return "en";
  }
  return null;
}
