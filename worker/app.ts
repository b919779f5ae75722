import { OpenAPIHono } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./app-types";
import { getDb } from "./db/client";
import { emptyUsage, meteredD1 } from "./db/metered";
import { invalidInputHint } from "./domain/hints";
import { text } from "./i18n";
import { requestLanguage } from "./i18n/request-language";
import { normalizeBody } from "./lib/body";
import { corsPolicy, originGuard } from "./lib/cors";
import { ApiError, badRequest, handleError } from "./lib/errors";
import { invalidFieldText } from "./lib/invalid-input";
import { livePublish } from "./lib/live";
import { requestLog } from "./lib/request-log";
import { securityHeaders } from "./lib/security-headers";
import { dispatchNotifications, INLINE_LIMITS } from "./notify/dispatch";

/** The request's D1 handle, metered: its cost goes out in the `x-d1-*` response headers. */
export const meteredDb = createMiddleware<AppEnv>(async (c, next) => {
  const usage = emptyUsage();
  c.set("usage", usage);
  c.set("db", getDb(meteredD1(c.env.DB, usage)));
  await next();
  c.header("x-d1-queries", String(usage.queries));
  c.header("x-d1-rows-read", String(usage.rowsRead));
  c.header("x-d1-rows-written", String(usage.rowsWritten));
  c.header("x-do-calls", String(usage.doCalls));
  c.header("x-subrequests", String(usage.subrequests));
});

/** The Hono app with the cross-cutting middleware; route modules register on it. */
export function createBaseApp() {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        // A refused character (routes/define.ts) is reported first, under its own code.
        const issues = result.error.issues;
        const first = issues.find((i) => i.code === "custom" && typeof i.params?.code === "string") ?? issues[0];
        const code =
          first?.code === "custom" && typeof first.params?.code === "string" ? first.params.code : "invalid_input";
        const field = first?.path.join(".") ?? "";
        const hint = code === "invalid_input" ? invalidInputHint(field, c.req.method, c.req.routePath) : undefined;
        throw badRequest(code, invalidFieldText(field, first), hint);
      }
    },
  });
  app.onError(handleError);
  app.notFound(() => {
    throw new ApiError(404, "not_found", text("noSuchEndpoint"));
  });
  // First, so every response gets them: errors, 404s and CORS preflights too (docs/security.md).
  app.use("*", securityHeaders(handleError));
  // Next, so every answer after this point (errors included) is in the reader's language.
  app.use("*", requestLanguage);
  // A browser page from a foreign origin is refused before anything else (lib/cors.ts).
  app.use("/api/*", originGuard);
  app.use(
    "/api/*",
    corsPolicy({
      allowHeaders: [
        "Authorization",
        "Content-Type",
        "X-Admin-Token",
        "X-Registration-Token",
        "X-Setup-Token",
        "Idempotency-Key",
      ],
      // Readable by a dashboard on another origin: when to retry, whether a response was replayed.
      exposeHeaders: ["Retry-After", "Idempotent-Replayed"],
    }),
  );
  app.use("/api/*", meteredDb);
  app.use("/api/*", normalizeBody);
  // Notifications a request queued go out right after the response; the cron retries what fails.
  app.use("/api/*", async (c, next) => {
    c.set("notify", false);
    await next();
    if (c.get("notify") && c.env.NOTIFY_INLINE !== "off") {
      c.executionCtx.waitUntil(
        dispatchNotifications(getDb(c.env.DB), new Date(), fetch, INLINE_LIMITS).catch((err: Error) =>
          console.error("notification dispatch failed", err.message),
        ),
      );
    }
  });
  // Tells the dashboards' live sockets what changed, after the response (docs/live.md); before
  // requestLog so it runs once that request's log row is on its way.
  app.use("/api/*", livePublish);
  app.use("/api/*", requestLog);
  return app;
}

export type App = ReturnType<typeof createBaseApp>;
