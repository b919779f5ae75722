// Counts what a request (or a cron run) costs against Cloudflare's per-invocation limits: D1
// statements and rows, from D1's result meta, and subrequests (Durable Object calls and outbound
// fetches; D1 queries have their own limit). For the benchmark and for the budget tests. drizzle
// reads through `raw()`, which drops meta, so `raw()` is served from `all()` here (drizzle maps batch
// results the same way). The one rule that follows, as for drizzle's own D1 batches: a join must not
// select two columns with the same name — alias them.

export interface Usage {
  /** D1 statements; each statement of a batch counts (the conservative reading of the limit). */
  queries: number;
  rowsRead: number;
  rowsWritten: number;
  /**
   * Of `queries`, those the Durable Objects called ran. On Cloudflare each Durable Object request
   * is an invocation of its own with its own limits, so a budget of this invocation leaves them out.
   */
  doQueries: number;
  /** Durable Object calls (each is also a subrequest). */
  doCalls: number;
  /** Durable Object calls plus outbound fetches. */
  subrequests: number;
}

export const emptyUsage = (): Usage => ({
  queries: 0,
  rowsRead: 0,
  rowsWritten: 0,
  doQueries: 0,
  doCalls: 0,
  subrequests: 0,
});

export function addUsage(usage: Usage, more: Partial<Usage>): void {
  usage.queries += more.queries ?? 0;
  usage.rowsRead += more.rowsRead ?? 0;
  usage.rowsWritten += more.rowsWritten ?? 0;
  usage.doQueries += more.doQueries ?? 0;
  usage.doCalls += more.doCalls ?? 0;
  usage.subrequests += more.subrequests ?? 0;
}

/** Counts one Durable Object call (call it before the call: a failed call was still made). */
export function countDoCall(usage: Usage | undefined): void {
  if (!usage) return;
  usage.doCalls += 1;
  usage.subrequests += 1;
}

/** Adds what a Durable Object call ran in D1 (its own invocation's queries) to the caller's usage. */
export function addDoUsage(usage: Usage, inObject: Usage): void {
  addUsage(usage, inObject);
  usage.doQueries += inObject.queries;
}

/** D1 statements this invocation ran itself: what Cloudflare's per-invocation query limit counts. */
export const ownQueries = (usage: Usage): number => usage.queries - usage.doQueries;

/** A fetch that counts each request it makes as a subrequest. */
export function meteredFetch(fetcher: typeof fetch, usage: Usage): typeof fetch {
  return ((input: RequestInfo | URL, init?: RequestInit) => {
    usage.subrequests += 1;
    return fetcher(input, init);
  }) as typeof fetch;
}

function count(usage: Usage, meta: D1Meta | undefined): void {
  usage.queries += 1;
  usage.rowsRead += meta?.rows_read ?? 0;
  usage.rowsWritten += meta?.rows_written ?? 0;
}

class MeteredStatement {
  constructor(
    readonly inner: D1PreparedStatement,
    private readonly usage: Usage,
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
export function meteredD1(d1: D1Database, usage: Usage): D1Database {
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
