// The application's tables (what the migrations made), by name: what a reset empties, a snapshot reads
// and a fixture records. Read once per pool worker; the schema does not change after the migrations.
import { env } from "cloudflare:workers";

let names: Promise<string[]> | undefined;

export function appTables(): Promise<string[]> {
  names ??= env.DB.prepare(
    "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '\\_cf\\_%' escape '\\' and name <> 'd1_migrations' order by name",
  )
    .all<{ name: string }>()
    .then(({ results }) => results.map((r) => r.name));
  return names;
}
