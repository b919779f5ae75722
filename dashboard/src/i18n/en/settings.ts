// The settings page's texts (pages/settings.tsx and its sections in pages/parts/settings-*.tsx).
import { count, params } from "@nanostores/i18n";
import type { PatrolThresholds } from "../../lib/types";
import { i18n } from "../index";

export const settingsText = i18n("settings", {
  title: "Settings",
  intro: "Project, agent registration, notifications, patrol thresholds and the admin password.",
  sections: "Settings sections",
  project: "Project",
  agents: "Agents",
  notifications: "Notifications",
  patrol: "Patrol",
  retrospectives: "Retrospectives",
  feed: "Public feed",
  password: "Password",
  loading: "Loading settings…",
  save: "Save",
  saving: "Saving…",
  saved: "Saved.",
  urlScheme: "The URL must start with http:// or https://.",
});

export const projectText = i18n("settings/project", {
  nameEmpty: "The project name cannot be empty.",
  workspaceEmpty: "The workspace directory cannot be empty.",
  name: "Project name",
  workspace: "Workspace directory",
  workspaceHint: "The agents' shared working directory, as they see it.",
  externalUrl: "Service access URL",
  externalUrlHint:
    "How agents reach this server (used in onboarding prompts), e.g. https://moss.example.com. Leave empty to unset.",
});

export const agentsText = i18n("settings/agents", {
  confirmRotate: "Rotate the registration token? Agents that have not registered yet will need the new one.",
  rotated: "New token issued; the old one no longer works.",
  intro:
    "New agents register with an enrollment token (one role, limited uses) or, for the roles allowed below, the shared registration token, in the X-Registration-Token header.",
  token: "Registration token",
  copy: "Copy",
  rotating: "Rotating…",
  rotate: "Rotate",
  acceptShared: "Accept the shared registration token (off: only enrollment tokens and admins add agents)",
});

export const notificationsText = i18n("settings/notifications", {
  feishu: "Feishu / Lark bot",
  slack: "Slack-compatible",
  webhook: "JSON webhook (signed)",
  needsName: params("Channel {n} needs a name."),
  needsUrl: params("Channel {n} needs an http(s) URL."),
  retentionRange: "Keep sent notifications for 1 to 365 days.",
  intro: "The server delivers events to these channels itself, with retries.",
  on: "Notifications on",
  defaultEvents: "Events (default for every channel)",
  channels: "Channels",
  noChannels: "No channels yet.",
  noChannelsHelp: "Add a Feishu/Lark bot, a Slack-compatible webhook or a signed JSON webhook.",
  channel: params("Channel {n}"),
  namedChannel: params("Channel {n}: {name}"),
  name: "Name",
  type: "Type",
  url: "Webhook URL",
  secret: "Secret",
  secretStored: "A secret is stored; type a new one to replace it.",
  secretOptional: "Signing secret (optional).",
  unchanged: "unchanged",
  channelEvents: "Events for this channel",
  channelEventsHint: "None ticked: the default events above.",
  enabled: "Enabled",
  remove: params("Remove channel {n}"),
  add: "Add channel",
  agentChannels: "Agent-side channels",
  agentChannelsHint:
    "Upstream's format, one per line (e.g. chat:oc_…), handed to agents that notify by themselves via GET /api/config/notification.",
  retention: "Keep sent notifications (days)",
  retentionHint: "1–365; delivered and given-up notifications older than this are deleted automatically.",
  delivered: params("Delivered (HTTP {status})"),
  notDelivered: params("Not delivered: {reason}"),
  unknownError: "unknown error",
  sendTestTo: params("Send test to channel {n}"),
  sending: "Sending…",
  sendTest: "Send test",
  saveToTest: "Save the channel to test it.",
});

/** A patrol threshold's field: its label and what it does. */
export const thresholdText = i18n("settings/thresholds", {
  timeout_warning_minutes: "Timeout warning (minutes)",
  timeout_warning_minutes_hint: "A sub-task in progress this long raises a warning.",
  timeout_critical_minutes: "Timeout critical (minutes)",
  timeout_critical_minutes_hint: "This long, it is critical and blocked. Must be above the warning.",
  stuck_minutes: "Stuck (minutes)",
  stuck_minutes_hint: "Any open sub-task not updated for this long.",
  orphan_minutes: "Orphan (minutes)",
  orphan_minutes_hint: "Pending this long in an active task (or held by a disabled agent).",
  rework_overflow_count: "Rework overflow (rounds)",
  rework_overflow_count_hint: "Rework rounds at which an open sub-task raises an alert.",
  score_drop_streak: "Score drop streak",
  score_drop_streak_hint: "Alert when an agent's latest this-many score entries are all deductions.",
} satisfies Record<keyof PatrolThresholds | `${keyof PatrolThresholds}_hint`, string>);

export const patrolText = i18n("settings/patrol", {
  intro: "The patrol runs every minute and raises these anomalies.",
  wholeNumber: params("{label}: enter a whole number of at least 1."),
  criticalAboveWarning: "The critical timeout must be above the warning timeout.",
});

export const feedText = i18n("settings/feed", {
  retentionRange: "Keep request logs for 1 to 365 days.",
  intro: "When on, anyone with the URL can watch the agents' API activity at /feed, including request bodies.",
  on: "Public feed on",
  retention: "Keep request logs (days)",
  retentionHint: "1–365; older request logs are deleted automatically.",
});

export const passwordText = i18n("settings/password", {
  enterCurrent: "Enter the current password.",
  tooShort: "The new password needs at least 6 characters.",
  differ: "The two new passwords differ.",
  changed: "Password changed.",
  intro: "Changing the password logs out every admin session, this one included.",
  current: "Current password",
  next: "New password",
  nextHint: "At least 6 characters.",
  confirm: "Confirm new password",
  change: "Change password",
});

export const languageText = i18n("settings/language", {
  legend: "Language of agent texts",
  hint: "Decides the language of the skills, prompts, rules, briefings and hints the server gives agents. Saving it does not rewrite texts already stored: switch those below.",
  switchTitle: "Switch the shipped texts",
  switchIntro:
    "The global rule, the role templates and the example agent prompts were seeded in the language chosen at setup. Preview what switching them to another language changes, then confirm.",
  target: "Switch to",
  mode: "Which texts",
  modeUnedited: "Only texts nobody edited (edited ones are kept)",
  modeAll: "All shipped texts, edits included",
  preview: "Preview",
  previewing: "Checking…",
  kind: "Kind",
  item: "Text",
  outcome: "Result",
  global_rule: "Global rule",
  template: "Role template",
  example_prompt: "Example agent",
  replace: "Will be replaced",
  replaced: "Replaced",
  keep_edited: "Edited: kept",
  same: "Already in this language",
  missing: "Deleted: not recreated",
  nothingToDo: "Nothing to switch: every text is already in this language or kept.",
  toReplace: count({ one: "Switch {count} text", other: "Switch {count} texts" }),
  applying: "Switching…",
  applied: count({ one: "{count} text switched.", other: "{count} texts switched." }),
  planLabel: "Shipped texts and what the switch does to them",
});
