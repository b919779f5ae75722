// The live protocol between the LiveHub (worker/durable/live-hub.ts) and the dashboards
// (dashboard/src/live.ts): one copy of what both ends must agree on. See docs/live.md.

/** The WebSocket subprotocol both ends offer and the hub echoes. */
export const LIVE_PROTOCOL = "openmoss.v1";

/** What a browser can be told changed. */
export const LIVE_TOPICS = [
  "tasks",
  "sub_tasks",
  "logs",
  "scores",
  "patrol",
  "agents",
  "requests",
  "settings",
] as const;
export type LiveTopic = (typeof LIVE_TOPICS)[number];
/** What a visitor of the public feed may learn changed (the request log and the agent cards). */
export const PUBLIC_TOPICS: readonly LiveTopic[] = ["requests", "agents", "scores", "sub_tasks"];

/** Who a socket was opened for; also the hub's hibernation tags. */
export type Audience = "admin" | "public-feed";

// Close codes the server uses when it ends a socket on purpose. Separate constants, so the dashboard's
// bundle inlines the two it reads instead of carrying the whole table.
const SESSION_ENDED = 4001;
const FEED_OFF = 4003;
export const CLOSE = { sessionEnded: SESSION_ENDED, feedOff: FEED_OFF, unexpectedMessage: 1008 } as const;
/** The close codes that mean "not allowed any more": the client stops retrying at its usual pace. */
export const REFUSED_CLOSE_CODES: readonly number[] = [SESSION_ENDED, FEED_OFF];

/** Keep-alive frames: the client sends PING, the runtime answers PONG without waking the hub. */
export const PING = "ping";
export const PONG = "pong";

/** Sent once right after the upgrade; the client counts itself live only from here. */
export interface HelloMessage {
  type: "hello";
  v: 1;
  audience: Audience;
  at: string;
}
/** Sent after changes: topic names only, the page refetches what it shows. */
export interface ChangedMessage {
  type: "changed";
  topics: LiveTopic[];
  at: string;
}
/** Every JSON frame the server sends. */
export type ServerMessage = HelloMessage | ChangedMessage;
