// Response shapes of the admin settings (GET/PUT /api/admin/config, the channel test). The view is
// nested by section like upstream's admin API; the password and webhook secrets come back masked.
import { z } from "@hono/zod-openapi";
import { LANGUAGES } from "../languages.js";
import { RETRO_SCHEDULES } from "../vocabulary.js";
import { RoleEnum } from "./enums.js";

const int = z.number().int();

export const WEBHOOK_TYPES = ["feishu", "slack", "webhook"] as const;
export type WebhookType = (typeof WEBHOOK_TYPES)[number];

/** A delivery channel as the view shows it: `secret` is "***" when one is stored, else "". */
export const WebhookViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(WEBHOOK_TYPES),
  url: z.string(),
  secret: z.string(),
  events: z.array(z.string()).openapi({ description: "empty = the global notification.events" }),
  enabled: z.boolean(),
});
export type WebhookView = z.infer<typeof WebhookViewSchema>;

export const PatrolThresholdsSchema = z.object({
  timeout_warning_minutes: int,
  timeout_critical_minutes: int,
  stuck_minutes: int,
  orphan_minutes: int,
  rework_overflow_count: int,
  score_drop_streak: int,
});
export type PatrolThresholds = z.infer<typeof PatrolThresholdsSchema>;

export const AdminConfigSchema = z
  .object({
    project: z.object({
      name: z.string(),
      language: z.enum(LANGUAGES).openapi({
        description:
          "what the server hands agents; changing it never rewrites stored texts (see /api/admin/shipped-texts)",
      }),
    }),
    admin: z.object({ password: z.string().openapi({ description: "always ***" }) }),
    agent: z.object({
      registration_token: z.string(),
      allow_registration: z.boolean(),
      registration_roles: z.array(RoleEnum),
      registrations_per_hour: int,
      enrollment_ttl_days: int,
      rate_limit_per_minute: int,
      rate_limit_burst: int,
    }),
    score: z.object({ adjust_max_per_call: int, adjust_max_per_day: int }),
    notification: z.object({
      enabled: z.boolean(),
      channels: z.array(z.string()),
      events: z.array(z.string()),
      webhooks: z.array(WebhookViewSchema),
      retention_days: int,
    }),
    webui: z.object({
      public_feed: z.boolean(),
      feed_retention_days: int,
      auto_update: z.boolean().openapi({ description: "always false: the dashboard ships with each deploy" }),
      github_repo: z.string().nullable().openapi({ description: "always null: no release is fetched from GitHub" }),
    }),
    workspace: z.object({ root: z.string() }),
    server: z.object({
      external_url: z.string(),
      host: z.string().openapi({ description: "the host name this request reached (read-only)" }),
      port: int.openapi({ description: "the port this request reached, 443/80 when the URL names none (read-only)" }),
    }),
    database: z
      .object({ type: z.literal("d1"), binding: z.string() })
      .openapi({ description: "Cloudflare D1 through the Worker binding named here; there is no file path" }),
    patrol: PatrolThresholdsSchema,
    retro: z.object({
      schedule: z
        .enum(RETRO_SCHEDULES)
        .openapi({ description: "when the cron writes retrospectives; off: on demand only" }),
      time_zone: z.string().openapi({ description: "IANA zone whose days and ISO weeks are the periods" }),
      retention_days: int,
    }),
    files: z
      .object({
        max_file_bytes: int.openapi({ description: "the largest one file may be, in bytes (1 KiB…100 MiB)" }),
        max_files_per_version: int.openapi({ description: "files one version of one sub-task may hold (1…200)" }),
        max_total_bytes: int.openapi({ description: "bytes all files together may hold (1 MiB…1 TiB)" }),
      })
      .openapi({ description: "limits of deliverable files (docs/files.md)" }),
  })
  .openapi("AdminConfig");
export type AdminConfig = z.infer<typeof AdminConfigSchema>;

export const ConfigUpdatedSchema = z.object({ message: z.string(), updated_keys: z.array(z.string()) });
export type ConfigUpdated = z.infer<typeof ConfigUpdatedSchema>;

export const ChannelTestResultSchema = z.object({
  ok: z.boolean(),
  status: z.number().int().nullable(),
  error: z.string().nullable(),
});
export type ChannelTestResult = z.infer<typeof ChannelTestResultSchema>;
