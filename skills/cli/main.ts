// Entry point of the agent CLI (built into skills/dist/task-cli.mjs by scripts/build-cli.ts).
// Exit codes: 0 success or help, 1 a failed request or missing configuration, 2 a command-line mistake.
import { realpathSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LANGUAGES, type Language } from "../../contract/languages";
import { checkValue, type Parsed, parse, UsageError } from "./args";
import { BAKED_BASE_URL, BAKED_LANG } from "./baked";
import { TABLE } from "./commands/index";
import { missingBaseUrl, missingKey, resolveConfig } from "./config";
import { type Command, makeCtx } from "./context";
import { ApiError, CliError } from "./errors";
import { renderHelp, shortUsage } from "./help";
import { Api } from "./http";
import { chooseLang, t } from "./i18n/index";
import { resolveIds } from "./ids";
import { print, printError, printErrorJson } from "./output";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The language the agent asked for: --lang (before any `--`), else $OPENMOSS_LANG. Read before the
 * command line is parsed, so even a mistake on it is reported in that language; an invalid one is a
 * usage error itself.
 */
function askedLang(argv: readonly string[], env: NodeJS.ProcessEnv): Language | undefined {
  const end = argv.indexOf("--");
  const line = end < 0 ? argv : argv.slice(0, end);
  let value: string | undefined;
  line.forEach((token, i) => {
    if (token === "--lang") value = line[i + 1] ?? value;
    else if (token.startsWith("--lang=")) value = token.slice("--lang=".length);
  });
  const what = value === undefined ? "OPENMOSS_LANG" : "--lang";
  value ??= env.OPENMOSS_LANG?.trim() || undefined;
  if (value === undefined) return undefined;
  checkValue(what, value, { choices: LANGUAGES }, []);
  return value as Language;
}

function usageError(err: UsageError): number {
  printError(`❌ ${err.message}`, ...shortUsage(err.path, TABLE));
  return 2;
}

/**
 * Human: the message, then the hint (what to do next) on its own line. --json: `{status, detail, code,
 * hint?}` (status 0 when no server answer is involved).
 */
function failure(json: boolean, message: string, status: number, detail: string, code: string, hint?: string): number {
  if (json) printErrorJson({ status, detail, code, ...(hint ? { hint } : {}) });
  else printError(message, ...(hint ? [`→ ${hint}`] : []));
  return 1;
}

async function main(argv: string[]): Promise<number> {
  let parsed: Parsed<Command>;
  try {
    chooseLang(askedLang(argv, process.env), BAKED_LANG);
    parsed = parse(argv, TABLE);
  } catch (err) {
    if (err instanceof UsageError) return usageError(err);
    throw err;
  }
  if (parsed.kind === "help") {
    print(...renderHelp(parsed.path, TABLE));
    return 0;
  }
  const { command, globals } = parsed;
  try {
    // The real file, so `update` replaces it (not a symlink to it) and the key file next to it is found.
    const cliFile = realpathSync(fileURLToPath(import.meta.url));
    const needs = command.needs ?? "key";
    const where = { cwd: process.cwd(), cliDir: path.dirname(cliFile) };
    // `version` resolves as a keyed command does, so it shows the address the key would go to.
    const config = resolveConfig({
      flags: globals,
      env: process.env,
      ...where,
      baked: BAKED_BASE_URL,
      withKey: needs !== "base",
    });
    if (needs !== "nothing" && !config.baseUrl) throw new CliError(missingBaseUrl(), "missing_base_url");
    if (needs === "key" && !config.key) throw new CliError(missingKey(where), "missing_key");
    const api = new Api(config.baseUrl ?? "", needs === "key" ? config.key : undefined);
    if (needs === "key") await resolveIds(api, command, parsed.values, parsed.lists);
    await command.run(makeCtx({ ...parsed, api, config, json: globals.json, cliFile, readStdin }));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) return usageError(err);
    if (err instanceof ApiError) return failure(globals.json, err.message, err.status, err.detail, err.code, err.hint);
    if (err instanceof CliError)
      return failure(globals.json, err.message, 0, err.message.replace(/^❌ /, ""), err.code, err.hint);
    const message = err instanceof Error ? err.message : String(err);
    return failure(globals.json, t().common.unexpectedError(message), 0, message, "internal");
  }
}

process.exitCode = await main(process.argv.slice(2));
