// worker/lib/coalesce.ts: what requests hand over leaves in batches, each item once.
import { afterEach, describe, expect, it, vi } from "vitest";
import { Coalescer } from "../worker/lib/coalesce";

function harness(gapMs: number, maxItems?: number) {
  const coalescer = new Coalescer<number>(gapMs, maxItems);
  const pending: Promise<unknown>[] = [];
  const sent: number[][] = [];
  const add = (...items: number[]) =>
    coalescer.add(
      items,
      (p) => pending.push(p),
      async (batch) => void sent.push([...batch]),
    );
  return { add, sent, settle: () => Promise.all(pending) };
}

describe("Coalescer", () => {
  afterEach(() => vi.restoreAllMocks());

  it("sends what arrives before a batch leaves together, and a full batch opens the next", async () => {
    const h = harness(0, 3);
    h.add(1);
    h.add(2, 3);
    h.add(4);
    await h.settle();
    expect(h.sent).toEqual([[1, 2, 3], [4]]);
  });

  it("moves a stale batch's items into the next one and never sends them twice", async () => {
    const now = vi.spyOn(Date, "now").mockReturnValue(1_000_000);
    const h = harness(200);
    h.add(1);
    // The first batch's timer has not run yet when, past the grace period, the next item arrives.
    now.mockReturnValue(1_000_000 + 200 + 2_000);
    h.add(2);
    await h.settle();
    expect(h.sent).toEqual([[1, 2]]);
  });
});
