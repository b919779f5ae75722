import { fillPlaceholders, getTableColumns, type Query, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { SQLiteAsyncDialect, type SQLiteTable } from "drizzle-orm/sqlite-core";

export type Db = ReturnType<typeof getDb>;

export const getDb = (d1: D1Database) => drizzle(d1);

const dialect = new SQLiteAsyncDialect();

/**
 * Runs write statements (query builders or `sql` fragments) as one D1 batch: all commit or none do.
 * drizzle's own `batch` cannot take parameterized raw `sql`, which guarded writes need.
 */
export async function atomicWrite(db: Db, statements: SQLWrapper[]): Promise<D1Result[]> {
  const prepared = statements.map((s) => {
    const query = dialect.sqlToQuery(s.getSQL());
    return db.$client.prepare(query.sql).bind(...query.params);
  });
  return db.$client.batch(prepared);
}

/** INSERT … SELECT values WHERE guard: the row is written only if the guard holds inside the batch. */
export function guardedInsert<T extends SQLiteTable>(table: T, values: T["$inferInsert"], guard: SQL) {
  const columns = Object.entries(getTableColumns(table)).filter(([key]) => key in (values as object));
  const names = sql.join(
    columns.map(([, col]) => sql.identifier(col.name)),
    sql`, `,
  );
  const params = sql.join(
    columns.map(([key, col]) => sql`${col.mapToDriverValue((values as Record<string, unknown>)[key])}`),
    sql`, `,
  );
  return sql`insert into ${table} (${names}) select ${params} where ${guard}`;
}

/**
 * A statement drizzle builds once per isolate, on first use; each run only binds `values` to its
 * `sql.placeholder(name)`s. For the statements every agent request runs: building a query with
 * drizzle costs more of the Worker's CPU than binding it (docs/benchmarks.md, CPU).
 */
export function precompiled(build: () => SQLWrapper) {
  let query: Query | undefined;
  return (db: Db, values: Record<string, unknown>): D1PreparedStatement => {
    query ??= dialect.sqlToQuery(build().getSQL());
    return db.$client.prepare(query.sql).bind(...fillPlaceholders(query.params, values));
  };
}

/** A row of `table` as D1 returns it (column names) in drizzle's shape (property names, mapped values). */
export function rowOf<T extends SQLiteTable>(table: T, raw: Record<string, unknown>): T["$inferSelect"] {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = raw[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as T["$inferSelect"];
}
