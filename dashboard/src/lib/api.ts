// The one way the dashboard talks to the Worker. Every admin call carries X-Admin-Token from
// localStorage; a 401 on an admin call means the session is gone (expired, logged out, password
// changed), so the token is dropped and the app goes to /login. Errors surface the API's `detail`,
// which the server writes in the language the request asks for (Accept-Language: the dashboard's).
import { language } from "../i18n";
import { shell } from "../i18n/en/shell";

const TOKEN_KEY = "openmoss.admin_token";
/** Empty when the Worker serves the dashboard; set VITE_API_BASE_URL at build time to host it elsewhere. */
const API_BASE = (import.meta.env.VITE_API_BASE_URL ?? "").replace(/\/+$/, "");

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
  ) {
    super(detail);
    this.name = "ApiError";
  }
}

export function getToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    // storage disabled: the session lasts for this page only
  }
}

let onUnauthorized: () => void = () => {
  location.assign("/login");
};

/** The app installs a router-aware handler (keeps the current page as ?next=). */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  headers?: Record<string, string>;
  /** Send X-Admin-Token and treat 401 as a lost session (default true). */
  admin?: boolean;
  signal?: AbortSignal;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = "GET", body, admin = true, signal } = options;
  const headers: Record<string, string> = {
    Accept: "application/json",
    "Accept-Language": language.get(),
    ...options.headers,
  };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const token = admin ? getToken() : null;
  if (token) headers["X-Admin-Token"] = token;

  let res: Response;
  try {
    res = await fetch(API_BASE + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: signal ?? null,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, "network", shell.get().cannotReachServer);
  }

  const text = await res.text();
  let data: unknown;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) throw failure(res.status, data, admin);
  return data as T;
}

/** The ApiError of a failed answer (its JSON `data`, if any); a 401 on an admin call ends the session. */
function failure(status: number, data: unknown, admin: boolean): ApiError {
  const err = (data ?? {}) as { detail?: unknown; code?: unknown };
  const detail = typeof err.detail === "string" && err.detail ? err.detail : shell.get().requestFailed({ status });
  const error = new ApiError(status, typeof err.code === "string" ? err.code : "http_error", detail);
  if (status === 401 && admin) {
    setToken(null);
    onUnauthorized();
  }
  return error;
}

/**
 * An admin GET of bytes (a deliverable file's content) as a Blob, with extra headers such as Range;
 * `partial` when the server sent only the range asked for (206). Errors as api() reports them.
 */
export async function apiBlob(
  path: string,
  options: { headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<{ blob: Blob; partial: boolean }> {
  const headers: Record<string, string> = { Accept: "*/*", "Accept-Language": language.get(), ...options.headers };
  const token = getToken();
  if (token) headers["X-Admin-Token"] = token;
  let res: Response;
  try {
    res = await fetch(API_BASE + path, { headers, signal: options.signal ?? null });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, "network", shell.get().cannotReachServer);
  }
  if (!res.ok) {
    let data: unknown;
    try {
      data = await res.json();
    } catch {
      data = undefined;
    }
    throw failure(res.status, data, true);
  }
  return { blob: await res.blob(), partial: res.status === 206 };
}

/** Builds `path?query` from the defined, non-empty values. */
export function withQuery(path: string, query: Record<string, string | number | boolean | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
