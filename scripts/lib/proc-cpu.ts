// CPU time of local processes from /proc (Linux only), for the cpu scenario of `npm run bench`:
// which workerd processes a `wrangler dev` started, and how many CPU milliseconds each has used.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc/PID/stat's utime and stime (normally 100). */
export function clockTicks() {
  try {
    const n = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    return Number.isFinite(n) && n > 0 ? n : 100;
  } catch {
    return 100;
  }
}

const TICKS = clockTicks();

/** {comm, ppid, ticks} of one process, or null when it is gone. */
function stat(pid: number | string) {
  let s: string;
  try {
    s = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // comm (field 2) is in parentheses and may hold spaces: split only what follows its closing one.
  const close = s.lastIndexOf(")");
  const fields = s.slice(close + 2).split(" "); // fields[0] is field 3 (state)
  return {
    comm: s.slice(s.indexOf("(") + 1, close),
    ppid: Number(fields[1]),
    ticks: Number(fields[11]) + Number(fields[12]),
  };
}

/** utime + stime of a process, in milliseconds (NaN when it is gone). */
export function cpuMs(pid: number): number {
  const s = stat(pid);
  return s ? (s.ticks * 1000) / TICKS : NaN;
}

/** Pids of the descendants of `rootPid` whose command name contains `name`. */
export function descendantsNamed(rootPid: number, name: string): number[] {
  const children = new Map<number, number[]>();
  const comms = new Map<number, string>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(entry);
    if (!s) continue;
    comms.set(Number(entry), s.comm);
    const siblings = children.get(s.ppid) ?? [];
    siblings.push(Number(entry));
    children.set(s.ppid, siblings);
  }
  const found: number[] = [];
  const queue = [...(children.get(rootPid) ?? [])];
  while (queue.length) {
    const pid = queue.shift()!;
    if (comms.get(pid)?.includes(name)) found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/** The command line of a process, arguments joined by spaces ("" when it is gone). */
function cmdline(pid: number) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return "";
  }
}

/**
 * The workerd process that runs the Worker. wrangler dev starts two: a proxy that listens on the
 * public port and forwards to the runtime of the Worker, which is the one started with an inspector
 * (--inspector-addr). `warmUp` runs while both are sampled: the CPU each used is reported, and the
 * busier one is taken when the command lines do not tell (another wrangler version).
 */
export async function workerProcess(wranglerPid: number, warmUp: () => Promise<unknown>) {
  const pids = descendantsNamed(wranglerPid, "workerd");
  if (!pids.length)
    throw new Error(`no workerd process under wrangler (pid ${wranglerPid}); the cpu scenario needs Linux /proc`);
  const before = pids.map(cpuMs);
  await warmUp();
  const grown = pids.map((pid, i) => ({
    pid,
    ms: cpuMs(pid) - before[i]!,
    inspector: cmdline(pid).includes("--inspector-addr"),
  }));
  grown.sort((a, b) => b.ms - a.ms);
  const withInspector = grown.filter((c) => c.inspector);
  return { pid: (withInspector.length === 1 ? withInspector[0]! : grown[0]!).pid, candidates: grown };
}
