// How `npm run deploy` runs its child processes: wrangler (the project's own, or a stand-in named by
// DEPLOY_WRANGLER, which the tests use to play a Cloudflare account) and the npm build scripts.
import { spawn } from "node:child_process";
import { exitCodeOf, root, spawnWrangler } from "./wrangler.ts";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `wrangler <args>` and collects its output; `echo` also streams it to the terminal as it comes.
 * stdin is never a terminal, so wrangler never stops to ask (the migrations' confirmation, the
 * resource-provisioning questions, config write-back) — the script decides everything up front.
 */
export function wrangler(
  args: string[],
  { echo = false, env = {} }: { echo?: boolean; env?: Record<string, string> } = {},
): Promise<RunResult> {
  const standIn = process.env.DEPLOY_WRANGLER;
  const stdio = ["ignore", "pipe", "pipe"] as const;
  const child = standIn
    ? spawn(standIn, args, { cwd: root, stdio: [...stdio], env: { ...process.env, ...env } })
    : spawnWrangler(args, { stdio: [...stdio], env });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk;
    if (echo) process.stdout.write(chunk);
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk;
    if (echo) process.stderr.write(chunk);
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code: exitCodeOf(code, signal), stdout, stderr }));
  });
}

/** `npm run <script>` with the terminal attached; resolves with its exit code. */
export function npmRun(script: string): Promise<number> {
  // npm is a .cmd on Windows, which Node only starts through a shell.
  const child = spawn("npm", ["run", script], { cwd: root, stdio: "inherit", shell: process.platform === "win32" });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve(exitCodeOf(code, signal)));
  });
}

/** Thrown by a step that cannot go on; deploy.ts prints the message (which names the next command) and exits 1. */
export class DeployError extends Error {}

/** The output of a failed command, for an error message: the last lines, where wrangler puts the reason. */
export function tail(result: RunResult, lines = 15): string {
  return `${result.stdout}\n${result.stderr}`.trim().split("\n").slice(-lines).join("\n");
}
