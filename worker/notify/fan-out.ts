// Fan-out: each outbox event gets one pending delivery per channel that wants it. Multi-row
// statements (one insert per 32 deliveries, one mark per 99 events), so a run's few statements of
// budget fan out dozens of events.
import { asc, isNull, sql } from "drizzle-orm";
import { boundList, chunks, rowsPerStatement, valuesTable } from "../db/chunks";
import { atomicWrite, type Db } from "../db/client";
import { notificationDelivery, notificationOutbox as o } from "../db/schema";
import type { Settings } from "../db/settings";
import { channelWants } from "../domain/notifications";

/** Per delivery: id, event, channel; per statement: the time three times. */
const DELIVERY_ROWS = rowsPerStatement(3, 3);
/** Per event marked: its id; per statement: the time. */
const MARK_ROWS = rowsPerStatement(1, 1);

const statementsFor = (deliveries: number, events: number) =>
  Math.ceil(deliveries / DELIVERY_ROWS) + Math.ceil(events / MARK_ROWS);

/**
 * Fans out not-yet-fanned-out events, oldest first, as many as fit in `maxStatements` (the first
 * always goes, so that more channels than the limit cannot stall the outbox). The inserts and the
 * `fanned_out_at` marks are one atomic batch, and each insert lands only while its event's mark is
 * still unset, so a concurrent fan-out of the same event adds nothing. Returns the events marked here.
 */
export async function fanOut(db: Db, settings: Settings, now: string, maxStatements: number): Promise<number> {
  if (maxStatements <= 0) return 0;
  // One mark statement's worth of events at most.
  const events = await db
    .select({ id: o.id, event: o.event })
    .from(o)
    .where(isNull(o.fannedOutAt))
    .orderBy(asc(o.createdAt))
    .limit(MARK_ROWS);
  if (events.length === 0) return 0;

  const channels = settings["notification.webhooks"];
  const deliveries: string[][] = [];
  const marked: string[] = [];
  for (const { id, event } of events) {
    const rows = channels
      .filter((ch) => channelWants(ch, settings.notification, event))
      .map((ch) => [crypto.randomUUID(), id, ch.id]);
    if (marked.length > 0 && statementsFor(deliveries.length + rows.length, marked.length + 1) > maxStatements) break;
    deliveries.push(...rows);
    marked.push(id);
  }

  const d = notificationDelivery;
  const results = await atomicWrite(db, [
    ...chunks(deliveries, DELIVERY_ROWS).map(
      (part) => sql`insert into ${d} (id, outbox_id, channel_id, status, attempts,
        next_attempt_at, created_at, updated_at)
      select v.column1, v.column2, v.column3, 'pending', 0, ${now}, ${now}, ${now} from ${valuesTable(part)}
      where exists (select 1 from ${o} where ${o.id} = v.column2 and ${o.fannedOutAt} is null)
      on conflict(outbox_id, channel_id) do nothing`,
    ),
    // Last, after the inserts that look for the unset mark; `marked` fits in one statement (the read's limit).
    sql`update ${o} set fanned_out_at = ${now} where id in ${boundList(marked)} and fanned_out_at is null`,
  ]);
  return results.at(-1)?.meta.changes ?? 0;
}
