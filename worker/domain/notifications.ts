// Server-side notification delivery, pure: which channel wants which event, what each channel type is
// sent, how a response is judged, and when a failed delivery is tried again. The only side effect is
// WebCrypto, for the signatures. Sending and bookkeeping live in worker/notify/dispatch.ts.
import type { WebhookType } from "../../contract/api/config";
import { type Catalogue, catalogue, type Language } from "../i18n";
import { HOUR, MINUTE } from "../lib/time";
import { dashboardLink, feishuMessage, slackMessage } from "./outbound-text";

/** What delivery needs of a channel (the `notification.webhooks` setting adds a display name). */
export interface ChannelConfig {
  id: string;
  type: WebhookType;
  url: string;
  /** Feishu signing secret, or the HMAC key of a generic webhook; empty = unsigned. */
  secret: string;
  /** Events this channel receives; empty = the global `notification.events`. */
  events: string[];
  enabled: boolean;
}

/** The global `notification` setting (upstream's agent-facing shape). */
export interface NotificationConfig {
  enabled: boolean;
  events: string[];
}

/** What an event carries (the outbox payload); every part is optional. */
export interface EventData {
  task?: { id: string; name: string };
  sub_task?: { id: string; name: string; status: string; assigned_agent: string | null };
  actor?: { kind: string; id: string | null; name: string };
  review?: { round: number; result: string; score: number | null; issues: string; comment: string };
  patrol?: { type: string; severity: string; description: string; target: string };
  /** round_completed: the round of a recurring task that finished (its task is in `task`). */
  round?: { id: string; round_no: number | null; status: "done" | "cancelled"; done: number; total: number };
  /** retrospective_ready: the team retrospective of a period. */
  retro?: {
    id: string;
    period_key: string;
    period_kind: "daily" | "weekly";
    time_zone: string;
    counts: { sub_tasks_done: number; rejections: number; anomalies: number; patterns: number };
    top: { sample: string; count: number } | null;
  };
}

export interface OutboxEvent {
  id: string;
  event: string;
  payload: EventData;
  createdAt: string;
}

export interface OutboundRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Deliveries give up after this many failed attempts. */
export const MAX_ATTEMPTS = 6;
const FIRST_RETRY_MS = MINUTE;
const MAX_RETRY_MS = HOUR;
/** Longest piece of free text (issues, comments, descriptions) quoted in a message. */
const QUOTE_LIMIT = 300;
/** Longest error text stored for an attempt. */
export const ERROR_LIMIT = 500;

export function channelWants(channel: ChannelConfig, notification: NotificationConfig, event: string): boolean {
  if (!notification.enabled || !channel.enabled) return false;
  const events = channel.events.length > 0 ? channel.events : notification.events;
  return events.includes(event);
}

/** Wait before the next try, after `attempts` failed ones: 1 min, 2, 4, … capped at 1 h. */
export function retryDelayMs(attempts: number): number {
  const n = Math.max(1, Math.floor(attempts));
  return Math.min(FIRST_RETRY_MS * 2 ** (n - 1), MAX_RETRY_MS);
}

const quote = (text: string): string => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > QUOTE_LIMIT ? `${flat.slice(0, QUOTE_LIMIT - 1)}…` : flat;
};

/** The notification texts of one language (i18n/<lang>/notify.ts). */
export type NotifyTexts = Catalogue["notify"];
const ENGLISH = catalogue("en").notify;

/**
 * A short message for people in the project's language, used by every channel type; plain text,
 * escaped per channel at send. Machine parts (event, severity, anomaly type) stay as they are.
 */
export function formatMessage(
  event: string,
  payload: EventData,
  projectName: string,
  t: NotifyTexts = ENGLISH,
): string {
  const prefix = `[${projectName}]`;
  const taskName = payload.task ? t.task({ name: payload.task.name }) : t.aTask;
  const subTask = payload.sub_task
    ? t.subTask({ name: payload.sub_task.name, task: taskName })
    : t.aSubTask({ task: taskName });
  const actor = payload.actor?.name ?? "";
  const review = payload.review;
  const verdict = { round: review?.round ?? null, score: review?.score ?? null, actor };

  switch (event) {
    case "task_completed":
      return `${prefix} ${t.done({ subTask, ...verdict })}`;
    case "review_rejected": {
      const parts = [`${prefix} ${t.rejected({ subTask, ...verdict })}`];
      if (review?.issues.trim()) parts.push(t.issues({ text: quote(review.issues) }));
      if (review?.comment.trim()) parts.push(t.comment({ text: quote(review.comment) }));
      return parts.join("\n");
    }
    case "all_done":
      return `${prefix} ${t.allDone({ task: taskName })}`;
    case "patrol_alert": {
      const p = payload.patrol;
      if (!p) return `${prefix} ${t.patrolAlertBare}`;
      const about = payload.sub_task ? t.patrolAbout({ name: payload.sub_task.name, task: taskName }) : "";
      return `${prefix} ${t.patrolAlert({ severity: p.severity, type: p.type, about, description: quote(p.description) })}`;
    }
    case "sub_task_submitted":
      return `${prefix} ${t.submitted({ subTask, actor })}`;
    case "sub_task_blocked":
      return `${prefix} ${t.blocked({ subTask, actor })}`;
    case "round_completed": {
      const r = payload.round;
      if (!r) return `${prefix} ${t.other({ event, subTask: "" })}`;
      const round = r.round_no !== null ? t.round({ n: r.round_no }) : t.aRound;
      const said = { round, task: taskName, done: r.done, total: r.total };
      return `${prefix} ${r.status === "cancelled" ? t.roundCancelled(said) : t.roundDone(said)}`;
    }
    case "retrospective_ready": {
      const r = payload.retro;
      if (!r) return `${prefix} ${t.other({ event, subTask: "" })}`;
      const ready = t.retroReady({
        weekly: r.period_kind === "weekly",
        period: r.period_key.slice(r.period_key.indexOf(":") + 1),
        zone: r.time_zone,
        done: r.counts.sub_tasks_done,
        rejections: r.counts.rejections,
        anomalies: r.counts.anomalies,
        patterns: r.counts.patterns,
      });
      const top = r.top ? t.retroTop({ sample: quote(r.top.sample), count: r.top.count }) : "";
      return `${prefix} ${ready}${top}`;
    }
    case "test":
      return `${prefix} ${t.test}`;
    default:
      return `${prefix} ${t.other({ event, subTask: payload.sub_task ? subTask : "" })}`;
  }
}

const encoder = new TextEncoder();

async function hmacSha256(key: string, message: string): Promise<Uint8Array> {
  const cryptoKey = await crypto.subtle.importKey(
    "raw",
    encoder.encode(key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, encoder.encode(message)));
}

const toHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const toBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));

/**
 * Feishu/Lark custom-bot signature: base64(HMAC-SHA256(key = `${timestamp}\n${secret}`, message = "")),
 * timestamp in seconds. The bot rejects a timestamp more than an hour off.
 */
export async function feishuSign(timestamp: string, secret: string): Promise<string> {
  return toBase64(await hmacSha256(`${timestamp}\n${secret}`, ""));
}

/**
 * Generic webhook signature, for receivers to verify:
 *   X-OpenMOSS-Signature: sha256=<hex HMAC-SHA256(key = secret, message = `${X-OpenMOSS-Timestamp}.${raw body}`)>
 * The receiver recomputes it over the raw request body bytes and the timestamp header, compares in
 * constant time, and should reject timestamps too far from its clock (e.g. > 5 min) to stop replays.
 * X-OpenMOSS-Delivery (the event id) is the same on every retry of one event, for de-duplication.
 */
export async function webhookSignature(secret: string, timestamp: string, body: string): Promise<string> {
  return `sha256=${toHex(await hmacSha256(secret, `${timestamp}.${body}`))}`;
}

/** What a message says about the server itself (from settings). */
export interface MessageContext {
  projectName: string;
  /** `server.external_url`: the only address a message links to; empty = no link. */
  externalUrl: string;
  /** `project.language`: the language of the message and its link's label; absent = English. */
  lang?: Language;
}

/**
 * The HTTP request (always a JSON POST) that delivers an event to a channel. Chat channels get the text
 * escaped for their format (domain/outbound-text.ts); the generic webhook gets it as a plain JSON string.
 */
export async function buildRequest(
  channel: ChannelConfig,
  event: OutboxEvent,
  now: Date,
  context: MessageContext,
): Promise<OutboundRequest> {
  const { projectName } = context;
  const texts = context.lang ? catalogue(context.lang).notify : ENGLISH;
  const text = formatMessage(event.event, event.payload, projectName, texts);
  const link = dashboardLink(context.externalUrl, event.event, event.payload, texts.links);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const headers: Record<string, string> = { "Content-Type": "application/json" };

  switch (channel.type) {
    case "feishu": {
      const signed = channel.secret ? { timestamp, sign: await feishuSign(timestamp, channel.secret) } : {};
      return { url: channel.url, headers, body: JSON.stringify({ ...signed, ...feishuMessage(text, link) }) };
    }
    case "slack":
      return { url: channel.url, headers, body: JSON.stringify(slackMessage(text, link)) };
    case "webhook": {
      const body = JSON.stringify({
        id: event.id,
        event: event.event,
        created_at: event.createdAt,
        project: projectName,
        text,
        data: event.payload,
      });
      headers["X-OpenMOSS-Event"] = event.event;
      headers["X-OpenMOSS-Delivery"] = event.id;
      headers["X-OpenMOSS-Timestamp"] = timestamp;
      if (channel.secret) headers["X-OpenMOSS-Signature"] = await webhookSignature(channel.secret, timestamp, body);
      return { url: channel.url, headers, body };
    }
  }
}

/** Host of a URL, the only part of it that may be stored or logged (paths and queries carry secrets). */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || "invalid-url";
  } catch {
    return "invalid-url";
  }
}

/**
 * Error text safe to store: every URL is cut to its host, the secrets given are masked, and the result
 * is bounded to ERROR_LIMIT characters.
 */
export function scrubError(text: string, secrets: string[] = []): string {
  let out = text.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (u) => hostOf(u));
  for (const s of secrets) if (s) out = out.split(s).join("***");
  out = out.replace(/\s+/g, " ").trim();
  return out.length > ERROR_LIMIT ? `${out.slice(0, ERROR_LIMIT - 1)}…` : out;
}

/**
 * Whether a channel accepted the event. A 2xx is success, except that Feishu answers 200 with a JSON
 * `{code, msg}` (or the older `{StatusCode, StatusMessage}`) whose non-zero code is a failure.
 */
export function judgeResponse(
  type: ChannelConfig["type"],
  status: number,
  bodyText: string,
): { ok: true } | { ok: false; error: string } {
  const snippet = bodyText.slice(0, 200);
  if (status < 200 || status > 299) return { ok: false, error: `HTTP ${status}${snippet ? `: ${snippet}` : ""}` };
  if (type === "feishu") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(bodyText);
    } catch {
      return { ok: true };
    }
    if (parsed && typeof parsed === "object") {
      const r = parsed as Record<string, unknown>;
      const code = typeof r.code === "number" ? r.code : typeof r.StatusCode === "number" ? r.StatusCode : 0;
      if (code !== 0) {
        const msg = typeof r.msg === "string" ? r.msg : typeof r.StatusMessage === "string" ? r.StatusMessage : "";
        return { ok: false, error: `Feishu code ${code}${msg ? `: ${msg}` : ""}` };
      }
    }
  }
  return { ok: true };
}
