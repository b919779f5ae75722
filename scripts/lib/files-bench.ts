// The files scenario of `npm run bench`: how fast deliverable files go up and come down through the whole
// stack (HTTP → Worker → D1 reservation → R2 through SHA-256 and a FixedLengthStream → D1 finalize; and
// D1 read → R2 stream → response), against copying the same bytes over loopback HTTP with a plain
// Node server (no Worker, no storage): the ratio says what our path costs on top of moving the bytes.
//
// One fresh server: initialize, an executor holding one in-progress sub-task. For each size (64 KiB,
// 1 MiB, 10 MiB, 25 MiB = the default files.max_file_bytes) the same random bytes are uploaded `reps`
// times under one name (each upload replaces the previous: the count limit never bites, and the
// replace path is measured too) and downloaded `reps` times; the first download is checked against
// the SHA-256. Sequential, one request at a time: throughput of one client, not of the server.
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import type { Created, Registered } from "./api-types.ts";
import { applyMigrations, DevServer } from "./dev-server.ts";
import { machineInfo, median, table, wranglerVersion } from "./report.ts";

const KiB = 1024;
const MiB = 1024 * KiB;
export const FILE_SIZES = [
  { label: "64 KiB", bytes: 64 * KiB, reps: 20 },
  { label: "1 MiB", bytes: MiB, reps: 10 },
  { label: "10 MiB", bytes: 10 * MiB, reps: 5 },
  { label: "25 MiB", bytes: 25 * MiB, reps: 3 },
] as const;

export const FILES_INTRO = `## Files: upload and download throughput

\`npm run bench -- --scenario files\`: one executor uploads (POST /api/sub-tasks/{id}/files, the raw
body streamed to R2 through SHA-256) and downloads (…/content, streamed from R2) files of each size,
one request at a time, on a local \`wrangler dev\` (R2 and D1 simulated on disk by Miniflare). The
baseline copies the same bytes over loopback HTTP to and from a plain Node server that stores nothing.
Median of the repetitions; MB = 10⁶ bytes.`;

/** One size's timings, in milliseconds per request. */
export interface FilesRow {
  label: string;
  bytes: number;
  reps: number;
  upload: number[];
  download: number[];
  baseUpload: number[];
  baseDownload: number[];
}

export interface FilesResult {
  startedAt: Date;
  loadBefore: number;
  rows: FilesRow[];
  problems: string[];
}

type Log = (msg: string) => void;

const mbps = (bytes: number, ms: number[]) => bytes / (median(ms) / 1000) / 1e6;

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

/** POST JSON, failing the scenario on anything but 2xx. */
async function must<T>(
  base: string,
  method: string,
  pathname: string,
  init: { body?: unknown; headers?: Record<string, string> },
) {
  const res = await fetch(`${base}${pathname}`, {
    method,
    headers: { "content-type": "application/json", ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`setup: ${method} ${pathname} → ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** An initialized project with an executor holding one in-progress sub-task; returns its key and the sub-task. */
async function seedHolder(base: string, setupToken: string): Promise<{ key: string; subTaskId: string }> {
  const registrationToken = randomBytes(16).toString("hex");
  const password = randomBytes(12).toString("hex");
  await must(base, "POST", "/api/setup/initialize", {
    headers: { "x-setup-token": setupToken },
    body: {
      admin_password: password,
      project_name: "Files bench",
      workspace_root: "/bench",
      registration_token: registrationToken,
      registration_roles: ["planner", "executor"],
    },
  });
  const { token } = await must<{ token: string }>(base, "POST", "/api/admin/login", { body: { password } });
  await must(base, "PUT", "/api/admin/config", {
    headers: { "x-admin-token": token },
    body: { agent: { registrations_per_hour: 10_000, rate_limit_per_minute: 1_000_000, rate_limit_burst: 1_000_000 } },
  });
  const register = async (role: string) =>
    (
      await must<Registered>(base, "POST", "/api/agents/register", {
        headers: { "x-registration-token": registrationToken },
        body: { name: `${role}-bench`, role, description: `files bench ${role}` },
      })
    ).api_key;
  const planner = await register("planner");
  const key = await register("executor");
  const as = (k: string) => ({ authorization: `Bearer ${k}` });
  const task = await must<Created>(base, "POST", "/api/tasks", { headers: as(planner), body: { name: "Files" } });
  await must(base, "PUT", `/api/tasks/${task.id}/status`, { headers: as(planner), body: { status: "active" } });
  const st = await must<Created>(base, "POST", "/api/sub-tasks", {
    headers: as(planner),
    body: { task_id: task.id, name: "Deliver files" },
  });
  for (const op of ["claim", "start"])
    await must(base, "POST", `/api/sub-tasks/${st.id}/${op}`, { headers: as(key), body: {} });
  return { key, subTaskId: st.id };
}

/** A Node HTTP server on loopback that swallows POST bodies and answers GET with `bytes`. */
async function loopbackServer(bytes: () => Buffer) {
  const server = createServer(async (req, res) => {
    if (req.method === "POST") {
      for await (const _ of req) {
        // consume the body, store nothing
      }
      res.writeHead(201, { "content-type": "application/json" }).end("{}");
      return;
    }
    const body = bytes();
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": body.byteLength }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const upload = (url: string, body: Buffer, headers: Record<string, string>) =>
  timed(async () => {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/octet-stream", ...headers },
      body,
    });
    const text = await res.text();
    return { status: res.status, text };
  });

const download = (url: string, headers: Record<string, string>) =>
  timed(async () => {
    const res = await fetch(url, { headers });
    return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
  });

export async function runFilesScenario({
  workDir,
  port,
  log,
}: {
  workDir: string;
  port: number;
  log: Log;
}): Promise<FilesResult> {
  const loadBefore = os.loadavg()[0] ?? 0;
  const startedAt = new Date();
  mkdirSync(workDir, { recursive: true });
  const setupToken = randomBytes(16).toString("hex");
  const logFile = path.join(workDir, "wrangler.log");
  await applyMigrations(path.join(workDir, "state"), logFile);
  const server = new DevServer({
    persistTo: path.join(workDir, "state"),
    envFile: path.join(workDir, "bench.env"),
    logFile,
    setupToken,
    port,
  });
  let current = Buffer.alloc(0);
  const loopback = await loopbackServer(() => current);
  const rows: FilesRow[] = [];
  const problems: string[] = [];
  try {
    const base = await server.start();
    log(`files: our Worker at ${base}, loopback baseline at ${loopback.base}`);
    const { key, subTaskId } = await seedHolder(base, setupToken);
    const auth = { authorization: `Bearer ${key}` };
    for (const size of FILE_SIZES) {
      current = randomBytes(size.bytes);
      const sha = createHash("sha256").update(current).digest("hex");
      const row: FilesRow = { ...size, upload: [], download: [], baseUpload: [], baseDownload: [] };
      log(`files: ${size.label} × ${size.reps}`);
      const name = `bench-${size.bytes}.bin`;
      let fileId = "";
      for (let i = 0; i < size.reps; i++) {
        const up = await upload(`${base}/api/sub-tasks/${subTaskId}/files?name=${encodeURIComponent(name)}`, current, {
          ...auth,
          "x-content-sha256": sha,
        });
        if (up.value.status !== 201)
          problems.push(`upload ${size.label}: ${up.value.status} ${up.value.text.slice(0, 200)}`);
        else fileId = (JSON.parse(up.value.text) as { id: string }).id;
        row.upload.push(up.ms);
      }
      for (let i = 0; i < size.reps && fileId; i++) {
        const down = await download(`${base}/api/sub-tasks/${subTaskId}/files/${fileId}/content`, auth);
        if (down.value.status !== 200) problems.push(`download ${size.label}: ${down.value.status}`);
        else if (i === 0 && createHash("sha256").update(down.value.bytes).digest("hex") !== sha)
          problems.push(`download ${size.label}: the bytes differ from the upload`);
        row.download.push(down.ms);
      }
      for (let i = 0; i < size.reps; i++) {
        row.baseUpload.push((await upload(`${loopback.base}/upload`, current, {})).ms);
        const down = await download(`${loopback.base}/blob`, {});
        if (down.value.bytes.byteLength !== size.bytes) problems.push(`baseline ${size.label}: short read`);
        row.baseDownload.push(down.ms);
      }
      rows.push(row);
    }
  } finally {
    await loopback.close();
    await server.stop();
  }
  return { startedAt, loadBefore, rows, problems };
}

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(n >= 100 ? 0 : 1) : "–");

function tableOf(result: FilesResult): string {
  return table(
    [
      "Size",
      "Reps",
      "Upload MB/s",
      "Download MB/s",
      "Baseline up / down MB/s",
      "Ours ÷ baseline, up / down",
      "Upload ms (median)",
      "Download ms (median)",
    ],
    ["l", "r", "r", "r", "r", "r", "r", "r"],
    result.rows.map((r) => {
      const up = mbps(r.bytes, r.upload);
      const down = mbps(r.bytes, r.download);
      const baseUp = mbps(r.bytes, r.baseUpload);
      const baseDown = mbps(r.bytes, r.baseDownload);
      return [
        r.label,
        String(r.reps),
        fmt(up),
        fmt(down),
        `${fmt(baseUp)} / ${fmt(baseDown)}`,
        `${(up / baseUp).toFixed(2)} / ${(down / baseDown).toFixed(2)}`,
        fmt(median(r.upload)),
        fmt(median(r.download)),
      ];
    }),
  );
}

export function filesText(result: FilesResult): string {
  const problems = result.problems.length ? `\n\nProblems:\n${result.problems.map((p) => `  - ${p}`).join("\n")}` : "";
  return `Files throughput (one client, sequential)\n\n${tableOf(result)}${problems}`;
}

export function filesMarkdown(result: FilesResult): string {
  const m = machineInfo(result.loadBefore);
  return `${tableOf(result)}

Run ${result.startedAt.toISOString()} on ${m.cpu}, ${m.memory}, ${m.os}, Node ${process.version}, wrangler
${wranglerVersion()}; load average before the run ${m.load}. Local figures: Miniflare writes R2 objects and
D1 to disk on this machine, so they say what our path adds (hashing, the fixed-length stream, two D1
batches per upload, one D1 read per download), not what Cloudflare's network does.`;
}
