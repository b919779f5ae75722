// Help and usage text, generated from the command table.
import { type CommandSpec, type FlagSpec, GLOBAL_FLAGS, isGroup, type Table } from "./args";
import { CLI_VERSION } from "./version";

export const PROG = "node task-cli.mjs";

const flagText = (f: FlagSpec) => (f.name === "help" ? "-h, --help" : `--${f.name}${f.metavar ? ` ${f.metavar}` : ""}`);
const positionalText = (c: CommandSpec) =>
  (c.positionals ?? []).map((p) => (p.variadic ? `[${p.name} …]` : `<${p.name}>`)).join(" ");

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

function commandHelp(path: string[], c: CommandSpec): string[] {
  const out = [`Usage: ${usageOf(path, c)}`, "", c.summary];
  if (c.positionals?.length)
    out.push("", "Arguments:", ...columns(c.positionals.map((p) => [p.variadic ? `${p.name} …` : p.name, p.help])));
  if (c.flags?.length)
    out.push(
      "",
      "Options:",
      ...columns(c.flags.map((f) => [flagText(f), f.required ? `${f.help} (required)` : f.help])),
    );
  out.push("", `Global options such as --key and --json work too: see \`${PROG} help\`.`);
  return out;
}

/** Help for [] (everything), [group] or [group, command] / [command]; the path was checked by the parser. */
export function renderHelp<C extends CommandSpec>(path: string[], table: Table<C>): string[] {
  const entry = table.find((e) => e.name === path[0]);
  if (entry && isGroup(entry)) {
    const command = entry.commands.find((c) => c.name === path[1]);
    if (command) return commandHelp(path, command);
    return [
      `Usage: ${PROG} ${entry.name} <command> [arguments] [options]`,
      "",
      entry.summary,
      "",
      "Commands:",
      ...columns(entry.commands.map((c) => [`${c.name} ${positionalText(c)}`.trim(), c.summary])),
      "",
      `\`${PROG} help ${entry.name} <command>\` shows a command's options.`,
    ];
  }
  if (entry) return commandHelp(path, entry);
  return [
    `task-cli v${CLI_VERSION}: the OpenMOSS agent CLI`,
    "",
    `Usage: ${PROG} <command> [arguments] [options]`,
    "",
    "Commands:",
    ...columns([
      ...table.map((e): [string, string] => (isGroup(e) ? [`${e.name} <command>`, e.summary] : [e.name, e.summary])),
      ["help [command]", "Show help for a command"],
    ]),
    "",
    "Global options (anywhere on the line):",
    ...columns(GLOBAL_FLAGS.map((f) => [flagText(f), f.help])),
    "",
    "Start every wake-up with `briefing`; run what its next steps say. Roles in [brackets] are the ones the server allows.",
    "Ids: the first 8 characters of an id are enough when no other id starts with them.",
  ];
}

/** The short usage printed after a command-line mistake. */
export function shortUsage<C extends CommandSpec>(path: string[], table: Table<C>): string[] {
  const entry = table.find((e) => e.name === path[0]);
  const command = entry && isGroup(entry) ? entry.commands.find((c) => c.name === path[1]) : entry;
  if (command && !isGroup(command))
    return [`Usage: ${usageOf(path, command)}`, `Run \`${PROG} help ${path.join(" ")}\` for details.`];
  if (entry)
    return [
      `Usage: ${PROG} ${entry.name} <command> [arguments] [options]`,
      `Run \`${PROG} help ${entry.name}\` for its commands.`,
    ];
  return [`Usage: ${PROG} <command> [arguments] [options]`, `Run \`${PROG} help\` for the commands.`];
}
