// Rule rows: the rules that apply to a task or sub-task, the planners' and admins' list, and their
// writes. A planner may write only task and sub-task rules; that is a condition of the write itself.
import { and, asc, eq, ne, or, type SQL, sql } from "drizzle-orm";
import type { RuleScope } from "../../contract/vocabulary";
import { atomicWrite, type Db, rowOf } from "./client";
import { rule, subTask, task } from "./schema";
import { indexIf, reindex, ruleEntry, unindexSource } from "./search-index";

export type RuleRow = typeof rule.$inferSelect;

/** Ties on created_at (same millisecond) keep insertion order. */
const insertionOrder = sql`rowid`;

/** The global rules, plus those of the task and of the sub-task when named, oldest first. */
export function listRulesInScope(
  db: Db,
  taskId: string | undefined,
  subTaskId: string | undefined,
  limit: number,
): Promise<{ scope: RuleScope; content: string }[]> {
  const wanted: SQL[] = [eq(rule.scope, "global")];
  if (taskId) wanted.push(and(eq(rule.scope, "task"), eq(rule.taskId, taskId))!);
  if (subTaskId) wanted.push(and(eq(rule.scope, "sub_task"), eq(rule.subTaskId, subTaskId))!);
  return db
    .select({ scope: rule.scope, content: rule.content })
    .from(rule)
    .where(or(...wanted))
    .orderBy(asc(rule.createdAt), insertionOrder)
    .limit(limit);
}

/**
 * The task the rules are about (it fills {{task_workspace}}): the one named, else the sub-task's.
 * Undefined, without a query, when neither is named.
 */
export async function findTaskOfRules(
  db: Db,
  taskId: string | undefined,
  subTaskId: string | undefined,
): Promise<{ name: string; workspace: string } | undefined> {
  const taskOfRules =
    taskId ?? (subTaskId ? sql`(select ${subTask.taskId} from ${subTask} where ${subTask.id} = ${subTaskId})` : null);
  if (taskOfRules === null) return undefined;
  const [found] = await db
    .select({ name: task.name, workspace: task.workspace })
    .from(task)
    .where(eq(task.id, taskOfRules))
    .limit(1);
  return found;
}

/** Rule rows, optionally of one scope or one task, oldest first. */
export function listRules(
  db: Db,
  filter: { scope?: RuleScope | undefined; taskId?: string | undefined },
  limit: number,
): Promise<RuleRow[]> {
  const filters: SQL[] = [];
  if (filter.scope) filters.push(eq(rule.scope, filter.scope));
  if (filter.taskId) filters.push(eq(rule.taskId, filter.taskId));
  return db
    .select()
    .from(rule)
    .where(and(...filters))
    .orderBy(asc(rule.createdAt), insertionOrder)
    .limit(limit);
}

export async function findRule(db: Db, id: string): Promise<RuleRow | undefined> {
  const [row] = await db.select().from(rule).where(eq(rule.id, id)).limit(1);
  return row;
}

/** The scope of a rule, to explain why a guarded write changed nothing; undefined if missing. */
export async function findRuleScope(db: Db, id: string): Promise<RuleScope | undefined> {
  const [found] = await db.select({ scope: rule.scope }).from(rule).where(eq(rule.id, id)).limit(1);
  return found?.scope;
}

/** The id of the task a task rule names, if it exists. */
export async function findRuleTask(db: Db, taskId: string): Promise<string | undefined> {
  const [found] = await db.select({ id: task.id }).from(task).where(eq(task.id, taskId)).limit(1);
  return found?.id;
}

/** The sub-task a sub-task rule names and its task, if it exists. */
export async function findRuleSubTask(db: Db, subTaskId: string): Promise<{ id: string; taskId: string } | undefined> {
  const [found] = await db
    .select({ id: subTask.id, taskId: subTask.taskId })
    .from(subTask)
    .where(eq(subTask.id, subTaskId))
    .limit(1);
  return found;
}

/**
 * Inserts a rule; false when it was a second global rule (the unique partial index
 * ux_rule_single_global makes that a no-op, even under races).
 */
export async function insertRule(db: Db, row: RuleRow): Promise<boolean> {
  const [result] = await atomicWrite(db, [
    db.insert(rule).values(row).onConflictDoNothing(),
    ...indexIf(ruleEntry(row), ruleExists(row.id)),
  ]);
  return result?.meta.changes === 1;
}

const ruleExists = (id: string, condition: SQL = sql`1`): SQL =>
  sql`exists (select 1 from ${rule} where ${rule.id} = ${id} and ${condition})`;

/** A column of rule `id` read inside the batch (scope and links never change after creation). */
const ruleColumn = (id: string, column: "scope" | "task_id" | "sub_task_id" | "created_at"): SQL =>
  sql`(select r.${sql.raw(column)} from ${rule} r where r.id = ${id})`;

/** Admins may change any rule; a planner only task and sub-task rules. */
const editableBy = (byPlanner: boolean): SQL | undefined => (byPlanner ? ne(rule.scope, "global") : undefined);

/** Replaces a rule's content; undefined when the rule is missing or the planner may not edit it. */
export async function updateRuleContent(
  db: Db,
  id: string,
  content: string,
  now: string,
  byPlanner: boolean,
): Promise<RuleRow | undefined> {
  const editable = and(eq(rule.id, id), editableBy(byPlanner))!;
  const entry = ruleEntry({
    id,
    scope: ruleColumn(id, "scope"),
    taskId: ruleColumn(id, "task_id"),
    subTaskId: ruleColumn(id, "sub_task_id"),
    content,
    createdAt: ruleColumn(id, "created_at"),
  });
  const [updated] = await atomicWrite(db, [
    db.update(rule).set({ content, updatedAt: now }).where(editable).returning(),
    // After the update: the entry is written only if the rule exists and this caller may edit it.
    ...reindex("rule", id, entry, ruleExists(id, editableBy(byPlanner) ?? sql`1`)),
  ]);
  const raw = updated?.results[0] as Record<string, unknown> | undefined;
  return raw ? rowOf(rule, raw) : undefined;
}

/** Deletes a rule; false when the rule is missing or the planner may not delete it. */
export async function deleteRule(db: Db, id: string, byPlanner: boolean): Promise<boolean> {
  const results = await atomicWrite(db, [
    // Before the delete, under the same condition: the entry goes exactly when the rule does.
    ...unindexSource("rule", id, ruleExists(id, editableBy(byPlanner) ?? sql`1`)),
    db.delete(rule).where(and(eq(rule.id, id), editableBy(byPlanner))),
  ]);
  return (results.at(-1)?.meta.changes ?? 0) > 0;
}
