// GET /api/agents/me/briefing: everything a freshly woken agent needs, in one call.
import { z } from "@hono/zod-openapi";
import type { App } from "../app";
import { loadBriefing } from "../db/briefing";
import { publicBaseUrl, readSettings } from "../db/settings";
import { BRIEFING_LIMITS } from "../domain/briefing";
import { cliHandshake } from "../domain/rules";
import { nowIso } from "../lib/time";
import { defineRoute } from "./define";

const SubTaskBrief = z.object({
  id: z.string(), task_id: z.string(), name: z.string(), status: z.string(), priority: z.string(),
  assigned_agent: z.string().nullable(), rework_count: z.number().int(), updated_at: z.string(), latest_review: z.null(),
}).openapi("SubTaskBrief");

const LatestReview = z.object({
  round: z.number().int(), result: z.string(), score: z.number().int().nullable(), comment: z.string(), issues: z.string(), created_at: z.string(),
});

const MySubTask = SubTaskBrief.extend({
  description: z.string(), deliverable: z.string(), acceptance: z.string(), latest_review: LatestReview.nullable(),
}).openapi("MySubTaskBrief");

const TaskBrief = z.object({ id: z.string(), name: z.string(), status: z.string(), type: z.string(), updated_at: z.string() }).openapi("TaskBrief");

const AnomalyBrief = z.object({
  id: z.string(), type: z.string(), severity: z.string(), sub_task_id: z.string().nullable(), agent_id: z.string().nullable(),
  description: z.string(), source: z.string(), created_at: z.string(), last_seen_at: z.string(),
}).openapi("AnomalyBrief");

const BriefingSchema = z.object({
  agent: z.object({ id: z.string(), name: z.string(), role: z.string(), status: z.string() }),
  generated_at: z.string(),
  cli: z.object({ update_available: z.boolean(), latest_version: z.number().int().nullable(), update_instructions: z.string() }),
  rules: z.object({ content: z.string(), truncated: z.boolean() }).openapi({ description: "Global rule plus the rules of the tasks and sub-tasks you hold, variables filled in" }),
  score: z.object({ total_score: z.number().int(), rank: z.number().int(), total_agents: z.number().int() }),
  recent_score_changes: z.array(z.object({ score_delta: z.number().int(), reason: z.string(), sub_task_id: z.string().nullable(), created_at: z.string() })),
  reflections: z.array(z.object({ summary: z.string(), sub_task_id: z.string().nullable(), created_at: z.string() })),
  my_sub_tasks: z.array(MySubTask).openapi({ description: "Sub-tasks you hold that are not done or cancelled, most recently updated first" }),
  queue: z.object({
    available: z.array(SubTaskBrief).optional().openapi({ description: "executor: sub-tasks you may claim now" }),
    awaiting_review: z.array(SubTaskBrief).optional().openapi({ description: "reviewer: submissions, oldest first" }),
    blocked: z.array(SubTaskBrief).optional().openapi({ description: "planner: blocked sub-tasks, oldest first" }),
    tasks_to_decompose: z.array(TaskBrief).optional().openapi({ description: "planner: planning or active tasks with no sub-task yet" }),
    recently_completed: z.array(TaskBrief).optional().openapi({ description: `planner: tasks completed in the last ${BRIEFING_LIMITS.recentDays} days` }),
    open_anomalies: z.array(AnomalyBrief).optional().openapi({ description: "patrol: open patrol records, newest first" }),
  }),
  next_steps: z.array(z.string()).openapi({ description: "What to do now, most urgent first, with CLI commands; empty = nothing to do" }),
  truncated: z.boolean().openapi({ description: "A list or text was cut to its limit; use the specific commands for the rest" }),
}).openapi("Briefing");

export function registerBriefingRoutes(app: App) {
  app.openapi(
    defineRoute({
      method: "get", path: "/api/agents/me/briefing", tag: "Agents", auth: "agent",
      summary: `One call per wake-up: rules, score and rank, reflections, your open sub-tasks with their latest review, your role's queue and next steps (lists ≤ ${BRIEFING_LIMITS.queue}, texts ≤ ${BRIEFING_LIMITS.text} characters)`,
      query: z.object({ cli_version: z.coerce.number().int().optional().openapi({ description: "The CLI's version, for the update hint" }) }),
      response: BriefingSchema,
    }),
    async (c) => {
      const settings = await readSettings(c.var.db);
      const version = c.req.valid("query").cli_version;
      // Without a version the caller is not our CLI (curl, MCP): there is nothing to update.
      const { update_available, latest_version, update_instructions } =
        version === undefined ? { update_available: false, latest_version: null, update_instructions: "" } : cliHandshake(version, publicBaseUrl(settings, c.req.url));
      const cli = { update_available, latest_version, update_instructions };
      return c.json(await loadBriefing({ db: c.var.db, me: c.var.agent, settings, now: nowIso(), cli }), 200);
    },
  );
}
