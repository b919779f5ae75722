// Shared pieces of the CLI suite: the values the global setup provides and a runner that starts the
// CLI as a real child process (the Node running the tests), with no OPENMOSS_* from the outside.
import { execFile } from "node:child_process";
import { inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    setupToken: string;
    /** skills/dist/task-cli.mjs as built, still holding the base-URL placeholder. */
    cliBuild: string;
    wranglerLog: string;
  }
}

export const baseUrl = inject("baseUrl");
export const setupToken = inject("setupToken");
export const cliBuild = inject("cliBuild");

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Standard input (closed right away when absent). */
  input?: string;
}

export function runCli(file: string, args: string[], { cwd, env = {}, input = "" }: RunOptions): Promise<Run> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("OPENMOSS_")));
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [file, ...args],
      { cwd, env: { ...clean, ...env }, timeout: 30_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(input);
  });
}

/** The parsed stdout of a `--json` run that must have succeeded. */
export function json<T = any>(run: Run): T {
  if (run.code !== 0) throw new Error(`exit ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}
