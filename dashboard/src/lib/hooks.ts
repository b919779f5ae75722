import { useStore } from "@nanostores/preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { shell } from "../i18n/en/shell";
import { ApiError, api } from "./api";

export interface Resource<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  /** Fetches again; the current data stays on screen meanwhile. */
  reload: () => void;
}

/**
 * GETs `path` (an admin API path) and refetches whenever it changes; `null` fetches nothing.
 * A response that arrives after the path changed, or after unmount, is dropped.
 */
export function useApi<T>(path: string | null): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: path !== null });
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    setState((s) => ({ data: s.data, loading: true }));
    api<T>(path, { signal: controller.signal }).then(
      (data) => {
        // A request this effect no longer owns (the path changed, or reload ran) must not land last.
        if (!controller.signal.aborted) setState({ data, loading: false });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState((s) => ({
          data: s.data,
          error: error instanceof Error ? error : new ApiError(0, "unknown", String(error)),
          loading: false,
        }));
      },
    );
    return () => controller.abort();
  }, [path, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

type QueryDefaults = Record<string, string>;

/**
 * List filters that live in the URL's query string, so a filtered view can be bookmarked, shared
 * and restored with Back. Values equal to their default are left out of the URL.
 *
 *   const [filters, setFilters] = useQueryState({ status: "", page: "1" });
 *   setFilters({ status: "blocked", page: "1" });
 */
export function useQueryState<D extends QueryDefaults>(defaults: D): [D, (patch: Partial<D>) => void] {
  const { path, query, route } = useLocation();
  const values = {} as D;
  for (const key of Object.keys(defaults) as (keyof D & string)[]) {
    const v = query[key];
    values[key] = (v === undefined ? defaults[key] : v) as D[typeof key];
  }
  const latest = useRef({ path, query, defaults });
  latest.current = { path, query, defaults };
  const set = useCallback(
    (patch: Partial<D>) => {
      const { path: p, query: q, defaults: d } = latest.current;
      const next = new URLSearchParams();
      for (const [k, v] of Object.entries({ ...q, ...patch })) {
        if (v === undefined || v === "" || (k in d && v === d[k])) continue;
        next.set(k, String(v));
      }
      const qs = next.toString();
      route(qs ? `${p}?${qs}` : p, true);
    },
    [route],
  );
  return [values, set];
}

/** A value that re-renders its users every `ms` (one shared timer per interval). */
const tickers = new Map<
  number,
  { now: number; subs: Set<(n: number) => void>; timer?: ReturnType<typeof setInterval> }
>();
export function useNow(ms = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    let t = tickers.get(ms);
    if (!t) {
      const created = { now: Date.now(), subs: new Set<(n: number) => void>() } as NonNullable<
        ReturnType<typeof tickers.get>
      >;
      created.timer = setInterval(() => {
        created.now = Date.now();
        for (const sub of created.subs) sub(created.now);
      }, ms);
      tickers.set(ms, created);
      t = created;
    }
    const ticker = t;
    ticker.subs.add(setNow);
    return () => {
      ticker.subs.delete(setNow);
      if (ticker.subs.size === 0) {
        clearInterval(ticker.timer);
        tickers.delete(ms);
      }
    };
  }, [ms]);
  return now;
}

/** Sets document.title for the current page (in the dashboard's language: pass the translated title). */
export function useTitle(title: string): void {
  const t = useStore(shell);
  useEffect(() => {
    document.title = title ? t.pageTitle({ page: title }) : "OpenMOSS Edge";
  }, [title, t]);
}
