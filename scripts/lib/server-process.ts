// A local server run as a process group of its own (wrangler, its CLI child, workerd, esbuild): for
// `wrangler dev` (dev-server.ts) and `wrangler pages dev` (pages-dev.ts). Waits until it answers,
// stops it gracefully, and never leaves one running when this process exits, whatever the path.
import type { ChildProcess } from "node:child_process";

/** Spawn servers with `detached: useProcessGroup`, so a stop reaches the whole group (Windows has none). */
export const useProcessGroup = process.platform !== "win32";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const running = new Set<ServerProcess>();
process.on("exit", () => {
  // Last resort for paths that skipped stop(): never leave workerd running.
  for (const server of running) server.kill("SIGKILL");
});

export class ServerProcess {
  child: ChildProcess | null = null;

  /** Takes charge of a server just spawned (with `detached: useProcessGroup`). */
  protected attach(child: ChildProcess): void {
    this.child = child;
    running.add(this);
  }

  kill(signal: NodeJS.Signals): void {
    if (this.child?.pid === undefined) return;
    try {
      process.kill(useProcessGroup ? -this.child.pid : this.child.pid, signal);
    } catch {
      // already gone
    }
  }

  /**
   * Resolves once `url` answers 2xx. Throws when the server exits first or `timeoutMs` passes; the
   * message names `what` and ends with `log()` (the server's last output). Call it right after attach().
   */
  protected async waitUntilAnswers(
    url: string,
    { timeoutMs, what, log }: { timeoutMs: number; what: string; log: () => string },
  ): Promise<void> {
    const child = this.child;
    if (!child) throw new Error(`${what} was not started`);
    const exited = new Promise<number | string>((resolve) => child.once("exit", (code) => resolve(code ?? "a signal")));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const gone = await Promise.race([exited, sleep(250).then(() => undefined)]);
      if (gone !== undefined) throw new Error(`${what} exited with ${gone}${log()}`);
      try {
        const res = await fetch(url);
        await res.arrayBuffer();
        if (res.ok) return;
      } catch {
        // not listening yet
      }
    }
    throw new Error(`${what} did not answer within ${timeoutMs / 1000} s${log()}`);
  }

  /** Resolves with the exit code when the server ends by itself (a foreground `npm run dev:pages`). */
  exited(): Promise<number> {
    const child = this.child;
    if (!child || child.exitCode !== null) return Promise.resolve(child?.exitCode ?? 0);
    return new Promise((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
  }

  /** SIGTERM, up to 10 s for a clean exit (so state files are complete), then SIGKILL to what is left of the group. */
  async stop({ onSlow }: { onSlow?: () => void } = {}): Promise<void> {
    const child = this.child;
    if (!child) return;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      this.kill("SIGTERM");
      const done = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
      if (!done) onSlow?.();
    }
    this.kill("SIGKILL");
    this.child = null;
    running.delete(this);
  }
}

/** Stops every server this process still runs (for signal handlers and failure paths). */
export async function stopAllServers(): Promise<void> {
  await Promise.all([...running].map((s) => s.stop()));
}
