// One HTTP delivery of an event to a channel, with no bookkeeping: used by the dispatcher and by the
// settings page's test send. Stored error text never carries the channel's secret or URL path.
import type { NotificationChannel, Settings } from "../db/settings";
import { buildRequest, hostOf, judgeResponse, type OutboxEvent, scrubError } from "../domain/notifications";

export const FETCH_TIMEOUT_MS = 10_000;
/** Response bytes read, for the error text and Feishu's JSON verdict. */
const RESPONSE_READ_LIMIT = 4096;

export interface SendResult {
  ok: boolean;
  statusCode: number | null;
  /** Safe to store and show: URL cut to its host, secrets masked. */
  error: string | null;
  durationMs: number;
}

/** One HTTP delivery of an event to a channel (no bookkeeping); also used by the test-send endpoint. */
export async function sendToChannel(
  channel: NotificationChannel,
  event: OutboxEvent,
  now: Date,
  settings: Pick<Settings, "project.name" | "server.external_url" | "project.language">,
  fetcher: typeof fetch = fetch,
): Promise<SendResult> {
  const started = Date.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const req = await buildRequest(channel, event, now, {
      projectName: settings["project.name"],
      externalUrl: settings["server.external_url"],
      lang: settings["project.language"],
    });
    const res = await fetcher(req.url, {
      method: "POST",
      headers: req.headers,
      body: req.body,
      redirect: "manual",
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    statusCode = res.status;
    const verdict = judgeResponse(channel.type, res.status, await readLimited(res));
    if (!verdict.ok) error = verdict.error;
  } catch (err) {
    error = describeFailure(err);
  }
  const ok = error === null;
  return {
    ok,
    statusCode,
    error: ok ? null : scrubError(`${hostOf(channel.url)}: ${error ?? ""}`, secretsOf(channel)),
    durationMs: Math.max(0, Date.now() - started),
  };
}

/** Strings that must never reach stored error text: the secret, and the URL's path and query. */
function secretsOf(channel: NotificationChannel): string[] {
  const out = [channel.secret, channel.url];
  try {
    const u = new URL(channel.url);
    if (u.pathname.length > 1) out.push(u.pathname);
    if (u.search) out.push(u.search.slice(1));
  } catch {
    // not a URL: masked whole above
  }
  return out.filter((s) => s.length >= 4);
}

function describeFailure(err: unknown): string {
  if (err instanceof Error || err instanceof DOMException) {
    if (err.name === "TimeoutError") return `timed out after ${FETCH_TIMEOUT_MS / 1000} s`;
    return `${err.name}: ${err.message}`;
  }
  return String(err);
}

/** The first few KB of a response body as text; the rest is not read. */
async function readLimited(res: Response): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < RESPONSE_READ_LIMIT) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(all.subarray(0, RESPONSE_READ_LIMIT));
}
