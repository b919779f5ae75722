// The load scenario's API client: every request is recorded under "METHOD /path/{id}?query" with its
// latency, status and D1 use, and failures are counted by kind, so the report can tell expected
// races (409 on claim or review) from server errors, network errors and unexpected answers.
import { type Answer, type D1Usage, type Query, route, send } from "./http.ts";
import { BUCKET_S, type Bucket, type EndpointStats } from "./load-report.ts";

/** A request that did not succeed; the agents catch it and go on with their loop. */
export class RequestFailed extends Error {
  status: number | "ERR";

  constructor(key: string, status: number | "ERR", body: unknown) {
    super(`${key} → ${status} ${typeof body === "string" ? body : JSON.stringify(body)}`.slice(0, 400));
    this.status = status;
  }
}

export interface ApiOptions {
  id?: string;
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  adminToken?: string;
}

export class LoadClient {
  readonly endpoints = new Map<string, EndpointStats>();
  readonly failures = { server: 0, network: 0, unexpected: 0, samples: [] as string[] };
  /** False during the final checks, which are not measured. */
  recording = true;
  /** Requests sent while the teams ran (setup and final checks excluded), for the requests/s figure. */
  readonly runPhase = {
    active: false,
    startedAt: 0,
    requests: 0,
    rowsRead: 0,
    rowsWritten: 0,
    queries: 0,
    buckets: [] as Bucket[],
  };

  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  /** One call that must succeed: `template` names ids as {id}; any non-2xx throws. */
  async api<T = unknown>(agentKey: string | null, method: string, template: string, options: ApiOptions = {}) {
    const { label, answer, status } = await this.exchange<T>(agentKey, method, template, options);
    if (!answer.ok) this.unexpected(label, status, answer);
    return answer.json;
  }

  /** A claim or a review, which another agent may have won: true when the answer is that 409. */
  async lostRace(agentKey: string, template: string, options: ApiOptions): Promise<boolean> {
    const { label, answer, status } = await this.exchange(agentKey, "POST", template, options);
    if (answer.ok) return false;
    if (status === 409) return true;
    this.unexpected(label, status, answer);
  }

  /** Totals of the run phase, with its rate over `elapsedS`. */
  summary(elapsedS: number) {
    const { requests: total, rowsRead: totalRead, rowsWritten: totalWritten, queries: totalQueries } = this.runPhase;
    return { total, rps: total / elapsedS, totalRead, totalWritten, totalQueries };
  }

  /** One API call as the upstream CLI makes it, recorded; a network error is noted and thrown. */
  private async exchange<T>(agentKey: string | null, method: string, template: string, options: ApiOptions) {
    const { id, query, body, headers, adminToken } = options;
    const { pathname, label } = route(method, template, { id, query });
    const answer = await send<T>(this.baseUrl, method, pathname, { key: agentKey, headers, body, adminToken });
    if (answer.status === "network") {
      this.record(label, "ERR", answer.ms, null);
      this.noteFailure("network", `${label} → ${answer.code}`);
      throw new RequestFailed(label, "ERR", answer.text);
    }
    this.record(label, answer.status, answer.ms, answer.d1);
    return { label, answer, status: answer.status };
  }

  /** A non-2xx answer nobody expected: noted (5xx apart) and thrown. */
  private unexpected(label: string, status: number, answer: Answer): never {
    const kind = status >= 500 ? "server" : "unexpected";
    this.noteFailure(kind, `${label} → ${status} ${answer.text.slice(0, 200)}`);
    throw new RequestFailed(label, status, answer.json);
  }

  private noteFailure(kind: "server" | "network" | "unexpected", message: string) {
    this.failures[kind] += 1;
    if (this.failures.samples.length < 15) this.failures.samples.push(message);
  }

  private record(key: string, status: number | "ERR", ms: number, d1: D1Usage | null) {
    if (!this.recording) return;
    const { runPhase } = this;
    const s = this.endpointStats(key);
    const bucket = runPhase.active ? this.bucketOf(performance.now()) : null;
    if (bucket) {
      runPhase.requests += 1;
      bucket.requests += 1;
      bucket.latency += ms;
    }
    s.latencies.push(ms);
    s.statuses.set(status, (s.statuses.get(status) ?? 0) + 1);
    if (d1) {
      s.d1 += 1;
      s.queries += d1.queries;
      s.rowsRead += d1.rowsRead;
      s.rowsWritten += d1.rowsWritten;
      if (bucket) bucket.rowsRead += d1.rowsRead;
      if (runPhase.active) {
        runPhase.queries += d1.queries;
        runPhase.rowsRead += d1.rowsRead;
        runPhase.rowsWritten += d1.rowsWritten;
      }
    }
  }

  private endpointStats(key: string): EndpointStats {
    let s = this.endpoints.get(key);
    if (!s) {
      s = { key, latencies: [], statuses: new Map(), d1: 0, rowsRead: 0, rowsWritten: 0, queries: 0 };
      this.endpoints.set(key, s);
    }
    return s;
  }

  /** Requests and D1 rows read per BUCKET_S of the run, to show whether the rate holds as data grows. */
  private bucketOf(now: number) {
    const { runPhase } = this;
    const i = Math.floor((now - runPhase.startedAt) / (BUCKET_S * 1000));
    while (runPhase.buckets.length <= i) runPhase.buckets.push({ requests: 0, rowsRead: 0, latency: 0 });
    return runPhase.buckets[i]!;
  }
}
