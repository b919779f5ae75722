// The cpu scenario's verdict and its report: printed text and the docs/benchmarks.md section.
import type { CpuResult } from "./cpu-bench.ts";
import type { Measurement } from "./cpu-measure.ts";
import { profileText, summarizeProfile } from "./cpu-profile.ts";
import { machineInfo, num, wranglerVersion } from "./report.ts";

/** The targets a run is held to (--max-cpu-ms, --min-throughput). */
export interface CpuLimits {
  maxCpuMs: number;
  minThroughput: number;
}

const f = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "–");

/** Derived figures: ours minus the baseline per call, and our throughput as a share of the baseline's. */
function figures(r: CpuResult) {
  return { extraMs: r.ours.cpuPerCall - r.baseline.cpuPerCall, ratio: r.ours.perS / r.baseline.perS };
}

/** Why the run fails (empty when it passes): errors, or a target missed. */
export function cpuVerdict(r: CpuResult, { maxCpuMs, minThroughput }: CpuLimits): string[] {
  const { extraMs, ratio } = figures(r);
  const reasons: string[] = [];
  const errors = [...r.health.errors, ...r.ours.errors, ...r.baseline.errors];
  if (errors.length) reasons.push(`${errors.length} error(s) (5xx, network or unexpected 4xx)`);
  if (!(r.ours.calls > 0)) reasons.push("no lifecycle call was made");
  if (!(extraMs <= maxCpuMs)) reasons.push(`CPU per call, ours minus baseline, ${f(extraMs)} ms > ${maxCpuMs} ms`);
  if (!(ratio >= minThroughput)) reasons.push(`throughput ${f(ratio)} × the baseline's < ${minThroughput}`);
  return reasons;
}

/** "claim 200×410 409×35" per operation, in the order they were first called. */
function opRows(ops: Measurement["ops"]) {
  return [...ops].map(([op, statuses]) => ({
    op,
    total: [...statuses.values()].reduce((a, b) => a + b, 0),
    statuses: [...statuses]
      .sort(([a], [b]) => String(a).localeCompare(String(b)))
      .map(([s, n]) => `${s}×${n}`)
      .join(" "),
  }));
}

function rows(r: CpuResult): string[][] {
  const { extraMs, ratio } = figures(r);
  return [
    ["CPU ms per call", f(r.ours.cpuPerCall), f(r.baseline.cpuPerCall), f(extraMs)],
    ["Calls/s", f(r.ours.perS, 1), f(r.baseline.perS, 1), `${f(ratio)} ×`],
    ["Client p50 ms", f(r.ours.p50, 1), f(r.baseline.p50, 1), ""],
    ["Client p99 ms", f(r.ours.p99, 1), f(r.baseline.p99, 1), ""],
    ["Calls measured", num(r.ours.calls), num(r.baseline.calls), ""],
    ["workerd CPU ms", num(r.ours.cpuMs), num(r.baseline.cpuMs), ""],
  ];
}

export function cpuText(r: CpuResult, limits: CpuLimits): string {
  const reasons = cpuVerdict(r, limits);
  const pad = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(16) : c.padStart(12))).join("  ");
  const lines = [
    `CPU per agent call: lifecycle load ${r.durationS} s (${r.subTasks} sub-tasks seeded), workerd pid ${r.ours.pid}`,
    pad(["", "ours", "baseline", "ours − base"]),
    ...rows(r).map(pad),
    `/api/health alone: ${f(r.health.cpuPerCall)} ms CPU per request, ${f(r.health.perS, 1)} requests/s (${num(r.health.calls)} requests)`,
    `Calls by operation (polls that found an empty queue: ${r.ours.idle}):`,
    ...opRows(r.ours.ops).map((o) => `  ${o.op.padEnd(28)} ${String(o.total).padStart(6)}  ${o.statuses}`),
  ];
  const errors = [...r.health.errors, ...r.ours.errors, ...r.baseline.errors];
  if (errors.length) lines.push("First errors:", ...errors.slice(0, 10).map((e) => `  ${e}`));
  if (r.ours.profile)
    lines.push("", `Profile written to ${r.profileFile}`, profileText(summarizeProfile(r.ours.profile)));
  lines.push(
    "",
    reasons.length
      ? `FAILED: ${reasons.join("; ")}`
      : `Passed: ≤ ${limits.maxCpuMs} ms over the baseline per call, ≥ ${limits.minThroughput} × its throughput.`,
  );
  return lines.join("\n");
}

export const CPU_INTRO = `## CPU per agent call

The cpu scenario (\`npm run bench -- --scenario cpu\`) measures what the workerd process that runs our
Worker spends per agent call: its utime + stime from \`/proc\` before and after a closed-loop
lifecycle load (6 executors: available → claim → start → log → submit; 2 reviewers: review queue →
approve), divided by the calls made. Locally that process also runs D1 and the Durable Objects, so
the figure is everything a call costs there. A bare hello-world Worker under the same \`wrangler dev\`
(8 closed-loop clients) gives the platform's floor; the target is ours minus that floor ≤ 3 ms and a
throughput ≥ 60 % of the floor's. A 409 on a claim or a review is a lost race, not an error.
\`--profile FILE.cpuprofile\` also records a V8 CPU profile of the load over the inspector.`;

export function cpuMarkdown(r: CpuResult, limits: CpuLimits): string {
  const m = machineInfo(r.loadBefore);
  const reasons = cpuVerdict(r, limits);
  const table = rows(r).map(([a, b, c, d]) => `| ${a} | ${b} | ${c} | ${d} |`);
  return `### Latest run

- Date: ${r.startedAt.toISOString()}
- Machine: ${m.cpu}; ${m.memory} RAM; ${m.os}; 1-minute load average ${m.load} before the run
- Node ${process.version}; wrangler ${wranglerVersion()} (\`wrangler dev\`, local D1 and Durable Objects)
- Load: ${r.durationS} s each, ${r.subTasks} sub-tasks seeded before the lifecycle load; V8 profiler ${r.profileFile ? "on during the lifecycle load (it adds CPU)" : "off"}
- \`/api/health\` alone (8 clients): **${f(r.health.cpuPerCall)} ms** CPU per request, ${f(r.health.perS, 1)} requests/s
- Verdict: ${reasons.length ? `**failed**: ${reasons.join("; ")}` : `passed (≤ ${limits.maxCpuMs} ms over the baseline, ≥ ${limits.minThroughput} × its throughput)`}

| | Ours (lifecycle) | Baseline (hello world) | Ours − baseline |
| --- | ---: | ---: | ---: |
${table.join("\n")}

Polls that found an empty queue (and waited 50 ms): ${r.ours.idle}.

| Operation | Calls | Statuses |
| --- | ---: | --- |
${opRows(r.ours.ops)
  .map((o) => `| \`${o.op}\` | ${o.total} | ${o.statuses} |`)
  .join("\n")}`;
}
