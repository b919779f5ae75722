// `wrangler pages dev` serving the Pages build (dashboard/pages/dist) with the Pages configuration
// (dashboard/pages/wrangler.toml): `npm run dev:pages` and the browser suite's cross-origin test.
//
// Why wrangler runs from a link outside the repository: with no Functions, `pages dev` runs a shim
// Worker that lives in wrangler's own folder (node_modules/wrangler/templates/pages-shim.ts) and
// looks for a configuration upwards from there, so inside this repository it finds the Worker's
// wrangler.toml and refuses to start ("Your Worker depends on the following Durable Objects, which
// are not exported…"). Started as <tmp>/node_modules/wrangler (a link to our node_modules, symlinks
// preserved), the search from the shim finds nothing, and the site runs with no bindings, as on Pages.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, symlinkSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { logTail, WRANGLER_ENV } from "./dev-server.ts";
import { freePort } from "./free-port.ts";
import { pagesDir } from "./pages-build.ts";
import { root } from "./wrangler.ts";

const useProcessGroup = process.platform !== "win32";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const running = new Set<PagesDevServer>();
process.on("exit", () => {
  // Last resort for paths that skipped stop(): never leave workerd running.
  for (const server of running) server.kill("SIGKILL");
});

export interface PagesDevOptions {
  /** Preferred port; the next free one is used when it is taken. */
  port: number;
  /** wrangler's output is appended to this file; without it, it goes to this process's terminal. */
  logFile?: string;
}

export class PagesDevServer {
  private child: ChildProcess | null = null;
  /** The temporary folder with the node_modules link and wrangler's local state. */
  private tmp = "";
  private readonly options: PagesDevOptions;
  base = "";

  constructor(options: PagesDevOptions) {
    this.options = options;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.child?.pid === undefined) return;
    try {
      // The whole process group: wrangler, its CLI child and workerd.
      process.kill(useProcessGroup ? -this.child.pid : this.child.pid, signal);
    } catch {
      // already gone
    }
  }

  /** Starts `wrangler pages dev` and resolves with its URL once it serves the dashboard's index.html. */
  async start({ timeoutMs = 120_000 } = {}): Promise<string> {
    const port = await freePort(this.options.port);
    this.tmp = mkdtempSync(path.join(tmpdir(), "openmoss-pages-dev-"));
    symlinkSync(path.join(root, "node_modules"), path.join(this.tmp, "node_modules"), "dir");
    const wranglerJs = path.join(this.tmp, "node_modules", "wrangler", "bin", "wrangler.js");
    const { logFile } = this.options;
    const fd = logFile ? openSync(logFile, "a") : undefined;
    const args = [
      "--preserve-symlinks",
      "--preserve-symlinks-main",
      wranglerJs,
      "pages",
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--persist-to",
      path.join(this.tmp, "state"),
      "--log-level",
      "warn",
      "--show-interactive-dev-session=false",
    ];
    const child = spawn(process.execPath, args, {
      cwd: pagesDir,
      // wrangler restarts itself as a child process: the flags must reach that one too.
      env: { ...process.env, ...WRANGLER_ENV, NODE_OPTIONS: "--preserve-symlinks --preserve-symlinks-main" },
      stdio: fd === undefined ? ["ignore", "inherit", "inherit"] : ["ignore", fd, fd],
      detached: useProcessGroup,
    });
    if (fd !== undefined) closeSync(fd);
    this.child = child;
    running.add(this);
    const exited = new Promise<number | string>((resolve) => child.once("exit", (code) => resolve(code ?? "a signal")));
    const base = `http://127.0.0.1:${port}`;
    const tail = () => (logFile ? `:\n${logTail(logFile)}` : "");
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const gone = await Promise.race([exited, sleep(250).then(() => undefined)]);
      if (gone !== undefined) throw new Error(`wrangler pages dev exited with ${gone}${tail()}`);
      try {
        const res = await fetch(`${base}/`);
        await res.arrayBuffer();
        if (res.ok) {
          this.base = base;
          return base;
        }
      } catch {
        // not listening yet
      }
    }
    throw new Error(`wrangler pages dev did not answer within ${timeoutMs / 1000} s${tail()}`);
  }

  /** Resolves when wrangler exits by itself (the foreground `npm run dev:pages`). */
  exited(): Promise<number> {
    const child = this.child;
    if (!child || child.exitCode !== null) return Promise.resolve(child?.exitCode ?? 0);
    return new Promise((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
  }

  /** SIGTERM, up to 10 s for a clean exit, then SIGKILL; removes the temporary folder. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      this.kill("SIGTERM");
      await Promise.race([exited, sleep(10_000)]);
    }
    this.kill("SIGKILL");
    this.child = null;
    running.delete(this);
    if (!this.tmp) return;
    // The link first, on its own: the removal of the folder must never reach the real node_modules.
    try {
      unlinkSync(path.join(this.tmp, "node_modules"));
    } catch {
      // never made (the start failed before the link)
    }
    rmSync(this.tmp, { recursive: true, force: true });
    this.tmp = "";
  }
}
