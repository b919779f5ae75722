// A small argv parser driven by the command table (no dependency). Differences from upstream's
// argparse: the global options (--key, --key-file, --base-url, --lang, --json, --help) are accepted anywhere
// on the line, and `--flag=value` works too. Negative numbers and a lone `-` (stdin) are positionals.
// A typo gets "did you mean"; enums and integer ranges are checked here, before anything is sent.

import { LANGUAGES } from "../../contract/languages";
import type { IdKind } from "../../worker/domain/ids";
import { type Text, t } from "./i18n/index";

/** What a value is checked against before the command runs. */
interface ValueSpec {
  int?: boolean;
  /** Inclusive bounds of an integer. */
  min?: number;
  max?: number;
  choices?: readonly string[];
  /** The value is an id of this kind: a unique prefix of 8+ characters is resolved to the full id (ids.ts). */
  id?: IdKind;
}

export interface FlagSpec extends ValueSpec {
  /** Without the leading dashes, e.g. "page-size". */
  name: string;
  help: Text;
  /** Shown in usage as `--name METAVAR`. */
  metavar?: string;
  required?: boolean;
  /** Comma-separated and repeatable; collected into `lists`. */
  list?: boolean;
  /** Takes no value: given or not (read with `c.str(name) !== undefined`). */
  switch?: boolean;
}

export interface PositionalSpec extends ValueSpec {
  name: string;
  help: Text;
  /** Zero or more values (last positional only); collected into `lists`. */
  variadic?: boolean;
  /** May be left out (last positional only); then absent from `values`. */
  optional?: boolean;
}

export interface CommandSpec {
  name: string;
  summary: Text;
  positionals?: readonly PositionalSpec[];
  flags?: readonly FlagSpec[];
  /** What the command needs configured: the API key (default), only the base URL, or nothing. */
  needs?: "key" | "base" | "nothing";
}

export interface GroupSpec<C extends CommandSpec> {
  name: string;
  summary: Text;
  commands: readonly C[];
}

export type Entry<C extends CommandSpec> = C | GroupSpec<C>;
export type Table<C extends CommandSpec> = readonly Entry<C>[];

export const isGroup = <C extends CommandSpec>(e: Entry<C>): e is GroupSpec<C> => "commands" in e;

export interface Globals {
  key?: string;
  keyFile?: string;
  baseUrl?: string;
  /** Checked against LANGUAGES here; main.ts reads it before parsing, so parse errors are in it too. */
  lang?: string;
  json: boolean;
}

export type Parsed<C extends CommandSpec> =
  /** Help for a command path ([] = everything, ["st"] = a group, ["st", "create"] = a command). */
  | { kind: "help"; path: string[]; globals: Globals }
  | {
      kind: "run";
      command: C;
      path: string[];
      /** Positionals by name and single-valued flags by name (flags keep their dashes-free name). */
      values: Record<string, string>;
      /** Variadic positionals and list flags. */
      lists: Record<string, string[]>;
      globals: Globals;
    };

/** A mistake on the command line: exit 2 with a short usage of `path`. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly path: string[],
  ) {
    super(message);
  }
}

const GLOBAL_VALUE_FLAGS: Record<string, "key" | "keyFile" | "baseUrl" | "lang"> = {
  key: "key",
  "key-file": "keyFile",
  "base-url": "baseUrl",
  lang: "lang",
};
export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  { name: "key", metavar: "KEY", help: (m) => m.help.global.key },
  { name: "key-file", metavar: "PATH", help: (m) => m.help.global.keyFile },
  { name: "base-url", metavar: "URL", help: (m) => m.help.global.baseUrl },
  { name: "lang", metavar: "LANG", choices: LANGUAGES, help: (m) => m.help.global.lang },
  { name: "json", help: (m) => m.help.global.json },
  { name: "help", help: (m) => m.help.global.help },
];

const INTEGER = /^-?\d+$/;
const isHelpFlag = (t: string) => t === "--help" || t === "-h";

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/**
 * The candidate closest to a mistyped word: within 2 edits (fewer than the word's length, so a short
 * word is not "corrected" into anything), or one it begins; undefined when none is close.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const d = distance(word, candidate);
    const near = (d <= 2 && d < word.length) || (word.length >= 2 && candidate.startsWith(word));
    if (near && d < bestScore) [best, bestScore] = [candidate, d];
  }
  return best;
}

const didYouMean = (suggestion: string | undefined) =>
  suggestion === undefined ? "" : t().common.didYouMean(suggestion);

export function checkValue(what: string, value: string, spec: ValueSpec, path: string[]) {
  const m = t().common;
  if (spec.int) {
    if (!INTEGER.test(value)) throw new UsageError(m.expectedInteger(what, value), path);
    const n = Number(value);
    if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
      const range =
        spec.max === undefined
          ? m.atLeast(spec.min!)
          : spec.min === undefined
            ? m.atMost(spec.max)
            : m.between(spec.min, spec.max);
      throw new UsageError(m.outOfRange(what, range, value), path);
    }
  }
  if (spec.choices && !spec.choices.includes(value)) {
    throw new UsageError(
      m.invalidChoice(what, value, spec.choices.join(", ")) + didYouMean(closest(value, spec.choices)),
      path,
    );
  }
}

export function parse<C extends CommandSpec>(argv: readonly string[], table: Table<C>): Parsed<C> {
  const end = argv.indexOf("--");
  const wantsHelp = (end < 0 ? argv : argv.slice(0, end)).some(isHelpFlag);
  const globals: Globals = { json: false };
  try {
    return parseTokens(argv, table, globals, wantsHelp);
  } catch (err) {
    // `--help` wins over any mistake on the same line: show help for as far as the line got.
    if (wantsHelp && err instanceof UsageError) return { kind: "help", path: err.path, globals };
    throw err;
  }
}

function parseTokens<C extends CommandSpec>(
  argv: readonly string[],
  table: Table<C>,
  globals: Globals,
  wantsHelp: boolean,
): Parsed<C> {
  const path: string[] = [];
  let group: GroupSpec<C> | undefined;
  let command: C | undefined;
  let helpTopic: string[] | undefined;
  const positionals: string[] = [];
  const flagValues: Record<string, string[]> = {};
  let onlyPositionals = false;
  const m = t().common;
  const fail = (message: string): never => {
    throw new UsageError(message, [...path]);
  };

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (!onlyPositionals && token === "--") {
      onlyPositionals = true;
      continue;
    }
    if (!onlyPositionals && isHelpFlag(token)) continue;
    if (!onlyPositionals && token.startsWith("--")) {
      const eq = token.indexOf("=");
      const name = token.slice(2, eq < 0 ? undefined : eq);
      const inline = eq < 0 ? undefined : token.slice(eq + 1);
      const takeValue = (): string => {
        if (inline !== undefined) return inline;
        const next = argv[i + 1];
        if (next === undefined) return fail(m.needsValue(name));
        i++;
        return next;
      };
      if (name === "json") {
        if (inline !== undefined) fail(m.takesNoValue(name));
        globals.json = true;
        continue;
      }
      const global = GLOBAL_VALUE_FLAGS[name];
      if (global) {
        globals[global] = takeValue();
        if (global === "lang") checkValue("--lang", globals.lang!, { choices: LANGUAGES }, path);
        continue;
      }
      const spec = command?.flags?.find((f) => f.name === name);
      if (!spec) {
        if (!command && !group) return fail(m.optionBeforeCommand(name));
        const known = [...(command?.flags ?? []), ...GLOBAL_FLAGS].map((f) => f.name);
        const near = closest(name, known);
        return fail(m.unknownOption(`--${name}`) + (near === undefined ? "" : m.didYouMeanFlag(near)));
      }
      if (spec.switch) {
        if (inline !== undefined) fail(m.takesNoValue(name));
        flagValues[name] = [""];
        continue;
      }
      const value = takeValue();
      const values = spec.list
        ? value
            .split(",")
            .map((v) => v.trim())
            .filter((v) => v !== "")
        : [value];
      for (const v of values) checkValue(`--${name}`, v, spec, path);
      flagValues[name] = [...(flagValues[name] ?? []), ...values];
      continue;
    }
    if (!onlyPositionals && token.length > 1 && token.startsWith("-") && !INTEGER.test(token))
      return fail(m.unknownOption(token));

    if (helpTopic) helpTopic.push(token);
    else if (command) positionals.push(token);
    else if (!group && token === "help") helpTopic = [];
    else {
      const entries: readonly Entry<C>[] = group ? group.commands : table;
      const entry = entries.find((e) => e.name === token);
      if (!entry) {
        const near = closest(
          token,
          entries.map((e) => e.name),
        );
        const full = (name: string) => (group ? `${group.name} ${name}` : name);
        return fail(m.unknownCommand(full(token)) + didYouMean(near === undefined ? undefined : full(near)));
      }
      path.push(token);
      if (isGroup(entry)) group = entry;
      else command = entry as C;
    }
  }

  if (helpTopic) return { kind: "help", path: resolveTopic(helpTopic, table), globals };
  if (wantsHelp || !command) return { kind: "help", path: [...path], globals };

  const values: Record<string, string> = {};
  const lists: Record<string, string[]> = {};
  const specs = command.positionals ?? [];
  let next = 0;
  for (const spec of specs) {
    if (spec.variadic) {
      lists[spec.name] = positionals.slice(next);
      next = positionals.length;
    } else if (next < positionals.length) values[spec.name] = positionals[next++]!;
    else if (!spec.optional) fail(m.missingArgument(spec.name));
  }
  if (next < positionals.length) fail(m.unexpectedArgument(positionals[next]!));
  for (const spec of specs) {
    for (const v of spec.variadic ? lists[spec.name]! : values[spec.name] === undefined ? [] : [values[spec.name]!])
      checkValue(`<${spec.name}>`, v, spec, path);
  }
  for (const spec of command.flags ?? []) {
    const given = flagValues[spec.name];
    if (spec.required && !given?.length) fail(m.requiredOption(spec.name));
    if (!given) continue;
    if (spec.list) lists[spec.name] = given;
    // Given twice: the last one counts (as with argparse).
    else values[spec.name] = given[given.length - 1]!;
  }
  return { kind: "run", command, path: [...path], values, lists, globals };
}

/** `help st create` → ["st", "create"], checked against the table. */
function resolveTopic<C extends CommandSpec>(topic: string[], table: Table<C>): string[] {
  const [first, second, ...rest] = topic;
  if (first === undefined) return [];
  const entry = table.find((e) => e.name === first);
  if (!entry)
    throw new UsageError(
      t().common.noHelpFor(first) +
        didYouMean(
          closest(
            first,
            table.map((e) => e.name),
          ),
        ),
      [],
    );
  if (second === undefined) return [first];
  if (!isGroup(entry) || !entry.commands.some((c) => c.name === second) || rest.length > 0) {
    const near =
      isGroup(entry) && rest.length === 0
        ? closest(
            second,
            entry.commands.map((c) => c.name),
          )
        : undefined;
    throw new UsageError(
      t().common.noHelpFor(topic.join(" ")) + didYouMean(near === undefined ? undefined : `${first} ${near}`),
      [first],
    );
  }
  return [first, second];
}
