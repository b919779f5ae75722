// The dashboards' live push: a WebSocket per browser tab, held by the LiveHub Durable Object. These
// routes authenticate the upgrade and forward it to the hub. Browsers cannot set headers on a
// WebSocket, so the admin session travels as a subprotocol (`token.<session>`), never in the URL
// (URLs reach logs). See docs/live.md.
import type { Context } from "hono";
import { type Audience, LIVE_PROTOCOL, PUBLIC_TOPICS } from "../../contract/live";
import type { App } from "../app";
import type { AppEnv } from "../app-types";
import { findAdminSession } from "../auth/admin";
import { readSettings } from "../db/settings";
import { HUB_HEADERS } from "../durable/live-hub";
import { text as message } from "../i18n";
import { ApiError, badRequest, type ErrorBody, forbidden, unauthorized } from "../lib/errors";
import { liveHub } from "../lib/live";

const TOKEN_PREFIX = "token.";

/** The subprotocols the client offered (`Sec-WebSocket-Protocol: openmoss.v1, token.…`). */
function offered(c: Context<AppEnv>): string[] {
  return (c.req.header("sec-websocket-protocol") ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
}

/** The checks both sockets share: a WebSocket upgrade, our subprotocol. */
function checkUpgrade(c: Context<AppEnv>): string[] {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError(426, "upgrade_required", message("upgradeRequired"));
  }
  const protocols = offered(c);
  if (!protocols.includes(LIVE_PROTOCOL))
    throw badRequest("unsupported_protocol", message("unsupportedProtocol", { protocol: LIVE_PROTOCOL }));
  // Browsers do not apply CORS to WebSockets: the Origin was checked before this (originGuard, lib/cors.ts).
  return protocols;
}

/** Hands the authenticated upgrade to the hub; its 101 response (with the socket) goes back as is. */
async function toHub(c: Context<AppEnv>, audience: Audience, extra: Record<string, string> = {}): Promise<Response> {
  // A fresh request: only what the hub needs, never the client's token.
  const answer = await liveHub(c.env, c.var.usage).fetch("https://live-hub/connect", {
    headers: { upgrade: "websocket", [HUB_HEADERS.audience]: audience, ...extra },
  });
  // The hub's refusal is plain data (an ErrorBody): answered here, in the reader's language, with its hint.
  if (answer.status >= 400) throw ApiError.from(await answer.json<ErrorBody>());
  return answer;
}

export function registerLiveRoutes(app: App) {
  app.get("/api/admin/live", async (c) => {
    const protocols = checkUpgrade(c);
    const token = protocols.find((p) => p.startsWith(TOKEN_PREFIX))?.slice(TOKEN_PREFIX.length);
    if (!token) throw unauthorized("missing_credentials", message("liveNeedsSession", { prefix: TOKEN_PREFIX }));
    const session = await findAdminSession(c.var.db, token);
    return toHub(c, "admin", { [HUB_HEADERS.session]: session.tokenHash, [HUB_HEADERS.expires]: session.expiresAt });
  });

  app.get("/api/feed/live", async (c) => {
    checkUpgrade(c);
    if (!(await readSettings(c.var.db))["webui.public_feed"]) throw forbidden("feed_disabled", message("feedDisabled"));
    return toHub(c, "public-feed");
  });

  // Documented for completeness; the answer is a 101 with the socket, or a JSON error.
  const common = {
    method: "get" as const,
    tags: ["Live"],
    parameters: [
      {
        name: "Upgrade",
        in: "header" as const,
        required: true,
        schema: { type: "string" as const, enum: ["websocket"] },
      },
      { name: "Sec-WebSocket-Protocol", in: "header" as const, required: true, schema: { type: "string" as const } },
    ],
  };
  const errors = (codes: Record<number, string>) =>
    Object.fromEntries(Object.entries(codes).map(([code, description]) => [code, { description }]));
  app.openAPIRegistry.registerPath({
    ...common,
    path: "/api/admin/live",
    summary: `WebSocket of change notices for the dashboard. Subprotocols: ${LIVE_PROTOCOL}, ${TOKEN_PREFIX}<admin session>`,
    description:
      'Server → client: `{"type":"changed","topics":[…],"at":"…"}`; client → server: `ping` (answered `pong`). See docs/live.md.',
    responses: {
      101: { description: `Switching protocols (${LIVE_PROTOCOL})` },
      ...errors({ 400: "Subprotocol missing", 401: "No or invalid session", 426: "Not a WebSocket upgrade" }),
    },
  });
  app.openAPIRegistry.registerPath({
    ...common,
    path: "/api/feed/live",
    summary: `WebSocket of change notices for the public feed (no auth; 403 while the feed is off). Subprotocol: ${LIVE_PROTOCOL}`,
    description: `Topics: ${PUBLIC_TOPICS.join(", ")}. See docs/live.md.`,
    responses: {
      101: { description: `Switching protocols (${LIVE_PROTOCOL})` },
      ...errors({ 400: "Subprotocol missing", 403: "The public feed is off", 426: "Not a WebSocket upgrade" }),
    },
  });
}
