// What a command's `run` gets: its parsed values, the API client, the configuration and `--json`.
import { type CommandSpec, type GroupSpec, UsageError } from "./args";
import type { Config } from "./config";
import type { Api } from "./http";
import { t } from "./i18n/index";
import { printJson } from "./output";

export interface Ctx {
  api: Api;
  config: Config;
  json: boolean;
  /** The running CLI file (for `update`). */
  cliFile: string;
  /** A positional or single-valued flag, undefined when not given. */
  str(name: string): string | undefined;
  /** A positional the parser guarantees. */
  arg(name: string): string;
  int(name: string): number | undefined;
  list(name: string): string[];
  /** Like str(), but `-` means "read standard input" (for long texts). */
  text(name: string): Promise<string | undefined>;
  /** Prints `body` as JSON with --json, else runs the human printer. */
  show(body: unknown, human: () => void): void;
}

export interface Command extends CommandSpec {
  run(ctx: Ctx): Promise<void>;
}
export type Group = GroupSpec<Command>;

export interface CtxInput {
  api: Api;
  config: Config;
  json: boolean;
  cliFile: string;
  path: string[];
  values: Record<string, string>;
  lists: Record<string, string[]>;
  readStdin: () => Promise<string>;
}

export function makeCtx(input: CtxInput): Ctx {
  let stdinUsedBy: string | undefined;
  const str = (name: string) => input.values[name];
  return {
    api: input.api,
    config: input.config,
    json: input.json,
    cliFile: input.cliFile,
    str,
    arg: (name) => input.values[name] ?? "",
    int: (name) => (input.values[name] === undefined ? undefined : Number(input.values[name])),
    list: (name) => input.lists[name] ?? [],
    async text(name) {
      const value = str(name);
      if (value !== "-") return value;
      // Standard input can be read once: two `-` arguments on one line are a mistake.
      if (stdinUsedBy) throw new UsageError(t().common.stdinTwice(stdinUsedBy), input.path);
      stdinUsedBy = name;
      return (await input.readStdin()).replace(/\r?\n$/, "");
    },
    show(body, human) {
      if (input.json) printJson(body);
      else human();
    },
  };
}
