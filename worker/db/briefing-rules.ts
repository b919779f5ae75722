// The rules a briefing carries: the global rule, then the rules of the tasks and sub-tasks of the
// agent's open and claimable work, each labelled with its task or sub-task. The agent row remembers
// the revision it was last sent, so an unchanged text is not sent again on every wake-up.
import { and, asc, eq, inArray, isNull, ne, or, sql } from "drizzle-orm";
import type { AgentRow } from "../app-types";
import { BRIEFING_LIMITS as LIMITS, ruleLabel, rulesRevision } from "../domain/briefing";
import { mergeRules, RULE_SEPARATOR } from "../domain/rules";
import { clip } from "../domain/text-rules";
import { catalogue } from "../i18n";
import type { Db } from "./client";
import { agent, rule } from "./schema";
import type { Settings } from "./settings";

/** Whose rules: tasks (names for the labels, workspaces for `{{task_workspace}}`) and sub-tasks (names). */
export interface RuleScope {
  tasks: ReadonlyMap<string, { name: string; workspace: string }>;
  subTasks: ReadonlyMap<string, string>;
}

export interface BriefingRules {
  /** What the briefing sends: the text, or "" with `unchanged` when the agent has this revision. */
  json: { content: string; truncated: boolean; revision: string; unchanged: boolean };
  /** Ids of the tasks and sub-tasks in scope that have rules of their own. */
  ruled: Set<string>;
  /** Rule rows were left out (more than the limit). */
  rowsCut: boolean;
}

/**
 * Loads and merges the rules in scope, and decides whether to send them: always when `full`, else only
 * when their revision differs from the one the agent was last sent (then that revision is stored with
 * one guarded write; two briefings at once may both send the text, which is harmless).
 */
export async function briefingRules(
  db: Db,
  me: AgentRow,
  scope: RuleScope,
  settings: Settings,
  full: boolean,
): Promise<BriefingRules> {
  const taskIds = [...scope.tasks.keys()];
  const subTaskIds = [...scope.subTasks.keys()];
  const rows = await db
    .select({ scope: rule.scope, content: rule.content, taskId: rule.taskId, subTaskId: rule.subTaskId })
    .from(rule)
    .where(
      or(
        eq(rule.scope, "global"),
        // Both columns of ix_rule_task_scope: sub-task rules carry their task's id too.
        taskIds.length > 0 ? and(inArray(rule.taskId, taskIds), eq(rule.scope, "task")) : undefined,
        // `+scope` keeps SQLite on ix_rule_sub_task: with an IN list it would otherwise pick
        // ix_rule_scope_created and read every sub-task rule there is (measured by npm run bench).
        subTaskIds.length > 0 ? and(sql`+${rule.scope} = 'sub_task'`, inArray(rule.subTaskId, subTaskIds)) : undefined,
      ),
    )
    .orderBy(asc(rule.createdAt), sql`rowid`)
    .limit(LIMITS.ruleRows + 1);

  const rowsCut = rows.length > LIMITS.ruleRows;
  const kept = rows.slice(0, LIMITS.ruleRows);
  const ruled = new Set<string>();
  // Labels in the project's language, not the reader's: the revision names the text, whoever asks.
  const labels = catalogue(settings["project.language"]).briefing;
  const vars = { workspaceRoot: settings["workspace.root"], projectName: settings["project.name"] };
  // Each task's and sub-task's rules get their own task's variables ({{task_workspace}}): one briefing may hold several tasks.
  const labelled = (scopeName: "task" | "sub_task") =>
    kept
      .filter((r) => r.scope === scopeName)
      .map((r) => {
        const id = (scopeName === "task" ? r.taskId : r.subTaskId)!;
        ruled.add(id);
        const name = scopeName === "task" ? scope.tasks.get(id)?.name : scope.subTasks.get(id);
        const content = `${ruleLabel(scopeName, name ?? "", id, labels)}\n\n${r.content}`;
        return mergeRules([], [content], [], {
          ...vars,
          task: r.taskId === null ? null : (scope.tasks.get(r.taskId) ?? null),
        });
      });
  const global = mergeRules(
    kept.filter((r) => r.scope === "global").map((r) => r.content),
    [],
    [],
    vars,
  );
  const merged = [global, ...labelled("task"), ...labelled("sub_task")]
    .filter((text) => text !== "")
    .join(RULE_SEPARATOR);

  const revision = await rulesRevision(merged);
  if (!full && me.rulesRevision === revision) {
    return { json: { content: "", truncated: false, revision, unchanged: true }, ruled, rowsCut };
  }
  if (me.rulesRevision !== revision) {
    await db
      .update(agent)
      .set({ rulesRevision: revision })
      .where(and(eq(agent.id, me.id), or(isNull(agent.rulesRevision), ne(agent.rulesRevision, revision))));
  }
  const text = clip(merged, LIMITS.rules);
  return { json: { content: text.text, truncated: text.cut || rowsCut, revision, unchanged: false }, ruled, rowsCut };
}
