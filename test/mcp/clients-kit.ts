// Shared by the independent-client tests (conformance.test.ts, clients.test.ts): where an installed
// package's command is, and a throw-away home folder so no client writes auth state or catalogs
// into the developer's real home (mcp-remote: ~/.mcp-auth, the Inspector: ~/.mcp-inspector).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository (the clients run with it as their working folder). */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The script of `command` in the devDependency `pkg` (its package.json `bin`), run with the tests' Node. */
export function packageBin(pkg: string, command: string): string {
  const dir = path.join(root, "node_modules", pkg);
  const bin = (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { bin: Record<string, string> }).bin[
    command
  ];
  if (!bin) throw new Error(`${pkg} has no command ${command}`);
  return path.join(dir, bin);
}

export interface ScratchHome {
  dir: string;
  /** HOME and the clients' own config variables, all inside `dir`. */
  env: Record<string, string>;
  remove(): void;
}

export function scratchHome(label: string): ScratchHome {
  const dir = mkdtempSync(path.join(tmpdir(), `openmoss-${label}-`));
  return {
    dir,
    env: {
      HOME: dir,
      MCP_REMOTE_CONFIG_DIR: path.join(dir, "mcp-auth"),
      MCP_CATALOG_PATH: path.join(dir, "inspector-catalog.json"),
      // No browser can open: mcp-remote only reaches for one after a finished OAuth discovery.
      BROWSER: "false",
      DISPLAY: "",
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
