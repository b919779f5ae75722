import { describe, expect, it } from "vitest";
import { isIanaZone, localDate, localParts, zonedToUtc } from "../../worker/lib/zoned-time";

const utc = (ms: number) => new Date(ms).toISOString();

describe("isIanaZone", () => {
  it("accepts real zones and refuses unknown names and bare offsets", () => {
    for (const tz of ["UTC", "Europe/Berlin", "Asia/Kathmandu", "America/New_York"]) expect(isIanaZone(tz)).toBe(true);
    for (const tz of ["", "Mars/Base", "+02:00", "-05:00", "Europe/Berlin ".repeat(10)])
      expect(isIanaZone(tz)).toBe(false);
  });
});

describe("localParts and localDate", () => {
  it("reads the wall clock of an instant, including weekday and a 45-minute offset", () => {
    // 2026-12-05 is a Saturday; Kathmandu is UTC+5:45.
    expect(localParts(Date.parse("2026-12-05T18:20:00Z"), "Asia/Kathmandu")).toEqual({
      year: 2026,
      month: 12,
      day: 6,
      hour: 0,
      minute: 5,
      weekday: 0,
    });
    expect(localParts(new Date("2026-12-05T18:20:00Z"), "UTC").weekday).toBe(6);
  });

  it("gives the local calendar date, which differs from the UTC date near midnight", () => {
    expect(localDate(Date.parse("2026-12-05T16:30:00Z"), "Asia/Shanghai")).toBe("2026-12-06");
    expect(localDate(Date.parse("2026-12-05T03:30:00Z"), "America/New_York")).toBe("2026-12-04");
    expect(localDate(Date.parse("2026-01-02T00:00:00Z"), "UTC")).toBe("2026-01-02");
  });
});

describe("zonedToUtc", () => {
  it("maps an ordinary wall time with the offset in force on that day", () => {
    expect(utc(zonedToUtc({ year: 2026, month: 1, day: 15, hour: 9, minute: 0 }, "Europe/Berlin"))).toBe(
      "2026-01-15T08:00:00.000Z",
    );
    expect(utc(zonedToUtc({ year: 2026, month: 7, day: 15, hour: 9, minute: 0 }, "Europe/Berlin"))).toBe(
      "2026-07-15T07:00:00.000Z",
    );
  });

  it("moves a wall time inside a spring-forward gap to the first valid minute after it", () => {
    // Berlin skips 02:00-03:00 on 2026-03-29; 03:00 CEST is 01:00Z.
    expect(utc(zonedToUtc({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, "Europe/Berlin"))).toBe(
      "2026-03-29T01:00:00.000Z",
    );
    // Lord Howe has a 30-minute gap (02:00 → 02:30, +10:30 → +11) on 2026-10-04.
    expect(utc(zonedToUtc({ year: 2026, month: 10, day: 4, hour: 2, minute: 15 }, "Australia/Lord_Howe"))).toBe(
      "2026-10-03T15:30:00.000Z",
    );
  });

  it("takes the earlier instant of a wall time that occurs twice", () => {
    // Berlin repeats 02:00-03:00 on 2026-10-25: 02:30 CEST (00:30Z) then 02:30 CET (01:30Z).
    expect(utc(zonedToUtc({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, "Europe/Berlin"))).toBe(
      "2026-10-25T00:30:00.000Z",
    );
  });

  it("round-trips through localParts for every hour of a DST-change day", () => {
    for (let hour = 0; hour < 24; hour++) {
      if (hour === 2) continue; // the gap hour has no instant of its own
      const wall = { year: 2026, month: 3, day: 8, hour, minute: 30 };
      const p = localParts(zonedToUtc(wall, "America/New_York"), "America/New_York");
      expect({ year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute }).toEqual(wall);
    }
  });
});
