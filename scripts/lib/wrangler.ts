// Runs the project's own wrangler (node_modules/wrangler) the way `npx wrangler` would, without the
// extra npm process in between: signals reach wrangler directly and its exit code comes back as is.
// Wrangler needs Node >= 22.12; the `node` devDependency provides Node 24 in node_modules/.bin, which
// is used even when this script itself was started by an older system Node.
import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { constants } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const binDir = path.join(root, "node_modules", ".bin");
const wranglerJs = path.join(root, "node_modules", "wrangler", "bin", "wrangler.js");

function nodeBinary() {
  const candidate = path.join(root, "node_modules", "node", "bin", process.platform === "win32" ? "node.exe" : "node");
  return existsSync(candidate) ? candidate : process.execPath;
}

export function assertInstalled() {
  if (!existsSync(wranglerJs)) {
    console.error("wrangler is not installed: run `npm install` first.");
    process.exit(1);
  }
}

/**
 * Spawns `wrangler <args>`. `options` go to child_process.spawn; `env` entries are added to the
 * current environment, with node_modules/.bin first on PATH (as npx does).
 */
export function spawnWrangler(
  args: string[],
  { env = {}, ...options }: SpawnOptions & { env?: Record<string, string> } = {},
): ChildProcess {
  assertInstalled();
  const pathKey = Object.keys(process.env).find((k) => k.toUpperCase() === "PATH") ?? "PATH";
  const childEnv = { ...process.env, [pathKey]: `${binDir}${path.delimiter}${process.env[pathKey] ?? ""}`, ...env };
  return spawn(nodeBinary(), [wranglerJs, ...args], { cwd: root, stdio: "inherit", ...options, env: childEnv });
}

/** Runs wrangler to completion; resolves with its exit code (128+n when killed by signal n). */
export function runWrangler(
  args: string[],
  options?: SpawnOptions & { env?: Record<string, string> },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawnWrangler(args, options);
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(exitCodeOf(code, signal)));
  });
}

export function exitCodeOf(code: number | null | undefined, signal: NodeJS.Signals | null): number {
  if (code !== null && code !== undefined) return code;
  const number = signal ? constants.signals[signal] : undefined;
  return number ? 128 + number : 1;
}
