import { type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../app-types";
import { guardedInsert } from "./client";
import { auditLog } from "./schema";

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId: string | null;
  /** What changed; never a secret (keys, tokens and passwords are left out by the caller). */
  detail: Record<string, unknown>;
}

/**
 * The audit row for an admin write, to go in the same atomic batch as the write (with the write's
 * guard, so a refused write leaves no audit row).
 */
export function auditStatement(c: Context<AppEnv>, entry: AuditEntry, now: string, guard: SQL = sql`1`): SQL {
  return guardedInsert(
    auditLog,
    {
      id: crypto.randomUUID(),
      at: now,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      detail: entry.detail,
      ip: c.req.header("cf-connecting-ip") ?? null,
    },
    guard,
  );
}

/**
 * The audit row as a write's `alongside` (see db/tasks.ts): the write hands over its own precondition,
 * so the row lands exactly when the write does.
 */
export const auditAlongside =
  (c: Context<AppEnv>, entry: AuditEntry, now: string) =>
  (guard: SQL): SQL[] => [auditStatement(c, entry, now, guard)];
