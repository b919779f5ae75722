// Retrospective periods: local days and ISO weeks in a zone as UTC bounds, the latest finished period
// after the 5-minute delay, and which missed periods the cron back-fills.
import { describe, expect, it } from "vitest";
import {
  latestFinishedPeriod,
  MAX_BACKFILL,
  periodContaining,
  periodsDue,
  previousPeriod,
} from "../../worker/domain/retro-period";

const hours = (p: { from: string; to: string }) => (Date.parse(p.to) - Date.parse(p.from)) / 3_600_000;

describe("periodContaining", () => {
  it("a UTC day runs midnight to midnight", () => {
    expect(periodContaining("daily", "2026-12-04", "UTC")).toEqual({
      kind: "daily",
      key: "day:2026-12-04",
      from: "2026-12-04T00:00:00.000Z",
      to: "2026-12-05T00:00:00.000Z",
      time_zone: "UTC",
    });
  });

  it("a Shanghai day starts at 16:00 UTC the day before", () => {
    const p = periodContaining("daily", "2026-12-04", "Asia/Shanghai");
    expect([p.from, p.to]).toEqual(["2026-12-03T16:00:00.000Z", "2026-12-04T16:00:00.000Z"]);
  });

  it("New York's spring-forward day has 23 hours and its fall-back day 25", () => {
    expect(hours(periodContaining("daily", "2026-03-08", "America/New_York"))).toBe(23);
    expect(hours(periodContaining("daily", "2026-11-01", "America/New_York"))).toBe(25);
    expect(hours(periodContaining("daily", "2026-11-02", "America/New_York"))).toBe(24);
  });

  it("an ISO week runs Monday to Monday in local time, keyed by its ISO year and number", () => {
    // 2026-12-04 is a Friday; its week is Monday 30 Nov to Sunday 6 Dec, ISO week 49.
    const p = periodContaining("weekly", "2026-12-04", "UTC");
    expect(p.key).toBe("week:2026-W49");
    expect([p.from, p.to]).toEqual(["2026-11-30T00:00:00.000Z", "2026-12-07T00:00:00.000Z"]);
    expect(periodContaining("weekly", "2026-11-30", "UTC").key).toBe("week:2026-W49");
    expect(periodContaining("weekly", "2026-12-06", "UTC").key).toBe("week:2026-W49");
    expect(periodContaining("weekly", "2026-12-07", "UTC").key).toBe("week:2026-W50");
  });

  it("week 53 of 2026 spans the new year, and 2027-01-04 starts week 1 of 2027", () => {
    const w53 = periodContaining("weekly", "2027-01-03", "Asia/Shanghai");
    expect(w53.key).toBe("week:2026-W53");
    expect(w53.from).toBe("2026-12-27T16:00:00.000Z"); // Monday 28 Dec, 00:00 in Shanghai
    expect(periodContaining("weekly", "2026-12-28", "UTC").key).toBe("week:2026-W53");
    expect(periodContaining("weekly", "2027-01-04", "UTC").key).toBe("week:2027-W01");
    // 2021-01-01 (a Friday) still belongs to week 53 of 2020.
    expect(periodContaining("weekly", "2021-01-01", "UTC").key).toBe("week:2020-W53");
  });

  it("the week holding a DST change is an hour short", () => {
    expect(hours(periodContaining("weekly", "2026-03-08", "America/New_York"))).toBe(7 * 24 - 1);
  });
});

describe("latestFinishedPeriod", () => {
  it("at 00:04 the day before is not due yet; at 00:05 it is", () => {
    expect(latestFinishedPeriod("daily", "2026-12-05T00:04:59.000Z", "UTC").key).toBe("day:2026-12-03");
    expect(latestFinishedPeriod("daily", "2026-12-05T00:05:00.000Z", "UTC").key).toBe("day:2026-12-04");
    expect(latestFinishedPeriod("daily", "2026-12-05T23:59:00.000Z", "UTC").key).toBe("day:2026-12-04");
  });

  it("follows the zone: 16:05 UTC is 00:05 the next day in Shanghai", () => {
    expect(latestFinishedPeriod("daily", "2026-12-04T16:05:00.000Z", "Asia/Shanghai").key).toBe("day:2026-12-04");
    expect(latestFinishedPeriod("daily", "2026-12-04T16:04:00.000Z", "Asia/Shanghai").key).toBe("day:2026-12-03");
  });

  it("weekly: the week ending Sunday is due on Monday 00:05", () => {
    expect(latestFinishedPeriod("weekly", "2026-12-07T00:05:00.000Z", "UTC").key).toBe("week:2026-W49");
    expect(latestFinishedPeriod("weekly", "2026-12-07T00:04:00.000Z", "UTC").key).toBe("week:2026-W48");
  });

  it("previousPeriod steps back over a DST day", () => {
    const p = periodContaining("daily", "2026-03-09", "America/New_York");
    expect(previousPeriod(p).key).toBe("day:2026-03-08");
    expect(previousPeriod(p).to).toBe(p.from);
  });
});

describe("periodsDue", () => {
  const now = "2026-12-05T00:05:00.000Z";

  it("nothing when the marker is the latest finished period", () => {
    expect(periodsDue("daily", now, "UTC", "day:2026-12-04")).toEqual([]);
  });

  it("back-fills missed days oldest first, at most MAX_BACKFILL", () => {
    expect(periodsDue("daily", now, "UTC", "day:2026-12-02").map((p) => p.key)).toEqual([
      "day:2026-12-03",
      "day:2026-12-04",
    ]);
    const longAgo = periodsDue("daily", now, "UTC", "day:2026-10-01").map((p) => p.key);
    expect(longAgo).toHaveLength(MAX_BACKFILL);
    expect(longAgo).toEqual(["day:2026-12-02", "day:2026-12-03", "day:2026-12-04"]);
  });

  it("without a marker of the same kind only the latest: nothing to catch up on", () => {
    expect(periodsDue("daily", now, "UTC", null).map((p) => p.key)).toEqual(["day:2026-12-04"]);
    expect(periodsDue("weekly", "2026-12-07T00:05:00.000Z", "UTC", "day:2026-12-06").map((p) => p.key)).toEqual([
      "week:2026-W49",
    ]);
  });
});
