// The team memory search: GET /api/search (docs/search.md).
import { z } from "@hono/zod-openapi";
import { SearchResultSchema } from "../../contract/api/search";
import { type Role, SEARCH_KINDS, type SearchKind } from "../../contract/vocabulary";
import type { App } from "../app";
import { type SearchRow, searchEntries } from "../db/search-queries";
import { MAX_QUERY_TERMS, parseSearchQuery, type QueryTerm } from "../domain/search-query";
import { searchSnippet } from "../domain/search-snippet";
import { text as message } from "../i18n";
import { badRequest } from "../lib/errors";
import { defineRoute, id, lineOrEmpty, text } from "./define";

/** Longest query, in characters. */
export const MAX_QUERY_CHARS = 200;
export const DEFAULT_SEARCH_LIMIT = 10;
export const MAX_SEARCH_LIMIT = 50;

/**
 * What each reader may find: what it can read today through the other routes (docs/search.md has the
 * matrix and where each comes from). Every agent role reads every log (GET /api/logs), review record
 * (GET /api/review-records), sub-task (GET /api/sub-tasks) and rule text (GET /api/rules, any task);
 * the admin reads everything. A role whose routes narrow one day gets a narrower list here.
 */
export const SEARCHABLE_KINDS: Record<Role | "admin", readonly SearchKind[]> = {
  admin: SEARCH_KINDS,
  planner: SEARCH_KINDS,
  executor: SEARCH_KINDS,
  reviewer: SEARCH_KINDS,
  patrol: SEARCH_KINDS,
};

const isKind = (k: string): k is SearchKind => (SEARCH_KINDS as readonly string[]).includes(k);

/**
 * `kinds=reflection,review`: a comma list; an unknown kind is refused by name. Hidden and control
 * characters are refused first (as `invalid_name`), so the refusal never echoes them.
 */
const Kinds = lineOrEmpty(200)
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return undefined;
    const kinds = [...new Set(value.split(",").map((k) => k.trim()))].filter((k) => k !== "");
    const unknown = kinds.find((k) => !isKind(k));
    if (unknown !== undefined) {
      ctx.issues.push({
        code: "custom",
        message: `"${unknown}" is not a kind of search entry`,
        params: {
          code: "unknown_search_kind",
          said: message("unknownSearchKind", { kind: unknown.slice(0, 40), kinds: SEARCH_KINDS.join(", ") }),
        },
        input: value,
      });
      return z.NEVER;
    }
    return kinds.length > 0 ? (kinds as SearchKind[]) : undefined;
  })
  .openapi({ description: `Comma-separated kinds to search: ${SEARCH_KINDS.join(", ")} (default: all)` });

const SearchQuery = z.object({
  q: text(MAX_QUERY_CHARS)
    .min(1)
    .openapi({
      description:
        `Words to find, all of them (case and accents ignored; Chinese works). "a phrase" in quotes, word* for a prefix; ` +
        `at most ${MAX_QUERY_TERMS} terms`,
    }),
  kinds: Kinds,
  task_id: id.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_SEARCH_LIMIT).default(DEFAULT_SEARCH_LIMIT),
});

const hitJson = (terms: QueryTerm[]) => (r: SearchRow) => ({
  kind: r.kind,
  id: r.sourceId,
  task_id: r.taskId,
  sub_task_id: r.subTaskId,
  sub_task_name: r.subTaskName,
  agent_id: r.agentId,
  agent_name: r.agentName,
  tag: r.tag,
  created_at: r.createdAt,
  snippet: searchSnippet(r.text, terms),
});

export function registerSearchRoutes(app: App): void {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/search",
      tag: "Search",
      auth: ["admin", "planner", "executor", "reviewer", "patrol"],
      summary:
        "Search team memory (reflections, deliveries, blocked reports, plans, retro answers, reviews, rules, sub-tasks): " +
        "best matches first among the newest 500, each with a snippet whose matched words are in [ ]",
      query: SearchQuery,
      response: SearchResultSchema,
    }),
    async (c) => {
      const { q, kinds, task_id, limit } = c.req.valid("query");
      const parsed = parseSearchQuery(q);
      if (!parsed.ok) {
        if (parsed.problem === "empty_query") throw badRequest("empty_query", message("emptyQuery"));
        throw badRequest("too_many_terms", message("tooManyTerms", { count: parsed.count, max: MAX_QUERY_TERMS }));
      }
      const readable = SEARCHABLE_KINDS[c.get("agent")?.role ?? "admin"];
      const asked = (kinds ?? SEARCH_KINDS).filter((k) => readable.includes(k));
      if (asked.length === 0) return c.json({ query: q, hits: [], capped: false }, 200);
      const { rows, capped } = await searchEntries(c.var.db, {
        match: parsed.query.match,
        kinds: asked,
        taskId: task_id,
        limit,
      });
      return c.json({ query: q, hits: rows.map(hitJson(parsed.query.terms)), capped }, 200);
    },
  );
}
