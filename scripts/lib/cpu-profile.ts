// A V8 CPU profile of the Worker that a local `wrangler dev --inspector-port P` runs, taken over the
// DevTools protocol, and a summary of it: the functions and the packages with the most self time.
//
//   const session = await startProfile(port);   // Profiler.enable + Profiler.start
//   ... the load ...
//   const profile = await session.stop();        // Profiler.stop; the .cpuprofile JSON
//   console.log(profileText(summarizeProfile(profile)));
//
// wrangler's inspector proxy only accepts DevTools' own origin, which Node's global WebSocket cannot
// send; `ws` (in node_modules already, through miniflare and the MCP inspector; no new dependency) can.
import { existsSync, readFileSync } from "node:fs";
import type { Debugger, Profiler, Runtime } from "node:inspector";
import { SourceMap } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import { root } from "./wrangler.ts";

const ORIGIN = "https://devtools.devprod.cloudflare.dev";

export type CpuProfile = Profiler.Profile;
export type ProfileSession = Awaited<ReturnType<typeof startProfile>>;

/** A DevTools protocol message: an answer to a command (id) or an event (method). */
interface InspectorMessage {
  id?: number;
  method?: string;
  params?: Debugger.ScriptParsedEventDataType;
  result?: unknown;
  error?: { message: string };
}

interface Waiter {
  method: string;
  resolve: (result: unknown) => void;
  reject: (err: Error) => void;
}

/** Connects to the first debuggable target listed at http://127.0.0.1:PORT/json and starts profiling. */
export async function startProfile(port: number, { timeoutMs = 10_000 } = {}) {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as { webSocketDebuggerUrl?: string }[];
  const url = targets.find((t) => t.webSocketDebuggerUrl)?.webSocketDebuggerUrl;
  if (!url)
    throw new Error(`no debuggable target at http://127.0.0.1:${port}/json: ${JSON.stringify(targets).slice(0, 300)}`);
  const ws = new WebSocket(url, { headers: { Origin: ORIGIN } });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  let nextId = 1;
  const scripts = new Map<string, Debugger.ScriptParsedEventDataType>();
  const pending = new Map<number, Waiter>();
  ws.on("message", (data) => {
    const msg: InspectorMessage = JSON.parse(String(data));
    if (msg.method === "Debugger.scriptParsed" && msg.params) scripts.set(msg.params.scriptId, msg.params);
    const waiter = msg.id !== undefined && pending.get(msg.id);
    if (!waiter) return; // events (console messages and the like) are not needed
    pending.delete(msg.id!);
    if (msg.error) waiter.reject(new Error(`${waiter.method}: ${msg.error.message}`));
    else waiter.resolve(msg.result);
  });
  const send = (method: string, params = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${method}: no answer within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      pending.set(id, {
        method,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      ws.send(JSON.stringify({ id, method, params }));
    });
  // The Debugger domain announces each script with its source map (scriptParsed); the bundle's map
  // turns index.js:LINE into our sources and packages. Through wrangler 4.164's inspector the scripts
  // are announced but Debugger.enable itself got no answer, so the bundle's announcement is what is
  // waited for. It is switched off again before the profile starts so it costs nothing in the load.
  ws.send(JSON.stringify({ id: nextId++, method: "Debugger.enable" }));
  const bundle = await until(
    () => [...scripts.values()].find((x) => x.url.startsWith("file:") && x.sourceMapURL),
    5_000,
  );
  ws.send(JSON.stringify({ id: nextId++, method: "Debugger.disable" }));
  await send("Profiler.enable");
  await send("Profiler.start");
  return {
    async stop() {
      try {
        const { profile } = (await send("Profiler.stop")) as Profiler.StopReturnType;
        if (bundle) mapToSources(profile, bundle);
        return profile;
      } finally {
        ws.close();
      }
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(find: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (let found = find(); ; found = find()) {
    if (found || Date.now() > deadline) return found;
    await sleep(50);
  }
}

/** For each line of an esbuild bundle, the module it belongs to (esbuild's "// path" comments). */
function modulesByLine(bundle: string): string[] {
  let current = "";
  return bundle.split("\n").map((line) => {
    const m = /^\/\/ ((?:[\w@.+-]+\/)*[\w@.+-]+\.[cm]?[jt]sx?)$/.exec(line);
    if (m) current = m[1]!;
    return current;
  });
}

/**
 * Rewrites the bundle's frames (wrangler's index.js) to their original file and line, in place,
 * from the source map next to the bundle (read while wrangler dev still runs: it deletes the
 * bundle on exit). The written .cpuprofile then names our files and the packages directly.
 */
function mapToSources(profile: CpuProfile, script: Debugger.ScriptParsedEventDataType): void {
  const bundleFile = fileURLToPath(script.url);
  const map = new SourceMap(
    JSON.parse(readFileSync(path.resolve(path.dirname(bundleFile), script.sourceMapURL ?? ""), "utf8")),
  );
  const modules = modulesByLine(readFileSync(bundleFile, "utf8"));
  for (const node of profile.nodes) {
    const frame = node.callFrame;
    if (frame.scriptId !== script.scriptId || frame.lineNumber < 0) continue;
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber);
    if (!("originalSource" in entry) || !entry.originalSource) continue;
    const source = entry.originalSource.startsWith("file:")
      ? fileURLToPath(entry.originalSource)
      : path.resolve(path.dirname(bundleFile), entry.originalSource);
    let url = path.relative(root, source);
    // Some packages' own maps point one folder too high (drizzle-orm's "../src/…" lands in
    // node_modules/src/…): put such a file back under the package esbuild says the code came from.
    const pkg = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(modules[frame.lineNumber] ?? "")?.[1];
    if (pkg && url.startsWith("node_modules/") && !url.startsWith(`${pkg}/`) && !existsSync(source))
      url = `${pkg}/${url.slice("node_modules/".length)}`;
    Object.assign(frame, { url, lineNumber: entry.originalLine, columnNumber: entry.originalColumn });
  }
}

/** "worker" for our code, the package for node_modules code, the V8 pseudo-frame for the rest. */
export function packageOf(node: Profiler.ProfileNode): string {
  const { url, functionName } = node.callFrame;
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (!url) return /^\(.*\)$/.test(functionName) ? functionName : "(native)";
  if (/^[a-z-]+:/.test(url) && !url.startsWith("file:")) return url.split("/")[0]!; // workerd's built-ins
  if (url.startsWith(".wrangler/")) return "wrangler"; // its generated middleware entry
  return url.startsWith("worker/") ? "worker" : url;
}

const location = ({ url, lineNumber }: Runtime.CallFrame) =>
  url ? `${url.replace(/^node_modules\//, "")}:${lineNumber + 1}` : "";

/**
 * Self time per function (name + url:line) and per package, as shares of the samples in which the
 * isolate was busy ("(idle)" is reported apart). A node's self time is its sample count: every
 * sample stands for one sampling interval.
 */
export function summarizeProfile(profile: CpuProfile, top = 15) {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const hits = new Map<number, number>();
  for (const id of profile.samples ?? []) hits.set(id, (hits.get(id) ?? 0) + 1);
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  let idle = 0;
  for (const [id, n] of hits) {
    const node = byNode.get(id)!; // samples name nodes of the same profile
    if (node.callFrame.functionName === "(idle)") {
      idle += n;
      continue;
    }
    const key = `${node.callFrame.functionName || "(anonymous)"} ${location(node.callFrame)}`.trim();
    functions.set(key, (functions.get(key) ?? 0) + n);
    const pkg = packageOf(node);
    packages.set(pkg, (packages.get(pkg) ?? 0) + n);
  }
  const samples = profile.samples?.length ?? 0;
  const busy = samples - idle;
  const ranked = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1]).map(([name, n]) => ({ name, share: busy ? n / busy : 0 }));
  const durationMs = (profile.endTime - profile.startTime) / 1000;
  return {
    samples,
    idleShare: samples ? idle / samples : 0,
    durationMs,
    functions: ranked(functions).slice(0, top),
    packages: ranked(packages).slice(0, top),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)} %`;

export function profileText(summary: ReturnType<typeof summarizeProfile>): string {
  return [
    `CPU profile: ${summary.samples} samples over ${(summary.durationMs / 1000).toFixed(1)} s, ${pct(summary.idleShare).trim()} idle; shares of the busy samples (self time)`,
    "Top functions:",
    ...summary.functions.map((f) => `  ${pct(f.share)}  ${f.name}`),
    "Top packages:",
    ...summary.packages.map((p) => `  ${pct(p.share)}  ${p.name}`),
  ].join("\n");
}
