// Recorded fixtures: the rows a fixture's API calls write, captured the first time in each pool
// worker and written back in one D1 batch every later time. The setup wizard and the login that most
// HTTP tests start from cost two PBKDF2 hashes and several requests; replaying their rows costs one
// batch. The first run goes through the real API, so the rows are exactly what the Worker writes;
// every timestamp is moved forward by the time since then, so a replayed session or setting looks as
// fresh as a new one. Tests of setup and login themselves call the API (call(), login()), not this.
import { env } from "cloudflare:workers";
import { indexText } from "../worker/domain/search-text";
import { appTables } from "./tables";

type Row = Record<string, unknown>;

interface Recording<T> {
  result: T;
  rows: { table: string; row: Row }[];
  /** Date.now() when the recorded calls had finished: replayed timestamps shift by (now - this). */
  recordedAt: number;
}

const ISO_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const recordings = new Map<string, Recording<unknown>>();

/**
 * Tables a recording leaves out. search_fts is contentless (its rows cannot be read back): a replay
 * rebuilds it from search_entry. file_usage's one row is put back by every wipe
 * (test/apply-migrations.ts): it is in the "empty" database a fixture starts from.
 */
const NOT_RECORDED = ["search_fts", "file_usage"];

/** Every row of every recorded table, read in one batch. */
async function allRows(): Promise<{ table: string; row: Row }[]> {
  const tables = (await appTables()).filter((t) => !NOT_RECORDED.includes(t));
  const results = await env.DB.batch(tables.map((t) => env.DB.prepare(`select * from "${t}" order by rowid`)));
  return tables.flatMap((table, i) => results[i]!.results.map((row) => ({ table, row: row as Row })));
}

const shifted = (value: unknown, byMs: number): unknown =>
  typeof value === "string" && ISO_TIMESTAMP.test(value) ? new Date(Date.parse(value) + byMs).toISOString() : value;

/**
 * The result of `record`, with the database left as `record` leaves it. On the empty database every
 * test starts from (test/apply-migrations.ts), the first call per `name` in this pool worker runs
 * `record` and keeps every row it wrote; later calls write those rows (timestamps shifted) in one
 * batch and return the same result. A test that wrote rows before calling runs `record` as is.
 */
export async function recordedFixture<T>(name: string, record: () => Promise<T>): Promise<T> {
  if ((await allRows()).length > 0) return record();
  const known = recordings.get(name) as Recording<T> | undefined;
  if (!known) {
    const result = await record();
    recordings.set(name, { result, rows: await allRows(), recordedAt: Date.now() });
    return result;
  }
  const byMs = Date.now() - known.recordedAt;
  await env.DB.batch([
    ...known.rows.map(({ table, row }) => {
      const columns = Object.keys(row);
      return env.DB.prepare(
        `insert into "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) values (${columns.map(() => "?").join(", ")})`,
      ).bind(...columns.map((c) => shifted(row[c], byMs)));
    }),
    // The tokens of the replayed indexed entries, as db/search-index.ts indexEntry writes them.
    ...known.rows
      .filter(({ table, row }) => table === "search_entry" && row.indexed === 1)
      .map(({ row }) =>
        env.DB.prepare("insert into search_fts (rowid, body) values (?, ?)").bind(row.id, indexText(String(row.text))),
      ),
  ]);
  return known.result;
}
