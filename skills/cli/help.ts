// Help and usage text, generated from the command table, in the current language (i18n/): the
// command and flag names, metavars and the suggested command lines stay as they are.
import { type CommandSpec, type FlagSpec, GLOBAL_FLAGS, isGroup, type Table } from "./args";
import { t } from "./i18n/index";
import { CLI_VERSION } from "./version";

export const PROG = "node task-cli.mjs";

const flagText = (f: FlagSpec) => (f.name === "help" ? "-h, --help" : `--${f.name}${f.metavar ? ` ${f.metavar}` : ""}`);
const positionalText = (c: CommandSpec) =>
  (c.positionals ?? [])
    .map((p) => (p.variadic ? `[${p.name} …]` : p.optional ? `[<${p.name}>]` : `<${p.name}>`))
    .join(" ");

/** Two aligned columns. */
function columns(rows: [string, string][]): string[] {
  const width = Math.min(30, Math.max(...rows.map(([left]) => left.length)));
  return rows.map(([left, right]) =>
    left.length > width ? `  ${left}\n  ${" ".repeat(width)}  ${right}` : `  ${left.padEnd(width)}  ${right}`,
  );
}

/** `st create <task_id> <name> [options]`, with required options spelled out. */
function usageOf(path: string[], c: CommandSpec): string {
  const flags = c.flags ?? [];
  const required = flags.filter((f) => f.required).map(flagText);
  const parts = [PROG, ...path, positionalText(c), ...required, flags.some((f) => !f.required) ? "[options]" : ""];
  return parts.filter(Boolean).join(" ");
}

const groupUsage = (group: string) => `${PROG} ${group} <command> [arguments] [options]`;

function commandHelp(path: string[], c: CommandSpec): string[] {
  const m = t();
  const out = [m.help.usage(usageOf(path, c)), "", c.summary(m)];
  if (c.positionals?.length)
    out.push(
      "",
      m.help.arguments,
      ...columns(c.positionals.map((p) => [p.variadic ? `${p.name} …` : p.name, p.help(m)])),
    );
  if (c.flags?.length)
    out.push(
      "",
      m.help.options,
      ...columns(c.flags.map((f) => [flagText(f), f.required ? m.help.required(f.help(m)) : f.help(m)])),
    );
  out.push("", m.help.globalsToo(PROG));
  return out;
}

/** Help for [] (everything), [group] or [group, command] / [command]; the path was checked by the parser. */
export function renderHelp<C extends CommandSpec>(path: string[], table: Table<C>): string[] {
  const m = t();
  const entry = table.find((e) => e.name === path[0]);
  if (entry && isGroup(entry)) {
    const command = entry.commands.find((c) => c.name === path[1]);
    if (command) return commandHelp(path, command);
    return [
      m.help.usage(groupUsage(entry.name)),
      "",
      entry.summary(m),
      "",
      m.help.commands,
      ...columns(entry.commands.map((c) => [`${c.name} ${positionalText(c)}`.trim(), c.summary(m)])),
      "",
      m.help.groupFooter(PROG, entry.name),
    ];
  }
  if (entry) return commandHelp(path, entry);
  return [
    m.help.title(CLI_VERSION),
    "",
    m.help.usage(`${PROG} <command> [arguments] [options]`),
    "",
    m.help.commands,
    ...columns([
      ...table.map((e): [string, string] =>
        isGroup(e) ? [`${e.name} <command>`, e.summary(m)] : [e.name, e.summary(m)],
      ),
      ["help [command]", m.help.helpCommand],
    ]),
    "",
    m.help.globalOptions,
    ...columns(GLOBAL_FLAGS.map((f) => [flagText(f), f.help(m)])),
    "",
    m.help.startWithBriefing,
    m.help.shortIds,
  ];
}

/** The short usage printed after a command-line mistake. */
export function shortUsage<C extends CommandSpec>(path: string[], table: Table<C>): string[] {
  const m = t().help;
  const entry = table.find((e) => e.name === path[0]);
  const command = entry && isGroup(entry) ? entry.commands.find((c) => c.name === path[1]) : entry;
  if (command && !isGroup(command)) return [m.usage(usageOf(path, command)), m.runForDetails(PROG, path.join(" "))];
  if (entry) return [m.usage(groupUsage(entry.name)), m.runForGroup(PROG, entry.name)];
  return [m.usage(`${PROG} <command> [arguments] [options]`), m.runForAll(PROG)];
}
