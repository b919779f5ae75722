// The application's tables (what the migrations made), by name: what a reset empties, a snapshot reads
// and a fixture records. Read once per pool worker; the schema does not change after the migrations.
// The search index's FTS5 shadow tables (search_fts_data, _idx, _docsize, _config) are internal to
// search_fts and never written directly; search_fts itself is listed (its rowids are its content).
import { env } from "cloudflare:workers";

let names: Promise<string[]> | undefined;

export function appTables(): Promise<string[]> {
  names ??= env.DB.prepare(
    "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '\\_cf\\_%' escape '\\' and name <> 'd1_migrations' and name not like 'search\\_fts\\_%' escape '\\' order by name",
  )
    .all<{ name: string }>()
    .then(({ results }) => results.map((r) => r.name));
  return names;
}

/**
 * Empties every table as one batch, then puts back the rows the migrations seed (file_usage's one
 * row), so the database is exactly as a fresh migration leaves it.
 */
export async function emptyDatabase(): Promise<void> {
  await env.DB.batch([
    ...(await appTables()).map((name) => env.DB.prepare(`delete from "${name}"`)),
    env.DB.prepare("insert into file_usage (id, bytes, files) values (1, 0, 0)"),
  ]);
}
