// The soak scenario's client side: each agent's calls as the CLI sends them (an Idempotency-Key on
// every mutating one, retried with it after a network error or a 502/503/504, a few acknowledged
// ones replayed), the recorder of every answer, and the ledger of what the server acknowledged.
import { randomUUID } from "node:crypto";
import type { Role } from "../../contract/vocabulary.ts";
import type { Created } from "./api-types.ts";
import { type Answer, type Query, type RequestOptions, route, send } from "./http.ts";

/** Seconds per bucket of the requests/s and latency series. */
export const BUCKET_S = 10;
/** A pause in ms, drawn uniformly between its bounds. */
export type Range = [lo: number, hi: number];
/** Share of acknowledged mutating calls sent again with the same Idempotency-Key. */
const REPLAY_SHARE = 0.03;
/** The CLI's retries (skills/cli/http.ts): after a network error or a 502/503/504, same key, these waits. */
const RETRY_DELAYS_MS = [300, 1000];
const RETRY_STATUSES = new Set([502, 503, 504]);
const TIMEOUT_MS = 30_000;
/** An HTTP status, or "network" when no answer came. */
type Status = Answer["status"];
const unanswered = (status: Status) => status === "network" || status >= 500;
/** A refusal that means "the state changed first": expected under concurrency, not an error. */
export const RACE_CODES = new Set([
  "illegal_transition",
  "concurrent_change",
  "dependencies_pending",
  "task_closed",
  "record_open",
  "record_not_open",
]);
const isRace = (status: Status, code: string | undefined) =>
  (status === 409 && RACE_CODES.has(code ?? "")) || (status === 403 && code === "not_owner");
const MUTATING = new Set(["POST", "PUT", "DELETE", "PATCH"]);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const between = ([lo, hi]: Range) => lo + Math.random() * (hi - lo);
export const chance = (p: number) => Math.random() < p;

/** Thrown by an agent's next call or pause once the time is up: its loop ends there. */
export class TimeUp extends Error {}

/** Every call by endpoint: latencies, status classes, and the failures with their bodies. */
interface EndpointStats {
  key: string;
  latencies: number[];
  ok: number;
  race: number;
  client: number;
  server: number;
  d1: number;
  rowsRead: number;
}

type Outcome = "ok" | "race" | "client" | "server";

export class Recorder {
  endpoints = new Map<string, EndpointStats>();
  failures = new Map<string, { count: number; body: string }>(); // "endpoint status code" → first body
  races = new Map<string, number>(); // "status code" → count
  replays = { sent: 0, mismatched: [] as string[] };
  retries = 0;
  requests = 0;
  buckets: { requests: number; latencies: number[] }[] = [];
  startedAt = 0;

  add(
    key: string,
    status: Status,
    code: string | undefined,
    ms: number,
    body: string,
    rowsRead?: string | number | null,
  ): void {
    let s = this.endpoints.get(key);
    if (!s) {
      s = { key, latencies: [], ok: 0, race: 0, client: 0, server: 0, d1: 0, rowsRead: 0 };
      this.endpoints.set(key, s);
    }
    s.latencies.push(ms);
    if (rowsRead !== null && rowsRead !== undefined) {
      s.d1 += 1;
      s.rowsRead += Number(rowsRead);
    }
    this.requests += 1;
    const i = Math.floor((performance.now() - this.startedAt) / (BUCKET_S * 1000));
    while (this.buckets.length <= i) this.buckets.push({ requests: 0, latencies: [] });
    const bucket = this.buckets[i]!;
    bucket.requests += 1;
    bucket.latencies.push(ms);
    if (typeof status === "number" && status < 400) {
      s.ok += 1;
      return;
    }
    if (isRace(status, code)) {
      this.races.set(`${status} ${code}`, (this.races.get(`${status} ${code}`) ?? 0) + 1);
      s.race += 1;
      return;
    }
    if (typeof status === "number" && status < 500) s.client += 1;
    else s.server += 1;
    const f = `${key} → ${status}${code ? ` ${code}` : ""}`;
    const seen = this.failures.get(f);
    if (seen) seen.count += 1;
    else this.failures.set(f, { count: 1, body: String(body ?? "").slice(0, 300) });
  }

  totals(): Record<Outcome, number> {
    const t = { ok: 0, race: 0, client: 0, server: 0 };
    const outcomes: Outcome[] = ["ok", "race", "client", "server"];
    for (const s of this.endpoints.values()) for (const k of outcomes) t[k] += s[k];
    return t;
  }
}

/**
 * What the server acknowledged (a 2xx, first or replayed), to compare with what it stores afterwards;
 * and what went unanswered (a network error or 5xx after the retries), which the server may or may
 * not have done: stored but unacknowledged is only allowed up to that many.
 */
export class Ledger {
  logs = new Map<string, Set<string>>(); // agent id → journal entry ids
  transitions = new Map<string, string[]>(); // sub-task id → ["op agent", …] (create included)
  tasks = new Set<string>();
  modules = 0;
  rules = new Map<string, number>(); // task id → task rules created
  unanswered = new Map<string, number>(); // "what" → calls without an answer
  counts = {
    claims: 0,
    starts: 0,
    submits: 0,
    approved: 0,
    rejected: 0,
    blocks: 0,
    reassigns: 0,
    records: 0,
    resolved: 0,
  };

  #missed(r: AgentAnswer, what: string): boolean {
    if (unanswered(r.status)) this.unanswered.set(what, (this.unanswered.get(what) ?? 0) + 1);
    return r.ok;
  }

  unansweredOf(what: string): number {
    return this.unanswered.get(what) ?? 0;
  }

  /** A journal entry (POST /api/logs); true when acknowledged. */
  log(r: AgentAnswer<Created>, agentId: string): boolean {
    if (!r.ok) return this.#missed(r, `log ${agentId}`);
    const ids = this.logs.get(agentId) ?? new Set();
    ids.add(r.json.id);
    this.logs.set(agentId, ids);
    return true;
  }

  /** A create or transition of a sub-task by an agent; true when acknowledged. */
  transition(r: AgentAnswer, subTaskId: string, op: string, agentId: string): boolean {
    if (!r.ok) return this.#missed(r, `${subTaskId} ${op} ${agentId}`);
    const ops = this.transitions.get(subTaskId) ?? [];
    ops.push(`${op} ${agentId}`);
    this.transitions.set(subTaskId, ops);
    return true;
  }

  /** Any other write, counted by kind (task, module, sub_task, review, rule); true when acknowledged. */
  wrote(r: AgentAnswer, kind: string): boolean {
    return r.ok || this.#missed(r, kind);
  }
}

/** An agent's calls: measured, with an Idempotency-Key on every mutating one, and the deadline. */
/** An answer as an agent sees it: with whether the server answered from its idempotency store. */
type AgentAnswer<T = unknown> = Answer<T> & { replayed: boolean };

/** A registered agent of the soak. */
export interface SoakAgent {
  id: string;
  name: string;
  role: Role;
  key: string;
  /** Tasks this agent (a planner) created. */
  tasks: string[];
}

/** One call of an agent, kept whole so that a retry or a replay sends the same Idempotency-Key. */
type AgentRequest = RequestOptions & { method: string; pathname: string };

interface CallOptions {
  id?: string;
  query?: Query;
  body?: unknown;
}

export class AgentApi {
  base: string;
  recorder: Recorder;
  endsAt: number;
  id: string;
  name: string;
  role: Role;
  key: string;
  tasks: string[];
  /** A planner's list of executors to reassign blocked work to (looked up once). */
  executors: string[] | undefined;

  constructor({
    base,
    recorder,
    endsAt,
    agent,
  }: { base: string; recorder: Recorder; endsAt: number; agent: SoakAgent }) {
    this.base = base;
    this.recorder = recorder;
    this.endsAt = endsAt;
    this.id = agent.id;
    this.name = agent.name;
    this.role = agent.role;
    this.key = agent.key;
    this.tasks = agent.tasks;
  }

  /** A pause of the agent, cut short (and ended) by the deadline. */
  async pause(range: Range): Promise<void> {
    const left = this.endsAt - Date.now();
    if (left <= 0) throw new TimeUp();
    await sleep(Math.min(left, between(range)));
    if (Date.now() >= this.endsAt) throw new TimeUp();
  }

  get<T = unknown>(template: string, opts?: CallOptions) {
    return this.call<T>("GET", template, opts);
  }

  post<T = unknown>(template: string, opts?: CallOptions) {
    return this.call<T>("POST", template, { body: {}, ...opts });
  }

  put<T = unknown>(template: string, opts?: CallOptions) {
    return this.call<T>("PUT", template, opts);
  }

  /** One call; resolves `{ ok, status, code, json }` whatever the answer (every answer is recorded). */
  async call<T = unknown>(method: string, template: string, { id, query, body }: CallOptions = {}) {
    if (Date.now() >= this.endsAt) throw new TimeUp();
    const { pathname, label } = route(method, template, {
      ...(id === undefined ? {} : { id }),
      ...(query ? { query } : {}),
    });
    const request: AgentRequest = {
      method,
      pathname,
      key: this.key,
      headers: MUTATING.has(method) ? { "idempotency-key": randomUUID() } : {},
      body,
    };
    const r = await this.#exchange<T>(label, request);
    if (r.ok && MUTATING.has(method) && chance(REPLAY_SHARE)) await this.#replay(label, request, r);
    return r;
  }

  /** One call as the CLI makes it: retried with the same Idempotency-Key after a network error or 502/503/504. */
  async #exchange<T>(label: string, request: AgentRequest): Promise<AgentAnswer<T>> {
    for (let attempt = 0; ; attempt++) {
      const r = await this.#send<T>(label, request);
      if (attempt >= RETRY_DELAYS_MS.length || !(r.status === "network" || RETRY_STATUSES.has(r.status))) return r;
      this.recorder.retries += 1;
      await sleep(RETRY_DELAYS_MS[attempt]!);
    }
  }

  async #send<T>(label: string, { method, pathname, ...options }: AgentRequest): Promise<AgentAnswer<T>> {
    const r = await send<T>(this.base, method, pathname, { ...options, signal: AbortSignal.timeout(TIMEOUT_MS) });
    this.recorder.add(label, r.status, r.code, r.ms, r.text, r.d1?.rowsRead);
    return { ...r, replayed: r.headers?.get("idempotent-replayed") === "true" };
  }

  /** The same request again (a client retry after a lost answer): it must replay, not run twice. */
  async #replay(label: string, request: AgentRequest, first: AgentAnswer): Promise<void> {
    this.recorder.replays.sent += 1;
    const again = await this.#exchange(label, request);
    if (!again.replayed || again.status !== first.status || again.text !== first.text) {
      this.recorder.replays.mismatched.push(`${label}: ${again.status}, replayed=${again.replayed}`);
    }
  }
}
