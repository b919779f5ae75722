// Bounds on the manual score adjustments agents make (planners and reviewers), so a prompt-injected or
// hostile agent can move scores only a little: at most `perCall` points per call and `perDay` points
// (sum of |score_delta|) per actor over any 24 hours. Admin adjustments are not bounded. Pure: no I/O.

import { text } from "../i18n";
import { type ApiError, badRequest, tooManyRequests } from "../lib/errors";
import { DAY } from "../lib/time";

/**
 * The daily cap counts a rolling 24 hours, not the UTC day: with a calendar day an actor could spend
 * the cap at 23:59 and again at 00:00.
 */
export const ADJUST_WINDOW_MS = DAY;

export interface AdjustLimits {
  /** `score.adjust_max_per_call` */
  perCall: number;
  /** `score.adjust_max_per_day` */
  perDay: number;
}

/** Refuses a delta no single agent adjustment may have; a cap above the daily cap would never fit. */
export function checkPerCall(delta: number, limits: AdjustLimits): void {
  const max = Math.min(limits.perCall, limits.perDay);
  if (Math.abs(delta) <= max) return;
  const setting = limits.perCall <= limits.perDay ? "score.adjust_max_per_call" : "score.adjust_max_per_day";
  throw badRequest("adjustment_too_large", text("adjustmentTooLarge", { max, setting, delta }));
}

/**
 * The refusal when the adjustment does not fit the actor's last 24 hours: what is left now and when
 * enough frees up for this one (`freesAt`, the moment the oldest counted adjustments age out).
 */
export function quotaExceeded(
  delta: number,
  used: number,
  limits: AdjustLimits,
  freesAt: string,
  now: string,
): ApiError {
  const left = Math.max(0, limits.perDay - used);
  const waitSeconds = Math.max(1, Math.ceil((Date.parse(freesAt) - Date.parse(now)) / 1000));
  return tooManyRequests(
    "adjustment_quota_exceeded",
    text("adjustmentQuota", { perDay: limits.perDay, left, points: Math.abs(delta), freesAt }),
    waitSeconds,
  );
}
