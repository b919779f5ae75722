// Agent-written text (task and sub-task names, review issues and comments, patrol descriptions) made
// inert for each chat a notification goes to: a hostile agent must not ping a whole room or dress up a
// phishing link as our own. Each channel gets the text escaped for its own format here, and the only
// link a message carries is one we build to our own dashboard from `server.external_url` and ids.
// The generic webhook needs none of this: its text is a JSON string, which the receiver escapes for
// wherever it shows it. Pure: no I/O.
import { type Catalogue, catalogue } from "../i18n";
import type { EventData } from "./notifications";

export interface DashboardLink {
  url: string;
  label: string;
}

/** Longest Slack section text (Slack refuses more than 3,000 characters). */
export const SLACK_TEXT_LIMIT = 3000;

/** The same check the settings API applies to `server.external_url`: http(s), a host, a plain path. */
const SAFE_BASE_URL = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~/-]*)?$/;
/** Our ids are UUIDs; anything else is not put into a link. */
const SAFE_ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * The dashboard page about an event: its retrospective, its sub-task, else its task, else the patrol
 * page or the dashboard. Null when no external URL is set (we do not guess our own address) or it is not plain.
 */
export function dashboardLink(
  externalUrl: string,
  event: string,
  payload: EventData,
  labels: Catalogue["notify"]["links"] = catalogue("en").notify.links,
): DashboardLink | null {
  const base = externalUrl.replace(/\/+$/, "");
  if (!SAFE_BASE_URL.test(base)) return null;
  const retroId = payload.retro?.id;
  if (retroId && SAFE_ID.test(retroId))
    return { url: `${base}/retrospectives/${retroId}`, label: labels.retrospective };
  const subTaskId = payload.sub_task?.id;
  const taskId = payload.task?.id;
  if (subTaskId && SAFE_ID.test(subTaskId)) return { url: `${base}/sub-tasks/${subTaskId}`, label: labels.subTask };
  if (taskId && SAFE_ID.test(taskId)) return { url: `${base}/tasks/${taskId}`, label: labels.task };
  if (event === "patrol_alert") return { url: `${base}/patrol`, label: labels.patrol };
  return { url: base, label: labels.dashboard };
}

/**
 * What every chat format needs: group mentions spelled out (`@channel`, `@here`, `@all`,
 * `@everyone` ping in Slack-compatible receivers that read Markdown, e.g. Mattermost) get a
 * full-width at sign, and a Markdown link `[label](url)` is broken apart so it shows as text.
 */
export function defuseMentionsAndLinks(text: string): string {
  return text.replace(/@(channel|here|all|everyone)\b/gi, "\uFF20$1").replace(/\]\s*\(/g, "] (");
}

const SLACK_ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/**
 * Slack mrkdwn: `&`, `<` and `>` as entities, so no `<!channel>`, `<@U…>`, `<#C…>` or
 * `<https://…|label>` can form from the text; bounded to `limit` characters after escaping, never
 * cutting an entity or a character in half.
 */
export function slackEscape(text: string, limit = SLACK_TEXT_LIMIT): string {
  let out = "";
  for (const ch of defuseMentionsAndLinks(text)) {
    const piece = SLACK_ENTITIES[ch] ?? ch;
    if (out.length + piece.length > limit - 1) return `${out}…`;
    out += piece;
  }
  return out;
}

/**
 * Feishu/Lark: `<` and `>` become their full-width forms, so no `<at user_id="all">` (nor any other
 * tag) can form from the text, whichever message type a future change picks.
 */
export function feishuEscape(text: string): string {
  return defuseMentionsAndLinks(text).replace(/</g, "\uFF1C").replace(/>/g, "\uFF1E");
}

/**
 * The Slack incoming-webhook body: one mrkdwn section with `verbatim` set (Slack then neither links
 * bare URLs nor resolves names), the same text as the notification fallback, and no link previews.
 * The only link is ours, built after escaping.
 */
export function slackMessage(text: string, link: DashboardLink | null): Record<string, unknown> {
  const ours = link ? `\n<${link.url}|${link.label}>` : "";
  const mrkdwn = slackEscape(text, SLACK_TEXT_LIMIT - ours.length) + ours;
  return {
    text: mrkdwn,
    blocks: [{ type: "section", text: { type: "mrkdwn", text: mrkdwn, verbatim: true } }],
    unfurl_links: false,
    unfurl_media: false,
  };
}

/**
 * The Feishu custom-bot body (signature fields aside): a rich-text `post` whose agent text sits only in
 * plain `text` elements, one paragraph per line; the only `a` element is our own link.
 */
export function feishuMessage(text: string, link: DashboardLink | null): Record<string, unknown> {
  const paragraphs: Record<string, string>[][] = feishuEscape(text)
    .split("\n")
    .map((line) => [{ tag: "text", text: line }]);
  if (link) paragraphs.push([{ tag: "a", text: link.label, href: link.url }]);
  return { msg_type: "post", content: { post: { zh_cn: { content: paragraphs } } } };
}
