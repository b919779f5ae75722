// What the cron decides for a due recurring schedule (worker/domain/rounds.ts): one round per slot,
// numbered without gaps, skipped or stacked by policy, ended by end date or round count, and a late
// run makes one round for the latest slot with the passed-over slots counted in `missed`.
import { describe, expect, it } from "vitest";
import {
  type DueSchedule,
  decideManualRound,
  decideSlot,
  type RoundPolicy,
  skipReasonFor,
  slotKey,
} from "../../worker/domain/rounds";
import type { ScheduleSpec } from "../../worker/domain/schedule";

const HOURLY: ScheduleSpec = {
  kind: "every",
  every: 1,
  unit: "hours",
  tz: "UTC",
  start_at: "2026-01-01T00:00:00.000Z",
};
const DAILY_9_SHANGHAI: ScheduleSpec = { kind: "cron", expr: "0 9 * * *", tz: "Asia/Shanghai" };
const SKIP: RoundPolicy = { when_unfinished: "skip", max_open_rounds: 3, ends_at: null, max_rounds: null };
const STACK2: RoundPolicy = { ...SKIP, when_unfinished: "stack", max_open_rounds: 2 };

const due = (over: Partial<DueSchedule> = {}): DueSchedule => ({
  schedule: HOURLY,
  policy: SKIP,
  expected: "2026-03-01T10:00:00.000Z",
  roundsCreated: 4,
  openRounds: 0,
  ...over,
});
const at = (iso: string) => new Date(iso);

describe("decideSlot", () => {
  it("creates the next numbered round for the slot that came, and waits for the following slot", () => {
    const d = decideSlot(due(), at("2026-03-01T10:00:30.000Z"));
    expect(d.round).toMatchObject({
      key: "2026-03-01T10:00Z",
      scheduledFor: "2026-03-01T10:00:00.000Z",
      status: "open",
      roundNo: 5,
      skipReason: null,
      missed: 0,
    });
    expect(d.next).toBe("2026-03-01T11:00:00.000Z");
    expect(d.ended).toBeNull();
  });

  it("a run late within the slot keeps the slot's key (one round per slot however late)", () => {
    const early = decideSlot(due(), at("2026-03-01T10:00:00.000Z"));
    const late = decideSlot(due(), at("2026-03-01T10:59:00.000Z"));
    expect(late.round?.key).toBe(early.round?.key);
    expect(late.round?.missed).toBe(0);
  });

  it("a run late by several slots makes one round for the latest and counts the others as missed", () => {
    const d = decideSlot(due(), at("2026-03-01T13:20:00.000Z"));
    expect(d.round).toMatchObject({ key: "2026-03-01T13:00Z", roundNo: 5, missed: 3 });
    expect(d.next).toBe("2026-03-01T14:00:00.000Z");
  });

  it("a daily cron in a zone: the local 09:00 slot, missed days counted, next is tomorrow's 09:00", () => {
    // 09:00 in Shanghai is 01:00 UTC; the schedule waited for 3 March, the run comes on 5 March at 02:00 UTC.
    const d = decideSlot(
      due({ schedule: DAILY_9_SHANGHAI, expected: "2026-03-03T01:00:00.000Z" }),
      at("2026-03-05T02:00:00.000Z"),
    );
    expect(d.round).toMatchObject({ key: "2026-03-05T01:00Z", missed: 2 });
    expect(d.next).toBe("2026-03-06T01:00:00.000Z");
  });

  it("skip: an unfinished round turns the slot into a skipped row without a number", () => {
    const d = decideSlot(due({ openRounds: 1 }), at("2026-03-01T10:00:00.000Z"));
    expect(d.round).toMatchObject({ status: "skipped", roundNo: null, skipReason: "previous_unfinished" });
    expect(d.next).toBe("2026-03-01T11:00:00.000Z");
  });

  it("stack: rounds pile up to max_open_rounds, then the slot is skipped for that reason", () => {
    const room = decideSlot(due({ policy: STACK2, openRounds: 1 }), at("2026-03-01T10:00:00.000Z"));
    expect(room.round).toMatchObject({ status: "open", roundNo: 5 });
    const full = decideSlot(due({ policy: STACK2, openRounds: 2 }), at("2026-03-01T10:00:00.000Z"));
    expect(full.round).toMatchObject({ status: "skipped", roundNo: null, skipReason: "max_open_rounds" });
  });

  it("max_rounds: the last round ends the schedule; a schedule already at its count ends without a round", () => {
    const policy = { ...SKIP, max_rounds: 5 };
    const last = decideSlot(due({ policy }), at("2026-03-01T10:00:00.000Z"));
    expect(last).toMatchObject({ next: null, ended: "max_rounds" });
    expect(last.round?.roundNo).toBe(5);
    const over = decideSlot(due({ policy, roundsCreated: 5 }), at("2026-03-01T10:00:00.000Z"));
    expect(over).toEqual({ round: null, next: null, ended: "max_rounds" });
  });

  it("ends_at: the last slot before it ends the schedule; a late run takes the last slot within it", () => {
    const policy = { ...SKIP, ends_at: "2026-03-01T10:30:00.000Z" };
    const last = decideSlot(due({ policy }), at("2026-03-01T10:00:00.000Z"));
    expect(last.round?.key).toBe("2026-03-01T10:00Z");
    expect(last).toMatchObject({ next: null, ended: "ends_at" });
    const late = decideSlot(
      due({ policy: { ...SKIP, ends_at: "2026-03-01T12:30:00.000Z" } }),
      at("2026-03-01T18:00:00.000Z"),
    );
    expect(late.round).toMatchObject({ key: "2026-03-01T12:00Z", missed: 2 });
    expect(late.ended).toBe("ends_at");
    const past = decideSlot(
      due({ policy: { ...SKIP, ends_at: "2026-03-01T09:30:00.000Z" } }),
      at("2026-03-01T10:00:00.000Z"),
    );
    expect(past).toEqual({ round: null, next: null, ended: "ends_at" });
  });

  it("missed is bounded however long the cron was down", () => {
    const d = decideSlot(due(), at("2027-03-01T10:00:00.000Z"));
    expect(d.round?.missed).toBe(1_000);
  });
});

describe("helpers", () => {
  it("slotKey is the slot's UTC minute", () => {
    expect(slotKey(at("2026-12-05T01:00:59.999Z"))).toBe("2026-12-05T01:00Z");
  });
  it("skipReasonFor: skip allows one open round whatever max_open_rounds says", () => {
    expect(skipReasonFor(SKIP, 0)).toBeNull();
    expect(skipReasonFor(SKIP, 1)).toBe("previous_unfinished");
    expect(skipReasonFor(STACK2, 1)).toBeNull();
  });
});

describe("decideManualRound", () => {
  const now = at("2026-03-01T10:17:00.000Z");
  it("numbers the round next and keys it by its own id", () => {
    expect(decideManualRound({ policy: SKIP, roundsCreated: 4, openRounds: 0 }, now, "abc")).toEqual({
      round: {
        key: "manual:abc",
        scheduledFor: "2026-03-01T10:17:00.000Z",
        status: "open",
        roundNo: 5,
        skipReason: null,
        missed: 0,
      },
      next: null,
      ended: null,
    });
  });
  it("is refused when the policy leaves no room or the rounds are used up; the last allowed one ends the schedule", () => {
    expect(decideManualRound({ policy: SKIP, roundsCreated: 4, openRounds: 1 }, now, "x")).toEqual({
      refused: "previous_unfinished",
    });
    expect(decideManualRound({ policy: STACK2, roundsCreated: 4, openRounds: 2 }, now, "x")).toEqual({
      refused: "max_open_rounds",
    });
    const capped = { ...SKIP, max_rounds: 5 };
    expect(decideManualRound({ policy: capped, roundsCreated: 5, openRounds: 0 }, now, "x")).toEqual({
      refused: "max_rounds",
    });
    expect(decideManualRound({ policy: capped, roundsCreated: 4, openRounds: 0 }, now, "x")).toMatchObject({
      ended: "max_rounds",
    });
  });
});
