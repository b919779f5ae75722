// Security headers on every response the Worker itself makes (everything under /api/*, plus /mcp
// and /__scheduled). The dashboard's static files get theirs from dashboard/public/_headers: Workers
// Static Assets never run this code. See docs/security.md.
import type { Context, ErrorHandler, Next } from "hono";
import { createMiddleware } from "hono/factory";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../app-types";

/** The Swagger UI page (@hono/swagger-ui): the one HTML page the Worker serves. */
export const DOCS_PATH = "/api/docs";
/** Where @hono/swagger-ui loads swagger-ui-dist from. */
const DOCS_CDN = "https://cdn.jsdelivr.net";

/** JSON, text and zip downloads: nothing on them may load, run or be framed. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * The docs page: the CDN's script and stylesheet, its one inline bootstrap script by hash (never
 * 'unsafe-inline' for scripts), inline styles (Swagger UI sets them), data: images (its CSS icons),
 * and fetches to this origin only (the OpenAPI document, "Try it out").
 */
export const docsCsp = (scriptHashes: string[]): string =>
  [
    "default-src 'none'",
    `script-src ${[DOCS_CDN, ...scriptHashes.map((h) => `'sha256-${h}'`)].join(" ")}`,
    `style-src ${DOCS_CDN} 'unsafe-inline'`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");

const common = {
  xFrameOptions: "DENY",
  referrerPolicy: "no-referrer",
  crossOriginOpenerPolicy: "same-origin",
  // CORS fetches (a dashboard on another origin) are not subject to CORP; only no-cors loads are.
  crossOriginResourcePolicy: "same-origin",
} as const;

const apiHeaders = secureHeaders({ ...common, contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } });
const docsHeaders = secureHeaders(common);

/** The contents of every inline `<script>` (one without `src`) in an HTML page. */
export const inlineScripts = (html: string): string[] =>
  [...html.matchAll(/<script\b(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script\s*>/gi)].map((m) => m[1]!);

export async function sha256Base64(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...digest));
}

/**
 * Hono's secureHeaders everywhere; the docs page gets its own CSP, built from the page it serves.
 * `onError` is the app's error handler: a path that only this middleware matches (/__scheduled) reaches
 * Hono's not-found handler straight from this middleware, and its error would otherwise skip us.
 */
export const securityHeaders = (onError: ErrorHandler<AppEnv>) =>
  createMiddleware<AppEnv>(async (c, next) => {
    // Touch the response first: Hono then copies whatever a handler returns (e.g. an immutable
    // Response from a Durable Object's fetch) into a fresh one whose headers can be set.
    void c.res;
    const guarded: Next = async () => {
      try {
        await next();
      } catch (err) {
        if (!(err instanceof Error)) throw err;
        c.res = await onError(err, c as Context<AppEnv>);
      }
    };
    if (c.req.path !== DOCS_PATH) return apiHeaders(c, guarded);
    await docsHeaders(c, guarded);
    const isHtml = c.res.headers.get("content-type")?.startsWith("text/html") ?? false;
    const hashes = isHtml ? await Promise.all(inlineScripts(await c.res.clone().text()).map(sha256Base64)) : [];
    c.res.headers.set("Content-Security-Policy", isHtml ? docsCsp(hashes) : API_CSP);
  });
