// `wrangler pages dev` serving the Pages build (dashboard/pages/dist) with the Pages configuration
// (dashboard/pages/wrangler.toml): `npm run dev:pages` and the browser suite's cross-origin test.
//
// Why wrangler runs from a link outside the repository: with no Functions, `pages dev` runs a shim
// Worker that lives in wrangler's own folder (node_modules/wrangler/templates/pages-shim.ts) and
// looks for a configuration upwards from there, so inside this repository it finds the Worker's
// wrangler.toml and refuses to start ("Your Worker depends on the following Durable Objects, which
// are not exported…"). Started as <tmp>/node_modules/wrangler (a link to our node_modules, symlinks
// preserved), the search from the shim finds nothing, and the site runs with no bindings, as on Pages.
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, symlinkSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { logTail, WRANGLER_ENV } from "./dev-server.ts";
import { freePort } from "./free-port.ts";
import { pagesDir } from "./pages-build.ts";
import { ServerProcess, useProcessGroup } from "./server-process.ts";
import { root } from "./wrangler.ts";

export interface PagesDevOptions {
  /** Preferred port; the next free one is used when it is taken. */
  port: number;
  /** wrangler's output is appended to this file; without it, it goes to this process's terminal. */
  logFile?: string;
}

export class PagesDevServer extends ServerProcess {
  /** The temporary folder with the node_modules link and wrangler's local state. */
  private tmp = "";
  private readonly options: PagesDevOptions;
  base = "";

  constructor(options: PagesDevOptions) {
    super();
    this.options = options;
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
    this.attach(child);
    const base = `http://127.0.0.1:${port}`;
    await this.waitUntilAnswers(`${base}/`, {
      timeoutMs,
      what: "wrangler pages dev",
      log: () => (logFile ? `:\n${logTail(logFile)}` : ""),
    });
    this.base = base;
    return base;
  }

  /** Stops the server (ServerProcess.stop), then removes the temporary folder. */
  override async stop(): Promise<void> {
    await super.stop();
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
