// Retrospective rows as agents and admins meet them: lists and reads scoped to the reader, the one
// briefing that shows a pending retrospective, a `retro` log tied to one, and a finding turned into a
// task rule. Generation lives elsewhere (the ScheduledJobs Durable Object).
import { and, desc, eq, or, type SQL, sql } from "drizzle-orm";
import type { RetroPeriodKind, RetroScope } from "../../contract/vocabulary";
import type { ActivityLogRow } from "./activity-logs";
import { atomicWrite, type Db, guardedInsert, rowOf } from "./client";
import type { RuleRow } from "./rules";
import { activityLog, agent, rule, task } from "./schema";
import { retrospective } from "./schema-retrospectives";
import { indexIf, logEntry, ruleEntry } from "./search-index";

export type RetrospectiveRow = typeof retrospective.$inferSelect;
/** A listed row: no text, no body, only the body's counts (JSON text, or null when absent) and its repeated-pattern count. */
export type RetrospectiveListRow = Omit<RetrospectiveRow, "text" | "body"> & {
  counts: string | null;
  repeated: number;
};

/** Who reads: an agent sees the team's rows and its own; an admin (null) sees every row. */
export type Reader = string | null;

const visibleTo = (reader: Reader): SQL | undefined =>
  reader === null ? undefined : or(eq(retrospective.scope, "team"), eq(retrospective.agentId, reader));

export interface RetrospectiveFilter {
  scope?: RetroScope | undefined;
  periodKind?: RetroPeriodKind | undefined;
  agentId?: string | undefined;
}

/** Newest period first, the team's row before the agents' rows of the same period. */
export async function listRetrospectives(
  db: Db,
  filter: RetrospectiveFilter,
  reader: Reader,
  window: { limit: number; offset: number },
): Promise<{ rows: RetrospectiveListRow[]; total: number }> {
  const where = and(
    visibleTo(reader),
    filter.scope ? eq(retrospective.scope, filter.scope) : undefined,
    filter.periodKind ? eq(retrospective.periodKind, filter.periodKind) : undefined,
    filter.agentId ? eq(retrospective.agentId, filter.agentId) : undefined,
  );
  const [rows, total] = await Promise.all([
    db
      .select({
        id: retrospective.id,
        periodKey: retrospective.periodKey,
        periodKind: retrospective.periodKind,
        periodStart: retrospective.periodStart,
        periodEnd: retrospective.periodEnd,
        timeZone: retrospective.timeZone,
        scope: retrospective.scope,
        agentId: retrospective.agentId,
        scopeKey: retrospective.scopeKey,
        trigger: retrospective.trigger,
        partial: retrospective.partial,
        language: retrospective.language,
        generatedAt: retrospective.generatedAt,
        generatedBy: retrospective.generatedBy,
        // Only the totals travel in a list: a team body is tens of kilobytes.
        counts: sql<string | null>`json_extract(${retrospective.body}, '$.counts')`.as("counts"),
        // The list's "repeated" badge: patterns seen in an earlier period too, counted inside SQLite.
        repeated:
          sql<number>`(select count(*) from json_each(${retrospective.body}, '$.patterns') where json_extract(value, '$.again'))`.as(
            "repeated",
          ),
      })
      .from(retrospective)
      .where(where)
      .orderBy(desc(retrospective.periodStart), desc(retrospective.scope), retrospective.scopeKey)
      .limit(window.limit)
      .offset(window.offset),
    db.$count(retrospective, where),
  ]);
  return { rows, total };
}

/** One row, if it exists and the reader may see it. */
export async function findRetrospective(db: Db, id: string, reader: Reader): Promise<RetrospectiveRow | undefined> {
  const [row] = await db
    .select()
    .from(retrospective)
    .where(and(eq(retrospective.id, id), visibleTo(reader)))
    .limit(1);
  return row;
}

/** The team row of a period, to answer a repeated on-demand run without generating anything. */
export async function findTeamRow(db: Db, periodKey: string): Promise<RetrospectiveRow | undefined> {
  const [row] = await db
    .select()
    .from(retrospective)
    .where(and(eq(retrospective.periodKey, periodKey), eq(retrospective.scopeKey, "team")))
    .limit(1);
  return row;
}

/**
 * The retrospective an agent's briefing shows, exactly once: in one batch, the pointer is cleared only
 * if it still names `retroId`, and the row is read. Of two briefings at once, only the one whose clear
 * changed the agent row gets it; a newer retrospective that replaced the pointer meanwhile stays pending.
 */
export async function takePendingRetrospective(
  db: Db,
  agentId: string,
  retroId: string,
): Promise<RetrospectiveRow | undefined> {
  const [cleared, read] = await atomicWrite(db, [
    sql`update ${agent} set pending_retro_id = null where ${agent.id} = ${agentId} and pending_retro_id = ${retroId}`,
    db.select().from(retrospective).where(eq(retrospective.id, retroId)),
  ]);
  const raw = read?.results[0] as Record<string, unknown> | undefined;
  return cleared?.meta.changes === 1 && raw ? rowOf(retrospective, raw) : undefined;
}

/** A `retro` log naming a retrospective: written only while that row exists and its author may see it. */
export async function writeRetroLog(db: Db, row: ActivityLogRow & { retrospectiveId: string }): Promise<boolean> {
  const visible = sql`exists (select 1 from ${retrospective} where ${retrospective.id} = ${row.retrospectiveId}
    and (${retrospective.scope} = 'team' or ${retrospective.agentId} = ${row.agentId}))`;
  const landed = sql`exists (select 1 from ${activityLog} where ${activityLog.id} = ${row.id})`;
  const [written] = await atomicWrite(db, [
    guardedInsert(activityLog, row, visible),
    ...indexIf(logEntry(row), landed),
  ]);
  return written?.meta.changes === 1;
}

export type FindingRuleOutcome =
  | { ok: true }
  | { ok: false; refused: "already_ruled"; ruleId: string }
  | { ok: false; refused: "task_not_found" | "retrospective_not_found" };

/**
 * Turns finding number `index` (its id `findingId`) into the task rule `row`, once: one batch marks
 * the finding's rule_id only while it is null (and the task exists), then inserts the rule only if
 * that mark landed with this rule's id. A second call, or a racing one, finds the mark taken and gets
 * the rule id that won.
 */
export async function ruleFromFinding(
  db: Db,
  retroId: string,
  index: number,
  findingId: string,
  row: RuleRow & { taskId: string },
): Promise<FindingRuleOutcome> {
  const ruleIdPath = `$.findings[${index}].rule_id`;
  const idPath = `$.findings[${index}].id`;
  const markedRuleId = sql`(select json_extract(${retrospective.body}, ${ruleIdPath}) from ${retrospective} where ${retrospective.id} = ${retroId})`;
  const taskExists = sql`exists (select 1 from ${task} where ${task.id} = ${row.taskId})`;
  const [, inserted, after] = await atomicWrite(db, [
    sql`update ${retrospective} set body = json_set(${retrospective.body}, ${ruleIdPath}, ${row.id})
      where ${retrospective.id} = ${retroId} and json_extract(${retrospective.body}, ${idPath}) = ${findingId}
      and json_extract(${retrospective.body}, ${ruleIdPath}) is null and ${taskExists}`,
    guardedInsert(rule, row, sql`${markedRuleId} = ${row.id}`),
    sql`select ${markedRuleId} as rule_id, ${taskExists} as task_exists`,
    ...indexIf(ruleEntry(row), sql`exists (select 1 from ${rule} where ${rule.id} = ${row.id})`),
  ]);
  if (inserted?.meta.changes === 1) return { ok: true };
  const seen = after?.results[0] as { rule_id: string | null; task_exists: number } | undefined;
  if (seen?.rule_id) return { ok: false, refused: "already_ruled", ruleId: seen.rule_id };
  return { ok: false, refused: seen?.task_exists ? "retrospective_not_found" : "task_not_found" };
}
