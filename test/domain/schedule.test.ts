import { describe, expect, it } from "vitest";
import { latestSlot, nextSlot, type ScheduleSpec, slotsBetween, validateSchedule } from "../../worker/domain/schedule";

/** The next `n` slots after `from`, as ISO minutes. */
function slots(schedule: ScheduleSpec, from: string, n: number): string[] {
  const out: string[] = [];
  let at: Date | null = new Date(from);
  for (let i = 0; i < n && at; i++) {
    at = nextSlot(schedule, at);
    if (at) out.push(at.toISOString().slice(0, 16));
  }
  return out;
}

const berlinDaily: ScheduleSpec = { kind: "cron", expr: "30 2 * * *", tz: "Europe/Berlin" };
const berlinEveryDay: ScheduleSpec = {
  kind: "every",
  every: 1,
  unit: "days",
  tz: "Europe/Berlin",
  start_at: "2026-03-20T01:30:00Z", // 02:30 CET
};

describe("cron schedules across DST", () => {
  it("runs a 02:30 Berlin job at 03:00 on the spring-forward day, then back at 02:30", () => {
    expect(slots(berlinDaily, "2026-03-27T12:00:00Z", 3)).toEqual([
      "2026-03-28T01:30",
      "2026-03-29T01:00",
      "2026-03-30T00:30",
    ]);
  });

  it("runs a 02:30 Berlin job once on the fall-back day, at the earlier 02:30", () => {
    expect(slots(berlinDaily, "2026-10-24T12:00:00Z", 3)).toEqual([
      "2026-10-25T00:30",
      "2026-10-26T01:30",
      "2026-10-27T01:30",
    ]);
  });

  it("keeps both 01:00 and both 01:30 of a New York */30 job on the fall-back night", () => {
    expect(slots({ kind: "cron", expr: "*/30 * * * *", tz: "America/New_York" }, "2026-11-01T04:50:00Z", 4)).toEqual([
      "2026-11-01T05:00",
      "2026-11-01T05:30",
      "2026-11-01T06:00",
      "2026-11-01T06:30",
    ]);
  });

  it("handles a +5:45 zone (Kathmandu)", () => {
    expect(slots({ kind: "cron", expr: "0 9 * * *", tz: "Asia/Kathmandu" }, "2026-12-05T00:00:00Z", 2)).toEqual([
      "2026-12-05T03:15",
      "2026-12-06T03:15",
    ]);
  });

  it("gives the latest slot at or before an instant, the slot itself included", () => {
    const daily: ScheduleSpec = { kind: "cron", expr: "0 9 * * *", tz: "UTC" };
    expect(latestSlot(daily, new Date("2026-12-05T09:00:00Z"))?.toISOString()).toBe("2026-12-05T09:00:00.000Z");
    expect(latestSlot(daily, new Date("2026-12-05T08:59:59Z"))?.toISOString()).toBe("2026-12-04T09:00:00.000Z");
    expect(nextSlot(daily, new Date("2026-12-05T09:00:00Z"))?.toISOString()).toBe("2026-12-06T09:00:00.000Z");
  });
});

describe("every N days keeps the anchor's local time", () => {
  it("follows the Berlin gap and overlap exactly as cron does", () => {
    expect(slots(berlinEveryDay, "2026-03-27T12:00:00Z", 3)).toEqual(slots(berlinDaily, "2026-03-27T12:00:00Z", 3));
    expect(slots(berlinEveryDay, "2026-10-24T12:00:00Z", 3)).toEqual(slots(berlinDaily, "2026-10-24T12:00:00Z", 3));
  });

  it("every 2 days at 09:00 New York stays at 09:00 local across the March change (14:00Z → 13:00Z)", () => {
    const every2: ScheduleSpec = {
      kind: "every",
      every: 2,
      unit: "days",
      tz: "America/New_York",
      start_at: "2026-03-03T14:00:00Z",
    };
    expect(slots(every2, "2026-03-03T14:00:00Z", 4)).toEqual([
      "2026-03-05T14:00",
      "2026-03-07T14:00",
      "2026-03-09T13:00",
      "2026-03-11T13:00",
    ]);
    expect(latestSlot(every2, new Date("2026-03-10T00:00:00Z"))?.toISOString()).toBe("2026-03-09T13:00:00.000Z");
  });

  it("starts at the anchor when asked before it, and has no latest slot before it", () => {
    expect(nextSlot(berlinEveryDay, new Date("2026-01-01T00:00:00Z"))?.toISOString()).toBe("2026-03-20T01:30:00.000Z");
    expect(latestSlot(berlinEveryDay, new Date("2026-03-20T01:29:00Z"))).toBeNull();
  });
});

describe("every N minutes or hours counts elapsed time", () => {
  const every6h: ScheduleSpec = {
    kind: "every",
    every: 6,
    unit: "hours",
    tz: "Europe/Berlin",
    start_at: "2026-03-28T22:10:00Z",
  };

  it("stays 6 hours apart through the Berlin spring-forward night", () => {
    expect(slots(every6h, "2026-03-28T22:10:00Z", 3)).toEqual([
      "2026-03-29T04:10",
      "2026-03-29T10:10",
      "2026-03-29T16:10",
    ]);
    expect(latestSlot(every6h, new Date("2026-03-29T10:09:00Z"))?.toISOString()).toBe("2026-03-29T04:10:00.000Z");
  });

  it("counts the slots in a window arithmetically and honours the cap", () => {
    const from = new Date("2026-03-28T22:10:00Z");
    expect(slotsBetween(every6h, from, new Date("2026-03-30T22:10:00Z"), 100)).toBe(8);
    expect(slotsBetween(every6h, from, new Date("2026-03-30T22:10:00Z"), 5)).toBe(5);
    expect(slotsBetween(every6h, from, new Date("2026-03-29T04:09:00Z"), 100)).toBe(0);
  });
});

describe("slotsBetween for cron and day schedules", () => {
  it("counts the daily slots in (from, to], skipping none at DST changes", () => {
    expect(slotsBetween(berlinDaily, new Date("2026-03-27T12:00:00Z"), new Date("2026-03-30T00:30:00Z"), 100)).toBe(3);
    expect(slotsBetween(berlinEveryDay, new Date("2026-03-20T00:00:00Z"), new Date("2026-03-30T00:00:00Z"), 100)).toBe(
      10,
    );
    expect(slotsBetween(berlinDaily, new Date("2026-03-27T12:00:00Z"), new Date("2026-04-30T00:00:00Z"), 7)).toBe(7);
  });
});

describe("validateSchedule", () => {
  const now = new Date("2026-12-05T00:00:00Z");

  it("accepts an ordinary schedule and reports its first run", () => {
    const check = validateSchedule({ kind: "cron", expr: "0 9 * * 1-5", tz: "Asia/Shanghai" }, now);
    expect(check).toEqual({ ok: true, next: new Date("2026-12-07T01:00:00Z") });
  });

  it.each([
    [{ kind: "cron", expr: "0 9 * * *", tz: "Mars/Base" }, "invalid_time_zone"],
    [{ kind: "every", every: 1, unit: "days", tz: "+08:00", start_at: "2026-12-05T00:00:00Z" }, "invalid_time_zone"],
    [{ kind: "cron", expr: "0 0 9 * * *", tz: "UTC" }, "cron_field_count"],
    [{ kind: "cron", expr: "@daily", tz: "UTC" }, "cron_field_count"],
    [{ kind: "cron", expr: "61 * * * *", tz: "UTC" }, "invalid_cron"],
    [{ kind: "cron", expr: "0 0 30 2 *", tz: "UTC" }, "no_next_run"],
    [{ kind: "cron", expr: "*/2 * * * *", tz: "UTC" }, "too_frequent"],
    [{ kind: "cron", expr: "0,3 9 * * *", tz: "UTC" }, "too_frequent"],
    [{ kind: "every", every: 4, unit: "minutes", tz: "UTC", start_at: "2026-12-05T00:00:00Z" }, "too_frequent"],
  ] as [ScheduleSpec, string][])("refuses %j with %s", (schedule, reason) => {
    expect(validateSchedule(schedule, now)).toEqual({ ok: false, reason });
  });

  it("accepts exactly five minutes apart", () => {
    expect(validateSchedule({ kind: "cron", expr: "*/5 * * * *", tz: "UTC" }, now).ok).toBe(true);
    const every5 = { kind: "every", every: 5, unit: "minutes", tz: "UTC", start_at: "2026-12-05T00:00:00Z" } as const;
    expect(validateSchedule(every5, now)).toEqual({ ok: true, next: new Date("2026-12-05T00:05:00Z") });
  });
});
