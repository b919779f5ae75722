// Manual score adjustments by agents: the ledger row, the total and the actor's 24-hour cap in one batch.
import { sql } from "drizzle-orm";
import { ADJUST_WINDOW_MS } from "../domain/score-caps";
import { isoMinus, isoPlus } from "../lib/time";
import { atomicWrite, type Db, guardedInsert } from "./client";
import { agent, rewardLog, subTask } from "./schema";

export type AdjustmentRow = typeof rewardLog.$inferInsert & { actorAgentId: string; createdAt: string };

export type AdjustOutcome =
  | { ok: true }
  | { ok: false; refused: "agent_not_found" }
  | { ok: false; refused: "sub_task_not_found" }
  /** `used`: the actor's points in the window as the batch saw them. */
  | { ok: false; refused: "quota"; used: number };

/** Points (sum of |score_delta|) the actor spent in the 24 hours up to `now`. */
const spentInWindow = (actorId: string, now: string) =>
  sql`(select coalesce(sum(abs(${rewardLog.scoreDelta})), 0) from ${rewardLog}
    where ${rewardLog.actorAgentId} = ${actorId} and ${rewardLog.createdAt} > ${isoMinus(now, ADJUST_WINDOW_MS)})`;

/**
 * Writes the adjustment only if the agent (and the sub-task, when given) exist and the actor's points
 * in the last 24 hours plus this one stay within `perDay`. The cap is the insert's guard, evaluated
 * inside the batch, so concurrent adjustments that together exceed it cannot all land; the total moves
 * only with its ledger row.
 */
export async function insertAgentAdjustment(db: Db, row: AdjustmentRow, perDay: number): Promise<AdjustOutcome> {
  const agentExists = sql`exists (select 1 from ${agent} where ${agent.id} = ${row.agentId})`;
  const subTaskExists = row.subTaskId
    ? sql`exists (select 1 from ${subTask} where ${subTask.id} = ${row.subTaskId})`
    : sql`1`;
  const fits = sql`${spentInWindow(row.actorAgentId, row.createdAt)} + ${Math.abs(row.scoreDelta)} <= ${perDay}`;
  const landed = sql`exists (select 1 from ${rewardLog} where ${rewardLog.id} = ${row.id})`;
  const [inserted, , seen] = await atomicWrite(db, [
    guardedInsert(rewardLog, row, sql`${agentExists} and ${subTaskExists} and ${fits}`),
    sql`update ${agent} set total_score = total_score + ${row.scoreDelta} where ${agent.id} = ${row.agentId} and ${landed}`,
    // Why a refusal was refused, as the same batch saw it.
    sql`select ${agentExists} as agent_ok, ${subTaskExists} as sub_task_ok, ${spentInWindow(row.actorAgentId, row.createdAt)} as used`,
  ]);
  if (inserted?.meta.changes === 1) return { ok: true };
  const state = seen?.results[0] as { agent_ok: number; sub_task_ok: number; used: number } | undefined;
  if (!state?.agent_ok) return { ok: false, refused: "agent_not_found" };
  if (!state.sub_task_ok) return { ok: false, refused: "sub_task_not_found" };
  return { ok: false, refused: "quota", used: state.used };
}

/**
 * When `points` more fit the actor's window again: the moment its oldest adjustments age out far
 * enough (`perDay` − what stays counted ≥ `points`). `now` itself if they already fit.
 */
export async function adjustmentFreesAt(
  db: Db,
  actorId: string,
  points: number,
  perDay: number,
  now: string,
): Promise<string> {
  const since = isoMinus(now, ADJUST_WINDOW_MS);
  const [row] = await db.all<{ used: number | null; oldest_to_age: string | null }>(sql`
    with counted as (
      select ${rewardLog.createdAt} as created_at,
        sum(abs(${rewardLog.scoreDelta})) over (order by ${rewardLog.createdAt}, rowid) as aged,
        sum(abs(${rewardLog.scoreDelta})) over () as used
      from ${rewardLog} where ${rewardLog.actorAgentId} = ${actorId} and ${rewardLog.createdAt} > ${since})
    select (select max(used) from counted) as used,
      (select created_at from counted where used - aged + ${points} <= ${perDay} order by created_at limit 1) as oldest_to_age`);
  if (!row?.used || row.used + points <= perDay || !row.oldest_to_age) return now;
  return isoPlus(row.oldest_to_age, ADJUST_WINDOW_MS);
}
