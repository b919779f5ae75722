// The benchmarks' one HTTP client: a request as the agents' CLI sends it (JSON body, bearer key or
// admin token), answered with everything a bench measures (status, parsed body, client wall time,
// the x-d1-* headers metered.ts sets). It never throws: a network error is an answer with status
// "network", so each bench decides what a failure means for it.

/** The D1 work behind one response, from worker/db/metered.ts's x-d1-* headers. */
export interface D1Usage {
  queries: number;
  rowsRead: number;
  rowsWritten: number;
}

export interface Answer<T = unknown> {
  ok: boolean;
  /** The HTTP status, or "network" when no answer came (refused, reset, timed out). */
  status: number | "network";
  /** The body parsed as JSON; the text itself when it is not JSON; null when empty or no answer. */
  json: T;
  text: string;
  /** The error code of a failed answer (`{ code }` in the body), or the network error's code. */
  code: string | undefined;
  /** Client wall time: request sent → body read, in milliseconds. */
  ms: number;
  d1: D1Usage | null;
  headers: Headers | null;
}

export interface RequestOptions {
  /** An agent's API key, sent as `authorization: Bearer …`. */
  key?: string | null | undefined;
  /** An admin session token, sent as `x-admin-token`. */
  adminToken?: string | undefined;
  headers?: Record<string, string> | undefined;
  /** Sent as JSON when given. */
  body?: unknown;
  signal?: AbortSignal | undefined;
}

/** Query values as the benches pass them. */
export type Query = Record<string, string | number>;

const ID_LIKE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|^[0-9a-f]{16,}$/i;

/**
 * The path to request, and the label a bench groups it under: `template` names the id as {id}, and
 * id-like query values show as {id} too, so every sub-task's claim lands in one row.
 */
export function route(method: string, template: string, { id, query }: { id?: string; query?: Query } = {}) {
  let pathname = id === undefined ? template : template.replace("{id}", encodeURIComponent(id));
  const qs = new URLSearchParams();
  const shown: string[] = [];
  for (const [k, v] of Object.entries(query ?? {})) {
    qs.set(k, String(v));
    shown.push(`${k}=${ID_LIKE.test(String(v)) ? "{id}" : v}`);
  }
  if (shown.length) pathname += `?${qs}`;
  return { pathname, label: `${method} ${template}${shown.length ? `?${shown.join("&")}` : ""}` };
}

function d1Usage(headers: Headers): D1Usage | null {
  const queries = headers.get("x-d1-queries");
  if (queries === null) return null;
  return {
    queries: Number(queries),
    rowsRead: Number(headers.get("x-d1-rows-read") ?? 0),
    rowsWritten: Number(headers.get("x-d1-rows-written") ?? 0),
  };
}

/** The system error's code (ECONNREFUSED, ECONNRESET…), else the error's name (TimeoutError…). */
function networkCode(err: unknown): string {
  const e = err as { cause?: { code?: string }; name?: string };
  return e.cause?.code ?? e.name ?? String(err);
}

/**
 * One request. `T` is the body the caller expects on success: the server's contract, not checked
 * here (the benches compare what they read with what they wrote, which is the check that matters).
 */
export async function send<T = unknown>(
  base: string,
  method: string,
  pathname: string,
  { key, adminToken, headers: extra, body, signal }: RequestOptions = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { "content-type": "application/json", ...extra };
  if (key) headers.authorization = `Bearer ${key}`;
  if (adminToken) headers["x-admin-token"] = adminToken;
  const started = performance.now();
  let res: Response;
  let text: string;
  try {
    res = await fetch(base + pathname, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      signal: signal ?? null,
    });
    text = await res.text();
  } catch (err) {
    const code = networkCode(err);
    const message = err instanceof Error ? err.message : String(err);
    return {
      ok: false,
      status: "network",
      json: null as T,
      text: message,
      code,
      ms: performance.now() - started,
      d1: null,
      headers: null,
    };
  }
  const ms = performance.now() - started;
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text; // not JSON (the /__scheduled answer is plain text)
  }
  const code = res.ok ? undefined : (json as { code?: string } | null)?.code;
  return {
    ok: res.ok,
    status: res.status,
    json: json as T,
    text,
    code,
    ms,
    d1: d1Usage(res.headers),
    headers: res.headers,
  };
}

/** A client for setup and measured calls that must succeed: any failure throws, with the answer. */
export class Client {
  base: string;

  constructor(base: string) {
    this.base = base;
  }

  async request<T = unknown>(method: string, pathname: string, options: RequestOptions = {}): Promise<Answer<T>> {
    const answer = await send<T>(this.base, method, pathname, options);
    if (!answer.ok) throw new Error(`${method} ${pathname} → ${answer.status} ${answer.text.slice(0, 300)}`);
    return answer;
  }
}
