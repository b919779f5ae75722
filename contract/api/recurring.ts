// A recurring task's schedule (docs/recurring.md): the `recurring_config` JSON (when rounds fall due,
// the template each round is made from, the policies) and the TaskSchedule answer of
// GET/PUT /api/tasks/{task_id}/schedule.
//
// The request schemas are built by `recurringRequestSchemas`, given the Worker's text fields (they
// refuse control characters and bidi overrides with their own codes): contract/ stays free of Worker
// code, since the dashboard and the CLI read its types. The response schemas are plain.
import { z } from "@hono/zod-openapi";
import { PRIORITIES, SCHEDULE_END_REASONS, SCHEDULE_STATUSES } from "../vocabulary.js";

const int = z.number().int();

/** Template keys: short, lowercase, usable in file names ("collect", "translate-zh"). */
export const TEMPLATE_KEY = /^[a-z0-9][a-z0-9_-]{0,31}$/;
export const MAX_TEMPLATE_MODULES = 10;
export const MAX_TEMPLATE_SUB_TASKS = 20;
/** At most this many rounds may be open at once under `stack` (and the default). */
export const MAX_OPEN_ROUNDS = 10;
export const DEFAULT_MAX_OPEN_ROUNDS = 3;
/** `every N unit`: N up to 1000 (about 2.7 years in days). */
export const MAX_EVERY = 1000;
const SCHEDULE_UNITS = ["minutes", "hours", "days"] as const;
const WHEN_UNFINISHED = ["skip", "stack"] as const;

const keyDoc = { description: "Lowercase letters, digits, - and _; up to 32 characters; unique in the template" };

// --- response shapes (what the server stores and returns) -----------------------------------------

const CronScheduleSchema = z.object({
  kind: z.literal("cron"),
  expr: z.string().openapi({ description: "A 5-field cron expression (minute hour day month weekday)" }),
  tz: z.string().openapi({ description: "IANA time zone the expression is read in, e.g. Asia/Shanghai" }),
});
const EveryScheduleSchema = z.object({
  kind: z.literal("every"),
  every: int,
  unit: z.enum(SCHEDULE_UNITS),
  tz: z.string(),
  start_at: z.string().optional().openapi({
    description:
      "The anchor: minutes/hours count from it; days keep its local time in tz. Filled with the time the schedule was set when absent",
  }),
});

export const RecurringScheduleSchema = z
  .discriminatedUnion("kind", [CronScheduleSchema, EveryScheduleSchema])
  .openapi("RecurringSchedule");
export type RecurringSchedule = z.infer<typeof RecurringScheduleSchema>;

export const RecurringPolicySchema = z
  .object({
    when_unfinished: z.enum(WHEN_UNFINISHED),
    max_open_rounds: int,
    ends_at: z.string().nullable(),
    max_rounds: int.nullable(),
  })
  .openapi("RecurringPolicy");
export type RecurringPolicy = z.infer<typeof RecurringPolicySchema>;

const TemplateModuleSchema = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string(),
  module_id: z.string().optional().openapi({ description: "The task's module with this name (server-filled)" }),
});
const TemplateSubTaskSchema = z.object({
  key: z.string(),
  module: z.string().nullable(),
  name: z.string(),
  description: z.string(),
  deliverable: z.string(),
  acceptance: z.string(),
  priority: z.enum(PRIORITIES),
  assigned_agent: z.string().nullable(),
  depends_on: z.array(z.string()),
});
export const RoundTemplateSchema = z
  .object({ modules: z.array(TemplateModuleSchema), sub_tasks: z.array(TemplateSubTaskSchema) })
  .openapi("RoundTemplate");
export type RoundTemplate = z.infer<typeof RoundTemplateSchema>;
export type TemplateSubTask = z.infer<typeof TemplateSubTaskSchema>;

export const RecurringConfigSchema = z
  .object({
    version: z.literal(1),
    schedule: RecurringScheduleSchema,
    template: RoundTemplateSchema,
    policy: RecurringPolicySchema,
  })
  .openapi("RecurringConfig");
export type RecurringConfig = z.infer<typeof RecurringConfigSchema>;

export const TaskScheduleSchema = z
  .object({
    task_id: z.string(),
    status: z.enum(SCHEDULE_STATUSES),
    recurring_config: RecurringConfigSchema,
    next_run_at: z.string().nullable().openapi({ description: "The next slot (UTC); null unless active" }),
    rounds_created: int,
    open_rounds: int,
    last_round_at: z.string().nullable(),
    ended_reason: z.enum(SCHEDULE_END_REASONS).nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("TaskSchedule");
export type TaskSchedule = z.infer<typeof TaskScheduleSchema>;

/** The marker a round's sub-task carries in `recurring_config` (paginated sub-task lists). */
export interface RoundMarker {
  round_id: string;
  round_no: number;
  round_key: string;
  /** The template sub-task it was made from. */
  key: string;
}

// --- request shapes --------------------------------------------------------------------------------

/**
 * The Worker's text fields: `name` one visible line, `text` free text, `iso` an ISO date-time, `id` an
 * id, `line(max)` one visible line up to max (cron expressions, zones). Each refuses control and
 * invisible characters by name, so a hostile character in any field is reported as such.
 */
export interface TextFields {
  name: z.ZodType<string, string>;
  text: z.ZodType<string, string>;
  iso: z.ZodType<string, string>;
  id: z.ZodType<string, string>;
  line: (max: number) => z.ZodType<string, string>;
}

/**
 * A field the schedule's kind requires or forbids. `said` is a message of the Worker's catalogue
 * (messages/recurring.ts), rendered in the reader's language (worker/lib/invalid-input.ts).
 */
const kindIssue = (field: string, key: "scheduleFieldRequired" | "scheduleFieldUnused", kind: string) => ({
  code: "custom" as const,
  path: [field],
  message: key === "scheduleFieldRequired" ? `required for kind "${kind}"` : `not used by kind "${kind}"`,
  params: { said: { key, params: { kind } } },
});

/**
 * The PUT body schemas. Bounds: names and texts as for sub-task creation; template keys, counts and
 * dependency lists as above. Cross-field rules (keys unique, dependencies known and acyclic, the
 * schedule has a next run) need the whole template or the clock; the Worker checks them after parsing.
 */
export function recurringRequestSchemas(fields: TextFields) {
  const key = z.string().regex(TEMPLATE_KEY).openapi(keyDoc);
  // One object with `kind` rather than a discriminated union: every field is then checked even when
  // `kind` is missing or wrong, so a refusal names the field at fault (a hostile character in `expr`
  // included) instead of "invalid discriminator". The kind's own fields are required below.
  const schedule = z
    .object({
      kind: z.enum(["cron", "every"]),
      expr: fields.line(100).optional().openapi({ description: 'kind "cron": a 5-field cron expression' }),
      every: int.min(1).max(MAX_EVERY).optional().openapi({ description: 'kind "every": the step' }),
      unit: z.enum(SCHEDULE_UNITS).optional().openapi({ description: 'kind "every": its unit' }),
      tz: fields.line(64).openapi({ description: "IANA time zone, e.g. Europe/Berlin" }),
      start_at: fields.iso.optional().openapi({
        description: 'kind "every": the anchor (minutes/hours count from it; days keep its local time)',
      }),
    })
    .superRefine((s, ctx) => {
      const needed = s.kind === "cron" ? (["expr"] as const) : (["every", "unit"] as const);
      for (const field of needed)
        if (s[field] === undefined) ctx.addIssue(kindIssue(field, "scheduleFieldRequired", s.kind));
      const foreign = s.kind === "cron" ? (["every", "unit", "start_at"] as const) : (["expr"] as const);
      for (const field of foreign)
        if (s[field] !== undefined) ctx.addIssue(kindIssue(field, "scheduleFieldUnused", s.kind));
    })
    .transform(
      (s): RecurringSchedule =>
        s.kind === "cron"
          ? { kind: "cron", expr: s.expr!, tz: s.tz }
          : {
              kind: "every",
              every: s.every!,
              unit: s.unit!,
              tz: s.tz,
              ...(s.start_at ? { start_at: s.start_at } : {}),
            },
    )
    .openapi("RecurringScheduleInput");
  const policy = z
    .object({
      when_unfinished: z.enum(WHEN_UNFINISHED).default("skip"),
      max_open_rounds: int.min(1).max(MAX_OPEN_ROUNDS).default(DEFAULT_MAX_OPEN_ROUNDS),
      ends_at: fields.iso.nullable().default(null),
      max_rounds: int.min(1).max(1_000_000).nullable().default(null),
    })
    .openapi("RecurringPolicyInput");
  const template = z
    .object({
      modules: z
        .array(z.object({ key, name: fields.name, description: fields.text.default("") }))
        .max(MAX_TEMPLATE_MODULES)
        .default([]),
      sub_tasks: z
        .array(
          z.object({
            key,
            module: key.nullable().default(null),
            name: fields.name.openapi({
              description: "May use {round} (the round number) and {date} (the slot's local date)",
            }),
            description: fields.text.default(""),
            deliverable: fields.text.default(""),
            acceptance: fields.text.default(""),
            priority: z.enum(PRIORITIES).default("medium"),
            assigned_agent: fields.id.nullable().default(null),
            depends_on: z.array(key).max(MAX_TEMPLATE_SUB_TASKS).default([]),
          }),
        )
        .min(1)
        .max(MAX_TEMPLATE_SUB_TASKS),
    })
    .openapi("RoundTemplateInput");
  // One object rather than a union of "a whole config" and "from_sub_tasks": a refusal then names
  // the field at fault instead of "no union member matched". The Worker requires exactly one of
  // `template` and `from_sub_tasks: true`.
  const body = z
    .object({
      version: z.literal(1).default(1),
      schedule,
      template: template.optional(),
      policy: policy.prefault({}),
      from_sub_tasks: z.literal(true).optional().openapi({
        description: "Instead of template: take the task's current modules, sub-tasks and dependencies",
      }),
    })
    .openapi("SetScheduleBody");
  return { body };
}
export type RecurringRequestSchemas = ReturnType<typeof recurringRequestSchemas>;
export type SetScheduleBody = z.output<RecurringRequestSchemas["body"]>;
export type RoundTemplateInput = NonNullable<SetScheduleBody["template"]>;
