// The periods a retrospective covers: a local day or a local ISO week (Monday to Sunday) in the
// team's zone, as UTC bounds. A DST day is 23 or 25 hours long; the bounds follow the wall clock.
import type { RetroPeriod } from "../../contract/api/retrospective-body";
import type { RetroPeriodKind } from "../../contract/vocabulary";
import { MINUTE } from "../lib/time";
import { localDate, zonedToUtc } from "../lib/zoned-time";

/** How long after a period ends its retrospective waits, so reviews in flight at midnight land in it. */
export const RETRO_DELAY_MS = 5 * MINUTE;
/** At most this many finished periods are generated per call; older missed ones are not back-filled. */
export const MAX_BACKFILL = 3;

const DAY_MS = 86_400_000;

/** A calendar date as a UTC-midnight timestamp, for date arithmetic free of any zone. */
const dateMs = (date: string): number => Date.parse(`${date}T00:00:00Z`);
const dateOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const addDays = (date: string, days: number): string => dateOf(dateMs(date) + days * DAY_MS);

/** Local midnight of `date` in `tz`, as UTC ISO. */
function midnight(date: string, tz: string): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return new Date(zonedToUtc({ year, month, day, hour: 0, minute: 0 }, tz)).toISOString();
}

/** The Monday of `date`'s ISO week. */
function mondayOf(date: string): string {
  const weekday = new Date(dateMs(date)).getUTCDay(); // 0 = Sunday
  return addDays(date, -((weekday + 6) % 7));
}

/** "YYYY-Www": the ISO week of a Monday (the year is the one its Thursday falls in). */
function isoWeekKey(monday: string): string {
  const thursday = addDays(monday, 3);
  const year = Number(thursday.slice(0, 4));
  const week = Math.floor((dateMs(thursday) - dateMs(`${year}-01-01`)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/** The period of `kind` that contains the local calendar date `date` ("YYYY-MM-DD") in `tz`. */
export function periodContaining(kind: RetroPeriodKind, date: string, tz: string): RetroPeriod {
  if (kind === "daily") {
    return { kind, key: `day:${date}`, from: midnight(date, tz), to: midnight(addDays(date, 1), tz), time_zone: tz };
  }
  const monday = mondayOf(date);
  return {
    kind,
    key: `week:${isoWeekKey(monday)}`,
    from: midnight(monday, tz),
    to: midnight(addDays(monday, 7), tz),
    time_zone: tz,
  };
}

/** The local first date of a period (its key's date, or the Monday of its week). */
export const firstDate = (period: RetroPeriod): string => localDate(Date.parse(period.from), period.time_zone);

/** The period just before `period`. */
export const previousPeriod = (period: RetroPeriod): RetroPeriod =>
  periodContaining(period.kind, addDays(firstDate(period), -1), period.time_zone);

/**
 * The newest period that ended at least RETRO_DELAY_MS before `now`: the one before the period
 * holding `now - delay` (that one has started but not ended by then).
 */
export function latestFinishedPeriod(kind: RetroPeriodKind, now: string, tz: string): RetroPeriod {
  const current = periodContaining(kind, localDate(Date.parse(now) - RETRO_DELAY_MS, tz), tz);
  return previousPeriod(current);
}

/**
 * The periods to generate, oldest first: the latest finished one and the missed ones before it back to
 * `lastGenerated` (the key of the newest one already made), at most MAX_BACKFILL. Down for a month,
 * the server makes the last three; older ones stay available on demand. With no marker (a new
 * install, or the kind just changed) only the latest is made: there is nothing to catch up on.
 */
export function periodsDue(
  kind: RetroPeriodKind,
  now: string,
  tz: string,
  lastGenerated: string | null,
): RetroPeriod[] {
  const latest = latestFinishedPeriod(kind, now, tz);
  // Keys of one kind sort by time ("day:2026-12-04", "week:2026-W49"); a key of the other kind says nothing.
  const marker = lastGenerated?.startsWith(latest.key.slice(0, latest.key.indexOf(":") + 1)) ? lastGenerated : null;
  if (marker === null) return [latest];
  const due: RetroPeriod[] = [];
  for (let period = latest; due.length < MAX_BACKFILL && period.key > marker; period = previousPeriod(period)) {
    due.unshift(period);
  }
  return due;
}

/** Whether `period` has not ended at `now` (a retrospective made now is partial). */
export const isOpenPeriod = (period: RetroPeriod, now: string): boolean => period.to > now;
