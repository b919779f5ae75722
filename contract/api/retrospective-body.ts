// The body of a retrospective (retrospective.body): language-neutral facts about one period, for the
// team or one agent. It holds no sentences of ours: user texts are quoted and clipped, and each reader
// (dashboard, briefing, CLI) renders labels in its own language. docs/retrospectives.md explains it.
import { z } from "@hono/zod-openapi";
import { ANOMALY_TYPES, RETRO_PERIOD_KINDS, SEVERITIES } from "../vocabulary.js";

/** How many items of each list a body keeps; the rest are counted in `counts` and flagged `truncated`. */
export const RETRO_CAPS = {
  team: { rejections: 50, reflections: 50, rework: 20, longest: 10, patterns: 20, movers: 5 },
  agent: { rejections: 20, reflections: 10, rework: 1, longest: 3, patterns: 10, movers: 1 },
} as const;
/** Longest quoted issue item, reflection summary and pattern sample, in characters. */
export const RETRO_CLIP = { issue: 200, summary: 300, sample: 120, name: 200 } as const;
/** Pattern keys a team body keeps for the next periods' "again" check (the most frequent first). */
export const RETRO_MAX_KEYS = 500;

const int = z.number().int();
const id = z.string();

export const RetroPeriodSchema = z.object({
  kind: z.enum(RETRO_PERIOD_KINDS),
  key: z.string().openapi({ example: "day:2026-12-04" }),
  from: z.string().openapi({ description: "UTC ISO, inclusive" }),
  to: z.string().openapi({ description: "UTC ISO, exclusive" }),
  time_zone: z.string(),
});
export type RetroPeriod = z.infer<typeof RetroPeriodSchema>;

export const RetroCountsSchema = z.object({
  sub_tasks_done: int,
  reviews: int,
  rejections: int.openapi({ description: "rejected reviews and /rework calls in the period" }),
  reworked_sub_tasks: int,
  reflections: int,
  retro_logs: int,
  anomalies: int,
  score_net: int,
});
export type RetroCounts = z.infer<typeof RetroCountsSchema>;

export const RetroRejectionSchema = z.object({
  review_id: id,
  sub_task_id: id,
  sub_task_name: z.string(),
  task_id: id,
  round: int,
  score: int.nullable().openapi({ description: "null for a /rework" }),
  executor_agent: id.nullable(),
  reviewer_agent: id,
  issue: z.string().openapi({ description: "the first issue item, clipped" }),
  issue_keys: z.array(z.string()),
  created_at: z.string(),
});

export const RetroReflectionSchema = z.object({
  log_id: id,
  agent_id: id,
  action: z.enum(["reflection", "retro"]),
  sub_task_id: id.nullable(),
  summary: z.string(),
  created_at: z.string(),
});

export const RetroReworkSchema = z.object({ agent_id: id.nullable(), rejections: int, sub_tasks: int });

export const RetroAnomalySchema = z.object({
  type: z.enum(ANOMALY_TYPES),
  severity: z.enum(SEVERITIES),
  count: int,
  agents: z.array(id),
});

export const RetroMoverSchema = z.object({ agent_id: id, net: int, lost: int, entries: int });

export const RetroLongestSchema = z.object({
  sub_task_id: id,
  name: z.string(),
  task_id: id,
  agent_id: id.nullable(),
  lead_seconds: int,
  work_seconds: int.nullable(),
  rework_count: int,
});

export const RETRO_PATTERN_KINDS = ["issue", "sub_task_type"] as const;
export type RetroPatternKind = (typeof RETRO_PATTERN_KINDS)[number];

export const RetroPatternSchema = z.object({
  kind: z.enum(RETRO_PATTERN_KINDS),
  key: z.string(),
  sample: z.string(),
  count: int.openapi({ description: "rejections in the period that carry the key" }),
  again: z.boolean().openapi({ description: "the key was also rejected in a recent earlier period" }),
  previous_periods: z.array(z.string()),
  sub_tasks: z.array(id),
  agents: z.array(id),
  top_task_id: id,
});
export type RetroPattern = z.infer<typeof RetroPatternSchema>;

export const RetroFindingSchema = z.object({
  id: z.string().openapi({ example: "f1" }),
  pattern: int.openapi({ description: "index into patterns" }),
  kind: z.enum(RETRO_PATTERN_KINDS),
  rule_id: id.nullable().openapi({ description: "the task rule made from it, once" }),
});

export const RetroKeysSchema = z.object({
  issue: z.record(z.string(), int),
  type: z.record(z.string(), int),
});
export type RetroKeys = z.infer<typeof RetroKeysSchema>;

export const RetrospectiveBodySchema = z
  .object({
    version: z.literal(1),
    period: RetroPeriodSchema,
    counts: RetroCountsSchema,
    rejections: z.array(RetroRejectionSchema),
    reflections: z.array(RetroReflectionSchema),
    rework: z.array(RetroReworkSchema),
    anomalies: z.array(RetroAnomalySchema),
    score_movers: z.object({ up: z.array(RetroMoverSchema), down: z.array(RetroMoverSchema) }),
    longest: z.array(RetroLongestSchema),
    patterns: z.array(RetroPatternSchema),
    findings: z.array(RetroFindingSchema),
    keys: RetroKeysSchema.openapi({ description: "pattern key → count; team rows only (empty for agents)" }),
    truncated: z.boolean().openapi({ description: "some list was cut at its cap" }),
  })
  .openapi("RetrospectiveBody");
export type RetrospectiveBody = z.infer<typeof RetrospectiveBodySchema>;
export type RetroRejection = z.infer<typeof RetroRejectionSchema>;
export type RetroReflection = z.infer<typeof RetroReflectionSchema>;
export type RetroLongest = z.infer<typeof RetroLongestSchema>;
export type RetroMover = z.infer<typeof RetroMoverSchema>;
export type RetroAnomaly = z.infer<typeof RetroAnomalySchema>;
export type RetroRework = z.infer<typeof RetroReworkSchema>;
