// The HTTP layer: bearer auth, JSON bodies, an Idempotency-Key on every mutating call, and retries
// with that same key, so a request whose answer was lost changes state once (the server replays the
// first answer). A 429 (this agent's rate limit) is retried after its Retry-After when that is short;
// otherwise its detail, which says when to retry, is the error.
import { randomUUID } from "node:crypto";
import { ApiError, CliError } from "./errors";
import { askedLang, followServer, t } from "./i18n/index";

export type Query = Record<string, string | number | undefined>;

/** Waits before the 2nd and 3rd attempt; a gateway hiccup or a restart usually passes within them. */
const RETRY_DELAYS_MS = [300, 1000];
const RETRY_STATUSES = new Set([502, 503, 504]);
/** The longest Retry-After of a 429 the CLI waits out itself; a longer one ends the command. */
const MAX_RATE_LIMIT_WAIT_S = 10;
/** Per attempt: a hung connection must not hang the agent's run. */
const TIMEOUT_MS = 30_000;
const MUTATING = new Set(["POST", "PUT", "DELETE"]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
  status: number;
  text: string;
}

export class Api {
  constructor(
    readonly base: string,
    private readonly key: string | undefined,
    private readonly delays: readonly number[] = RETRY_DELAYS_MS,
  ) {}

  get<T>(path: string, query?: Query): Promise<T> {
    return this.json<T>("GET", path, { query });
  }

  post<T>(path: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<T> {
    return this.json<T>("POST", path, { body, headers });
  }

  /** A POST whose status tells apart what the body does not (201 created, 200 already there). */
  async postWithStatus<T>(path: string, body: unknown = {}): Promise<{ status: number; body: T }> {
    const answer = await this.send("POST", path, { body });
    if (answer.status >= 400) throw errorOf(answer);
    return { status: answer.status, body: this.parse<T>(answer) };
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>("PUT", path, { body });
  }

  delete<T>(path: string): Promise<T> {
    return this.json<T>("DELETE", path, {});
  }

  /**
   * A raw-body POST (st attach): `open()` gives a fresh stream of the bytes for each attempt, so a retry
   * sends the whole file again. No Idempotency-Key: the route reads a stream it cannot replay, and a
   * retry of the same name replaces the earlier file, which is idempotent in effect.
   */
  async upload<T>(path: string, query: Query, upload: Upload): Promise<T> {
    const answer = await this.exchange(
      "POST",
      path,
      { query, headers: upload.headers, timeoutMs: upload.timeoutMs },
      {
        open: upload.open,
        read: async (res) => res.text(),
      },
    );
    const result = { status: answer.res.status, text: answer.value };
    if (result.status >= 400) throw errorOf(result);
    return this.parse<T>(result);
  }

  /** A streamed GET (st download): the answer with its body unread; an error answer is thrown. */
  async stream(path: string, timeoutMs: number): Promise<Response> {
    const { res } = await this.exchange(
      "GET",
      path,
      { headers: { accept: "*/*" }, timeoutMs },
      {
        read: async () => undefined,
      },
    );
    if (res.status >= 400) throw errorOf({ status: res.status, text: await res.text() });
    return res;
  }

  /** A text download (the CLI itself, SKILL.md). */
  async text(path: string): Promise<string> {
    const answer = await this.send("GET", path, { headers: { accept: "*/*" } });
    if (answer.status >= 400) throw errorOf(answer);
    return answer.text;
  }

  private async json<T>(method: string, path: string, opts: Options): Promise<T> {
    const answer = await this.send(method, path, opts);
    if (answer.status >= 400) throw errorOf(answer);
    return this.parse<T>(answer);
  }

  private parse<T>(answer: Answer): T {
    try {
      return JSON.parse(answer.text) as T;
    } catch {
      throw new CliError(t().common.notJson(answer.status, answer.text.slice(0, 200)), "bad_response");
    }
  }

  private async send(method: string, path: string, { query, body, headers }: Options): Promise<Answer> {
    const allHeaders: Record<string, string> = { ...headers };
    let payload: string | undefined;
    if (body !== undefined && method !== "GET") {
      allHeaders["content-type"] = "application/json";
      payload = JSON.stringify(body);
    }
    // One key for every attempt of this call: that is what makes the retries safe.
    if (MUTATING.has(method)) allHeaders["idempotency-key"] = randomUUID();
    const { res, value } = await this.exchange(
      method,
      path,
      { query, headers: allHeaders },
      { open: payload === undefined ? undefined : () => payload, read: (r) => r.text() },
    );
    return { status: res.status, text: value };
  }

  /**
   * One call with its retries: `open` makes each attempt's body, `read` consumes the answer inside the
   * attempt (so a connection lost while reading is retried too); an answer that is retried is dropped.
   */
  private async exchange<R>(
    method: string,
    path: string,
    { query, headers, timeoutMs = TIMEOUT_MS }: Options & { timeoutMs?: number },
    { open, read }: { open?: (() => RequestInit["body"]) | undefined; read: (res: Response) => Promise<R> },
  ): Promise<{ res: Response; value: R }> {
    const url = new URL(this.base + path);
    for (const [name, value] of Object.entries(query ?? {}))
      if (value !== undefined && value !== "") url.searchParams.set(name, String(value));
    const allHeaders: Record<string, string> = { accept: "application/json", ...headers };
    if (this.key) allHeaders.authorization = `Bearer ${this.key}`;
    // Only a language the agent asked for: otherwise the server answers in the project language.
    const lang = askedLang();
    if (lang) allHeaders["accept-language"] = lang;

    for (let attempt = 0; ; attempt++) {
      const retryable = attempt < this.delays.length;
      let wait = this.delays[attempt]!;
      try {
        const body = open?.();
        // A stream body must be sent as it is read (Node's fetch asks to be told so).
        const init = { method, headers: allHeaders, body, duplex: "half", signal: AbortSignal.timeout(timeoutMs) };
        const res = await fetch(url, init as RequestInit);
        const value = await read(res);
        // The project language, as the server says it: what is printed from here on follows it.
        followServer(res.headers.get("content-language"));
        const pause = retryable ? retryPause(res, wait) : null;
        if (pause === null) return { res, value };
        if (!res.bodyUsed) await res.body?.cancel().catch(() => undefined);
        wait = pause;
      } catch (err) {
        if (!retryable)
          throw new CliError(t().common.cannotConnect(this.base, reason(err, timeoutMs)), "connection_failed");
      }
      await sleep(wait);
    }
  }
}

/** The body of a raw upload and how long one attempt may take. */
export interface Upload {
  open: () => RequestInit["body"];
  headers: Record<string, string>;
  timeoutMs: number;
}

/** Milliseconds to wait before retrying `res`, or null when it is the answer: 502/503/504 after the usual delay, a 429 after a short Retry-After. */
function retryPause(res: Response, delayMs: number): number | null {
  if (RETRY_STATUSES.has(res.status)) return delayMs;
  const retryAfter = res.headers.get("retry-after");
  if (res.status !== 429 || !retryAfter) return null;
  const seconds = Number(retryAfter);
  return Number.isFinite(seconds) && seconds >= 0 && seconds <= MAX_RATE_LIMIT_WAIT_S ? seconds * 1000 : null;
}

interface Options {
  query?: Query | undefined;
  body?: unknown;
  headers?: Record<string, string>;
}

function errorOf({ status, text }: Answer): ApiError {
  try {
    const body = JSON.parse(text) as { detail?: unknown; code?: unknown; hint?: unknown };
    const detail = typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail ?? body);
    const hint = typeof body.hint === "string" && body.hint !== "" ? body.hint : undefined;
    return new ApiError(status, detail, typeof body.code === "string" ? body.code : "", hint);
  } catch {
    return new ApiError(status, text.slice(0, 200).trim() || t().common.emptyResponse, "");
  }
}

/** The most useful part of a fetch failure: the socket error code (ECONNREFUSED, ENOTFOUND…) or a timeout. */
function reason(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError") return t().common.noAnswerWithin(Math.round(timeoutMs / 1000));
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}
