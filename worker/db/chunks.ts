// Multi-row statements within D1's limit on bound parameters: one statement carries as many rows as
// fit, so a cron run's writes cost statements per table rather than per row (the Free plan counts
// each statement of a batch as a query).
import { type SQL, sql } from "drizzle-orm";

/** D1 binds at most 100 parameters per statement. */
export const MAX_BOUND_PARAMETERS = 100;

/** Rows of `columns` bound values each that fit in one statement that also binds `fixed` other parameters. */
export const rowsPerStatement = (columns: number, fixed = 0): number =>
  Math.floor((MAX_BOUND_PARAMETERS - fixed) / columns);

/** `items` in runs of at most `size`. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `(?, ?, …)`: a list of bound values, e.g. for `id in …`. */
export const boundList = (values: unknown[]): SQL =>
  sql`(${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;

/**
 * `(values (?, ?), (?, ?)) as v`: rows as a table whose columns SQLite names v.column1, v.column2, …
 * (every row must have the same number of values).
 */
export const valuesTable = (rows: unknown[][]): SQL => sql`(values ${sql.join(rows.map(boundList), sql`, `)}) as v`;
