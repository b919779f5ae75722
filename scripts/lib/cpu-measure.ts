// The cpu scenario's measurement: closed-loop clients run for a while and the CPU time the Worker's
// workerd process spent meanwhile is read from /proc (utime + stime) before and after, with every
// call's latency and status, so CPU per call and calls per second come from the same window.
import { type CpuProfile, startProfile } from "./cpu-profile.ts";
import type { DevServer } from "./dev-server.ts";
import { type Answer, type RequestOptions, send } from "./http.ts";
import { cpuMs, workerProcess } from "./proc-cpu.ts";

const WARM_UP_S = 2;

/** Latencies and statuses per operation; `errors` holds 5xx, network errors and unexpected 4xx. */
export class Recorder {
  /** Per operation, the count of each status ("ERR": no answer). */
  ops = new Map<string, Map<number | "ERR", number>>();
  latencies: number[] = [];
  errors: string[] = [];
  calls = 0;
  idle = 0; // polls that found an empty queue: many of them mean the seeded work ran out

  /** One call; a 409 is returned (not null) when `conflictOk`: another client won the race. */
  async call<T>(
    base: string,
    op: string,
    method: string,
    pathname: string,
    { conflictOk = false, ...options }: RequestOptions & { conflictOk?: boolean } = {},
  ): Promise<Answer<T> | null> {
    const answer = await send<T>(base, method, pathname, options);
    const status = answer.status === "network" ? "ERR" : answer.status;
    this.latencies.push(answer.ms);
    this.calls += 1;
    const s = this.ops.get(op) ?? new Map();
    s.set(status, (s.get(status) ?? 0) + 1);
    this.ops.set(op, s);
    const fine = typeof status === "number" && (status < 400 || (status === 409 && conflictOk));
    if (!fine) {
      const shown = answer.status === "network" ? answer.code : answer.json;
      this.errors.push(`${op} → ${status} ${JSON.stringify(shown)}`.slice(0, 300));
      return null;
    }
    return answer;
  }
}

/** A closed-loop client: sends its next call when the answer to the last one arrives, until `until`. */
export type ClosedLoopClient = (recorder: Recorder, until: number) => Promise<void>;

export type Measurement = Awaited<ReturnType<typeof measure>> & { profile?: CpuProfile | undefined };

/** Runs `clients` for `seconds`; CPU of `pid` and the calls in between. */
async function measure(pid: number, seconds: number, clients: ClosedLoopClient[]) {
  const recorder = new Recorder();
  const cpuBefore = cpuMs(pid);
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  await Promise.all(clients.map((client) => client(recorder, until)));
  const elapsedS = (performance.now() - t0) / 1000;
  const cpu = cpuMs(pid) - cpuBefore; // NaN when the process is gone
  const { calls, ops, errors, idle } = recorder;
  const lat = recorder.latencies.sort((x, y) => x - y);
  const pctl = (p: number): number =>
    lat.length ? lat[Math.min(lat.length - 1, Math.ceil((p / 100) * lat.length) - 1)]! : NaN;
  return {
    pid,
    calls,
    ops,
    errors,
    idle,
    elapsedS,
    cpuMs: cpu,
    cpuPerCall: cpu / calls,
    perS: calls / elapsedS,
    p50: pctl(50),
    p99: pctl(99),
  };
}

/**
 * Finds the Worker's workerd while `warmUp` clients run, then measures. wrangler restarts workerd when
 * the Worker's sources change (others may be editing them): a measurement whose process is gone
 * is discarded, with its errors (the reload's own), and taken again.
 */
export async function measureStable(
  server: DevServer,
  seconds: number,
  clients: ClosedLoopClient[],
  { warmUp, log, profilePort }: { warmUp: ClosedLoopClient[]; log: (msg: string) => void; profilePort?: number | null },
): Promise<Measurement> {
  for (let attempt = 1; ; attempt++) {
    // The warm-up's own figures are not used (process.pid only gives measure() a live process).
    const { pid, candidates } = await workerProcess(server.child!.pid!, () => measure(process.pid, WARM_UP_S, warmUp));
    log(
      `workerd ${pid} (CPU ms in the warm-up: ${candidates.map((c) => `${c.pid}${c.inspector ? " (Worker)" : ""}=${c.ms.toFixed(0)}`).join(", ")})`,
    );
    const session = profilePort ? await startProfile(profilePort) : null;
    const m = await measure(pid, seconds, clients);
    if (Number.isFinite(m.cpuMs)) return { ...m, profile: await session?.stop() };
    await session?.stop().catch(() => undefined); // the inspector went with the old process
    if (attempt === 3)
      throw new Error(
        "workerd restarted during three measurements in a row (wrangler reloads when the Worker's sources change)",
      );
    log(`workerd ${pid} restarted during the measurement (a source file changed?); measuring again`);
  }
}
