// The cron step that creates the rounds of recurring tasks that are due (docs/recurring.md).
import type { Db } from "../db/client";

export async function runRecurring(_db: Db, _now: string): Promise<unknown> {
  return "idle";
}
