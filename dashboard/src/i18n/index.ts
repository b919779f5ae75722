// The dashboard's languages (docs/i18n.md). English is the base: its messages live next to the code
// that shows them (i18n/en/<area>.ts) and ship inside that code's chunk. Another language's messages
// for an area (i18n/zh-CN/<area>.ts) are a chunk of their own, fetched the first time a component of
// that area mounts in that language. A switch re-renders every subscribed component, no reload.
import { type ComponentsJSON, createI18n, type Messages, type TranslationFunction } from "@nanostores/i18n";
import { atom } from "nanostores";
import { DEFAULT_LANGUAGE, isLanguage, type Language, languageOfTags } from "../../../contract/languages";

export { LANGUAGES, type Language } from "../../../contract/languages";
/** What the switch shows for each language, in that language. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: "English", "zh-CN": "中文" };

const STORAGE_KEY = "openmoss.lang";

function storedChoice(): Language | null {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : null;
  } catch {
    return null; // storage blocked (private mode, sandboxed frame): the browser's languages decide
  }
}

const browserLanguages = (): readonly string[] =>
  typeof navigator === "undefined" ? [] : navigator.languages?.length ? navigator.languages : [navigator.language];

/**
 * The language the dashboard shows: the admin's choice on this browser, else the first of the browser's
 * languages that we have (any zh… is Chinese), else English.
 */
export const language = atom<Language>(storedChoice() ?? languageOfTags(browserLanguages()) ?? DEFAULT_LANGUAGE);

/** Switches the language (remembered on this browser); every page follows without a reload. */
export function setLanguage(next: Language): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    // not remembered, still switched
  }
  language.set(next);
}

if (typeof document !== "undefined") language.subscribe((l) => document.documentElement.setAttribute("lang", l));

/** The component names of one file share its name before the slash ("enums/role" → i18n/zh-CN/enums.ts). */
const fileOf = (component: string): string => component.split("/")[0]!;

export const i18n = createI18n(language, {
  baseLocale: "en",
  async get(code, components) {
    // Vite turns the glob into one lazy chunk per file; nothing is fetched before it is needed.
    const files = import.meta.glob<{ default: ComponentsJSON }>("./zh-CN/*.ts");
    const names = [...new Set(components.map(fileOf))];
    return Promise.all(
      names.map((name) => {
        const load = code === "zh-CN" ? files[`./zh-CN/${name}.ts`] : undefined;
        return load ? load().then((m) => m.default) : {};
      }),
    );
  },
});

/** The plural forms a translation gives for a `count()` message; Chinese needs only `other`. */
export interface CountForms {
  zero?: string;
  one?: string;
  two?: string;
  few?: string;
  many?: string;
  other: string;
}

/**
 * The shape a translation of `messages` must have: every key of the English, nothing else; plain
 * strings for texts and `params()` messages, plural forms for `count()` messages. Used with
 * `satisfies` in i18n/zh-CN/*.ts, so a missing or extra key fails the type check.
 */
export type TranslationOf<M> =
  M extends Messages<infer Body>
    ? { [K in keyof Body]: Body[K] extends TranslationFunction<[number], unknown> ? CountForms : string }
    : never;
