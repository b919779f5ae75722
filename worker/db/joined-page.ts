// Paging for the admin lists written as joined SQL (names joined in, every column aliased; see
// metered.ts): the filters arrive as `sql` conditions, the page and its count go out together.
// Also the builders those filters and orders share (keyword match, whitelisted order, ranked page).
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

/** Case-insensitive (ASCII) substring match of `keyword` in any of the given columns. */
export function keywordMatch(keyword: string, columns: SQL[]): SQL {
  return sql`(${sql.join(
    columns.map((col) => sql`instr(lower(coalesce(${col}, '')), lower(${keyword})) > 0`),
    sql` or `,
  )})`;
}

/** `ORDER BY` on a whitelisted column of `from`, ties broken by id ascending (upstream's rule). */
export const orderOn = (from: string, column: string, order: SortOrder): SQL =>
  sql`${sql.identifier(from)}.${sql.identifier(column)} ${sql.raw(order === "asc" ? "asc" : "desc")}, ${sql.identifier(from)}.id asc`;

/**
 * One page of a ranked list (the admins' agents and leaderboard), in one query: `ranked` selects every
 * row, so a rank computed in it is over ALL rows whatever the filters; `page` is that filtered by
 * `where`, sorted, cut to the window and carrying the window count `total`; `outer` selects from
 * `page` (and must keep `page.total as total`), joining what is counted for the page's rows only.
 * A page past the end has no row to carry the total, so only then a second, plain count runs.
 */
export async function rankedPage<Row>(
  db: Db,
  query: { ranked: SQL; where: SQL; outer: SQL },
  sort: { by: string; order: SortOrder },
  window: { limit: number; offset: number },
): Promise<{ rows: (Row & { total: number })[]; total: number }> {
  const { ranked, where, outer } = query;
  const rows = await db.all<Row & { total: number }>(sql`
    with ranked as (${ranked}),
    page as (
      select ranked.*, count(*) over () as total from ranked where ${where}
      order by ${orderOn("ranked", sort.by, sort.order)} limit ${window.limit} offset ${window.offset}
    )
    ${outer}
    order by ${orderOn("page", sort.by, sort.order)}`);
  let total = rows[0]?.total;
  if (total === undefined) {
    const [counted] = await db.all<{ n: number }>(
      sql`with ranked as (${ranked}) select count(*) as n from ranked where ${where}`,
    );
    total = counted?.n ?? 0;
  }
  return { rows, total };
}
