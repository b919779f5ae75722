import type { Language } from "../contract/languages";
import type { Db } from "./db/client";
import type { Registrar } from "./db/enrollment";
import type { Usage } from "./db/metered";
import type { agent } from "./db/schema";
import type { Env } from "./env";

export type AgentRow = typeof agent.$inferSelect;

/** Hono context shared by every route: bindings plus what middleware resolved. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    db: Db;
    /** D1 rows read/written by this request, reported in `x-d1-*` response headers. */
    usage: Usage;
    agent: AgentRow;
    /** The request body as received (bounded), kept for the request log. */
    rawBody: string | null;
    /** What X-Registration-Token resolved to (POST /api/agents/register only). */
    registrar: Registrar;
    /** Set when the request queued notifications; they are delivered after the response. */
    notify: boolean;
    /** The language of this response's texts (i18n/request-language.ts). */
    lang: Language;
    /** Whether Accept-Language chose `lang` (then the project's language does not override it). */
    langAsked: boolean;
  };
}
