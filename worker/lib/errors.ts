import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The one error type of the API. Every failure a client can cause ends up as `{detail, code}`. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    readonly detail: string,
  ) {
    super(detail);
  }

  toJSON(): ErrorBody {
    return { status: this.status, code: this.code, detail: this.detail };
  }

  static from(body: ErrorBody): ApiError {
    return new ApiError(body.status, body.code, body.detail);
  }
}

/** An ApiError in a form that survives Durable Object RPC (which does not keep error classes). */
export interface ErrorBody {
  status: ContentfulStatusCode;
  code: string;
  detail: string;
}

export const badRequest = (code: string, detail: string) => new ApiError(400, code, detail);
export const unauthorized = (code: string, detail: string) => new ApiError(401, code, detail);
export const forbidden = (code: string, detail: string) => new ApiError(403, code, detail);
export const notFound = (code: string, detail: string) => new ApiError(404, code, detail);
export const conflict = (code: string, detail: string) => new ApiError(409, code, detail);

const httpExceptionCodes: Record<number, string> = {
  400: "invalid_json",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

/** The one error handler (registered with `app.onError`). */
export function handleError(err: Error, c: Context): Response {
  if (err instanceof ApiError) {
    return c.json({ detail: err.detail, code: err.code }, err.status);
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    const code = httpExceptionCodes[status] ?? "http_error";
    const detail = code === "invalid_json" ? "request body is not valid JSON" : err.message || code;
    return c.json({ detail, code }, status);
  }
  // Never echo internals (they may hold SQL or values); log the error name and message only.
  console.error("unhandled error", err.name, err.message, err.stack);
  return c.json({ detail: "internal error", code: "internal" }, 500);
}
