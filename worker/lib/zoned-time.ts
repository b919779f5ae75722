// Wall-clock time in IANA zones through Intl only (workerd ships ICU), so schedules, retrospective
// periods and texts can speak in a team's local time without a date library. Pure functions.

/** The local calendar fields of an instant in a zone. `weekday` is 0 = Sunday … 6 = Saturday. */
export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

/** A local wall time to place on the time line (seconds are never used by schedules). */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const MINUTE_MS = 60_000;
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

// Building a DateTimeFormat is the expensive part (about 50 µs); the cron computes many slots per
// run in a handful of zones, so one formatter per zone is kept for the isolate's life. Bounded:
// Intl takes zone names in any letter case, so request bodies could otherwise grow it without end.
const FORMATTER_CACHE_LIMIT = 512;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      weekday: "short",
    });
    if (formatters.size >= FORMATTER_CACHE_LIMIT) formatters.clear();
    formatters.set(tz, f);
  }
  return f;
}

/** Whether `tz` names a zone Intl knows ("Europe/Berlin", "UTC"); offsets such as "+02:00" are refused. */
export function isIanaZone(tz: string): boolean {
  // Intl also accepts offset strings like "+02:00" in newer engines; schedules need a real zone so
  // that DST follows the place, not a frozen offset.
  if (tz.length === 0 || tz.length > 64 || /^[+-]/.test(tz)) return false;
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** The local fields of `instant` in `tz`. Throws RangeError on an unknown zone (validate first). */
export function localParts(instant: Date | number, tz: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const p of formatter(tz).formatToParts(instant)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ""),
  };
}

/** "YYYY-MM-DD": the local calendar date of `instant` in `tz`. */
export function localDate(instant: Date | number, tz: string): string {
  const p = localParts(instant, tz);
  return `${String(p.year).padStart(4, "0")}-${pad(p.month)}-${pad(p.day)}`;
}

/**
 * The UTC instant (ms) at which the wall clock in `tz` shows `wall`. In a spring-forward gap the wall
 * time does not exist: the first valid minute after the gap is returned (as cron does: a 02:30 job
 * runs at 03:00). In a fall-back overlap it exists twice: the earlier instant is returned, so a
 * daily job runs once.
 */
export function zonedToUtc(wall: WallTime, tz: string): number {
  const target = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  // The offset in force can only be the one shortly before or after the target (zones move by at
  // most a few hours, 14 h covers every real zone); each gives one candidate instant.
  const candidates = [
    ...new Set([
      target - offsetAt(target - 14 * 60 * MINUTE_MS, tz),
      target - offsetAt(target, tz),
      target - offsetAt(target + 14 * 60 * MINUTE_MS, tz),
    ]),
  ].sort((a, b) => a - b);
  const exact = candidates.find((t) => wallMs(t, tz) === target);
  if (exact !== undefined) return exact;
  // No candidate shows the target: it lies in a gap. The gap ends where the offset changes, found by
  // bisection between the earliest and latest candidate, to the minute.
  let lo = candidates[0]!;
  let hi = candidates[candidates.length - 1]!;
  const before = offsetAt(lo, tz);
  while (hi - lo > MINUTE_MS) {
    const mid = lo + Math.floor((hi - lo) / (2 * MINUTE_MS)) * MINUTE_MS;
    if (offsetAt(mid, tz) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The wall clock at `instant` as if it were UTC, in ms (minute precision). */
function wallMs(instant: number, tz: string): number {
  const p = localParts(instant, tz);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
}

/** The zone's offset from UTC at `instant`, in ms (positive east of Greenwich). */
function offsetAt(instant: number, tz: string): number {
  return wallMs(instant, tz) - Math.floor(instant / MINUTE_MS) * MINUTE_MS;
}

const pad = (n: number): string => String(n).padStart(2, "0");
