// Security headers on every response the Worker itself makes (everything under /api/*, plus /mcp
// and /__scheduled). The dashboard's static files get theirs from dashboard/public/_headers: Workers
// Static Assets never run this code. See docs/security.md.
import type { Context, ErrorHandler, Next } from "hono";
import { createMiddleware } from "hono/factory";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../app-types";
import { DOWNLOAD_CSP } from "../domain/file-download";
import { DOCS_CSP, DOCS_PATH } from "./api-docs";

/** JSON, text and zip downloads: nothing on them may load, run or be framed. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

const common = {
  xFrameOptions: "DENY",
  referrerPolicy: "no-referrer",
  crossOriginOpenerPolicy: "same-origin",
  // CORS fetches (a dashboard on another origin) are not subject to CORP; only no-cors loads are.
  crossOriginResourcePolicy: "same-origin",
} as const;

const apiHeaders = secureHeaders({
  ...common,
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
});
// The docs page's CSP is set below: it loads its own scripts and styles (worker/lib/api-docs.ts).
const docsHeaders = secureHeaders(common);

/**
 * Hono's secureHeaders everywhere; the docs page gets its own CSP.
 * `onError` is the app's error handler: a path that only this middleware matches (/__scheduled) reaches
 * Hono's not-found handler straight from this middleware, and its error would otherwise skip us.
 */
export const securityHeaders = (onError: ErrorHandler<AppEnv>) =>
  createMiddleware<AppEnv>(async (c, next) => {
    // Touch the response first: Hono then copies whatever a handler returns (e.g. an immutable
    // Response from a Durable Object's fetch) into a fresh one whose headers can be set.
    void c.res;
    let sandboxed = false;
    const guarded: Next = async () => {
      try {
        await next();
      } catch (err) {
        if (!(err instanceof Error)) throw err;
        c.res = await onError(err, c as Context<AppEnv>);
      }
      sandboxed = c.res.headers.get("content-security-policy") === DOWNLOAD_CSP;
    };
    if (c.req.path !== DOCS_PATH) {
      await apiHeaders(c, guarded);
      // A file download's own CSP (sandbox) is stricter than the API's: it stays.
      if (sandboxed) c.res.headers.set("Content-Security-Policy", DOWNLOAD_CSP);
      return;
    }
    await docsHeaders(c, guarded);
    const isHtml = c.res.headers.get("content-type")?.startsWith("text/html") ?? false;
    c.res.headers.set("Content-Security-Policy", isHtml ? DOCS_CSP : API_CSP);
  });
