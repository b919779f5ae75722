// A schedule in words and its times in a chosen zone, in the dashboard's language. Only the common
// cron shapes get a sentence (daily, weekdays, weekly, monthly, hourly); any other expression is shown
// as written: a cron parser would cost the page more than it saves the reader.
import { language } from "../../i18n";
import type { scheduleWords } from "../../i18n/en/schedule";
import type { RecurringSchedule } from "./types";

type Words = ReturnType<typeof scheduleWords.get>;

const INT = /^\d+$/;
const pad = (n: string) => n.padStart(2, "0");

/** "Monday" / "星期一" for a cron day of week (0 and 7 are Sunday). 2024-01-07 was a Sunday. */
function weekday(cronDay: number): string {
  return new Intl.DateTimeFormat(language.get(), { weekday: "long", timeZone: "UTC" }).format(
    new Date(Date.UTC(2024, 0, 7 + (cronDay % 7))),
  );
}

/** The sentence for a 5-field cron expression, or null when its shape has none. */
export function cronInWords(expr: string, w: Words): string | null {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) return null;
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  if (month !== "*" || !INT.test(minute)) return null;
  if (hour === "*" && dom === "*" && dow === "*") return w.hourlyAt({ minute: pad(minute) });
  if (!INT.test(hour)) return null;
  const time = `${pad(hour)}:${pad(minute)}`;
  if (dom === "*" && dow === "*") return w.dailyAt({ time });
  if (dom === "*" && dow === "1-5") return w.weekdaysAt({ time });
  if (dom === "*" && INT.test(dow) && Number(dow) <= 7) return w.weeklyAt({ day: weekday(Number(dow)), time });
  if (dow === "*" && INT.test(dom)) return w.monthlyAt({ day: dom, time });
  return null;
}

/** The schedule as a sentence ("Every 6 hours", "Every day at 09:00"); a cron without one as written. */
export function scheduleInWords(schedule: RecurringSchedule, w: Words): string {
  if (schedule.kind === "cron") return cronInWords(schedule.expr, w) ?? schedule.expr;
  const every = { minutes: w.everyMinutes, hours: w.everyHours, days: w.everyDays }[schedule.unit](schedule.every);
  return schedule.start_at ? w.startingAt({ every, start: formatInZone(schedule.start_at, schedule.tz) }) : every;
}

/** A date and time in `zone` (the viewer's own when undefined); the caller names the zone. */
export function formatInZone(iso: string, zone?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(language.get(), {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone: zone,
    }).format(d);
  } catch {
    return d.toISOString(); // a zone this browser does not know
  }
}

/** The viewer's IANA zone ("Europe/Berlin"); the form's default. */
export const viewerZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/** Whether this browser knows the zone (the server validates it again). */
export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

/** Every zone this browser knows, for a datalist. */
export function knownZones(): string[] {
  const intl = Intl as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.("timeZone") ?? ["UTC"];
}
