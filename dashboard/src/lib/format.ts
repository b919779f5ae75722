// Dates and numbers as the dashboard shows them: relative times with the absolute one on hover.

const absoluteFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
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
  return Number.isNaN(d.getTime()) ? String(value) : absoluteFormat.format(d);
}

export function formatRelative(value: string | number | Date, now = Date.now()): string {
  const d = parseTime(value);
  if (Number.isNaN(d.getTime())) return String(value);
  let amount = (d.getTime() - now) / 1000;
  if (Math.abs(amount) < 10) return "just now";
  for (const [unit, size] of STEPS) {
    if (Math.abs(amount) < size) return relativeFormat.format(Math.round(amount), unit);
    amount /= size;
  }
  return absoluteFormat.format(d);
}

const integer = new Intl.NumberFormat();
export const formatNumber = (n: number): string => integer.format(n);

export function formatSigned(n: number): string {
  return n > 0 ? `+${integer.format(n)}` : integer.format(n);
}

/** "in_progress" → "In progress" */
export function humanize(value: string): string {
  const s = value.replace(/[_-]+/g, " ").trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}
