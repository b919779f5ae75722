import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { MessageSchema } from "../../contract/api/common";
import { RuleSchema } from "../../contract/api/records";
import { RULE_SCOPES } from "../../contract/vocabulary";
import type { App } from "../app";
import type { AgentRow, AppEnv } from "../app-types";
import {
  deleteRule,
  findRule,
  findRuleScope,
  findRuleSubTask,
  findRuleTask,
  findTaskOfRules,
  insertRule,
  listRules,
  listRulesInScope,
  updateRuleContent,
} from "../db/rules";
import { publicBaseUrl, readSettings } from "../db/settings";
import { cliHandshake, mergeRules, withNotice } from "../domain/rules";
import { catalogue, text as message, render } from "../i18n";
import { badRequest, conflict, forbidden, notFound } from "../lib/errors";
import { UNPAGED_LIMIT } from "../lib/pagination";
import { nowIso } from "../lib/time";
import { defineRoute, id, idParam, text } from "./define";
import { ruleJson } from "./shapes";

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
      const [rows, settings, aboutTask] = await Promise.all([
        listRulesInScope(db, task_id, sub_task_id, UNPAGED_LIMIT),
        readSettings(db),
        findTaskOfRules(db, task_id, sub_task_id),
      ]);
      const of = (scope: string) => rows.filter((r) => r.scope === scope).map((r) => r.content);
      const merged = mergeRules(of("global"), of("task"), of("sub_task"), {
        workspaceRoot: settings["workspace.root"],
        projectName: settings["project.name"],
        task: aboutTask ?? null,
      });
      const base = publicBaseUrl(settings, c.req.url);
      const { notice, ...handshake } = cliHandshake(
        cli_version,
        base,
        undefined,
        catalogue(c.var.lang).briefing.cliUpdate,
      );
      return c.json(
        { content: withNotice(merged, notice), message: render(message("rulesMerged"), c.var.lang), ...handshake },
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
      const rows = await listRules(c.var.db, { scope, taskId: task_id }, UNPAGED_LIMIT);
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
      const row = await findRule(c.var.db, c.req.valid("param").rule_id);
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
        if (!body.task_id) throw badRequest("task_id_required", message("taskRuleNeedsTaskId"));
        const found = await findRuleTask(db, body.task_id);
        if (!found) throw notFound("task_not_found", message("taskGone"));
        taskId = found;
      } else if (body.scope === "sub_task") {
        if (!body.sub_task_id) throw badRequest("sub_task_id_required", message("subTaskRuleNeedsSubTaskId"));
        const found = await findRuleSubTask(db, body.sub_task_id);
        if (!found) throw notFound("sub_task_not_found", message("subTaskGone"));
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
      if (!(await insertRule(db, row))) throw conflict("global_rule_exists", message("globalRuleExists"));
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
      const content = c.req.valid("json").content;
      const row = await updateRuleContent(c.var.db, ruleId, content, nowIso(), isPlanner(c));
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
      if (!(await deleteRule(c.var.db, ruleId, isPlanner(c)))) throw await missingOrGlobal(c, ruleId);
      return c.json({ message: render(message("ruleDeleted"), c.var.lang) }, 200);
    },
  );
}

const ruleNotFound = () => notFound("rule_not_found", message("ruleNotFound"));

/** The calling planner, or undefined for an admin session (these routes accept both). */
const callingAgent = (c: Context<AppEnv>): AgentRow | undefined => c.get("agent");

const globalRuleAdminOnly = () => forbidden("global_rule_admin_only", message("globalRuleAdminOnly"));

function requireAdminForGlobal(c: Context<AppEnv>): void {
  if (callingAgent(c)) throw globalRuleAdminOnly();
}

/** Admins may change any rule; a planner only task and sub-task rules (checked in the write itself). */
const isPlanner = (c: Context<AppEnv>): boolean => callingAgent(c) !== undefined;

/** Why a guarded write changed nothing: the rule is missing, or it is the global rule and the caller a planner. */
async function missingOrGlobal(c: Context<AppEnv>, ruleId: string) {
  return (await findRuleScope(c.var.db, ruleId)) ? globalRuleAdminOnly() : ruleNotFound();
}
