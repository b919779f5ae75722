import { z } from "@hono/zod-openapi";
import { and, asc, eq, ne, or, type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import { RULE_SCOPES } from "../../contract/vocabulary";
import type { App } from "../app";
import type { AgentRow, AppEnv } from "../app-types";
import { rule, subTask, task } from "../db/schema";
import { publicBaseUrl, readSettings } from "../db/settings";
import { cliHandshake, mergeRules, withNotice } from "../domain/rules";
import { badRequest, conflict, forbidden, notFound } from "../lib/errors";
import { UNPAGED_LIMIT } from "../lib/pagination";
import { nowIso } from "../lib/time";
import { defineRoute, id, idParam, text } from "./define";
import { MessageSchema, RuleSchema, ruleJson } from "./shapes";

/** Ties on created_at (same millisecond) keep insertion order. */
const insertionOrder = sql`rowid`;

const ruleContent = text(50_000).min(1);

const MergedRulesSchema = z
  .object({
    content: z.string(),
    message: z.string(),
    update_available: z.boolean(),
    latest_version: z.number().int().nullable(),
    update_instructions: z.string(),
  })
  .openapi("MergedRules");

const CreateRuleBody = z.object({
  scope: z.enum(RULE_SCOPES),
  content: ruleContent,
  task_id: id.optional().nullable(),
  sub_task_id: id.optional().nullable(),
});

export function registerRuleRoutes(app: App) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/rules",
      tag: "Rules",
      auth: "agent",
      summary: "Merged rules (global, then task, then sub-task) with variables replaced, plus a CLI update hint",
      query: z.object({
        task_id: id.optional(),
        sub_task_id: id.optional(),
        cli_version: z.coerce
          .number()
          .int()
          .optional()
          .openapi({ description: "The CLI's version; absent means a CLI too old to send it" }),
      }),
      response: MergedRulesSchema,
    }),
    async (c) => {
      const db = c.var.db;
      const { task_id, sub_task_id, cli_version } = c.req.valid("query");
      const wanted: SQL[] = [eq(rule.scope, "global")];
      if (task_id) wanted.push(and(eq(rule.scope, "task"), eq(rule.taskId, task_id))!);
      if (sub_task_id) wanted.push(and(eq(rule.scope, "sub_task"), eq(rule.subTaskId, sub_task_id))!);
      // The task the rules are about fills {{task_workspace}}: the one named, else the sub-task's.
      const taskOfRules =
        task_id ??
        (sub_task_id ? sql`(select ${subTask.taskId} from ${subTask} where ${subTask.id} = ${sub_task_id})` : null);
      const [rows, settings, [aboutTask]] = await Promise.all([
        db
          .select({ scope: rule.scope, content: rule.content })
          .from(rule)
          .where(or(...wanted))
          .orderBy(asc(rule.createdAt), insertionOrder)
          .limit(UNPAGED_LIMIT),
        readSettings(db),
        taskOfRules === null
          ? []
          : db
              .select({ name: task.name, workspace: task.workspace })
              .from(task)
              .where(eq(task.id, taskOfRules))
              .limit(1),
      ]);
      const of = (scope: string) => rows.filter((r) => r.scope === scope).map((r) => r.content);
      const merged = mergeRules(of("global"), of("task"), of("sub_task"), {
        workspaceRoot: settings["workspace.root"],
        projectName: settings["project.name"],
        task: aboutTask ?? null,
      });
      const base = publicBaseUrl(settings, c.req.url);
      const { notice, ...handshake } = cliHandshake(cli_version, base);
      return c.json(
        { content: withNotice(merged, notice), message: "merged rules (variables replaced)", ...handshake },
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/rules/list",
      tag: "Rules",
      auth: ["admin", "planner"],
      summary: "Rule rows, oldest first",
      query: z.object({ scope: z.enum(RULE_SCOPES).optional(), task_id: id.optional() }),
      response: z.array(RuleSchema),
    }),
    async (c) => {
      const { scope, task_id } = c.req.valid("query");
      const filters: SQL[] = [];
      if (scope) filters.push(eq(rule.scope, scope));
      if (task_id) filters.push(eq(rule.taskId, task_id));
      const rows = await c.var.db
        .select()
        .from(rule)
        .where(and(...filters))
        .orderBy(asc(rule.createdAt), insertionOrder)
        .limit(UNPAGED_LIMIT);
      return c.json(rows.map(ruleJson), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/rules/{rule_id}",
      tag: "Rules",
      auth: "admin",
      summary: "One rule",
      params: idParam("rule_id"),
      response: RuleSchema,
    }),
    async (c) => {
      const [row] = await c.var.db
        .select()
        .from(rule)
        .where(eq(rule.id, c.req.valid("param").rule_id))
        .limit(1);
      if (!row) throw ruleNotFound();
      return c.json(ruleJson(row), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/rules",
      tag: "Rules",
      auth: ["admin", "planner"],
      summary:
        "Create a rule; scope task needs task_id, sub_task needs sub_task_id; at most one global rule (admins only)",
      body: CreateRuleBody,
      response: RuleSchema,
    }),
    async (c) => {
      const db = c.var.db;
      const body = c.req.valid("json");
      if (body.scope === "global") requireAdminForGlobal(c);
      // Only the link the scope uses is stored; a sub-task rule also records its sub-task's task.
      let taskId: string | null = null;
      let subTaskId: string | null = null;
      if (body.scope === "task") {
        if (!body.task_id) throw badRequest("task_id_required", "a task rule needs task_id");
        const [found] = await db.select({ id: task.id }).from(task).where(eq(task.id, body.task_id)).limit(1);
        if (!found) throw notFound("task_not_found", "task does not exist");
        taskId = found.id;
      } else if (body.scope === "sub_task") {
        if (!body.sub_task_id) throw badRequest("sub_task_id_required", "a sub_task rule needs sub_task_id");
        const [found] = await db
          .select({ id: subTask.id, taskId: subTask.taskId })
          .from(subTask)
          .where(eq(subTask.id, body.sub_task_id))
          .limit(1);
        if (!found) throw notFound("sub_task_not_found", "sub-task does not exist");
        subTaskId = found.id;
        taskId = found.taskId;
      }
      const now = nowIso();
      const row = {
        id: crypto.randomUUID(),
        scope: body.scope,
        taskId,
        subTaskId,
        content: body.content,
        createdAt: now,
        updatedAt: now,
      };
      // The unique partial index ux_rule_single_global makes a second global rule a no-op, even under races.
      const result = await db.insert(rule).values(row).onConflictDoNothing();
      if (result.meta.changes !== 1)
        throw conflict("global_rule_exists", "a global rule already exists; edit it instead");
      return c.json(ruleJson(row), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "put",
      path: "/api/rules/{rule_id}",
      tag: "Rules",
      auth: ["admin", "planner"],
      summary: "Replace a rule's content (planners: task and sub-task rules only)",
      params: idParam("rule_id"),
      body: z.object({ content: ruleContent }),
      response: RuleSchema,
    }),
    async (c) => {
      const ruleId = c.req.valid("param").rule_id;
      const [row] = await c.var.db
        .update(rule)
        .set({ content: c.req.valid("json").content, updatedAt: nowIso() })
        .where(and(eq(rule.id, ruleId), editableBy(c)))
        .returning();
      if (!row) throw await missingOrGlobal(c, ruleId);
      return c.json(ruleJson(row), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "delete",
      path: "/api/rules/{rule_id}",
      tag: "Rules",
      auth: ["admin", "planner"],
      summary: "Delete a rule (planners: task and sub-task rules only)",
      params: idParam("rule_id"),
      response: MessageSchema,
    }),
    async (c) => {
      const ruleId = c.req.valid("param").rule_id;
      const deleted = await c.var.db
        .delete(rule)
        .where(and(eq(rule.id, ruleId), editableBy(c)))
        .returning({ id: rule.id });
      if (deleted.length === 0) throw await missingOrGlobal(c, ruleId);
      return c.json({ message: "rule deleted" }, 200);
    },
  );
}

const ruleNotFound = () => notFound("rule_not_found", "rule does not exist");

/** The calling planner, or undefined for an admin session (these routes accept both). */
const callingAgent = (c: Context<AppEnv>): AgentRow | undefined => c.get("agent");

const globalRuleAdminOnly = () =>
  forbidden(
    "global_rule_admin_only",
    "only an admin may write the global rule; planners write task and sub-task rules",
  );

function requireAdminForGlobal(c: Context<AppEnv>): void {
  if (callingAgent(c)) throw globalRuleAdminOnly();
}

/** Admins may change any rule; a planner only task and sub-task rules (checked in the write itself). */
const editableBy = (c: Context<AppEnv>): SQL | undefined => (callingAgent(c) ? ne(rule.scope, "global") : undefined);

/** Why a guarded write changed nothing: the rule is missing, or it is the global rule and the caller a planner. */
async function missingOrGlobal(c: Context<AppEnv>, ruleId: string) {
  const [found] = await c.var.db.select({ scope: rule.scope }).from(rule).where(eq(rule.id, ruleId)).limit(1);
  return found ? globalRuleAdminOnly() : ruleNotFound();
}
