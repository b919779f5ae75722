// Shared by the notification tests: channel settings, a scripted fetch that records every outgoing
// request, and one dispatcher run.
import { getDb } from "../worker/db/client";
import type { NotificationChannel } from "../worker/db/settings";
import { dispatchNotifications } from "../worker/notify/dispatch";
import { env } from "./helpers";

export const channel = (
  over: Partial<NotificationChannel> & Pick<NotificationChannel, "id" | "type" | "url">,
): NotificationChannel => ({
  name: over.id,
  secret: "",
  events: [],
  enabled: true,
  ...over,
});

/** Writes the channels and the global switch into D1 directly (no audit row, no admin session). */
export async function configure(channels: NotificationChannel[], events: string[], enabled = true): Promise<void> {
  const now = new Date().toISOString();
  const upsert =
    "insert into setting (key, value, updated_at) values (?, ?, ?) on conflict(key) do update set value = excluded.value, updated_at = excluded.updated_at";
  await env.DB.batch([
    env.DB.prepare(upsert).bind("notification.webhooks", JSON.stringify(channels), now),
    env.DB.prepare(upsert).bind("notification", JSON.stringify({ enabled, channels: [], events }), now),
  ]);
}

export interface Sent {
  url: string;
  headers: Record<string, string>;
  body: string;
  hasSignal: boolean;
  redirect: string | undefined;
}

export type Answer = Response | Error | ((req: Sent) => Response | Error);

/** Records every request; answers with `answer(req, n)` (n counts from 0), 200 "ok" by default. */
export function fakeFetch(answer: (req: Sent, n: number) => Answer = () => new Response("ok"), delayMs = 0) {
  const sent: Sent[] = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req: Sent = {
      url: String(input),
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      body: String(init?.body ?? ""),
      hasSignal: init?.signal instanceof AbortSignal,
      redirect: init?.redirect,
    };
    const n = sent.length;
    sent.push(req);
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    let a = answer(req, n);
    if (typeof a === "function") a = a(req);
    if (a instanceof Error) throw a;
    return a;
  }) as typeof fetch;
  return { fetcher, sent };
}

/** One dispatcher run at `now`, sending through `fetcher`. */
export const dispatch = (now: Date, fetcher: typeof fetch) => dispatchNotifications(getDb(env.DB), now, fetcher);
