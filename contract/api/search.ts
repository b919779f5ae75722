// Response shape of the team memory search (docs/search.md): GET /api/search.
import { z } from "@hono/zod-openapi";
import { SEARCH_KINDS } from "../vocabulary.js";

export const SearchKindEnum = z.enum(SEARCH_KINDS);

export const SearchHitSchema = z
  .object({
    kind: SearchKindEnum,
    id: z.string().openapi({ description: "The source's id: a log, review record, rule or sub-task id" }),
    task_id: z.string().nullable(),
    sub_task_id: z.string().nullable(),
    sub_task_name: z.string().nullable(),
    agent_id: z.string().nullable(),
    agent_name: z.string().nullable(),
    tag: z.string().nullable().openapi({ description: "review: approved or rejected; rule: its scope" }),
    created_at: z.string(),
    snippet: z.string().openapi({
      description: "Up to ~200 characters around the first match, the matched terms between [ and ]",
    }),
  })
  .openapi("SearchHit");
export type SearchHit = z.infer<typeof SearchHitSchema>;

export const SearchResultSchema = z
  .object({
    query: z.string(),
    hits: z.array(SearchHitSchema).openapi({ description: "Best first (bm25 over the newest matches)" }),
    capped: z
      .boolean()
      .openapi({ description: "true when more entries matched than were ranked: narrow the query or filter by task" }),
  })
  .openapi("SearchResult");
export type SearchResult = z.infer<typeof SearchResultSchema>;
