// Where the base URL and the API key come from. Every input is passed in (flags, environment,
// directories, the baked-in address), so the precedence rules are testable without a process.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { CliError } from "./errors";

export const KEY_FILE_NAME = "OPENMOSS-AGENT.env";

export interface ConfigInput {
  flags: { key?: string; keyFile?: string; baseUrl?: string };
  env: Record<string, string | undefined>;
  cwd: string;
  /** The folder holding the CLI file (the skill folder). */
  cliDir: string;
  /** The address baked in at download; still the placeholder in a fresh build. */
  baked: string;
}

export interface Config {
  baseUrl?: string;
  key?: string;
  /** The key file that was read, if any. */
  keyFile?: string;
}

/** `NAME=value` lines; `#` comments, blank lines, an `export ` prefix and surrounding quotes are allowed. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim().replace(/^export\s+/, "");
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
    out[line.slice(0, eq).trim()] = value;
  }
  return out;
}

const isHttpUrl = (value: string) => /^https?:\/\/\S+$/i.test(value);
const trimSlashes = (url: string) => url.replace(/\/+$/, "");
const nonEmpty = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

/** The key file to read: an explicit one (flag, then env) must exist; the default places are optional. */
function findKeyFile(input: ConfigInput): string | undefined {
  const explicit = nonEmpty(input.flags.keyFile) ?? nonEmpty(input.env.OPENMOSS_KEY_FILE);
  if (explicit) {
    const file = path.resolve(input.cwd, explicit);
    if (!existsSync(file)) throw new CliError(`❌ Key file not found: ${file}`, "key_file_missing");
    return file;
  }
  return [path.join(input.cwd, KEY_FILE_NAME), path.join(input.cliDir, KEY_FILE_NAME)].find((f) => existsSync(f));
}

export function resolveConfig(input: ConfigInput): Config {
  const keyFile = findKeyFile(input);
  let fromFile: Record<string, string> = {};
  if (keyFile) {
    try {
      fromFile = parseEnvFile(readFileSync(keyFile, "utf8"));
    } catch (err) {
      throw new CliError(`❌ Cannot read key file ${keyFile}: ${(err as Error).message}`, "key_file_unreadable");
    }
  }
  const baseUrl =
    nonEmpty(input.flags.baseUrl) ??
    nonEmpty(input.env.OPENMOSS_BASE_URL) ??
    nonEmpty(fromFile.OPENMOSS_BASE_URL) ??
    // A fresh build still holds the placeholder, which is not a URL.
    (isHttpUrl(input.baked) ? input.baked : undefined);
  if (baseUrl !== undefined && !isHttpUrl(baseUrl)) throw new CliError(`❌ Base URL must start with http:// or https://, got '${baseUrl}'`, "invalid_base_url");
  const key = nonEmpty(input.flags.key) ?? nonEmpty(input.env.OPENMOSS_API_KEY) ?? nonEmpty(fromFile.OPENMOSS_API_KEY);
  return {
    ...(baseUrl !== undefined ? { baseUrl: trimSlashes(baseUrl) } : {}),
    ...(key !== undefined ? { key } : {}),
    ...(keyFile !== undefined ? { keyFile } : {}),
  };
}

export const MISSING_BASE_URL =
  "❌ No server address: pass --base-url URL, set OPENMOSS_BASE_URL, or add OPENMOSS_BASE_URL=... to " +
  `${KEY_FILE_NAME} (a CLI downloaded from the server has it built in).`;

export const MISSING_KEY = [
  "❌ Missing API key. Give it in one of three ways:",
  "   1. --key <API_KEY> (anywhere on the command line)",
  "   2. the environment variable OPENMOSS_API_KEY",
  `   3. a key file with the line OPENMOSS_API_KEY=<API_KEY>: --key-file PATH or $OPENMOSS_KEY_FILE, else ${KEY_FILE_NAME}`,
  "      in the current folder, else next to this CLI",
].join("\n");
