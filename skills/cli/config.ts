// Where the API key and the server address come from. A key goes only to the address given with it:
// a file someone else could write (an OPENMOSS-AGENT.env planted in a shared working folder) must
// never choose where an agent's key is sent, nor where `update` downloads the next CLI from. Three
// places, in this order:
//   1. the command line: --key, else the file named by --key-file; the address from --base-url,
//      else from that file;
//   2. the environment: OPENMOSS_API_KEY, else the file named by OPENMOSS_KEY_FILE; the address
//      from OPENMOSS_BASE_URL, else from that file;
//   3. OPENMOSS-AGENT.env next to the CLI (the skill folder), never one in the current folder.
// The first place with a key supplies the key and its address, else the address baked into the CLI
// at download (the CLI's own). An address set in an earlier place, one without a key, is refused:
// silently combining it with a later key is exactly the redirection this guards against, and
// silently ignoring it would surprise. A command that sends no key (register) takes the first
// address found. Every input is passed in, so the rules are testable without a process.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { CliError } from "./errors";
import { t } from "./i18n/index";

export const KEY_FILE_NAME = "OPENMOSS-AGENT.env";

export interface ConfigInput {
  flags: { key?: string; keyFile?: string; baseUrl?: string };
  env: Record<string, string | undefined>;
  cwd: string;
  /** The folder holding the CLI file (the skill folder). */
  cliDir: string;
  /** The address baked in at download; still the placeholder in a fresh build. */
  baked: string;
  /** Whether the command sends the API key (all but `register`): then the address must come with the key. */
  withKey: boolean;
}

export interface Config {
  baseUrl?: string;
  key?: string;
  /** The key file the key (or, without a key, the address) came from, if any. */
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
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]))
      value = value.slice(1, -1);
    out[line.slice(0, eq).trim()] = value;
  }
  return out;
}

const isHttpUrl = (value: string) => /^https?:\/\/\S+$/i.test(value);
const trimSlashes = (url: string) => url.replace(/\/+$/, "");
const nonEmpty = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

/** One place the configuration can come from, with the names used in messages. */
interface Place {
  key?: string;
  baseUrl?: string;
  /** The key file read for this place, if it supplied the key or the address. */
  keyFile?: string;
  /** What supplied the key, e.g. `OPENMOSS_API_KEY`. */
  keyName?: string;
  /** What supplied the address, e.g. `--base-url`. */
  baseUrlName?: string;
  /** How to give a key in this place. */
  keyHint: string;
}

interface Given {
  key: string | undefined;
  baseUrl: string | undefined;
  /** A key file for this place, already resolved; undefined when none. */
  file: string | undefined;
  names: { key: string; baseUrl: string; file: string };
}

function readKeyFile(file: string): Record<string, string> {
  try {
    return parseEnvFile(readFileSync(file, "utf8"));
  } catch (err) {
    throw new CliError(t().common.keyFileUnreadable(file, (err as Error).message), "key_file_unreadable");
  }
}

/** A key file the user named explicitly (--key-file, OPENMOSS_KEY_FILE): it must exist. */
function explicitFile(name: string | undefined, cwd: string): string | undefined {
  if (name === undefined) return undefined;
  const file = path.resolve(cwd, name);
  if (!existsSync(file)) throw new CliError(t().common.keyFileMissing(file), "key_file_missing");
  return file;
}

/** Values given directly win over the same values in the place's key file. */
function place({ key, baseUrl, file, names }: Given): Place {
  const fromFile = file === undefined ? {} : readKeyFile(file);
  const fileKey = nonEmpty(fromFile.OPENMOSS_API_KEY);
  const fileUrl = nonEmpty(fromFile.OPENMOSS_BASE_URL);
  const inFile = `${names.file} ${file}`;
  const out: Place = { keyHint: names.key };
  if (key !== undefined) {
    out.key = key;
    out.keyName = names.key;
  } else if (fileKey !== undefined) {
    out.key = fileKey;
    out.keyName = inFile;
    out.keyFile = file;
  }
  if (baseUrl !== undefined) {
    out.baseUrl = baseUrl;
    out.baseUrlName = names.baseUrl;
  } else if (fileUrl !== undefined) {
    out.baseUrl = fileUrl;
    out.baseUrlName = t().common.inFile("OPENMOSS_BASE_URL", inFile);
    out.keyFile ??= file;
  }
  return out;
}

function places(input: ConfigInput): Place[] {
  const { flags, env, cwd } = input;
  const besideCli = path.join(input.cliDir, KEY_FILE_NAME);
  return [
    place({
      key: nonEmpty(flags.key),
      baseUrl: nonEmpty(flags.baseUrl),
      file: explicitFile(nonEmpty(flags.keyFile), cwd),
      names: { key: "--key", baseUrl: "--base-url", file: "--key-file" },
    }),
    place({
      key: nonEmpty(env.OPENMOSS_API_KEY),
      baseUrl: nonEmpty(env.OPENMOSS_BASE_URL),
      file: explicitFile(nonEmpty(env.OPENMOSS_KEY_FILE), cwd),
      names: { key: "OPENMOSS_API_KEY", baseUrl: "OPENMOSS_BASE_URL", file: "OPENMOSS_KEY_FILE" },
    }),
    place({
      key: undefined,
      baseUrl: undefined,
      file: existsSync(besideCli) ? besideCli : undefined,
      names: {
        key: t().common.inFile("OPENMOSS_API_KEY", besideCli),
        baseUrl: "OPENMOSS_BASE_URL",
        file: t().common.theKeyFile,
      },
    }),
  ];
}

export function resolveConfig(input: ConfigInput): Config {
  const all = places(input);
  // A fresh build still holds the placeholder, which is not a URL.
  const baked = isHttpUrl(input.baked) ? input.baked : undefined;
  const keyed = input.withKey ? all.findIndex((p) => p.key !== undefined) : -1;
  let chosen: Place | undefined;
  let baseUrl: string | undefined;
  if (keyed >= 0) {
    chosen = all[keyed]!;
    const stray = all.slice(0, keyed).find((p) => p.baseUrl !== undefined);
    if (stray) {
      throw new CliError(
        t().common.baseUrlWithoutKey(stray.baseUrlName!, chosen.keyName!, stray.keyHint),
        "base_url_without_key",
      );
    }
    baseUrl = chosen.baseUrl ?? baked;
  } else {
    chosen = all.find((p) => p.baseUrl !== undefined);
    baseUrl = chosen?.baseUrl ?? baked;
  }
  if (baseUrl !== undefined && !isHttpUrl(baseUrl))
    throw new CliError(t().common.invalidBaseUrl(baseUrl), "invalid_base_url");
  return {
    ...(baseUrl !== undefined ? { baseUrl: trimSlashes(baseUrl) } : {}),
    ...(keyed >= 0 ? { key: chosen!.key! } : {}),
    ...(chosen?.keyFile !== undefined ? { keyFile: chosen.keyFile } : {}),
  };
}

export const missingBaseUrl = () => t().common.missingBaseUrl(KEY_FILE_NAME);

/** Says which folder's key file is read, and that one in the current folder is not. */
export function missingKey(input: Pick<ConfigInput, "cwd" | "cliDir">): string {
  const besideCli = path.join(input.cliDir, KEY_FILE_NAME);
  const inCwd = path.join(input.cwd, KEY_FILE_NAME);
  const m = t().common;
  return [
    m.missingKey,
    m.keyWayFlag,
    m.keyWayEnv,
    m.keyWayFile(besideCli),
    ...(inCwd !== besideCli && existsSync(inCwd) ? [m.keyFileInCwdIgnored(inCwd)] : []),
  ].join("\n");
}
