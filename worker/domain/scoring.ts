// Review score → change to the executor's total (upstream's table: 5,4 → +5; 3 → 0; 2,1 → −5).
export function reviewScoreDelta(score: number): number {
  if (score >= 4) return 5;
  if (score === 3) return 0;
  return -5;
}

export const reviewReason = (score: number): string => `review score ${score}`;
export const manualAdjustReason = (reason: string, operator: string): string =>
  `[manual adjustment] ${reason} (operator: ${operator})`;
