// The settings store that replaces upstream's config.yaml: one D1 row per key, JSON values,
// typed defaults here. Reads fetch the whole (small) table in one query.
import { type SQL, sql } from "drizzle-orm";
import { DEFAULT_LANGUAGE, type Language } from "../../contract/languages";
import { ROLES, type Role } from "../../contract/vocabulary";
import type { ChannelConfig } from "../domain/notifications";
import type { Db } from "./client";
import { setting } from "./schema";

export interface NotificationSettings {
  enabled: boolean;
  channels: string[];
  events: string[];
}

/** A server-side delivery channel (not part of upstream's agent-facing notification shape). */
export interface NotificationChannel extends ChannelConfig {
  name: string;
}

export interface Settings {
  "project.name": string;
  /** What the server hands agents (SKILL.md, prompts, briefings, hints) and notifications are written in. */
  "project.language": Language;
  "workspace.root": string;
  "server.external_url": string;
  "agent.registration_token": string;
  "agent.allow_registration": boolean;
  /** Roles the global registration token may register. New installs: executor only (set by setup). */
  "agent.registration_roles": Role[];
  /** Successful registrations per hour for each token (global or enrollment). */
  "agent.registrations_per_hour": number;
  /** Default lifetime of a new enrollment token. */
  "agent.enrollment_ttl_days": number;
  /** Per-agent request rate on the API and MCP (token bucket): sustained rate and burst size. */
  "agent.rate_limit_per_minute": number;
  "agent.rate_limit_burst": number;
  /** Bounds on manual score adjustments by agents (admins are unbounded). */
  "score.adjust_max_per_call": number;
  "score.adjust_max_per_day": number;
  notification: NotificationSettings;
  "notification.webhooks": NotificationChannel[];
  /** Days sent and given-up notifications (their attempts and events) are kept before housekeeping deletes them. */
  "notification.retention_days": number;
  "webui.public_feed": boolean;
  "webui.feed_retention_days": number;
  "setup.initialized": boolean;
  /** PBKDF2 hash; null until the setup wizard runs (there is no default password). */
  "admin.password_hash": string | null;
  "patrol.timeout_warning_minutes": number;
  "patrol.timeout_critical_minutes": number;
  "patrol.stuck_minutes": number;
  "patrol.orphan_minutes": number;
  "patrol.rework_overflow_count": number;
  "patrol.score_drop_streak": number;
}

/** The address agents reach us at: settings' external URL, else the origin of the request; no trailing slash. */
export const publicBaseUrl = (settings: Settings, requestUrl: string): string =>
  (settings["server.external_url"] || new URL(requestUrl).origin).replace(/\/+$/, "");

export const DEFAULT_SETTINGS: Settings = {
  "project.name": "OpenMOSS",
  "project.language": DEFAULT_LANGUAGE,
  "workspace.root": "./workspace",
  "server.external_url": "",
  "agent.registration_token": "",
  "agent.allow_registration": true,
  // Installs from before enrollment tokens keep registering every role until an admin narrows it.
  "agent.registration_roles": [...ROLES],
  "agent.registrations_per_hour": 20,
  "agent.enrollment_ttl_days": 7,
  "agent.rate_limit_per_minute": 600,
  "agent.rate_limit_burst": 120,
  "score.adjust_max_per_call": 10,
  "score.adjust_max_per_day": 50,
  notification: {
    enabled: false,
    channels: [],
    events: ["task_completed", "review_rejected", "all_done", "patrol_alert"],
  },
  "notification.webhooks": [],
  "notification.retention_days": 7,
  "webui.public_feed": false,
  "webui.feed_retention_days": 7,
  "setup.initialized": false,
  "admin.password_hash": null,
  // Upstream's patrol prompt values.
  "patrol.timeout_warning_minutes": 60,
  "patrol.timeout_critical_minutes": 120,
  "patrol.stuck_minutes": 120,
  "patrol.orphan_minutes": 60,
  "patrol.rework_overflow_count": 3,
  "patrol.score_drop_streak": 3,
};

export async function readSettings(db: Db): Promise<Settings> {
  const rows = await db.select().from(setting);
  const values: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const row of rows) if (row.key in DEFAULT_SETTINGS) values[row.key] = row.value;
  return values as unknown as Settings;
}

/**
 * Upsert statements for the given keys, for use alone or inside a batch. With a guard, each write
 * happens only if the guard holds when the batch runs.
 */
export function settingWrites(values: Partial<Settings>, now: string, guard: SQL = sql`1`) {
  return Object.entries(values).map(
    ([key, value]) =>
      sql`insert into ${setting} (key, value, updated_at) select ${key}, ${JSON.stringify(value)}, ${now} where ${guard}
      on conflict(key) do update set value = excluded.value, updated_at = excluded.updated_at`,
  );
}

type NumericSetting = { [K in keyof Settings]: Settings[K] extends number ? K : never }[keyof Settings];

/**
 * A numeric setting as an SQL expression (the stored value, else the default), for a statement that
 * needs it without a separate settings read, e.g. the per-request rate limit.
 */
export const settingNumber = (key: NumericSetting): SQL =>
  sql`coalesce((select cast(${setting.value} as real) from ${setting} where ${setting.key} = ${key}), ${DEFAULT_SETTINGS[key]})`;
