import { type SQL, sql } from "drizzle-orm";
import type { NotificationEvent } from "../domain/model";
import type { EventData } from "../domain/notifications";
import { guardedInsert } from "./client";
import { notificationOutbox } from "./schema";

/** An outbox row for one event, to go in the same atomic batch as the change that caused it. */
export function enqueueEvent(event: NotificationEvent, payload: EventData, now: string, guard: SQL = sql`1`): SQL {
  return guardedInsert(notificationOutbox, { id: crypto.randomUUID(), event, payload, createdAt: now }, guard);
}
