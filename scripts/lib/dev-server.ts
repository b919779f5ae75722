// A throw-away `wrangler dev` for the benchmarks and the node-side test suites: its own port, its own --persist-to directory, its
// own SETUP_TOKEN (through an explicit --env-file, so the developer's .dev.vars is never read), and
// its output appended to a log file that the caller can read back (the cron's JSON log lines).
// Every server started here is killed when the process exits, whatever the path to the exit.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./free-port.ts";
import { ServerProcess, stopAllServers, useProcessGroup } from "./server-process.ts";
import { root, runWrangler, spawnWrangler } from "./wrangler.ts";

/** Environment for every wrangler child: no prompts, no telemetry. */
export const WRANGLER_ENV = { CI: "true", WRANGLER_SEND_METRICS: "false" };

/** The last `lines` lines of a log file, or a placeholder. */
export function logTail(file: string, lines = 40): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no wrangler log)";
  }
}

/** Runs a one-off wrangler command with its output appended to `logFile`; throws when it fails. */
export async function wranglerStep(args: string[], logFile: string, what: string): Promise<void> {
  const fd = openSync(logFile, "a");
  try {
    const code = await runWrangler(args, { env: WRANGLER_ENV, stdio: ["ignore", fd, fd] });
    if (code !== 0) throw new Error(`${what} failed (exit ${code}):\n${logTail(logFile)}`);
  } finally {
    closeSync(fd);
  }
}

/** `wrangler d1 migrations apply DB --local` into a persistence directory. */
export const applyMigrations = (persistTo: string, logFile: string) =>
  wranglerStep(
    ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo],
    logFile,
    "applying the migrations",
  );

/** `wrangler d1 execute DB --local --file` against a persistence directory (no prompt with -y and CI). */
export const executeSqlFile = (persistTo: string, file: string, logFile: string) =>
  wranglerStep(
    ["d1", "execute", "DB", "--local", "--persist-to", persistTo, "--file", file, "-y"],
    logFile,
    `executing ${file}`,
  );

const dashboardDir = path.join(root, "dashboard");
const dashboardIndex = path.join(dashboardDir, "dist", "index.html");

/** Newest modification time of the dashboard's sources (src/, public/, index.html, configs). */
function newestDashboardSource() {
  let newest = 0;
  const visit = (p: string) => {
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) for (const name of readdirSync(p)) visit(path.join(p, name));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of ["src", "public", "index.html", "vite.config.ts", "tsconfig.json"]) visit(path.join(dashboardDir, p));
  visit(path.join(root, "package-lock.json"));
  return newest;
}

/**
 * Builds the dashboard (vite build + the budget check, as `npm run build:dashboard`) unless
 * dashboard/dist is newer than every source. wrangler serves that folder as the static assets,
 * so it must exist before `wrangler dev` starts. Returns true when it built.
 */
export function ensureDashboardBuilt({ force = false, log = console.log } = {}) {
  const built = statSync(dashboardIndex, { throwIfNoEntry: false });
  if (!force && built && built.mtimeMs >= newestDashboardSource()) return false;
  log("building the dashboard (vite build dashboard, then the budget check)");
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, args, {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, ...WRANGLER_ENV },
    });
    if (r.status !== 0) throw new Error(`${args.join(" ")} failed (exit ${r.status ?? r.signal})`);
  };
  run([path.join(root, "node_modules", "vite", "bin", "vite.js"), "build", "dashboard", "--logLevel", "warn"]);
  run([path.join(root, "scripts", "check-budget.ts")]);
  return true;
}

export interface DevServerOptions {
  /** The state directory (migrations must already be applied). */
  persistTo: string;
  /** Where to write the SETUP_TOKEN env file. */
  envFile: string;
  /** wrangler's stdout and stderr are appended here. */
  logFile: string;
  setupToken: string;
  /** Preferred port; the next free one is used when it is taken. */
  port: number;
  /** More `wrangler dev` arguments. */
  extraArgs?: string[];
  /** wrangler's --log-level ("log" to see the Worker's console.log). */
  logLevel?: string;
}

export class DevServer extends ServerProcess {
  persistTo: string;
  envFile: string;
  logFile: string;
  setupToken: string;
  preferredPort: number;
  extraArgs: string[];
  logLevel: string;
  base: string;

  constructor({ persistTo, envFile, logFile, setupToken, port, extraArgs = [], logLevel = "warn" }: DevServerOptions) {
    super();
    this.persistTo = persistTo;
    this.envFile = envFile;
    this.logFile = logFile;
    this.setupToken = setupToken;
    this.preferredPort = port;
    this.extraArgs = extraArgs;
    this.logLevel = logLevel;
    this.base = "";
  }

  logTail(lines = 40) {
    return logTail(this.logFile, lines);
  }

  /** Current size of the log file: pass it to logSince() to read only what came after. */
  logOffset() {
    try {
      return statSync(this.logFile).size;
    } catch {
      return 0;
    }
  }

  logSince(offset: number): string {
    try {
      return readFileSync(this.logFile).subarray(offset).toString("utf8");
    } catch {
      return "";
    }
  }

  /**
   * Starts wrangler dev and resolves with its base URL once /api/health answers. A port found free
   * can be taken before wrangler binds it (servers of the suites start side by side): when wrangler
   * exits on "Address already in use", it is started again on the next free port, up to 3 times.
   */
  async start({ timeoutMs = 120_000 } = {}): Promise<string> {
    // wrangler.toml's [assets] folder must exist; build it once if nobody has.
    if (!existsSync(dashboardIndex)) ensureDashboardBuilt();
    let from = this.preferredPort;
    for (let attempt = 1; ; attempt++) {
      const port = await freePort(from);
      const offset = this.logOffset();
      try {
        return await this.startOn(port, timeoutMs);
      } catch (err) {
        if (attempt === 3 || !this.logSince(offset).includes("Address already in use")) throw err;
        await this.stop();
        from = port + 1;
      }
    }
  }

  private async startOn(port: number, timeoutMs: number): Promise<string> {
    writeFileSync(this.envFile, `SETUP_TOKEN=${this.setupToken}\n`, { mode: 0o600 });
    const fd = openSync(this.logFile, "a");
    const child = spawnWrangler(
      [
        "dev",
        "--ip",
        "127.0.0.1",
        "--port",
        String(port),
        "--persist-to",
        this.persistTo,
        "--env-file",
        this.envFile,
        "--log-level",
        this.logLevel,
        "--show-interactive-dev-session=false",
        ...this.extraArgs,
      ],
      { env: WRANGLER_ENV, stdio: ["ignore", fd, fd], detached: useProcessGroup },
    );
    closeSync(fd);
    this.attach(child);
    const base = `http://127.0.0.1:${port}`;
    await this.waitUntilAnswers(`${base}/api/health`, {
      timeoutMs,
      what: "wrangler dev",
      log: () => `:\n${this.logTail()}`,
    });
    this.base = base;
    return base;
  }
}

/**
 * A throw-away `wrangler dev` for a test suite's global setup: fresh state in a temporary folder,
 * migrations applied, a random SETUP_TOKEN, and the first (slow) requests taken before any test.
 * Returns its URL, the token, the temporary folder and the log file, and a teardown that stops the
 * server and removes the folder. `label` prefixes the progress lines.
 */
export async function startTestServer({
  label,
  port,
  warm = ["/api/setup/status", "/api/openapi.json"],
}: {
  label: string;
  port: number;
  warm?: string[];
}) {
  const started = Date.now();
  const tmp = mkdtempSync(path.join(tmpdir(), `openmoss-${label}-`));
  const logFile = path.join(tmp, "wrangler.log");
  const setupToken = randomBytes(16).toString("hex");
  const server = new DevServer({
    persistTo: path.join(tmp, "state"),
    envFile: path.join(tmp, "env"),
    logFile,
    setupToken,
    port,
  });
  let stopped = false;
  const teardown = async () => {
    if (stopped) return;
    stopped = true;
    await server.stop();
    await stopAllServers();
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    await applyMigrations(path.join(tmp, "state"), logFile);
    const base = await server.start();
    for (const p of warm) await (await fetch(`${base}${p}`)).arrayBuffer();
    console.log(`[${label} tests] wrangler dev on ${base} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return { base, setupToken, tmp, logFile, teardown };
  } catch (err) {
    await teardown();
    throw err;
  }
}
