// One origin policy for browser callers of /api/*, /mcp and the live sockets. Credentials travel in
// headers, never cookies. With CORS_ORIGINS set (e.g. a dashboard on Pages) only those origins may
// call from a browser; unset, any origin may.
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "../app-types";
import type { Env } from "../env";

/** The CORS_ORIGINS allowlist (comma-separated); empty means any origin. */
export const allowedOrigins = (env: Env): string[] => (env.CORS_ORIGINS ?? "").split(",").map((o) => o.trim()).filter(Boolean);

type CorsOptions = Omit<NonNullable<Parameters<typeof cors>[0]>, "origin">;

/** Hono's CORS middleware with the allowlist as its origin policy. */
export const corsPolicy = (options: CorsOptions): MiddlewareHandler<AppEnv> => (c, next) => {
  const allowed = allowedOrigins(c.env);
  return cors({ ...options, origin: allowed.length === 0 ? "*" : (origin) => (allowed.includes(origin) ? origin : null) })(c, next);
};
