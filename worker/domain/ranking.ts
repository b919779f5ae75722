// How the admin lists order and rank agents, and when an agent counts as online. Pure: no I/O.
import { MINUTE } from "../lib/time";

export const SORT_ORDERS = ["asc", "desc"] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/** `GET /api/admin/agents` sort keys (upstream's), default `created_at`. */
export const AGENT_SORT_FIELDS = ["created_at", "name", "total_score", "last_request_at", "last_activity_at"] as const;
export type AgentSortField = (typeof AGENT_SORT_FIELDS)[number];

/** `GET /api/admin/scores/leaderboard` sort keys (upstream's), default `total_score`. */
export const LEADERBOARD_SORT_FIELDS = ["total_score", "rank", "created_at", "last_score_at"] as const;
export type LeaderboardSortField = (typeof LEADERBOARD_SORT_FIELDS)[number];

/**
 * Dense rank by score, highest first: equal scores share a rank and the next score gets the next
 * integer (100, 90, 90, 80 → 1, 2, 2, 3). The admin lists compute the same thing in SQL over all
 * agents; this is the reference definition.
 */
export function denseRanks(scores: readonly number[]): number[] {
  const distinct = [...new Set(scores)].sort((a, b) => b - a);
  const rankOf = new Map(distinct.map((s, i) => [s, i + 1]));
  return scores.map((s) => rankOf.get(s)!);
}

/** An agent is online while its last API call is this recent. */
export const ONLINE_WINDOW_MS = 10 * MINUTE;

export function isOnline(lastSeenAt: string | null, now: string): boolean {
  if (lastSeenAt === null) return false;
  return Date.parse(now) - Date.parse(lastSeenAt) <= ONLINE_WINDOW_MS;
}

/** The ledger reason of an admin adjustment (upstream's "[管理端调分] <reason>", in English). */
export const ADMIN_ADJUST_PREFIX = "[admin adjustment] ";
export const MAX_REASON_CHARS = 100;
export const adminAdjustReason = (reason: string): string => `${ADMIN_ADJUST_PREFIX}${reason}`;
/** Length in code points, as upstream counted (an emoji is one character). */
export const charCount = (s: string): number => [...s].length;
