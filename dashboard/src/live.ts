// Live push for the dashboard (docs/live.md). One WebSocket per tab, shared by every page that
// subscribes: the server greets it (`{type: "hello"}`), then sends `{type: "changed", topics, at}`
// and the pages refetch what they show.
// An admin connects to /api/admin/live with the session as a subprotocol (never in the URL); a
// visitor of the public feed to /api/feed/live. After a drop it reconnects with exponential backoff
// (up to 10 s) and, meanwhile, the pages fall back to polling.
import { useEffect, useRef, useState } from "preact/hooks";
import {
  LIVE_PROTOCOL,
  type LiveTopic,
  PING,
  PONG,
  REFUSED_CLOSE_CODES,
  type ServerMessage,
} from "../../contract/live";
import { shell } from "./i18n/en/shell";
import { getToken } from "./lib/api";

/** `live`: connected, pushes arrive. `connecting`: first attempt. `offline`: dropped or refused, retrying; pages poll. */
export type LiveState = "connecting" | "live" | "offline";

const API_BASE = (import.meta.env.VITE_API_BASE_URL ?? "").replace(/\/+$/, "");
const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 10_000;
/** Keep-alive: a "ping" this often; no "pong" within PONG_TIMEOUT_MS means the connection is dead. */
const PING_MS = 25_000;
const PONG_TIMEOUT_MS = 10_000;
/** The socket stays this long after the last subscriber leaves (page changes do not reconnect). */
const LINGER_MS = 15_000;
/** While live, a page still refetches this rarely, in case a notice was lost. */
const SAFETY_REFRESH_MS = 60_000;
/** A connection that lasted this long resets the backoff (one that opens and drops at once does not). */
const STABLE_MS = 5000;

interface Subscriber {
  topics: ReadonlySet<LiveTopic>;
  /** Called on a matching notice, and after every (re)connect to catch up. */
  notify: () => void;
}

const subscribers = new Set<Subscriber>();
const stateListeners = new Set<(s: LiveState) => void>();
let state: LiveState = "offline";
let socket: WebSocket | null = null;
/** Which credentials the socket (or the pending retry) is for. */
let socketKey = "";
let attempt = 0;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let lingerTimer: ReturnType<typeof setTimeout> | undefined;
let pingTimer: ReturnType<typeof setInterval> | undefined;
let pongTimer: ReturnType<typeof setTimeout> | undefined;
let stableTimer: ReturnType<typeof setTimeout> | undefined;
let helloTimer: ReturnType<typeof setTimeout> | undefined;

function setState(next: LiveState) {
  if (next === state) return;
  state = next;
  for (const l of stateListeners) l(next);
}

/** The credentials a new socket would use; null when a token cannot travel as a subprotocol. */
function currentKey(): string | null {
  const token = getToken();
  if (token === null) return "public";
  return /^[0-9A-Za-z._~-]+$/.test(token) ? `admin:${token}` : null;
}

function socketUrl(path: string): string {
  const url = new URL(API_BASE + path, location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}

function connect() {
  clearTimeout(retryTimer);
  retryTimer = undefined;
  const key = currentKey();
  if (key === null || subscribers.size === 0) return;
  socketKey = key;
  const admin = key.startsWith("admin:");
  let ws: WebSocket;
  try {
    ws = new WebSocket(
      socketUrl(admin ? "/api/admin/live" : "/api/feed/live"),
      admin ? [LIVE_PROTOCOL, `token.${key.slice("admin:".length)}`] : [LIVE_PROTOCOL],
    );
  } catch {
    retry();
    return;
  }
  socket = ws;
  // A first attempt shows as connecting; retries after a drop stay offline (and the pages keep polling).
  if (attempt === 0) setState("connecting");
  ws.onopen = () => {
    if (socket !== ws) return;
    startKeepAlive(ws);
    // Live once the hub says hello; a socket that opens but never hears from it is dropped.
    helloTimer = setTimeout(() => drop(ws), PONG_TIMEOUT_MS);
  };
  ws.onmessage = (e: MessageEvent) => {
    if (socket !== ws || typeof e.data !== "string") return;
    if (e.data === PONG) {
      clearTimeout(pongTimer);
      return;
    }
    // Typed as the protocol says, checked anyway: a frame that does not match is ignored.
    let msg: Partial<ServerMessage>;
    try {
      msg = JSON.parse(e.data) as typeof msg;
    } catch {
      return;
    }
    if (msg.type === "hello") {
      clearTimeout(helloTimer);
      stableTimer = setTimeout(() => (attempt = 0), STABLE_MS);
      setState("live");
      // Whatever changed while there was no socket: every page catches up once.
      for (const s of subscribers) s.notify();
      return;
    }
    if (msg.type !== "changed" || !Array.isArray(msg.topics)) return;
    const topics = msg.topics;
    for (const s of subscribers) if (topics.some((t) => s.topics.has(t))) s.notify();
  };
  ws.onclose = (e: CloseEvent) => {
    if (socket !== ws) return;
    socket = null;
    stopKeepAlive();
    setState("offline");
    // Refused (session ended, feed switched off): the pages' next fetch finds out and reacts;
    // the socket is retried only at the slowest pace.
    if (REFUSED_CLOSE_CODES.includes(e.code)) {
      attempt = Math.max(attempt, 10);
      for (const s of subscribers) s.notify();
    }
    retry();
  };
}

function retry() {
  if (subscribers.size === 0 || retryTimer !== undefined) return;
  // Doubling from 0.5 s, ±20 % jitter (tabs dropped together do not return together), never over 10 s.
  const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** attempt * (0.8 + Math.random() * 0.4));
  attempt++;
  retryTimer = setTimeout(connect, delay);
}

function startKeepAlive(ws: WebSocket) {
  stopKeepAlive();
  pingTimer = setInterval(() => {
    try {
      ws.send(PING);
    } catch {
      return;
    }
    clearTimeout(pongTimer);
    // No answer: the connection is gone without a close (sleep, network change). Start over.
    pongTimer = setTimeout(() => drop(ws), PONG_TIMEOUT_MS);
  }, PING_MS);
}

function stopKeepAlive() {
  clearInterval(pingTimer);
  clearTimeout(pongTimer);
  clearTimeout(stableTimer);
  clearTimeout(helloTimer);
}

/** Ends `ws` as if the server had dropped it: offline, then a retry. */
function drop(ws: WebSocket) {
  if (socket !== ws) return;
  ws.onclose?.(new CloseEvent("close", { code: 4000, reason: "no pong" }));
  try {
    ws.close();
  } catch {
    // already closed
  }
}

/** Closes the socket for good (nobody subscribes any more, or the credentials changed). */
function shutdown() {
  clearTimeout(retryTimer);
  clearTimeout(lingerTimer);
  retryTimer = undefined;
  stopKeepAlive();
  const ws = socket;
  socket = null;
  attempt = 0;
  if (ws) {
    ws.onclose = null;
    try {
      ws.close(1000, "done");
    } catch {
      // already closed
    }
  }
  setState("offline");
}

/** Retries at once (network back, tab visible again) instead of waiting out the backoff. */
function retryNow() {
  if (socket === null && subscribers.size > 0 && document.visibilityState === "visible") {
    attempt = 0;
    connect();
  }
}
if (typeof window !== "undefined") {
  window.addEventListener("online", retryNow);
  document.addEventListener("visibilitychange", retryNow);
}

/** Calls `notify` when one of `topics` changes (and after each reconnect). Returns the unsubscribe. */
export function subscribe(topics: Iterable<LiveTopic>, notify: () => void): () => void {
  const sub: Subscriber = { topics: new Set(topics), notify };
  subscribers.add(sub);
  clearTimeout(lingerTimer);
  const key = currentKey();
  if (key !== socketKey) shutdown();
  if (socket === null && retryTimer === undefined) connect();
  return () => {
    subscribers.delete(sub);
    if (subscribers.size > 0) return;
    clearTimeout(retryTimer);
    retryTimer = undefined;
    clearTimeout(lingerTimer);
    lingerTimer = setTimeout(() => {
      if (subscribers.size === 0) shutdown();
    }, LINGER_MS);
  };
}

/** The connection's state, re-rendering on change. */
export function useLiveState(): LiveState {
  const [s, set] = useState(state);
  useEffect(() => {
    stateListeners.add(set);
    set(state);
    return () => {
      stateListeners.delete(set);
    };
  }, []);
  return s;
}

export interface LiveOptions {
  /** The old polling interval, used while there is no socket. */
  pollMs: number;
  /** At most one refresh per this many ms (a burst of notices becomes one trailing refresh). */
  minGapMs?: number;
  /** False: neither subscribe nor poll (e.g. until the first load, or while paused). */
  enabled?: boolean;
}

/**
 * Runs `refresh` when one of `topics` changes while the socket is up, and every `pollMs` while it is
 * not. A hidden tab defers its refreshes until it is visible again. Returns the connection state.
 */
export function useLive(
  topics: LiveTopic[],
  refresh: () => void,
  { pollMs, minGapMs = 1000, enabled = true }: LiveOptions,
): LiveState {
  const live = useLiveState();
  const latest = useRef(refresh);
  latest.current = refresh;
  const topicKey = topics.join(",");

  useEffect(() => {
    if (!enabled) return;
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let deferred = false;
    const run = () => {
      timer = undefined;
      if (document.visibilityState !== "visible") {
        deferred = true;
        return;
      }
      last = Date.now();
      latest.current();
    };
    const request = () => {
      if (timer !== undefined) return;
      const wait = last + minGapMs - Date.now();
      if (wait <= 0) run();
      else timer = setTimeout(run, wait);
    };
    const onVisibility = () => {
      if (document.visibilityState === "visible" && deferred) {
        deferred = false;
        request();
      }
    };
    const off = subscribe(topicKey.split(",") as LiveTopic[], request);
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      off();
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [topicKey, enabled, minGapMs]);

  // The fallback: the old polling while there is no socket; a rare safety refresh while there is.
  const every = live === "live" ? SAFETY_REFRESH_MS : pollMs;
  useEffect(() => {
    if (!enabled) return;
    let timer: ReturnType<typeof setInterval> | undefined;
    const start = () => {
      clearInterval(timer);
      timer = setInterval(() => latest.current(), every);
    };
    const onVisibility = () => {
      if (document.visibilityState === "visible") start();
      else clearInterval(timer);
    };
    if (document.visibilityState === "visible") start();
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [every, enabled]);

  return live;
}

/** The indicator next to a live view: a green dot while pushes arrive, a grey one while polling. */
export function liveBadge(s: LiveState, pollMs: number): { class: string; text: string; title: string } {
  // The shell's texts are mounted with the frame, so .get() is already in the current language.
  const t = shell.get();
  if (s === "live") return { class: "live", text: t.liveOn, title: t.liveOnTitle };
  if (s === "connecting") return { class: "live paused", text: t.liveConnecting, title: t.liveConnectingTitle };
  const every =
    pollMs >= 60_000
      ? t.everyMinutes({ n: Math.round(pollMs / 60_000) })
      : t.everySeconds({ n: Math.round(pollMs / 1000) });
  return { class: "live paused", text: t.liveOffline({ every }), title: t.liveOfflineTitle };
}
