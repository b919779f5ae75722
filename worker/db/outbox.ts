import { type SQL, sql } from "drizzle-orm";
import type { NotificationEvent } from "../domain/model";
import { guardedInsert } from "./client";
import { notificationOutbox } from "./schema";

/** What a notification is about; channels format their message from it. */
export interface EventPayload {
  task?: { id: string; name: string };
  sub_task?: { id: string; name: string; status: string; assigned_agent: string | null };
  actor?: { kind: string; id: string | null; name: string };
  review?: { round: number; result: string; score: number | null; issues: string; comment: string };
  patrol?: { type: string; severity: string; description: string; target: string };
}

/** An outbox row for one event, to go in the same atomic batch as the change that caused it. */
export function enqueueEvent(event: NotificationEvent, payload: EventPayload, now: string, guard: SQL = sql`1`): SQL {
  return guardedInsert(notificationOutbox, { id: crypto.randomUUID(), event, payload, createdAt: now }, guard);
}
