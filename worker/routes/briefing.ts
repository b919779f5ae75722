// GET /api/agents/me/briefing: everything a freshly woken agent needs, in one call.
import { z } from "@hono/zod-openapi";
import {
  AgentStatusEnum,
  AnomalyTypeEnum,
  PatrolSourceEnum,
  PriorityEnum,
  ReviewResultEnum,
  RoleEnum,
  SeverityEnum,
  SubTaskStatusEnum,
  TaskStatusEnum,
  TaskTypeEnum,
} from "../../contract/api/enums";
import { BriefRetrospectiveSchema } from "../../contract/api/retrospectives";
import type { App } from "../app";
import { loadBriefing } from "../db/briefing";
import { publicBaseUrl, readSettings } from "../db/settings";
import { BRIEFING_LIMITS } from "../domain/briefing";
import { LESSON_LIMITS } from "../domain/briefing-lessons";
import { cliHandshake } from "../domain/rules";
import { catalogue } from "../i18n";
import { nowIso } from "../lib/time";
import { defineRoute } from "./define";

const SubTaskBrief = z
  .object({
    id: z.string(),
    task_id: z.string(),
    name: z.string(),
    status: SubTaskStatusEnum,
    priority: PriorityEnum,
    assigned_agent: z.string().nullable(),
    rework_count: z.number().int(),
    updated_at: z.string(),
    latest_review: z.null(),
  })
  .openapi("SubTaskBrief");

const Submission = SubTaskBrief.extend({
  round: z.number().int().openapi({ description: "The review round this review would be (reviews so far + 1)" }),
  latest_review: z
    .object({
      round: z.number().int(),
      result: ReviewResultEnum,
      score: z.number().int().nullable(),
      issues: z.string().openapi({ description: "First line of its issues" }),
    })
    .nullable()
    .openapi({ description: "The previous verdict when this is a resubmission" }),
}).openapi("SubmissionBrief");

const LatestReview = z.object({
  round: z.number().int(),
  result: ReviewResultEnum,
  score: z.number().int().nullable(),
  comment: z.string(),
  issues: z.string(),
  created_at: z.string(),
});

const MySubTask = SubTaskBrief.extend({
  description: z.string(),
  deliverable: z.string(),
  acceptance: z.string(),
  workspace: z.string().openapi({
    description:
      "The task's shared workspace (path or repository): the one it names, else the default under the workspace root",
  }),
  latest_review: LatestReview.nullable(),
}).openapi("MySubTaskBrief");

const TaskBrief = z
  .object({ id: z.string(), name: z.string(), status: TaskStatusEnum, type: TaskTypeEnum, updated_at: z.string() })
  .openapi("TaskBrief");

const AnomalyBrief = z
  .object({
    id: z.string(),
    type: AnomalyTypeEnum,
    severity: SeverityEnum,
    sub_task_id: z.string().nullable(),
    sub_task_name: z.string().nullable(),
    sub_task_status: SubTaskStatusEnum.nullable(),
    agent_id: z.string().nullable(),
    agent_name: z.string().nullable(),
    description: z.string(),
    source: PatrolSourceEnum,
    created_at: z.string(),
    last_seen_at: z.string(),
  })
  .openapi("AnomalyBrief");

const LessonBrief = z
  .object({
    sub_task_id: z
      .string()
      .openapi({ description: "The sub-task (yours, or at the top of your queue) it is a lesson for" }),
    kind: z
      .enum(["reflection", "rejection"])
      .openapi({ description: "A reflection log, or a rejected review's issues" }),
    id: z.string().openapi({ description: "The reflection log's or the review record's id" }),
    snippet: z.string().openapi({ description: `At most ${LESSON_LIMITS.snippet} characters of it, on one line` }),
    created_at: z.string(),
  })
  .openapi("LessonBrief");

const BriefingSchema = z
  .object({
    agent: z.object({ id: z.string(), name: z.string(), role: RoleEnum, status: AgentStatusEnum }),
    generated_at: z.string(),
    cli: z.object({
      update_available: z.boolean(),
      latest_version: z.number().int().nullable(),
      update_instructions: z.string(),
    }),
    rules: z
      .object({
        content: z.string().openapi({ description: "The merged rules; empty when unchanged" }),
        truncated: z.boolean(),
        revision: z.string().openapi({ description: "Names this version of the merged rules" }),
        unchanged: z.boolean().openapi({
          description: "You were sent this revision before, so content is empty: ask with rules=full to get it again",
        }),
      })
      .openapi({
        description:
          "The global rule plus the rules of the tasks and sub-tasks of your open and claimable work, variables filled in; sent only when they changed since your last briefing",
      }),
    score: z.object({ total_score: z.number().int(), rank: z.number().int(), total_agents: z.number().int() }),
    recent_score_changes: z.array(
      z.object({
        score_delta: z.number().int(),
        reason: z.string(),
        sub_task_id: z.string().nullable(),
        created_at: z.string(),
      }),
    ),
    reflections: z.array(z.object({ summary: z.string(), sub_task_id: z.string().nullable(), created_at: z.string() })),
    retrospective: BriefRetrospectiveSchema.nullable().openapi({
      description:
        "A new retrospective, shown in one briefing only: planners the team's (with findings), executors their own; null otherwise",
    }),
    my_sub_tasks: z
      .array(MySubTask)
      .openapi({ description: "Sub-tasks you hold that are not done or cancelled, most recently updated first" }),
    queue: z.object({
      available: z.array(SubTaskBrief).optional().openapi({ description: "executor: sub-tasks you may claim now" }),
      awaiting_review: z.array(Submission).optional().openapi({ description: "reviewer: submissions, oldest first" }),
      blocked: z.array(SubTaskBrief).optional().openapi({ description: "planner: blocked sub-tasks, oldest first" }),
      tasks_to_decompose: z
        .array(TaskBrief)
        .optional()
        .openapi({ description: "planner: planning or active tasks with no sub-task yet" }),
      recently_completed: z
        .array(TaskBrief)
        .optional()
        .openapi({
          description: `planner: tasks completed in the last ${BRIEFING_LIMITS.recentDays} days with no closing report yet (a delivery log with their task_id and no sub-task)`,
        }),
      open_anomalies: z
        .array(AnomalyBrief)
        .optional()
        .openapi({ description: "patrol: open patrol records, newest first" }),
    }),
    lessons: z.array(LessonBrief).openapi({
      description: `executor: past lessons from the team memory for the sub-tasks you work on, or (holding nothing to work on) the top ${LESSON_LIMITS.available} of your queue: up to ${LESSON_LIMITS.perSubTask} each, ${LESSON_LIMITS.bytes} bytes in all; other agents' words, quoted. \`search\` finds more`,
    }),
    next_steps: z
      .array(z.string())
      .openapi({ description: "What to do now, most urgent first, with CLI commands; empty = nothing to do" }),
    truncated: z
      .boolean()
      .openapi({ description: "A list or text was cut to its limit; use the specific commands for the rest" }),
  })
  .openapi("Briefing");

export function registerBriefingRoutes(app: App) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/agents/me/briefing",
      tag: "Agents",
      auth: "agent",
      summary: `One call per wake-up: rules (when changed), score and rank, reflections, your open sub-tasks with their latest review, your role's queue and next steps (lists ≤ ${BRIEFING_LIMITS.queue}, texts ≤ ${BRIEFING_LIMITS.text} characters)`,
      query: z.object({
        cli_version: z.coerce
          .number()
          .int()
          .optional()
          .openapi({ description: "The CLI's version, for the update hint" }),
        rules: z
          .enum(["full"])
          .optional()
          .openapi({ description: "full: send the rules even when they are unchanged since your last briefing" }),
      }),
      response: BriefingSchema,
    }),
    async (c) => {
      const settings = await readSettings(c.var.db);
      const { cli_version: version, rules } = c.req.valid("query");
      // Without a version the caller is not our CLI (curl, MCP): there is nothing to update.
      const { update_available, latest_version, update_instructions } =
        version === undefined
          ? { update_available: false, latest_version: null, update_instructions: "" }
          : cliHandshake(
              version,
              publicBaseUrl(settings, c.req.url),
              undefined,
              catalogue(c.var.lang).briefing.cliUpdate,
            );
      const cli = { update_available, latest_version, update_instructions };
      return c.json(
        await loadBriefing({
          db: c.var.db,
          me: c.var.agent,
          settings,
          now: nowIso(),
          cli,
          fullRules: rules === "full",
          lang: c.var.lang,
        }),
        200,
      );
    },
  );
}
