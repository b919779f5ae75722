import { DurableObject } from "cloudflare:workers";
import { and, gt, inArray } from "drizzle-orm";
import {
  type Audience,
  type ChangedMessage,
  CLOSE,
  type HelloMessage,
  LIVE_PROTOCOL,
  LIVE_TOPICS,
  type LiveTopic,
  PING,
  PONG,
  PUBLIC_TOPICS,
} from "../../contract/live";
import { isOneOf } from "../../contract/vocabulary";
import { chunks, rowsPerStatement } from "../db/chunks";
import { getDb } from "../db/client";
import { adminSession } from "../db/schema";
import { readSettings } from "../db/settings";
import type { Env } from "../env";
import { text } from "../i18n";
import type { ErrorBody } from "../lib/errors";
import { HUB_SIGNALS, type HubSignal } from "../lib/live";

/** Set by worker/routes/live.ts after it authenticated the upgrade; never read from a client. */
export const HUB_HEADERS = {
  audience: "x-live-audience",
  session: "x-live-session",
  expires: "x-live-expires",
} as const;

/** At most one broadcast per window; the first change after a quiet window goes out at once. */
export const COALESCE_MS = 250;
/** Sockets one hub holds; beyond it an upgrade gets 503 (and that tab polls). */
const MAX_SOCKETS = 5000;
/** Anonymous visitors cannot take the admins' places: the public feed gets at most this many. */
const MAX_PUBLIC_SOCKETS = 4000;
/** Session hashes per lookup: D1's bound parameters, less the expiry bound beside them. */
const HASHES_PER_QUERY = rowsPerStatement(1, 1);

type Attachment = { audience: "admin"; session: string; expiresAt: string } | { audience: "public-feed" };

/** A refused connection: the error as plain data, which routes/live.ts answers in the reader's language. */
const refusal = (error: ErrorBody) => Response.json(error, { status: error.status });

const isSignal = (s: unknown): s is HubSignal => isOneOf(HUB_SIGNALS, s);
const isTopic = (s: HubSignal): s is LiveTopic => isOneOf(LIVE_TOPICS, s);

/**
 * One instance (named "live") holds every dashboard's WebSocket with the Hibernation API, so idle
 * sockets cost nothing. It greets each with `{type: "hello", v, audience, at}` and fans out
 * `{type: "changed", topics, at}` notices. Bursts are coalesced:
 * at most one broadcast per COALESCE_MS, carrying the union of the topics. Nothing is stored; the
 * class is SQLite-backed only because new Durable Object classes are.
 */
export class LiveHub extends DurableObject<Env> {
  #pending = new Set<HubSignal>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastBroadcast = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // The client's keep-alive is answered by the runtime, without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  /** The WebSocket upgrade, forwarded by worker/routes/live.ts once it has authenticated it. */
  override async fetch(request: Request): Promise<Response> {
    const audience = request.headers.get(HUB_HEADERS.audience);
    if (
      request.headers.get("upgrade")?.toLowerCase() !== "websocket" ||
      (audience !== "admin" && audience !== "public-feed")
    ) {
      return refusal({ status: 400, code: "bad_upgrade", detail: text("hubNeedsUpgrade") });
    }
    const full =
      this.ctx.getWebSockets().length >= MAX_SOCKETS ||
      (audience === "public-feed" && this.ctx.getWebSockets("public-feed").length >= MAX_PUBLIC_SOCKETS);
    if (full) {
      return refusal({ status: 503, code: "live_full", detail: text("liveFull") });
    }
    const attachment: Attachment =
      audience === "admin"
        ? {
            audience,
            session: request.headers.get(HUB_HEADERS.session) ?? "",
            expiresAt: request.headers.get(HUB_HEADERS.expires) ?? "",
          }
        : { audience };
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, [audience]);
    server.serializeAttachment(attachment);
    // The client counts itself live on this, not on the socket opening (a proxy may open one and drop it).
    const hello: HelloMessage = { type: "hello", v: 1, audience, at: new Date().toISOString() };
    server.send(JSON.stringify(hello));
    return new Response(null, { status: 101, webSocket: client, headers: { "Sec-WebSocket-Protocol": LIVE_PROTOCOL } });
  }

  /** RPC: something changed. Returns at once; the broadcast follows within COALESCE_MS. */
  publish(signals: string[]): void {
    for (const s of signals) if (isSignal(s)) this.#pending.add(s);
    if (this.#pending.size === 0 || this.#timer !== undefined) return;
    const wait = this.#lastBroadcast + COALESCE_MS - Date.now();
    if (wait <= 0) void this.#flush();
    else this.#timer = setTimeout(() => void this.#flush(), wait);
  }

  /** RPC: how many sockets each audience has (for tests and diagnostics). */
  connections(): Record<Audience, number> {
    return {
      admin: this.ctx.getWebSockets("admin").length,
      "public-feed": this.ctx.getWebSockets("public-feed").length,
    };
  }

  async #flush(): Promise<void> {
    this.#timer = undefined;
    this.#lastBroadcast = Date.now();
    const signals = [...this.#pending];
    this.#pending.clear();
    try {
      if (signals.includes("sessions")) await this.#closeEndedSessions();
      if (signals.includes("settings")) await this.#closePublicIfFeedOff();
    } catch (err) {
      console.error("live hub: re-check failed", (err as Error).message);
    }
    const topics = signals.filter(isTopic);
    if (topics.length === 0) return;
    const at = new Date().toISOString();
    const changed = (list: LiveTopic[]): string =>
      JSON.stringify({ type: "changed", topics: list, at } satisfies ChangedMessage);
    const forAdmin = changed(topics);
    const publicTopics = topics.filter((t) => PUBLIC_TOPICS.includes(t));
    const forPublic = publicTopics.length > 0 ? changed(publicTopics) : null;
    for (const ws of this.ctx.getWebSockets()) {
      const a = ws.deserializeAttachment() as Attachment | null;
      if (a?.audience === "admin") {
        if (a.expiresAt <= at) close(ws, CLOSE.sessionEnded, "admin session expired");
        else send(ws, forAdmin);
      } else if (a?.audience === "public-feed" && forPublic) send(ws, forPublic);
    }
  }

  /** After a logout or password change: the admin sockets whose session is gone are closed. */
  async #closeEndedSessions(): Promise<void> {
    const sockets = this.ctx.getWebSockets("admin");
    if (sockets.length === 0) return;
    const hashes = [
      ...new Set(sockets.map((ws) => (ws.deserializeAttachment() as Attachment & { audience: "admin" }).session)),
    ];
    const db = getDb(this.env.DB);
    const alive = new Set<string>();
    const now = new Date().toISOString();
    for (const some of chunks(hashes, HASHES_PER_QUERY)) {
      const rows = await db
        .select({ hash: adminSession.tokenHash })
        .from(adminSession)
        .where(and(inArray(adminSession.tokenHash, some), gt(adminSession.expiresAt, now)));
      for (const r of rows) alive.add(r.hash);
    }
    for (const ws of sockets) {
      if (!alive.has((ws.deserializeAttachment() as Attachment & { audience: "admin" }).session))
        close(ws, CLOSE.sessionEnded, "admin session ended");
    }
  }

  /** After a settings change: the public feed's sockets are closed once the feed is off. */
  async #closePublicIfFeedOff(): Promise<void> {
    const sockets = this.ctx.getWebSockets("public-feed");
    if (sockets.length === 0) return;
    if ((await readSettings(getDb(this.env.DB)))["webui.public_feed"]) return;
    for (const ws of sockets) close(ws, CLOSE.feedOff, "the public feed is off");
  }

  /** Clients only send "ping" (answered by the runtime); anything else ends the socket. */
  override webSocketMessage(ws: WebSocket): void {
    close(ws, CLOSE.unexpectedMessage, "this socket only sends; send nothing but ping");
  }

  override webSocketClose(ws: WebSocket): void {
    // Complete the closing handshake (a no-op where the runtime already answered the close).
    close(ws, 1000, "bye");
  }

  override webSocketError(ws: WebSocket): void {
    close(ws, 1011, "socket error");
  }
}

function send(ws: WebSocket, message: string): void {
  try {
    ws.send(message);
  } catch {
    // closing or closed: its close handler cleans up
  }
}

function close(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    // already closed
  }
}
