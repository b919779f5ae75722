/** Current time as UTC ISO-8601 with `Z`, the only time format stored or returned. */
export const nowIso = (): string => new Date().toISOString();

export const isoMinus = (iso: string, ms: number): string => new Date(Date.parse(iso) - ms).toISOString();
export const isoPlus = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The instant `days` days before now: where a "last N days" filter starts; undefined (no filter) without one. */
export const daysAgo = (days: number | undefined): string | undefined =>
  days ? isoMinus(nowIso(), days * DAY) : undefined;
