// Texts in the reader's language (docs/i18n.md). A throw site deep in the data layer does not know who
// is asking, so it describes its text as a `Text` — a message key and its parameters, plain data that
// survives a Durable Object call — and the response renders it in the request's language.
import type { Language } from "../../contract/languages";
import type { Catalogue, MessageKey, Messages } from "./catalogue";
import { en } from "./en";
import { zhCN } from "./zh-CN";

export type { Language } from "../../contract/languages";
export type { Catalogue } from "./catalogue";

const CATALOGUES: Record<Language, Catalogue> = { en, "zh-CN": zhCN };

export const catalogue = (lang: Language): Catalogue => CATALOGUES[lang];

type ParamsOf<K extends MessageKey> = Messages[K] extends (p: infer P) => string ? [params: P] : [];

/** A message parameter: plain data, so a Text survives a Durable Object call. */
export type Param = string | number | boolean | null;

/** A message to render later, in whichever language the reader turns out to want. */
export interface Text {
  key: MessageKey;
  params?: Record<string, Param>;
}

export function text<K extends MessageKey>(key: K, ...params: ParamsOf<K>): Text {
  return params[0] === undefined ? { key } : { key, params: params[0] as Record<string, Param> };
}

export const isText = (value: unknown): value is Text =>
  typeof value === "object" && value !== null && typeof (value as Text).key === "string";

/** The text in `lang`; a plain string (a throw site's own words, e.g. a validator's) stays as it is. */
export function render(value: Text | string, lang: Language): string {
  if (typeof value === "string") return value;
  const message = CATALOGUES[lang].messages[value.key] as string | ((p: unknown) => string) | undefined;
  if (message === undefined) return value.key; // only for a key from an older deploy's Durable Object
  return typeof message === "function" ? message(value.params ?? {}) : message;
}

/** The default hint of an error code in `lang`, if the code has one. */
export const defaultHint = (code: string, lang: Language): string | undefined =>
  (CATALOGUES[lang].hints as Record<string, string>)[code];

/** Every code with a default hint (the coverage test compares it with the Worker's source). */
export const hintedCodes = (): string[] => Object.keys(en.hints);
