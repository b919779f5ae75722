// Dates and numbers as the dashboard shows them, in the dashboard's language (not the browser's
// locale): relative times with the absolute one on hover. Formatters are made once per language.
import { type Language, language } from "../i18n";

interface Formatters {
  absolute: Intl.DateTimeFormat;
  day: Intl.DateTimeFormat;
  relative: Intl.RelativeTimeFormat;
  integer: Intl.NumberFormat;
  percent: Intl.NumberFormat;
}
const made = new Map<Language, Formatters>();

function formatters(): Formatters {
  const lang = language.get();
  let f = made.get(lang);
  if (!f) {
    f = {
      absolute: new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "medium" }),
      day: new Intl.DateTimeFormat(lang, { month: "short", day: "numeric" }),
      relative: new Intl.RelativeTimeFormat(lang, { numeric: "auto" }),
      integer: new Intl.NumberFormat(lang),
      percent: new Intl.NumberFormat(lang, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 }),
    };
    made.set(lang, f);
  }
  return f;
}

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 7],
  ["week", 4.35],
  ["month", 12],
  ["year", Number.POSITIVE_INFINITY],
];

export function parseTime(value: string | number | Date): Date {
  return value instanceof Date ? value : new Date(value);
}

export function formatAbsolute(value: string | number | Date): string {
  const d = parseTime(value);
  return Number.isNaN(d.getTime()) ? String(value) : formatters().absolute.format(d);
}

/** "Dec 4" / "12月4日": a chart's day axis. */
export function formatDay(value: string | number | Date): string {
  const d = parseTime(value);
  return Number.isNaN(d.getTime()) ? String(value) : formatters().day.format(d);
}

export function formatRelative(value: string | number | Date, now = Date.now()): string {
  const d = parseTime(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const { relative, absolute } = formatters();
  let amount = (d.getTime() - now) / 1000;
  // Under 10 s: "now" / "现在" (numeric: "auto" words the zero itself), not a count of seconds.
  if (Math.abs(amount) < 10) return relative.format(0, "second");
  for (const [unit, size] of STEPS) {
    if (Math.abs(amount) < size) return relative.format(Math.round(amount), unit);
    amount /= size;
  }
  return absolute.format(d);
}

export const formatNumber = (n: number): string => formatters().integer.format(n);

/** 12.5 → "12.5%" (the API's rates are percentages, not fractions). */
export const formatPercent = (percent: number): string => formatters().percent.format(percent / 100);

export function formatSigned(n: number): string {
  return n > 0 ? `+${formatNumber(n)}` : formatNumber(n);
}

/** "in_progress" → "In progress": the fallback for a value that no label map knows (a newer server's). */
export function humanize(value: string): string {
  const s = value.replace(/[_-]+/g, " ").trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** An enum value's label from one of the i18n/en/enums.ts maps, or the humanized value if it has none. */
export const labelOf = (labels: Readonly<Record<string, string>>, value: string): string =>
  labels[value] ?? humanize(value);

/** An enum's values as a select's options, each with its label from one of the i18n/en/enums.ts maps. */
export const labelled = <T extends string>(values: readonly T[], labels: Readonly<Record<string, string>>) =>
  values.map((value) => ({ value, label: labelOf(labels, value) }));
