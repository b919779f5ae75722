import { describe, expect, it } from "vitest";
import { manualAdjustReason, reviewReason, reviewScoreDelta } from "../../worker/domain/scoring";

describe("reviewScoreDelta", () => {
  const table: [score: number, delta: number][] = [
    [1, -5],
    [2, -5],
    [3, 0],
    [4, 5],
    [5, 5],
  ];

  for (const [score, delta] of table) {
    it(`score ${score} → ${delta}`, () => {
      expect(reviewScoreDelta(score)).toBe(delta);
    });
  }

  it("score 3 gives exactly zero (not -0)", () => {
    expect(Object.is(reviewScoreDelta(3), 0)).toBe(true);
  });

  it("is monotonic over 1..5", () => {
    const deltas = [1, 2, 3, 4, 5].map(reviewScoreDelta);
    for (let i = 1; i < deltas.length; i++) expect(deltas[i]!).toBeGreaterThanOrEqual(deltas[i - 1]!);
  });
});

describe("reasons", () => {
  it("reviewReason names the score", () => {
    expect(reviewReason(4)).toBe("review score 4");
    expect(reviewReason(1)).toBe("review score 1");
  });

  it("manualAdjustReason names the reason and the operator", () => {
    expect(manualAdjustReason("helped out", "admin")).toBe("[manual adjustment] helped out (operator: admin)");
  });
});
