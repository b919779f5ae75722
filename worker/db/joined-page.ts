// Paging for the admin lists written as joined SQL (names joined in, every column aliased; see
// metered.ts): the filters arrive as `sql` conditions, the page and its count go out together.
import { type SQL, sql } from "drizzle-orm";
import type { SortOrder } from "../domain/ranking";
import { type Envelope, envelope, type PageRequest, pageWindow } from "../lib/pagination";
import type { Db } from "./client";

/** Every condition must hold (`1` when there is none, so the list is unfiltered). */
export const allOf = (conditions: SQL[]): SQL => sql.join([sql`1`, ...conditions], sql` and `);

/**
 * Oldest or newest first by `<alias>.created_at`, insertion order (rowid) breaking ties the same way.
 * `alias` is a table alias of our own SQL, never user input.
 */
export function byCreatedAt(alias: "l" | "r", order: SortOrder): SQL {
  const direction = order === "asc" ? "asc" : "desc";
  return sql.raw(`${alias}.created_at ${direction}, ${alias}.rowid ${direction}`);
}

/** One page of a joined query: the rows (`select … from …` with `where`, ordered) and their count. */
export async function joinedPage<T>(
  db: Db,
  query: { select: SQL; from: SQL; where: SQL; orderBy: SQL },
  paging: PageRequest,
): Promise<Envelope<T>> {
  const { select, from, where, orderBy } = query;
  const { limit, offset } = pageWindow(paging);
  const [rows, [counted]] = await Promise.all([
    db.all<T>(sql`${select} ${from} where ${where} order by ${orderBy} limit ${limit} offset ${offset}`),
    db.all<{ n: number }>(sql`select count(*) as n ${from} where ${where}`),
  ]);
  return envelope(rows, counted?.n ?? 0, paging);
}
