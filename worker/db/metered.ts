// Counts D1 rows read and written per request, from D1's result meta, for the benchmark and for
// tests that bound query cost. drizzle reads through `raw()`, which drops meta, so `raw()` is served
// from `all()` here (drizzle maps batch results the same way). The one rule that follows, as for
// drizzle's own D1 batches: a join must not select two columns with the same name — alias them.

export interface D1Usage {
  queries: number;
  rowsRead: number;
  rowsWritten: number;
}

export const emptyUsage = (): D1Usage => ({ queries: 0, rowsRead: 0, rowsWritten: 0 });

export function addUsage(usage: D1Usage, more: D1Usage): void {
  usage.queries += more.queries;
  usage.rowsRead += more.rowsRead;
  usage.rowsWritten += more.rowsWritten;
}

function count(usage: D1Usage, meta: D1Meta | undefined): void {
  usage.queries += 1;
  usage.rowsRead += meta?.rows_read ?? 0;
  usage.rowsWritten += meta?.rows_written ?? 0;
}

class MeteredStatement {
  constructor(
    readonly inner: D1PreparedStatement,
    private readonly usage: D1Usage,
  ) {}

  bind(...values: unknown[]): MeteredStatement {
    return new MeteredStatement(this.inner.bind(...values), this.usage);
  }

  async all<T>(): Promise<D1Result<T>> {
    const result = await this.inner.all<T>();
    count(this.usage, result.meta);
    return result;
  }

  async run<T>(): Promise<D1Result<T>> {
    const result = await this.inner.run<T>();
    count(this.usage, result.meta);
    return result;
  }

  async first<T>(column?: string): Promise<T | null> {
    const { results } = await this.all<Record<string, unknown>>();
    const row = results[0];
    if (!row) return null;
    return (column ? row[column] : row) as T;
  }

  async raw<T extends unknown[]>(options?: { columnNames?: boolean }): Promise<T[]> {
    const { results } = await this.all<Record<string, unknown>>();
    const rows = results.map((r) => Object.values(r)) as T[];
    if (options?.columnNames) return [Object.keys(results[0] ?? {}) as T, ...rows];
    return rows;
  }
}

/** Wraps a D1 binding so that every query it runs adds to `usage`. */
export function meteredD1(d1: D1Database, usage: D1Usage): D1Database {
  const wrapper = {
    prepare: (query: string) => new MeteredStatement(d1.prepare(query), usage),
    batch: async <T>(statements: MeteredStatement[]): Promise<D1Result<T>[]> => {
      const results = await d1.batch<T>(statements.map((s) => s.inner));
      for (const r of results) count(usage, r.meta);
      return results;
    },
    exec: (query: string) => d1.exec(query),
    dump: () => d1.dump(),
    withSession: (constraint?: string) => d1.withSession(constraint),
  };
  return wrapper as unknown as D1Database;
}
