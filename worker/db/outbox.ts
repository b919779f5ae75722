import { type SQL, sql } from "drizzle-orm";
import type { NotificationEvent } from "../../contract/notification-events";
import type { EventData } from "../domain/notifications";
import { chunks, rowsPerStatement, valuesTable } from "./chunks";
import { guardedInsert } from "./client";
import { notificationAttempt as a, notificationDelivery as d, notificationOutbox as o, setting } from "./schema";

/** Rows each retention statement deletes per cron run; a backlog shrinks over the following runs. */
export const RETENTION_LIMIT = 500;

/**
 * True when some enabled channel wants `event` under the stored settings: `channelWants` in SQL, so it
 * can sit inside the same batch as the change (no separate settings read). A missing settings row
 * means the default: notifications off, no channels. Exported for events whose payload is built in
 * SQL (a finished round's counts, worker/db/execute-transition.ts).
 */
export const subscribed = (event: NotificationEvent): SQL => sql`exists (
  select 1 from ${setting} n, ${setting} w, json_each(w.value) ch
  where n.key = 'notification' and w.key = 'notification.webhooks'
    and json_extract(n.value, '$.enabled') = 1 and json_extract(ch.value, '$.enabled') = 1
    and ${event} in (select value from json_each(
      case when json_array_length(ch.value, '$.events') > 0 then ch.value else n.value end, '$.events')))`;

/**
 * An outbox row for one event, to go in the same atomic batch as the change that caused it. Written
 * only if a channel wants the event when the batch runs: nothing would ever send it otherwise.
 */
export function enqueueEvent(event: NotificationEvent, payload: EventData, now: string, guard: SQL = sql`1`): SQL {
  return guardedInsert(
    o,
    { id: crypto.randomUUID(), event, payload, createdAt: now },
    sql`(${guard}) and ${subscribed(event)}`,
  );
}

/** Per row: id, payload, key; per statement: the event, the time and the subscription check's event. */
export const EVENTS_PER_STATEMENT = rowsPerStatement(3, 3);

/**
 * Outbox rows for many events of one kind, for the same atomic batch as the change, in as few
 * multi-row statements as D1's parameter limit allows. Each row lands only if `guard(key)` holds for
 * its `key` (given as the SQL of its column; the guard must bind no parameters) and, as in
 * enqueueEvent, a channel wants the event when the batch runs.
 */
export function enqueueEvents(
  event: NotificationEvent,
  items: { payload: EventData; key: string }[],
  now: string,
  guard: (key: SQL) => SQL,
): SQL[] {
  return chunks(items, EVENTS_PER_STATEMENT).map((part) => {
    const rows = part.map((item) => [crypto.randomUUID(), o.payload.mapToDriverValue(item.payload), item.key]);
    return sql`insert into ${o} (id, event, payload, created_at) select v.column1, ${event}, v.column2, ${now}
      from ${valuesTable(rows)} where (${guard(sql`v.column3`)}) and ${subscribed(event)}`;
  });
}

/**
 * Deletes notification rows finished before `cutoff`, at most RETENTION_LIMIT per statement, in
 * dependency order so nothing is left pointing at a deleted row: attempts of sent / given-up
 * deliveries, then those deliveries once they have no attempts left, then fanned-out events with no
 * delivery left. Pending deliveries (and so their events) are never touched; fan-out only inserts
 * deliveries for events not yet fanned out, which are never deleted here.
 */
export function expiredNotifications(cutoff: string): SQL[] {
  // Served by ix_notification_delivery_due; a delivery's last change is at or after its next_attempt_at.
  const finished = sql`${d.status} in ('sent', 'gave_up') and ${d.nextAttemptAt} < ${cutoff} and ${d.updatedAt} < ${cutoff}`;
  return [
    sql`delete from ${a} where ${a.id} in (
      select x.id from ${a} x join ${d} on ${d.id} = x.delivery_id where ${finished} limit ${RETENTION_LIMIT})`,
    sql`delete from ${d} where ${d.id} in (
      select ${d.id} from ${d} where ${finished}
        and not exists (select 1 from ${a} where ${a.deliveryId} = ${d.id}) limit ${RETENTION_LIMIT})`,
    sql`delete from ${o} where ${o.id} in (
      select ${o.id} from ${o} where ${o.fannedOutAt} < ${cutoff}
        and not exists (select 1 from ${d} where ${d.outboxId} = ${o.id}) limit ${RETENTION_LIMIT})`,
  ];
}
