// Shapes of the retrospective routes (worker/routes/retrospectives.ts), shared with the dashboard and the
// CLI. The body's own shape (what a period's reviews, reflections and anomalies say) is
// contract/api/retrospective-body.ts.
import { z } from "@hono/zod-openapi";
import { RETRO_PERIOD_KINDS, RETRO_SCOPES } from "../vocabulary";
import { RuleSchema } from "./records";
import { RETRO_PATTERN_KINDS, RetroCountsSchema, RetrospectiveBodySchema } from "./retrospective-body";

const RetroPeriodKindEnum = z.enum(RETRO_PERIOD_KINDS);
const RetroScopeEnum = z.enum(RETRO_SCOPES);

const summaryFields = {
  id: z.string(),
  period_key: z.string().openapi({ description: "day:YYYY-MM-DD or week:YYYY-Www, local to time_zone" }),
  period_kind: RetroPeriodKindEnum,
  period_start: z.string().openapi({ description: "UTC, inclusive" }),
  period_end: z.string().openapi({ description: "UTC, exclusive" }),
  time_zone: z.string(),
  scope: RetroScopeEnum,
  agent_id: z.string().nullable().openapi({ description: "The agent of an agent row; null for the team" }),
  trigger: z.enum(["cron", "manual"]),
  partial: z.boolean().openapi({ description: "Made before the period ended; the scheduled run replaces it" }),
  language: z.string().openapi({ description: "The language of text (the project's at generation)" }),
  generated_at: z.string(),
  generated_by: z.string().nullable().openapi({ description: "null (cron), admin, or the planner's agent id" }),
};

/** A listed retrospective: what it covers and its totals, without the text and the body. */
export const RetrospectiveSummarySchema = z
  .object({
    ...summaryFields,
    counts: RetroCountsSchema.nullable(),
    repeated: z
      .number()
      .int()
      .openapi({ description: "Repeated problems also seen in an earlier period (patterns with again)" }),
  })
  .openapi("RetrospectiveSummary");
export type RetrospectiveSummary = z.infer<typeof RetrospectiveSummarySchema>;

export const RetrospectiveSchema = z
  .object({
    ...summaryFields,
    text: z.string().openapi({ description: "Rendered once, in language" }),
    body: RetrospectiveBodySchema,
  })
  .openapi("Retrospective");
export type Retrospective = z.infer<typeof RetrospectiveSchema>;

/** What POST /api/retrospectives takes (the route validates it; worker/routes/retrospectives.ts). */
export interface RunRetrospective {
  period: "daily" | "weekly";
  /** YYYY-MM-DD, a day inside the period in retro.time_zone; default: the latest finished period. */
  date?: string;
}

/** What POST /api/retrospectives/{id}/findings/{finding_id}/rule takes. */
export interface FindingRuleRequest {
  /** Default: the task the pattern was seen most on. */
  task_id?: string;
  /** Default: the suggested text in the project language. */
  content?: string;
}

export const FindingRuleResultSchema = z
  .object({ rule: RuleSchema, retrospective_id: z.string(), finding_id: z.string() })
  .openapi("FindingRule");
export type FindingRuleResult = z.infer<typeof FindingRuleResultSchema>;

/** A finding as a planner's briefing lists it: the repeated problem, ready for `retro rule`. */
export const BriefFindingSchema = z.object({
  id: z.string(),
  kind: z.enum(RETRO_PATTERN_KINDS),
  sample: z.string(),
  count: z.number().int(),
  again: z.boolean().openapi({ description: "Seen in an earlier period too" }),
  rule_id: z.string().nullable().openapi({ description: "The rule made from it; null while none" }),
});

/** The retrospective a briefing carries, once: the team's to planners, an executor's own to it. */
export const BriefRetrospectiveSchema = z
  .object({
    id: z.string(),
    scope: RetroScopeEnum,
    period_key: z.string(),
    period_kind: RetroPeriodKindEnum,
    from: z.string(),
    to: z.string(),
    text: z.string(),
    counts: RetroCountsSchema.nullable(),
    findings: z.array(BriefFindingSchema).optional().openapi({ description: "planner: the repeated problems" }),
  })
  .openapi("RetrospectiveBrief");
export type BriefRetrospective = z.infer<typeof BriefRetrospectiveSchema>;
