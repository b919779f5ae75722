// Texts of review refusals (routes/reviews.ts, the admin's review and score pages).
export const reviews = {
  reviewNotFound: "review record does not exist",
  invalidScoreRange: "score_min must not be above score_max",
  /** `start` is the reason's first characters. */
  ledgerReasonTooLong: (p: { start: string; max: number }) =>
    `the ledger reason "${p.start}…" would be over ${p.max} characters`,
};
