// Delivers the notification outbox to the channels in settings. Safe to run from several places at
// once (right after a request that queued events, and from the cron): fan-out is idempotent and each
// delivery is leased before it is sent, so no delivery is sent twice by two dispatchers.
import { and, eq, inArray, sql } from "drizzle-orm";
import { atomicWrite, type Db } from "../db/client";
import { notificationAttempt, notificationDelivery, notificationOutbox } from "../db/schema";
import { type NotificationChannel, readSettings, type Settings } from "../db/settings";
import { channelWants, type EventData, MAX_ATTEMPTS, retryDelayMs } from "../domain/notifications";
import { inParallel } from "../lib/parallel";
import { fanOut } from "./fan-out";
import { FETCH_TIMEOUT_MS, sendToChannel } from "./send";

// The send step's API, for the test-send endpoint and the fault tests.
export { FETCH_TIMEOUT_MS, type SendResult, sendToChannel } from "./send";

export interface DispatchSummary {
  /** Outbox events given their deliveries (or found wanted by no channel) in this run. */
  fannedOut: number;
  /** HTTP requests made (= sent + failed). */
  attempted: number;
  sent: number;
  /** Attempts that failed, including those after which the delivery gave up. */
  failed: number;
  /** Deliveries that gave up: after MAX_ATTEMPTS failures, or because their channel went away. */
  gaveUp: number;
  /** Claimed deliveries released untried (their channel failed earlier in this run, or time ran short). */
  deferred: number;
}

/**
 * What one dispatch may spend, so that its invocation stays within the Free plan's 50 D1 queries
 * and 50 subrequests: a delivery is one fetch and at most QUERIES_PER_DELIVERY statements; fan-out
 * is one multi-row insert per 32 new deliveries plus one mark per 99 events (fan-out.ts). What does
 * not fit waits for the next dispatch (the cron's, every minute).
 */
export interface DispatchLimits {
  deliveries: number;
  fanOutStatements: number;
}
/** Statements of a dispatch besides fan-out and deliveries: settings, outbox scan, claim, event lookup. */
export const DISPATCH_READS = 4;
/** The attempt and its delivery update; an untried delivery costs at most a give-up or its lane's release. */
export const QUERIES_PER_DELIVERY = 2;
/**
 * Right after a request, in that request's invocation (waitUntil): 4 + 8 + 5 × 2 = 22 statements and
 * 5 fetches on top of the request's own. The cron gives dispatch what its other steps leave (cron.ts).
 */
export const INLINE_LIMITS: DispatchLimits = { deliveries: 5, fanOutStatements: 8 };
/** Deliveries claimed at most, whatever the limits: keeps the outbox lookup under D1's 100 bound parameters. */
export const CLAIM_LIMIT = 50;
/** Without a budget (a Paid plan's or a test's dispatch): one moderate fan-out batch and a full claim. */
export const UNBUDGETED: DispatchLimits = { deliveries: CLAIM_LIMIT, fanOutStatements: 200 };
export const LEASE_MS = 60_000;
/** Channels delivered to at the same time. */
const PARALLEL_CHANNELS = 4;
/** No new request starts later than this after the claim, so each finishes well inside the lease. */
const SEND_WINDOW_MS = LEASE_MS - FETCH_TIMEOUT_MS - 10_000;

type Claimed = { id: string; outboxId: string; channelId: string; attempts: number };
type OutboxRow = typeof notificationOutbox.$inferSelect;

export async function dispatchNotifications(
  db: Db,
  now: Date,
  fetcher: typeof fetch = fetch,
  limits: DispatchLimits = UNBUDGETED,
): Promise<DispatchSummary> {
  const summary: DispatchSummary = { fannedOut: 0, attempted: 0, sent: 0, failed: 0, gaveUp: 0, deferred: 0 };
  const settings = await readSettings(db);
  summary.fannedOut = await fanOut(db, settings, now.toISOString(), limits.fanOutStatements);
  const claimLimit = Math.min(CLAIM_LIMIT, limits.deliveries);
  if (claimLimit > 0) await deliverDue(db, settings, now, fetcher, summary, claimLimit);
  return summary;
}

async function deliverDue(
  db: Db,
  settings: Settings,
  now: Date,
  fetcher: typeof fetch,
  summary: DispatchSummary,
  claimLimit: number,
): Promise<void> {
  const nowIso = now.toISOString();
  const lease = new Date(now.getTime() + LEASE_MS).toISOString();
  const claimedAt = Date.now();
  const d = notificationDelivery;
  const due = sql`${d.status} = 'pending' and ${d.nextAttemptAt} <= ${nowIso} and (${d.leaseUntil} is null or ${d.leaseUntil} < ${nowIso})`;
  // One statement: a delivery another dispatcher holds (or just took) is not due here, so two
  // dispatchers can never hold the same delivery.
  const claimed: Claimed[] = await db
    .update(d)
    .set({ leaseUntil: lease })
    .where(
      sql`${d.id} in (select ${d.id} from ${d} where ${due} order by ${d.nextAttemptAt} limit ${claimLimit}) and ${due}`,
    )
    .returning({ id: d.id, outboxId: d.outboxId, channelId: d.channelId, attempts: d.attempts });
  if (claimed.length === 0) return;

  const outboxIds = [...new Set(claimed.map((c) => c.outboxId))];
  const events = new Map<string, OutboxRow>(
    (await db.select().from(notificationOutbox).where(inArray(notificationOutbox.id, outboxIds))).map((r) => [r.id, r]),
  );

  // One lane per channel, oldest event first; lanes run side by side, a few at a time.
  const lanes = new Map<string, Claimed[]>();
  for (const c of claimed) lanes.set(c.channelId, [...(lanes.get(c.channelId) ?? []), c]);
  const byAge = (a: Claimed, b: Claimed) =>
    (events.get(a.outboxId)?.createdAt ?? "").localeCompare(events.get(b.outboxId)?.createdAt ?? "") ||
    a.id.localeCompare(b.id);

  const ctx: DeliveryContext = { db, settings, now, nowIso, lease, fetcher, summary };
  await inParallel([...lanes.entries()], PARALLEL_CHANNELS, async ([channelId, deliveries]) => {
    const channel = settings["notification.webhooks"].find((ch) => ch.id === channelId);
    const untried: string[] = [];
    let channelFailed = false;
    for (const delivery of deliveries.sort(byAge)) {
      const event = events.get(delivery.outboxId);
      const refusal = !channel
        ? "channel removed"
        : !event
          ? "event missing"
          : whyNotWanted(channel, settings, event.event);
      if (refusal) {
        await giveUpUntried(ctx, delivery, refusal);
      } else if (channelFailed || Date.now() - claimedAt > SEND_WINDOW_MS) {
        untried.push(delivery.id);
      } else {
        channelFailed = !(await attempt(ctx, delivery, channel!, event!));
      }
    }
    if (untried.length > 0) {
      // Back to the queue as they were; the next run (or the cron) takes them.
      await db
        .update(d)
        .set({ leaseUntil: null })
        .where(and(inArray(d.id, untried), eq(d.leaseUntil, lease)));
      summary.deferred += untried.length;
    }
  });
}

interface DeliveryContext {
  db: Db;
  settings: Settings;
  now: Date;
  nowIso: string;
  lease: string;
  fetcher: typeof fetch;
  summary: DispatchSummary;
}

/** Why a channel should no longer receive an event it was fanned out to, or null if it still should. */
function whyNotWanted(channel: NotificationChannel, settings: Settings, event: string): string | null {
  if (channelWants(channel, settings.notification, event)) return null;
  if (!settings.notification.enabled) return "notifications disabled";
  if (!channel.enabled) return "channel disabled";
  return `channel no longer subscribed to ${event}`;
}

async function giveUpUntried(ctx: DeliveryContext, delivery: Claimed, reason: string): Promise<void> {
  const d = notificationDelivery;
  await ctx.db
    .update(d)
    .set({ status: "gave_up", leaseUntil: null, lastError: reason, updatedAt: ctx.nowIso })
    .where(and(eq(d.id, delivery.id), eq(d.leaseUntil, ctx.lease)));
  ctx.summary.gaveUp += 1;
}

/** Sends one delivery and records the attempt; true when the channel accepted it. */
async function attempt(
  ctx: DeliveryContext,
  delivery: Claimed,
  channel: NotificationChannel,
  row: OutboxRow,
): Promise<boolean> {
  const { db, now, nowIso, lease, summary } = ctx;
  const event = { id: row.id, event: row.event, payload: row.payload as EventData, createdAt: row.createdAt };
  const {
    ok,
    statusCode,
    error: storedError,
    durationMs,
  } = await sendToChannel(channel, event, now, ctx.settings, ctx.fetcher);
  const attempts = delivery.attempts + 1;
  const gaveUp = !ok && attempts >= MAX_ATTEMPTS;

  summary.attempted += 1;
  if (ok) summary.sent += 1;
  else summary.failed += 1;
  if (gaveUp) summary.gaveUp += 1;

  const d = notificationDelivery;
  await atomicWrite(db, [
    db.insert(notificationAttempt).values({
      id: crypto.randomUUID(),
      deliveryId: delivery.id,
      attemptedAt: nowIso,
      ok,
      statusCode,
      error: storedError,
      durationMs,
    }),
    db
      .update(d)
      .set({
        status: ok ? "sent" : gaveUp ? "gave_up" : "pending",
        attempts,
        nextAttemptAt: ok || gaveUp ? nowIso : new Date(now.getTime() + retryDelayMs(attempts)).toISOString(),
        leaseUntil: null,
        lastError: storedError,
        updatedAt: nowIso,
      })
      // Only while this dispatcher still holds the lease.
      .where(and(eq(d.id, delivery.id), eq(d.leaseUntil, lease))),
  ]);
  return ok;
}
