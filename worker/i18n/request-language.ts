// Which language a response speaks (docs/i18n.md), first that applies:
//   1. the request's Accept-Language, when it names English or Chinese (the dashboard always sends its
//      own language; the CLI only under --lang or OPENMOSS_LANG);
//   2. the project's language (setting `project.language`), once the request reveals it: agentAuth reads
//      it in the same statement as the key lookup, routes that read the settings anyway adopt it;
//   3. English (errors raised before either is known: a malformed body, a missing key).
// Every response says which in `Content-Language`.
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { DEFAULT_LANGUAGE, isLanguage, type Language, languageOfTags } from "../../contract/languages";
import type { AppEnv } from "../app-types";

/** The language Accept-Language asks for, by q-value (ties keep header order), or null. */
export function requestedLanguage(header: string | undefined): Language | null {
  if (!header) return null;
  const tags = header
    .slice(0, 512)
    .split(",")
    .map((part, order) => {
      const [tag = "", ...attrs] = part.trim().split(";");
      const q = attrs.map((a) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(a)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), order };
    })
    .filter((t) => t.tag !== "" && t.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  return languageOfTags(tags.map((t) => t.tag));
}

export const requestLanguage = createMiddleware<AppEnv>(async (c, next) => {
  const asked = requestedLanguage(c.req.header("accept-language"));
  c.set("lang", asked ?? DEFAULT_LANGUAGE);
  c.set("langAsked", asked !== null);
  await next();
  c.header("Content-Language", c.var.lang);
});

/** The project's language from the setting's stored JSON text ('"zh-CN"'); anything else is the default. */
export function languageOfStoredSetting(json: unknown): Language {
  try {
    const value: unknown = typeof json === "string" ? JSON.parse(json) : null;
    return isLanguage(value) ? value : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

/** The project's language becomes the response's, unless the request asked for one. */
export function adoptProjectLanguage(c: Context<AppEnv>, project: Language): void {
  if (!c.var.langAsked) c.set("lang", project);
}
