// The local cron of `npm start`: wrangler dev never fires Cron Triggers by itself, so this fires the
// Worker's scheduled handler the way the deployed trigger does, at each whole minute, through
// wrangler dev's test hook (GET /__scheduled?cron=…, on with --test-scheduled).
import { readFileSync } from "node:fs";
import path from "node:path";
import { root } from "./wrangler.ts";

/** `npm start -- --no-cron`: no local cron (the /__scheduled hook still works by hand). */
export const NO_CRON_FLAG = "--no-cron";

/** `npm start`'s arguments: whether to run the local cron, and the rest for `wrangler dev`. */
export function parseStartArgs(args: string[]) {
  return { cron: !args.includes(NO_CRON_FLAG), wranglerArgs: args.filter((a) => a !== NO_CRON_FLAG) };
}

/** The first cron expression of wrangler.toml's [triggers], as deployed. */
export function cronExpression(tomlText = readFileSync(path.join(root, "wrangler.toml"), "utf8")): string {
  const match = /^\s*crons\s*=\s*\[\s*"([^"]+)"/m.exec(tomlText);
  if (!match) throw new Error("wrangler.toml has no [triggers] crons");
  return match[1]!;
}

/**
 * Resolves true once `baseUrl` answers /api/health, or false as soon as `alive()` turns false.
 * `fetch` is replaceable so the tests can answer without a server.
 */
export async function waitUntilUp(
  baseUrl: string,
  {
    alive = () => true,
    fetch = globalThis.fetch,
    pollMs = 500,
  }: { alive?: () => boolean; fetch?: typeof globalThis.fetch; pollMs?: number } = {},
): Promise<boolean> {
  while (alive()) {
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return false;
}

/**
 * Fires GET <baseUrl>/__scheduled?cron=<cron> at each multiple of `intervalMs` (each whole minute by
 * default) until stop(). A tick still running when the next is due is not doubled. Silent while the
 * runs succeed; one short line through `log` for each failed one.
 */
export function startCronTicker({
  baseUrl,
  cron,
  intervalMs = 60_000,
  fetch = globalThis.fetch,
  log = console.error,
}: {
  baseUrl: string;
  cron: string;
  intervalMs?: number;
  fetch?: typeof globalThis.fetch;
  log?: (line: string) => void;
}): { stop(): void } {
  const url = `${baseUrl}/__scheduled?cron=${encodeURIComponent(cron)}`;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const res = await fetch(url);
      const body = await res.text();
      if (!res.ok) log(`local cron: ${res.status} ${body.trim().split("\n")[0]?.slice(0, 200) ?? ""}`);
    } catch (err) {
      log(`local cron: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      running = false;
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(
      () => {
        void tick();
        schedule();
      },
      intervalMs - (Date.now() % intervalMs),
    );
  };
  schedule();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
