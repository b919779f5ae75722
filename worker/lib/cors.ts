// One origin policy for browser callers of /api/*, /mcp and the live sockets. Credentials travel in
// headers, never cookies. A request without `Origin` (an agent, the CLI, an MCP client outside a
// browser) is never refused for its origin; a browser's request is answered only for the origins
// below, anything else gets 403 origin_not_allowed before authentication or any work (the MCP
// specification's DNS-rebinding rule). See docs/security.md.
import type { Context, MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-types";
import { getDb } from "../db/client";
import { readSettings } from "../db/settings";
import type { Env } from "../env";
import { text } from "../i18n";
import { forbidden } from "./errors";

/** The CORS_ORIGINS allowlist (comma-separated): browser origins allowed besides the server's own. */
export const allowedOrigins = (env: Env): string[] =>
  (env.CORS_ORIGINS ?? "")
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean);

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** A host that resolves without DNS to this machine: `localhost`, `*.localhost` (RFC 6761), 127.0.0.0/8, [::1]. */
export const isLoopbackHost = (hostname: string): boolean =>
  hostname === "localhost" ||
  hostname.endsWith(".localhost") ||
  (IPV4.test(hostname) && hostname.startsWith("127.")) ||
  hostname === "[::1]";

/**
 * Whether the request's own origin can be taken at its word. Wrangler dev answers under whatever
 * `Host` it is sent, so a page on a rebound name (evil.example → 127.0.0.1) would be "same-origin"
 * with a local server. It cannot be for an https URL (the name's certificate vouches for it: on
 * Cloudflare always ours), a loopback name or an IP literal (no DNS involved).
 */
const trustedOwnOrigin = (url: URL): boolean =>
  url.protocol === "https:" || isLoopbackHost(url.hostname) || IPV4.test(url.hostname) || url.hostname.startsWith("[");

/**
 * Whether a browser on `origin` may call: a CORS_ORIGINS entry; the server's own origin where it can
 * be trusted; any loopback origin when the server itself is on loopback (a local tool such as the MCP
 * Inspector on another port); or `server.external_url`'s origin (one settings read, only for an
 * origin none of the others allowed).
 */
export function originAllowed(origin: string, c: Context<AppEnv>): Promise<boolean> {
  // The guard and CORS both ask; the answer (maybe a D1 read) is worked out once per request.
  let answer = verdicts.get(c.req.raw);
  if (!answer) {
    answer = judgeOrigin(origin, c);
    verdicts.set(c.req.raw, answer);
  }
  return answer;
}

const verdicts = new WeakMap<Request, Promise<boolean>>();

async function judgeOrigin(origin: string, c: Context<AppEnv>): Promise<boolean> {
  if (allowedOrigins(c.env).includes(origin)) return true;
  const from = URL.parse(origin);
  if (!from || (from.protocol !== "https:" && from.protocol !== "http:")) return false;
  const url = new URL(c.req.url);
  if (from.origin === url.origin && trustedOwnOrigin(url)) return true;
  if (isLoopbackHost(url.hostname) && isLoopbackHost(from.hostname)) return true;
  const external = (await readSettings(getDb(c.env.DB)))["server.external_url"];
  return external !== "" && URL.parse(external)?.origin === from.origin;
}

/** 403 origin_not_allowed for a browser request from an origin `originAllowed` refuses; preflights go to CORS. */
export const originGuard = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header("origin");
  if (origin !== undefined && c.req.method !== "OPTIONS" && !(await originAllowed(origin, c))) {
    throw forbidden("origin_not_allowed", text("originNotAllowed"));
  }
  await next();
});

type CorsOptions = Omit<NonNullable<Parameters<typeof cors>[0]>, "origin">;

/** Hono's CORS middleware with `originAllowed` as its origin policy (a refused origin gets no CORS headers). */
export const corsPolicy = (options: CorsOptions): MiddlewareHandler<AppEnv> =>
  cors({
    ...options,
    origin: async (origin, c) => (origin && (await originAllowed(origin, c as Context<AppEnv>)) ? origin : null),
  });
