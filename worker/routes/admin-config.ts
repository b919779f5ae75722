import { z } from "@hono/zod-openapi";
import {
  type AdminConfig,
  AdminConfigSchema,
  ChannelTestResultSchema,
  ConfigUpdatedSchema,
  WEBHOOK_TYPES,
} from "../../contract/api/config";
import { LANGUAGES } from "../../contract/languages";
import { NOTIFICATION_EVENTS } from "../../contract/notification-events";
import { RETRO_SCHEDULES, ROLES } from "../../contract/vocabulary";
import type { App } from "../app";
import { auditStatement } from "../db/audit";
import { atomicWrite } from "../db/client";
import { type NotificationChannel, readSettings, type Settings, settingWrites } from "../db/settings";
import { text as say } from "../i18n";
import { adoptProjectLanguage } from "../i18n/request-language";
import { badRequest, notFound } from "../lib/errors";
import { nowIso } from "../lib/time";
import { isIanaZone } from "../lib/zoned-time";
import { sendToChannel } from "../notify/dispatch";
import { defineRoute, externalUrl, line, name, text } from "./define";

/** Secrets are never sent back; a PUT that echoes this keeps the stored value. */
const MASK = "***";
const minutes = z.number().int().min(1).max(100_000);
const KIB = 1024;
const MIB = 1024 * KIB;
/** Workers take request bodies up to 100 MB on the Free and Pro plans: a larger file limit could never be reached. */
const MAX_FILE_BYTES_CEILING = 100 * MIB;
const TIB = 1024 * 1024 * MIB;

/** The Worker's D1 binding (wrangler.toml `[[d1_databases]] binding`, Env.DB). */
const DATABASE_BINDING = "DB";

/**
 * A key the GET shows because upstream's config had it, but that a Worker's deployment fixes. A PUT
 * naming it is refused by name (400 setting_read_only): dropped silently, the admin would believe it
 * changed. Upstream's own settings page never sends these keys.
 */
const fixedByDeployment = (why: string) =>
  z
    .unknown()
    .superRefine((_value, ctx) => {
      ctx.addIssue({ code: "custom", message: why, params: { code: "setting_read_only" } });
    })
    .optional()
    .openapi({ description: `read-only: ${why}` });
const DASHBOARD_SHIPS = "the dashboard ships with each deploy (npm run deploy); nothing updates it at run time";
const ANSWERS_WHERE_DEPLOYED = "the Worker answers wherever it is deployed; set server.external_url instead";

const WebhookSchema = z.object({
  id: text(64).optional(),
  name: line(100),
  type: z.enum(WEBHOOK_TYPES),
  url: z.url({ protocol: /^https?$/ }).max(2000),
  secret: text(500).default(""),
  events: z.array(z.enum(NOTIFICATION_EVENTS)).max(NOTIFICATION_EVENTS.length).default([]),
  enabled: z.boolean().default(true),
});

const ConfigUpdate = z.object({
  project: z
    .object({ name, language: z.enum(LANGUAGES) })
    .partial()
    .optional(),
  agent: z
    .object({
      registration_token: line(200).min(8),
      allow_registration: z.boolean(),
      registration_roles: z
        .array(z.enum(ROLES))
        .max(ROLES.length)
        .transform((roles) => [...new Set(roles)]),
      registrations_per_hour: z.number().int().min(1).max(10_000),
      enrollment_ttl_days: z.number().int().min(1).max(365),
      rate_limit_per_minute: z.number().int().min(1).max(1_000_000),
      rate_limit_burst: z.number().int().min(1).max(1_000_000),
    })
    .partial()
    .optional(),
  score: z
    .object({
      adjust_max_per_call: z.number().int().min(1).max(1000),
      adjust_max_per_day: z.number().int().min(1).max(1_000_000),
    })
    .partial()
    .optional(),
  notification: z
    .object({
      enabled: z.boolean(),
      channels: z.array(text(500)).max(50),
      events: z.array(text(100)).max(50),
      webhooks: z.array(WebhookSchema).max(20),
      retention_days: z.number().int().min(1).max(365),
    })
    .partial()
    .optional(),
  webui: z
    .object({
      public_feed: z.boolean(),
      feed_retention_days: z.number().int().min(1).max(365),
      auto_update: fixedByDeployment(DASHBOARD_SHIPS),
      github_repo: fixedByDeployment(DASHBOARD_SHIPS),
    })
    .partial()
    .optional(),
  workspace: z
    .object({ root: line(1000) })
    .partial()
    .optional(),
  server: z
    .object({
      external_url: externalUrl,
      host: fixedByDeployment(ANSWERS_WHERE_DEPLOYED),
      port: fixedByDeployment(ANSWERS_WHERE_DEPLOYED),
    })
    .partial()
    .strict()
    .optional(),
  database: fixedByDeployment(`the D1 database is the Worker's binding ${DATABASE_BINDING} (wrangler.toml)`),
  patrol: z
    .object({
      timeout_warning_minutes: minutes,
      timeout_critical_minutes: minutes,
      stuck_minutes: minutes,
      orphan_minutes: minutes,
      rework_overflow_count: z.number().int().min(1).max(1000),
      score_drop_streak: z.number().int().min(1).max(100),
    })
    .partial()
    .optional(),
  retro: z
    .object({
      schedule: z.enum(RETRO_SCHEDULES),
      // Checked against Intl in the handler (400 invalid_input naming the zone).
      time_zone: line(64),
      retention_days: z.number().int().min(1).max(3650),
    })
    .partial()
    .optional(),
  files: z
    .object({
      max_file_bytes: z.number().int().min(KIB).max(MAX_FILE_BYTES_CEILING),
      max_files_per_version: z.number().int().min(1).max(200),
      max_total_bytes: z.number().int().min(MIB).max(TIB),
    })
    .partial()
    .optional(),
});

/**
 * The nested view upstream's admin API used, with every secret masked. The keys upstream's config
 * file had for its own process get the true value for a Worker: the host and port this request
 * reached (what upstream built its fallback URL from), no dashboard auto-update, D1 instead of a
 * SQLite path.
 */
function configView(s: Settings, requestUrl: string): AdminConfig {
  const url = new URL(requestUrl);
  return {
    project: { name: s["project.name"], language: s["project.language"] },
    admin: { password: MASK },
    agent: {
      registration_token: s["agent.registration_token"],
      allow_registration: s["agent.allow_registration"],
      registration_roles: s["agent.registration_roles"],
      registrations_per_hour: s["agent.registrations_per_hour"],
      enrollment_ttl_days: s["agent.enrollment_ttl_days"],
      rate_limit_per_minute: s["agent.rate_limit_per_minute"],
      rate_limit_burst: s["agent.rate_limit_burst"],
    },
    score: { adjust_max_per_call: s["score.adjust_max_per_call"], adjust_max_per_day: s["score.adjust_max_per_day"] },
    notification: {
      ...s.notification,
      webhooks: s["notification.webhooks"].map((w) => ({ ...w, secret: w.secret ? MASK : "" })),
      retention_days: s["notification.retention_days"],
    },
    webui: {
      public_feed: s["webui.public_feed"],
      feed_retention_days: s["webui.feed_retention_days"],
      auto_update: false,
      github_repo: null,
    },
    workspace: { root: s["workspace.root"] },
    server: {
      external_url: s["server.external_url"],
      host: url.hostname,
      port: url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80,
    },
    database: { type: "d1", binding: DATABASE_BINDING },
    patrol: {
      timeout_warning_minutes: s["patrol.timeout_warning_minutes"],
      timeout_critical_minutes: s["patrol.timeout_critical_minutes"],
      stuck_minutes: s["patrol.stuck_minutes"],
      orphan_minutes: s["patrol.orphan_minutes"],
      rework_overflow_count: s["patrol.rework_overflow_count"],
      score_drop_streak: s["patrol.score_drop_streak"],
    },
    retro: {
      schedule: s["retro.schedule"],
      time_zone: s["retro.time_zone"],
      retention_days: s["retro.retention_days"],
    },
    files: {
      max_file_bytes: s["files.max_file_bytes"],
      max_files_per_version: s["files.max_files_per_version"],
      max_total_bytes: s["files.max_total_bytes"],
    },
  };
}

/** Section fields → setting keys, merged onto the current values (upstream merged each section shallowly). */
function changedSettings(body: z.infer<typeof ConfigUpdate>, current: Settings): Partial<Settings> {
  const out: Partial<Settings> = {};
  const { project, agent, score, notification, webui, workspace, server, patrol, retro, files } = body;
  if (project?.name !== undefined) out["project.name"] = project.name;
  // Only the setting: the stored rule, templates and examples keep their text until an admin switches them.
  if (project?.language !== undefined) out["project.language"] = project.language;
  for (const [key, value] of Object.entries(agent ?? {}))
    if (value !== undefined) Object.assign(out, { [`agent.${key}`]: value });
  for (const [key, value] of Object.entries(score ?? {}))
    if (value !== undefined) Object.assign(out, { [`score.${key}`]: value });
  if (notification) {
    const { webhooks, retention_days, ...agentFacing } = notification;
    if (Object.keys(agentFacing).length > 0) out.notification = { ...current.notification, ...agentFacing };
    if (webhooks) out["notification.webhooks"] = webhooks.map((w) => withSecret(w, current["notification.webhooks"]));
    if (retention_days !== undefined) out["notification.retention_days"] = retention_days;
  }
  if (webui?.public_feed !== undefined) out["webui.public_feed"] = webui.public_feed;
  if (webui?.feed_retention_days !== undefined) out["webui.feed_retention_days"] = webui.feed_retention_days;
  if (workspace?.root !== undefined) out["workspace.root"] = workspace.root;
  if (server?.external_url !== undefined) out["server.external_url"] = server.external_url.replace(/\/+$/, "");
  for (const [key, value] of Object.entries(patrol ?? {})) out[`patrol.${key}` as "patrol.stuck_minutes"] = value;
  if (retro?.schedule !== undefined) out["retro.schedule"] = retro.schedule;
  if (retro?.time_zone !== undefined) out["retro.time_zone"] = retro.time_zone;
  if (retro?.retention_days !== undefined) out["retro.retention_days"] = retro.retention_days;
  // Lowering a limit never touches stored files: it applies to the next upload.
  for (const [key, value] of Object.entries(files ?? {}))
    if (value !== undefined) out[`files.${key}` as "files.max_file_bytes"] = value;
  return out;
}

function withSecret(w: z.infer<typeof WebhookSchema>, stored: NotificationChannel[]): NotificationChannel {
  const id = w.id ?? crypto.randomUUID();
  const secret = w.secret === MASK ? (stored.find((s) => s.id === id)?.secret ?? "") : w.secret;
  return { ...w, id, secret };
}

export function registerAdminConfigRoutes(app: App) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/config",
      tag: "Admin settings",
      auth: "admin",
      summary: "All settings by section (password and webhook secrets masked)",
      response: AdminConfigSchema,
    }),
    async (c) => {
      const settings = await readSettings(c.var.db);
      adoptProjectLanguage(c, settings["project.language"]);
      return c.json(configView(settings, c.req.url), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "put",
      path: "/api/admin/config",
      tag: "Admin settings",
      auth: "admin",
      summary: "Update settings; each given section is merged into the current one",
      body: ConfigUpdate,
      response: ConfigUpdatedSchema,
    }),
    async (c) => {
      const db = c.var.db;
      const current = await readSettings(db);
      adoptProjectLanguage(c, current["project.language"]);
      const changes = changedSettings(c.req.valid("json"), current);
      const keys = Object.keys(changes);
      if (keys.length === 0) throw badRequest("nothing_to_update", say("nothingToUpdate"));
      const merged = { ...current, ...changes };
      if (merged["patrol.timeout_critical_minutes"] <= merged["patrol.timeout_warning_minutes"]) {
        throw badRequest("invalid_thresholds", say("invalidThresholds"));
      }
      // A zone Intl does not know would stop every retrospective; "+02:00" would freeze DST.
      if (changes["retro.time_zone"] !== undefined && !isIanaZone(changes["retro.time_zone"])) {
        throw badRequest("invalid_input", say("scheduleBadZone", { tz: changes["retro.time_zone"] }));
      }
      const now = nowIso();
      // The audit row names the keys changed, never their values (tokens and webhook secrets live there).
      const audit = auditStatement(
        c,
        { action: "settings.update", targetType: "settings", targetId: null, detail: { keys } },
        now,
      );
      await atomicWrite(db, [...settingWrites(changes, now), audit]);
      return c.json({ message: "settings updated", updated_keys: keys }, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/admin/notifications/test",
      tag: "Admin settings",
      auth: "admin",
      summary: "Send a test message to one notification channel now and report how it went",
      body: z.object({ channel_id: text(64).min(1) }),
      response: ChannelTestResultSchema,
    }),
    async (c) => {
      const db = c.var.db;
      const settings = await readSettings(db);
      const channelId = c.req.valid("json").channel_id;
      const channel = settings["notification.webhooks"].find((w) => w.id === channelId);
      if (!channel) throw notFound("channel_not_found", say("channelNotFound"));
      const now = new Date();
      const event = { id: `test-${crypto.randomUUID()}`, event: "test", payload: {}, createdAt: now.toISOString() };
      const result = await sendToChannel(channel, event, now, settings);
      await atomicWrite(db, [
        auditStatement(
          c,
          {
            action: "notification.test",
            targetType: "notification_channel",
            targetId: channel.id,
            detail: { ok: result.ok, status: result.statusCode },
          },
          now.toISOString(),
        ),
      ]);
      return c.json({ ok: result.ok, status: result.statusCode, error: result.error }, 200);
    },
  );
}
