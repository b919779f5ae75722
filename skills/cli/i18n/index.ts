// The language the CLI speaks, chosen once per run, first that applies: --lang, then $OPENMOSS_LANG
// (both "pinned": the agent asked, so the CLI sends Accept-Language and the server's detail and hint
// follow), then the Content-Language of the server's latest answer (the project language: an admin's
// switch reaches agents at their next call), then the language baked in at download, then English.
// Only human text depends on it; `--json` output, codes, command and flag names never do.

import { isLanguage, type Language } from "../../../contract/languages";
import { type Catalogue, en } from "./en/index";
import { zhCN } from "./zh-CN/index";

export type { Catalogue };
/** A text of the command table (a summary, an argument's or a flag's help), read in the current language. */
export type Text = (m: Catalogue) => string;

const CATALOGUES: Record<Language, Catalogue> = { en, "zh-CN": zhCN };

let current: Language = "en";
let pinned = false;

/** The messages in the current language. */
export const t = (): Catalogue => CATALOGUES[current];

/** Sets the language for this run: `asked` (from --lang or $OPENMOSS_LANG) pins it; `baked` is only a default. */
export function chooseLang(asked: Language | undefined, baked: string): void {
  pinned = asked !== undefined;
  current = asked ?? (isLanguage(baked) ? baked : "en");
}

/** A server answer's Content-Language: followed unless the agent asked for a language itself. */
export function followServer(contentLanguage: string | null): void {
  if (!pinned && isLanguage(contentLanguage)) current = contentLanguage;
}

/** The Accept-Language to send: only a language the agent asked for (the server decides otherwise). */
export const askedLang = (): Language | undefined => (pinned ? current : undefined);
