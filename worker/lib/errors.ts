import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Language } from "../../contract/languages";
import { defaultHint, render, type Text, text } from "../i18n";

/** What an error says: a catalogue `Text` (rendered in the reader's language) or a string as it is. */
export type Said = Text | string;

/**
 * The one error type of the API. Every failure a client can cause ends up as `{detail, code, hint}`:
 * `detail` says what is wrong, `hint` what to do next (a CLI command where there is one). A throw site
 * that knows more than the code (the holder's name, the dependencies still open) passes its own hint;
 * otherwise the code's default from the catalogue (i18n/<lang>/hints.ts) is sent. Both are rendered in the
 * response's language when the response is made (`said`, `hintSaid`); `detail` is the English, for logs.
 */
export class ApiError extends Error {
  readonly detail: string;

  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    readonly said: Said,
    readonly hintSaid?: Said,
    /** Sent as `Retry-After` (seconds), e.g. with a 429. */
    readonly retryAfterSeconds?: number,
  ) {
    const detail = render(said, "en");
    super(detail);
    this.detail = detail;
  }

  /** The hint in English (the code's default if the throw site gave none). */
  get hint(): string | undefined {
    return this.hintSaid === undefined ? defaultHint(this.code, "en") : render(this.hintSaid, "en");
  }

  /** The `{detail, code, hint}` body in `lang`. */
  bodyIn(lang: Language): { detail: string; code: string; hint?: string } {
    return errorJson(this.code, render(this.said, lang), this.hintSaid, lang);
  }

  toJSON(): ErrorBody {
    return {
      status: this.status,
      code: this.code,
      detail: this.said,
      ...(this.hintSaid !== undefined ? { hint: this.hintSaid } : {}),
    };
  }

  static from(body: ErrorBody): ApiError {
    return new ApiError(body.status, body.code, body.detail, body.hint);
  }
}

/** An ApiError in a form that survives Durable Object RPC (plain data; RPC does not keep error classes). */
export interface ErrorBody {
  status: ContentfulStatusCode;
  code: string;
  detail: Said;
  hint?: Said;
}

export const badRequest = (code: string, detail: Said, hint?: Said) => new ApiError(400, code, detail, hint);
export const unauthorized = (code: string, detail: Said, hint?: Said) => new ApiError(401, code, detail, hint);
export const forbidden = (code: string, detail: Said, hint?: Said) => new ApiError(403, code, detail, hint);
export const notFound = (code: string, detail: Said, hint?: Said) => new ApiError(404, code, detail, hint);
export const conflict = (code: string, detail: Said, hint?: Said) => new ApiError(409, code, detail, hint);
export const tooManyRequests = (code: string, detail: Said, retryAfterSeconds: number, hint?: Said) =>
  new ApiError(429, code, detail, hint, Math.max(1, Math.ceil(retryAfterSeconds)));

const httpExceptionCodes: Record<number, string> = {
  400: "invalid_json",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

/** Seconds a client is asked to wait (`Retry-After`) before retrying a `503 storage_unavailable`. */
export const RETRY_AFTER_SECONDS = 1;

/** The answer when D1 or the sub-task's Durable Object fails for reasons that say nothing about the request. */
export const storageUnavailable = () =>
  new ApiError(503, "storage_unavailable", text("storageUnavailable", { seconds: RETRY_AFTER_SECONDS }));

/**
 * D1 errors that are the query's fault (bad SQL, a violated constraint, a type mismatch) or a limit
 * the same query hits again: a retry cannot help, so they stay programming errors (500).
 */
const PERMANENT_D1 =
  /\bSQLITE_(?:ERROR|CONSTRAINT|MISMATCH|RANGE|TOOBIG|SCHEMA|AUTH|FULL|READONLY)\b|D1_TYPE_ERROR|D1_COLUMN_NOTFOUND|D1_EXEC_ERROR|maximum DB size|memory limit|CPU time limit/i;
/**
 * The messages D1 and Durable Objects give when storage itself failed (D1's list of errors to retry:
 * a lost connection, a storage reset or timeout, overload, a code update; SQLite busy/locked/I/O).
 */
const TRANSIENT =
  /network connection lost|(?:caused|causing) (?:the )?object to be reset|reset because its code was updated|overloaded|transient issue|client disconnected|internal error|SQLITE_(?:BUSY|LOCKED|IOERR)\b|database is locked/i;

/**
 * The failure of D1 or of the Durable Object runtime behind `err` that the same request can get past
 * later, or null. Errors thrown inside the Durable Object (D1's among them) reach the Worker with
 * their message and cause; the runtime's own failures carry `retryable`, `overloaded` or
 * `durableObjectReset`. A wrapper (drizzle's "Failed query: …", D1's "D1_ERROR: …") is judged by
 * the error it wraps: its own text quotes the query's values, which a client chose.
 */
export function storageFailureOf(err: unknown): Error | null {
  let e = err;
  for (let depth = 0; depth < 5 && typeof e === "object" && e !== null; depth++) {
    if (e instanceof ApiError || e instanceof HTTPException) return null;
    const { retryable, overloaded, durableObjectReset, cause, message } = e as Record<string, unknown>;
    if (retryable === true || overloaded === true || durableObjectReset === true) return e as Error;
    if (typeof cause === "object" && cause !== null) {
      e = cause;
      continue;
    }
    // An unknown message stays a 500: a bug must not hide behind "retry later".
    const text = String(message ?? "");
    return !PERMANENT_D1.test(text) && TRANSIENT.test(text) ? (e as Error) : null;
  }
  return null;
}

/** The one error handler (registered with `app.onError`). */
export function handleError(err: Error, c: Context): Response {
  const outage = storageFailureOf(err);
  if (outage) {
    // Not a bug, but worth seeing: D1's or the runtime's own words (never drizzle's, which quote values).
    console.warn("storage unavailable", outage.name, outage.message);
    err = storageUnavailable();
  }
  const lang: Language = c.get("lang") ?? "en";
  if (err instanceof ApiError) {
    // The challenge stays English: a header value allows ASCII only (RFC 6750 §3).
    if (err.status === 401) c.header("WWW-Authenticate", bearerChallenge(err.code, err.detail));
    if (err.status === 503) c.header("Retry-After", String(RETRY_AFTER_SECONDS));
    else if (err.retryAfterSeconds !== undefined) c.header("Retry-After", String(err.retryAfterSeconds));
    return c.json(err.bodyIn(lang), err.status);
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    const code = httpExceptionCodes[status] ?? "http_error";
    const detail = code === "invalid_json" ? text("invalidJson") : err.message || code;
    return c.json(errorJson(code, render(detail, lang), undefined, lang), status);
  }
  // Never echo internals (they may hold SQL or values); log the error name and message only.
  console.error("unhandled error", err.name, err.message, err.stack);
  return c.json({ detail: render(text("internalError"), lang), code: "internal" }, 500);
}

/** RFC 6750 §3.1 error codes by our 401 codes; a missing credential gets none (below). */
const BEARER_ERRORS: Record<string, string> = {
  invalid_api_key: "invalid_token",
  invalid_session: "invalid_token",
  bad_credentials: "invalid_request",
};

/**
 * The `WWW-Authenticate` challenge of a 401 (RFC 9110 requires one): MCP clients show its
 * error_description when a key is wrong. A request that sent no credential gets the bare challenge,
 * as RFC 6750 §3.1 asks (the JSON body still says what to send). Bearer is the only standard scheme
 * we take; the admin session's header has none, so its 401s use the same challenge.
 */
export function bearerChallenge(code: string, detail: string): string {
  const error = BEARER_ERRORS[code];
  if (!error) return 'Bearer realm="OpenMOSS"';
  // RFC 6750 allows printable ASCII but `"` and `\` in a description.
  const description = detail.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, "?");
  return `Bearer realm="OpenMOSS", error="${error}", error_description="${description}"`;
}

/** The body of every error answer; `hint` is left out only where there is nothing useful to say. */
export function errorJson(
  code: string,
  detail: string,
  hint: Said | undefined,
  lang: Language,
): { detail: string; code: string; hint?: string } {
  const next = hint === undefined ? defaultHint(code, lang) : render(hint, lang);
  return next ? { detail, code, hint: next } : { detail, code };
}
