// What the cron does with a recurring task whose slot has come: create a round, skip the slot, or end
// the schedule (docs/recurring.md). Pure: the cron step reads the schedule, this decides, and
// worker/db/round-batch.ts writes the decision in one guarded batch.
import type { RoundSkipReason, ScheduleEndReason } from "../../contract/vocabulary";
import { latestSlot, nextSlot, type ScheduleSpec, slotsBetween } from "./schedule";

/** The `policy` part of a recurring config (contract/api/recurring.ts fills in the defaults). */
export interface RoundPolicy {
  when_unfinished: "skip" | "stack";
  max_open_rounds: number;
  ends_at: string | null;
  max_rounds: number | null;
}

/** A late run reports at most this many passed-over slots (counting further costs CPU, tells nothing). */
export const MAX_MISSED = 1_000;

export interface DueSchedule {
  schedule: ScheduleSpec;
  policy: RoundPolicy;
  /** `next_run_at` as read: the slot the schedule was waiting for (ISO UTC). */
  expected: string;
  roundsCreated: number;
  openRounds: number;
}

export interface SlotRound {
  /** The slot this round stands for: one round per key, however often or late the cron fires. */
  key: string;
  scheduledFor: string;
  status: "open" | "skipped";
  /** roundsCreated + 1 for a created round; skipped slots take no number, so numbers have no gaps. */
  roundNo: number | null;
  skipReason: RoundSkipReason | null;
  /** Slots a late run passed over before this one; they get no round of their own. */
  missed: number;
}

export interface SlotDecision {
  /** Null when the schedule ends without a round for this slot. */
  round: SlotRound | null;
  /** The slot the schedule waits for next; null once it has ended. */
  next: string | null;
  ended: ScheduleEndReason | null;
}

/** A round's key: its slot to the minute in UTC ('2026-12-05T01:00Z'); rounds started by hand use 'manual:<id>'. */
export const slotKey = (slot: Date): string => `${slot.toISOString().slice(0, 16)}Z`;

/** How many rounds may be open at once: `skip` waits for the previous round, `stack` allows up to max_open_rounds. */
export const roundCapacity = (policy: RoundPolicy): number =>
  policy.when_unfinished === "skip" ? 1 : policy.max_open_rounds;

/** Why a slot is skipped when `openRounds` are still open, or null when a round may be created. */
export function skipReasonFor(policy: RoundPolicy, openRounds: number): RoundSkipReason | null {
  if (openRounds < roundCapacity(policy)) return null;
  return policy.when_unfinished === "skip" ? "previous_unfinished" : "max_open_rounds";
}

/**
 * One decision per due schedule. A late run creates one round, for the latest slot that has come
 * (within ends_at), and counts the slots it passed over in `missed`: a burst of stale rounds would
 * flood executors with obsolete work. The next slot is always after `now`, so nothing is caught up.
 */
export function decideSlot(due: DueSchedule, now: Date): SlotDecision {
  const { policy, schedule } = due;
  if (policy.max_rounds !== null && due.roundsCreated >= policy.max_rounds) {
    return { round: null, next: null, ended: "max_rounds" };
  }
  const expected = new Date(due.expected);
  const endsAt = policy.ends_at ? new Date(policy.ends_at) : null;
  if (endsAt && expected > endsAt) return { round: null, next: null, ended: "ends_at" };
  const limit = endsAt && endsAt < now ? endsAt : now;
  // `expected` is itself a slot; an edited or odd row still gets a round no earlier than it.
  const latest = latestSlot(schedule, limit);
  const slot = latest && latest > expected ? latest : expected;
  const missed =
    slot > expected ? 1 + slotsBetween(schedule, expected, new Date(slot.getTime() - 1), MAX_MISSED - 1) : 0;
  const skipReason = skipReasonFor(policy, due.openRounds);
  const roundNo = skipReason ? null : due.roundsCreated + 1;
  const round: SlotRound = {
    key: slotKey(slot),
    scheduledFor: slot.toISOString(),
    status: skipReason ? "skipped" : "open",
    roundNo,
    skipReason,
    missed,
  };
  if (roundNo !== null && policy.max_rounds !== null && roundNo >= policy.max_rounds) {
    return { round, next: null, ended: "max_rounds" };
  }
  const next = nextSlot(schedule, slot > now ? slot : now);
  if (!next || (endsAt && next > endsAt)) return { round, next: null, ended: "ends_at" };
  return { round, next: next.toISOString(), ended: null };
}

/** Why a round cannot be started by hand now: no room under the policy, or the schedule's rounds are used up. */
export type ManualRefusal = RoundSkipReason | "max_rounds";

/**
 * A round started by hand (POST /api/tasks/{id}/rounds): keyed 'manual:<id>', numbered next, slotted
 * now; it leaves next_run_at alone (createRounds with `expected: null`), and it may be the one that
 * uses up max_rounds. Refused rather than recorded as a skipped slot: nobody scheduled it.
 */
export function decideManualRound(
  due: Pick<DueSchedule, "policy" | "roundsCreated" | "openRounds">,
  now: Date,
  id: string,
): SlotDecision | { refused: ManualRefusal } {
  const { policy } = due;
  if (policy.max_rounds !== null && due.roundsCreated >= policy.max_rounds) return { refused: "max_rounds" };
  const skipReason = skipReasonFor(policy, due.openRounds);
  if (skipReason) return { refused: skipReason };
  const roundNo = due.roundsCreated + 1;
  const round: SlotRound = {
    key: `manual:${id}`,
    scheduledFor: now.toISOString(),
    status: "open",
    roundNo,
    skipReason: null,
    missed: 0,
  };
  const last = policy.max_rounds !== null && roundNo >= policy.max_rounds;
  return { round, next: null, ended: last ? "max_rounds" : null };
}
