// When a recurring task's rounds fall due: the slots of a schedule, pure. `cron` schedules go through
// croner (5-field expressions, IANA zones via Intl, Vixie DST rules); `every N unit` is computed here
// because cron cannot say "every 2 days at 09:00" (`*/2` restarts each month).
//
// DST rules, the same for both kinds: a local time inside a spring-forward gap runs at the first
// valid minute after the gap; a local time that occurs twice (fall back) runs once, at the earlier
// instant. `every N minutes|hours` counts elapsed time and ignores DST; `every N days` keeps the
// anchor's local wall time.
import { Cron } from "croner";
import { isIanaZone, localParts, zonedToUtc } from "../lib/zoned-time";

/** The `schedule` part of a recurring config (contract/api/recurring.ts validates the JSON form). */
export type ScheduleSpec =
  | { kind: "cron"; expr: string; tz: string }
  | {
      kind: "every";
      every: number;
      unit: "minutes" | "hours" | "days";
      tz: string;
      /** The anchor; a stored (normalised) config always has it: PUT fills in the minute it was set. */
      start_at?: string;
    };

/** Rounds closer together than this would flood executors and outrun the once-a-minute cron. */
export const MIN_SLOT_GAP_MS = 5 * 60_000;
/** How many consecutive slots validation inspects for gaps below MIN_SLOT_GAP_MS. */
const GAP_PROBE_SLOTS = 10;
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const UNIT_MS = { minutes: MINUTE_MS, hours: 60 * MINUTE_MS } as const;

export type ScheduleRefusal =
  | "invalid_time_zone"
  | "cron_field_count"
  | "invalid_cron"
  | "no_next_run"
  | "too_frequent";

export type ScheduleCheck = { ok: true; next: Date } | { ok: false; reason: ScheduleRefusal };

/** The first slot strictly after `after`; null when the schedule has none (e.g. `0 0 30 2 *`). */
export function nextSlot(schedule: ScheduleSpec, after: Date): Date | null {
  if (schedule.kind === "cron") return cronFor(schedule).nextRun(after);
  const t = after.getTime();
  const anchor = anchorMs(schedule);
  if (schedule.unit !== "days") {
    const step = schedule.every * UNIT_MS[schedule.unit];
    if (t < anchor) return new Date(anchor);
    return new Date(anchor + (Math.floor((t - anchor) / step) + 1) * step);
  }
  const base = anchorDay(schedule);
  // Start one period before the local day of `after`: a gap or offset change can move a slot across
  // the UTC day boundary, so the nearest candidate may belong to the previous period.
  for (let k = Math.max(0, Math.floor((localDayNo(t, schedule.tz) - base.dayNo) / schedule.every) - 1); ; k++) {
    const slot = daySlot(base, k, schedule);
    if (slot > t) return new Date(slot);
  }
}

/** The latest slot at or before `atOrBefore`; null when none has come yet. */
export function latestSlot(schedule: ScheduleSpec, atOrBefore: Date): Date | null {
  const t = atOrBefore.getTime();
  if (schedule.kind === "cron") {
    // previousRuns is strictly before its reference; one millisecond later makes it "at or before".
    return cronFor(schedule).previousRuns(1, new Date(t + 1))[0] ?? null;
  }
  const anchor = anchorMs(schedule);
  if (t < anchor) return null;
  if (schedule.unit !== "days") {
    const step = schedule.every * UNIT_MS[schedule.unit];
    return new Date(anchor + Math.floor((t - anchor) / step) * step);
  }
  const base = anchorDay(schedule);
  for (let k = Math.floor((localDayNo(t, schedule.tz) - base.dayNo) / schedule.every) + 1; k >= 0; k--) {
    const slot = daySlot(base, k, schedule);
    if (slot <= t) return new Date(slot);
  }
  return null;
}

/** How many slots fall in (afterExclusive, toInclusive], counting no further than `cap`. */
export function slotsBetween(schedule: ScheduleSpec, afterExclusive: Date, toInclusive: Date, cap: number): number {
  const from = afterExclusive.getTime();
  const to = toInclusive.getTime();
  if (to <= from || cap <= 0) return 0;
  if (schedule.kind === "every" && schedule.unit !== "days") {
    // Elapsed-time steps: plain arithmetic, no iteration.
    const first = nextSlot(schedule, afterExclusive)!.getTime();
    if (first > to) return 0;
    const step = schedule.every * UNIT_MS[schedule.unit];
    return Math.min(cap, Math.floor((to - first) / step) + 1);
  }
  let count = 0;
  for (let at: Date | null = nextSlot(schedule, afterExclusive); at && at.getTime() <= to && count < cap; ) {
    count++;
    at = nextSlot(schedule, at);
  }
  return count;
}

/**
 * Whether a schedule may be stored at `now`: a zone Intl knows, a 5-field cron expression croner
 * parses, at least one slot after now, and no two of the next slots closer than 5 minutes.
 */
export function validateSchedule(schedule: ScheduleSpec, now: Date): ScheduleCheck {
  if (!isIanaZone(schedule.tz)) return { ok: false, reason: "invalid_time_zone" };
  if (schedule.kind === "cron") {
    if (schedule.expr.trim().split(/\s+/).length !== 5) return { ok: false, reason: "cron_field_count" };
    try {
      cronFor(schedule);
    } catch {
      return { ok: false, reason: "invalid_cron" };
    }
  } else if (schedule.unit === "minutes" && schedule.every * MINUTE_MS < MIN_SLOT_GAP_MS) {
    return { ok: false, reason: "too_frequent" };
  }
  const next = nextSlot(schedule, now);
  if (!next) return { ok: false, reason: "no_next_run" };
  let previous = next;
  for (let i = 1; i < GAP_PROBE_SLOTS; i++) {
    const following = nextSlot(schedule, previous);
    if (!following) break;
    if (following.getTime() - previous.getTime() < MIN_SLOT_GAP_MS) return { ok: false, reason: "too_frequent" };
    previous = following;
  }
  return { ok: true, next };
}

// --- cron -------------------------------------------------------------------------------------------

// Parsing an expression costs about as much as computing a slot; the cron step computes several per
// schedule, and many schedules share expressions. Bounded so odd expressions cannot grow it forever.
const CRON_CACHE_LIMIT = 256;
const crons = new Map<string, Cron>();

function cronFor(schedule: { expr: string; tz: string }): Cron {
  const key = `${schedule.tz}\u0000${schedule.expr}`;
  let cron = crons.get(key);
  if (!cron) {
    cron = new Cron(schedule.expr, { timezone: schedule.tz, mode: "5-part" });
    if (crons.size >= CRON_CACHE_LIMIT) crons.clear();
    crons.set(key, cron);
  }
  return cron;
}

// --- every N units ----------------------------------------------------------------------------------

/** The anchor to the minute; without start_at (never in a stored config) the Unix epoch. */
function anchorMs(schedule: { start_at?: string }): number {
  const at = schedule.start_at ? Date.parse(schedule.start_at) : 0;
  return Math.floor(at / MINUTE_MS) * MINUTE_MS;
}

interface AnchorDay {
  dayNo: number;
  hour: number;
  minute: number;
}

function anchorDay(schedule: { start_at?: string; tz: string }): AnchorDay {
  const p = localParts(anchorMs(schedule), schedule.tz);
  return { dayNo: Date.UTC(p.year, p.month - 1, p.day) / DAY_MS, hour: p.hour, minute: p.minute };
}

/** The k-th slot of an `every N days` schedule: the anchor's local time, k×N local days later. */
function daySlot(base: AnchorDay, k: number, schedule: { every: number; tz: string }): number {
  const day = new Date((base.dayNo + k * schedule.every) * DAY_MS);
  return zonedToUtc(
    {
      year: day.getUTCFullYear(),
      month: day.getUTCMonth() + 1,
      day: day.getUTCDate(),
      hour: base.hour,
      minute: base.minute,
    },
    schedule.tz,
  );
}

/** Days since the epoch of the local calendar date of `instant` in `tz`. */
function localDayNo(instant: number, tz: string): number {
  const p = localParts(instant, tz);
  return Date.UTC(p.year, p.month - 1, p.day) / DAY_MS;
}
