// The one pagination helper. Agent lists keep upstream's optional paging (page_size 0 = everything,
// but bounded here); admin lists page strictly (1..100, default 20).
import { z } from "@hono/zod-openapi";
import type { Page } from "../../contract/api/page";

/**
 * page_size 0 returns "everything" up to this many rows; `has_more` says when it was cut. Rows of
 * enveloped lists can carry several 10,000-character fields, so this keeps a response to megabytes.
 */
export const UNPAGED_LIMIT = 100;
/** Plain-array lists of small rows (agents, leaderboard, modules, history) stop here. */
export const PLAIN_LIST_LIMIT = 1000;
const MAX_PAGE_SIZE = 100;

export const optionalPageQuery = {
  page: z.coerce
    .number()
    .int()
    .max(1_000_000)
    .default(1)
    .transform((p) => Math.max(1, p))
    .openapi({ description: "1-based page (values below 1 mean 1)" }),
  page_size: z.coerce
    .number()
    .int()
    .max(1_000_000)
    .default(0)
    .transform((s) => Math.min(s, MAX_PAGE_SIZE))
    .openapi({ description: `0 = all rows (at most ${UNPAGED_LIMIT}); otherwise capped at ${MAX_PAGE_SIZE}` }),
};

export const strictPageQuery = {
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  page_size: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
};

export interface PageRequest {
  page: number;
  page_size: number;
}

/** LIMIT/OFFSET for a page request. */
export function pageWindow({ page, page_size }: PageRequest): { limit: number; offset: number } {
  if (page_size <= 0) return { limit: UNPAGED_LIMIT, offset: 0 };
  return { limit: page_size, offset: (page - 1) * page_size };
}

/** The envelope the dashboard and the CLI read (contract/api/page.ts). */
export type Envelope<T> = Page<T>;

export function envelope<T>(items: T[], total: number, { page, page_size }: PageRequest): Envelope<T> {
  if (page_size <= 0) {
    return { items, total, page: 1, page_size: 0, total_pages: 1, has_more: total > items.length };
  }
  const total_pages = Math.max(1, Math.ceil(total / page_size));
  return { items, total, page, page_size, total_pages, has_more: page < total_pages };
}

export const envelopeSchema = <T extends z.ZodTypeAny>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    page_size: z.number().int(),
    total_pages: z.number().int(),
    has_more: z.boolean(),
  });
