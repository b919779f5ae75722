import { count, type SQL } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { type Envelope, envelope, type PageRequest, pageWindow } from "../lib/pagination";
import type { Db } from "./client";

/** One page of a table (rows and total in one round trip), shaped as upstream's envelope. */
export async function selectPage<T extends SQLiteTable, Item>(
  db: Db,
  table: T,
  where: SQL | undefined,
  orderBy: SQL[],
  page: PageRequest,
  toItem: (row: T["$inferSelect"]) => Item,
): Promise<Envelope<Item>> {
  const { limit, offset } = pageWindow(page);
  const [rows, [total]] = await db.batch([
    db
      .select()
      .from(table as SQLiteTable)
      .where(where)
      .orderBy(...orderBy)
      .limit(limit)
      .offset(offset),
    db
      .select({ n: count() })
      .from(table as SQLiteTable)
      .where(where),
  ]);
  return envelope((rows as T["$inferSelect"][]).map(toItem), total?.n ?? 0, page);
}
