// The autopilot's bot, by the briefing's format contract alone: a wake-up reads `briefing`, takes its
// "Next steps", and runs only the commands those steps give. Every command in a step is in backticks
// and starts with `node task-cli.mjs`; a quoted `"<…>"` (or a bare `…`) is free text the bot writes,
// `a|b` is a choice it makes, `<1-5>` a score. Nothing here knows a command's meaning: the role's
// Mind fills the blanks. The pure parts are exported for the test's own checks.
import { type Run, runCli } from "./harness";

export const CLI_PREFIX = "node task-cli.mjs";

/** The numbered items under the "Next steps" heading, continuation lines joined; [] if none. */
export function parseNextSteps(briefing: string): string[] {
  const lines = briefing.split("\n");
  const start = lines.findIndex((l) => /^\s*Next steps\b/i.test(l));
  if (start < 0) return [];
  const steps: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === "") break;
    const item = /^\s*\d+\.\s+(.*)$/.exec(line);
    if (item) steps.push(item[1]!);
    else if (/^\s/.test(line) && steps.length > 0) steps[steps.length - 1] += ` ${line.trim()}`;
    else if (steps.length > 0 || !/^\s/.test(line)) break;
  }
  return steps;
}

/**
 * The backticked `node task-cli.mjs …` commands of a step, in order, without the prefix; commands
 * joined by a bare "or" are one group of alternatives (the bot runs one of them).
 */
export function stepCommands(step: string): string[][] {
  const groups: string[][] = [];
  let end = -1;
  for (const m of step.matchAll(/`([^`]*)`/g)) {
    const text = m[1]!.trim();
    if (!text.startsWith(`${CLI_PREFIX} `)) continue;
    const command = text.slice(CLI_PREFIX.length + 1).trim();
    const joined = end >= 0 && step.slice(end, m.index).trim() === "or";
    if (joined) groups[groups.length - 1]!.push(command);
    else groups.push([command]);
    end = m.index + m[0].length;
  }
  return groups;
}

export interface Token {
  text: string;
  quoted: boolean;
}

/** Shell-like words: double- or single-quoted words keep their spaces. */
export function tokenize(command: string): Token[] {
  const tokens: Token[] = [];
  const word = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const m of command.matchAll(word)) {
    if (m[3] !== undefined) tokens.push({ text: m[3], quoted: false });
    else tokens.push({ text: (m[1] ?? m[2] ?? "").replace(/\\(.)/g, "$1"), quoted: true });
  }
  return tokens;
}

export type Blank =
  | { kind: "text"; hint: string }
  /** A bare `<…>`: a value such as ids or an agent id, which the role must know. */
  | { kind: "value"; hint: string }
  | { kind: "choice"; options: string[] }
  | { kind: "score"; min: number; max: number };

/** What a token asks the bot to fill in, or null when it is to be passed as it is. */
export function blankOf(token: Token): Blank | null {
  const t = token.text;
  const range = /^<(\d+)-(\d+)>$/.exec(t);
  if (range) return { kind: "score", min: Number(range[1]), max: Number(range[2]) };
  if (t === "…" || t === "..." || (token.quoted && /<[^>]*>|…/.test(t))) return { kind: "text", hint: t };
  if (!token.quoted && /^[a-z_]+(\|[a-z_]+)+$/.test(t)) return { kind: "choice", options: t.split("|") };
  if (/^<[^>]*>$/.test(t)) return { kind: "value", hint: t };
  return null;
}

/** Where a blank sits: the command's words before it, the option it belongs to, which repeat of the command. */
export interface BlankContext {
  blank: Blank;
  /** The command's words before this one, as the step gave them (e.g. ["review", "create", "<id>"]). */
  before: string[];
  /** The `--option` the blank is the value of, or null for a positional. */
  option: string | null;
  step: string;
  /** 0 for the first run of this command in this step; see Mind.repeats. */
  repeat: number;
}

/** What `fill` returns to leave out an option and its value (a step may say "leave out --x when …"). */
export const OMIT = Symbol("omit");

/** A role's decisions. Nothing else shapes what the bot runs. */
export interface Mind {
  /** The value for one blank; null = the bot cannot fill it (a gap in the step's text). */
  fill(ctx: BlankContext): string | typeof OMIT | null;
  /** Which of a group of alternative commands to run (default the first). */
  choose?(alternatives: Token[][]): number;
  /** How often to run one step command (default 1): the planner fills the `st create` template per sub-task. */
  repeats?(command: Token[]): number;
  /** Words the bot adds to a command beyond the template (recorded as a deviation, reported). */
  extraArgs?(command: Token[], repeat: number): string[];
  /** Sees each of its own successful calls (the planner learns the ids it created). */
  observe?(args: string[], stdout: string): void;
}

/** The words to run for one step command, or the reason it cannot be filled. */
export function fillCommand(
  tokens: Token[],
  step: string,
  mind: Mind,
  repeat = 0,
): { args: string[] } | { gap: string } {
  const args: string[] = [];
  for (const [i, token] of tokens.entries()) {
    const blank = blankOf(token);
    if (!blank) {
      args.push(token.text);
      continue;
    }
    const previous = tokens[i - 1]?.text ?? "";
    const value = mind.fill({
      blank,
      before: tokens.slice(0, i).map((t) => t.text),
      option: previous.startsWith("--") ? previous : null,
      step,
      repeat,
    });
    if (value === null)
      return {
        gap: `cannot fill ${JSON.stringify(token.text)} in ${JSON.stringify(tokens.map((t) => t.text).join(" "))}`,
      };
    if (value === OMIT) {
      if (previous.startsWith("--")) args.pop();
      continue;
    }
    args.push(value);
  }
  return { args };
}

export interface Call {
  args: string[];
  code: number;
  bytes: number;
  /** Failed calls: whether the output carried a hint (a `→ …` line, or `hint` in a --json error). */
  hinted: boolean | null;
  /** The failure's text, for the report. */
  error: string | null;
}

export interface WakeUp {
  n: number;
  role: string;
  /** The briefing as the bot read it. */
  briefing: string;
  briefingBytes: number;
  steps: string[];
  /** Steps this bot acted on (each gave at least one command, else the bot does not act on it). */
  acted: string[];
  /** Steps it left alone: not about its own task, or without any command. */
  skipped: { step: string; why: "foreign" | "no command" }[];
  /** Commands a step gave that the bot could not fill (format gaps). */
  gaps: string[];
  /** Words the bot added beyond a step's template (format gaps it worked around). */
  deviations: string[];
  calls: Call[];
}

const bytesOf = (run: Run) => Buffer.byteLength(run.stdout) + Buffer.byteLength(run.stderr);

export function hasHint(run: Run): boolean {
  if (/^\s*→\s*\S/m.test(run.stderr)) return true;
  try {
    const body = JSON.parse(run.stderr) as { hint?: unknown };
    return typeof body.hint === "string" && body.hint.length > 0;
  } catch {
    return false;
  }
}

export interface Bot {
  role: string;
  cli: string;
  folder: string;
  mind: Mind;
  /** True for a step about this bot's own task (the suite's other files share the server). */
  ours(step: string): boolean;
}

/** Runs the CLI as this bot (its own folder, the key file next to its CLI) and records the call. */
export async function call(bot: Bot, args: string[], calls: Call[]): Promise<Run> {
  const run = await runCli(bot.cli, args, { cwd: bot.folder });
  const failed = run.code !== 0;
  calls.push({
    args,
    code: run.code,
    bytes: bytesOf(run),
    hinted: failed ? hasHint(run) : null,
    error: failed ? run.stderr.trim().slice(0, 400) : null,
  });
  return run;
}

/**
 * One wake-up: the briefing, then every step about the bot's own task that gives commands, in order,
 * each step's commands in order; the wake-up ends at the first failed command (the next one re-reads).
 */
export async function wakeUp(bot: Bot, n: number): Promise<WakeUp> {
  const calls: Call[] = [];
  const briefing = await call(bot, ["briefing"], calls);
  const steps = parseNextSteps(briefing.stdout);
  const w: WakeUp = {
    n,
    role: bot.role,
    briefing: briefing.stdout,
    briefingBytes: calls[0]!.bytes,
    steps,
    acted: [],
    skipped: [],
    gaps: [],
    deviations: [],
    calls,
  };
  if (briefing.code !== 0) return w;
  for (const step of steps) {
    const commands = stepCommands(step);
    if (!bot.ours(step)) w.skipped.push({ step, why: "foreign" });
    else if (commands.length === 0) w.skipped.push({ step, why: "no command" });
    else {
      w.acted.push(step);
      for (const group of commands) {
        const alternatives = group.map(tokenize);
        const pick = bot.mind.choose?.(alternatives) ?? 0;
        const command = group[pick]!;
        const tokens = alternatives[pick]!;
        for (let repeat = 0; repeat < (bot.mind.repeats?.(tokens) ?? 1); repeat++) {
          const filled = fillCommand(tokens, step, bot.mind, repeat);
          if ("gap" in filled) {
            w.gaps.push(filled.gap);
            return w;
          }
          const extra = bot.mind.extraArgs?.(tokens, repeat) ?? [];
          if (extra.length > 0) w.deviations.push(`added ${extra.join(" ")} to \`${command}\``);
          const args = [...filled.args, ...extra];
          const run = await call(bot, args, calls);
          if (run.code !== 0) return w;
          bot.mind.observe?.(args, run.stdout);
        }
      }
    }
  }
  return w;
}
