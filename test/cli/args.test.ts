// The CLI's argv parser, against the real command table.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type CommandSpec, closest, isGroup, parse, UsageError } from "../../skills/cli/args";
import { TABLE } from "../../skills/cli/commands/index";
import { renderHelp } from "../../skills/cli/help";

const run = (argv: string[]) => {
  const parsed = parse(argv, TABLE);
  if (parsed.kind !== "run") throw new Error(`expected a command, got help for ${parsed.path.join(" ")}`);
  return parsed;
};
const usage = (argv: string[]) => {
  try {
    parse(argv, TABLE);
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error("expected a usage error");
};

describe("parse", () => {
  it("takes global options anywhere, before or after the command", () => {
    for (const argv of [
      ["--key", "k", "st", "mine"],
      ["st", "--key", "k", "mine"],
      ["st", "mine", "--key=k"],
    ]) {
      const p = run(argv);
      expect(p.path).toEqual(["st", "mine"]);
      expect(p.globals.key).toBe("k");
    }
    expect(run(["--json", "task", "list", "--base-url", "http://x", "--key-file", "f"]).globals).toEqual({
      json: true,
      baseUrl: "http://x",
      keyFile: "f",
    });
  });

  it("maps positionals and flags by name; the last of a repeated flag wins", () => {
    const p = run(["st", "create", "T1", "Name", "--desc", "a", "--desc", "b", "--priority", "high"]);
    expect(p.values).toMatchObject({ task_id: "T1", name: "Name", desc: "b", priority: "high" });
  });

  it("reads negative numbers and a lone dash as positionals, and takes the next token as a flag value verbatim", () => {
    expect(run(["score", "adjust", "A", "-5", "late"]).values).toMatchObject({ delta: "-5", reason: "late" });
    expect(run(["log", "create", "coding", "-"]).values.summary).toBe("-");
    expect(run(["task", "create", "N", "--desc", "-"]).values.desc).toBe("-");
    expect(run(["task", "create", "--", "--odd name"]).values.name).toBe("--odd name");
  });

  it("collects comma lists and variadic positionals", () => {
    expect(run(["st", "create", "T", "N", "--depends-on", "a,b", "--depends-on", "c"]).lists["depends-on"]).toEqual([
      "a",
      "b",
      "c",
    ]);
    expect(run(["st", "deps", "S", "a", "b"]).lists.dep_id).toEqual(["a", "b"]);
    expect(run(["st", "deps", "S"]).lists.dep_id).toEqual([]);
  });

  it("answers help: no command, a group alone, --help anywhere (even on a broken line), `help <command>`", () => {
    expect(parse([], TABLE)).toMatchObject({ kind: "help", path: [] });
    expect(parse(["st"], TABLE)).toMatchObject({ kind: "help", path: ["st"] });
    expect(parse(["st", "create", "-h"], TABLE)).toMatchObject({ kind: "help", path: ["st", "create"] });
    expect(parse(["st", "create", "--bogus", "--help"], TABLE)).toMatchObject({ kind: "help", path: ["st", "create"] });
    expect(parse(["help", "review", "create"], TABLE)).toMatchObject({ kind: "help", path: ["review", "create"] });
  });

  it("reports mistakes with the path reached so far", () => {
    expect(usage(["bogus"]).path).toEqual([]);
    expect(usage(["st", "bogus"]).message).toContain("unknown command 'st bogus'");
    expect(usage(["st", "mine", "--bogus"]).message).toContain("unknown option --bogus");
    expect(usage(["st", "mine", "-x"]).message).toContain("unknown option -x");
    expect(usage(["st", "claim"]).message).toContain("missing argument <id>");
    expect(usage(["st", "claim", "a", "b"]).message).toContain("unexpected argument 'b'");
    expect(usage(["review", "create", "S", "approved", "4.5"]).message).toContain("expected an integer");
    expect(usage(["review", "create", "S", "maybe", "4"]).message).toContain("invalid choice 'maybe'");
    expect(usage(["review", "create", "S", "approved", "6"]).message).toBe("<score>: must be 1 to 5, got 6");
    expect(usage(["review", "create", "S", "approved", "0"]).message).toBe("<score>: must be 1 to 5, got 0");
    expect(usage(["st", "list", "--page-size", "101"]).message).toBe("--page-size: must be 0 to 100, got 101");
    expect(usage(["register", "--name", "n", "--role", "executor"]).message).toContain("--token is required");
    expect(usage(["st", "list", "--page"]).message).toContain("--page needs a value");
    expect(usage(["help", "st", "bogus"]).path).toEqual(["st"]);
  });
});

describe("did you mean", () => {
  it("suggests the closest command, subcommand, option or choice (2 edits, or a prefix)", () => {
    expect(usage(["st", "strat", "x"]).message).toBe("unknown command 'st strat'; did you mean 'st start'?");
    expect(usage(["breifing"]).message).toBe("unknown command 'breifing'; did you mean 'briefing'?");
    expect(usage(["st", "avail"]).message).toBe("unknown command 'st avail'; did you mean 'st available'?");
    expect(usage(["st", "start", "x", "--sesion", "s"]).message).toBe(
      "unknown option --sesion; did you mean --session?",
    );
    expect(usage(["review", "create", "S", "rejcted", "2"]).message).toContain("did you mean 'rejected'?");
    expect(usage(["help", "reveiw"]).message).toBe("no help for unknown command 'reveiw'; did you mean 'review'?");
    expect(usage(["help", "st", "strat"]).message).toBe(
      "no help for unknown command 'st strat'; did you mean 'st start'?",
    );
    // Nothing close: no guess.
    expect(usage(["st", "frobnicate"]).message).toBe("unknown command 'st frobnicate'");
  });

  it("does not turn a short word into anything", () => {
    expect(closest("x", ["me", "st"])).toBeUndefined();
    expect(closest("zz", ["me", "st"])).toBeUndefined();
    expect(closest("me", ["mine", "me"])).toBe("me");
  });
});

describe("the command table", () => {
  const commands = TABLE.flatMap((e): [string, CommandSpec][] =>
    isGroup(e) ? e.commands.map((c) => [`${e.name} ${c.name}`, c]) : [[e.name, e]],
  );
  const specs = commands.flatMap(([path, c]) =>
    [...(c.positionals ?? []), ...(c.flags ?? [])].map((s) => ({ path, ...s })),
  );

  it("checks every enum argument before sending: statuses, actions, roles, priorities, results, types, severities", () => {
    const enums = specs.filter((s) =>
      ["status", "action", "role", "priority", "result", "type", "severity"].includes(s.name),
    );
    expect(enums.length).toBeGreaterThan(12);
    expect(enums.filter((s) => !s.choices?.length).map((s) => `${s.path} ${s.name}`)).toEqual([]);
  });

  it("marks every id argument with its kind, so a short id is resolved", () => {
    const ids = specs.filter((s) => /(^|[-_])id$/.test(s.name) || ["assign", "depends-on", "dep_id"].includes(s.name));
    expect(ids.length).toBeGreaterThan(25);
    // `st session <id> <session_id>`: a session id is the agent's own string, not a record's id.
    expect(ids.filter((s) => !s.id && s.name !== "session_id").map((s) => `${s.path} ${s.name}`)).toEqual([]);
  });
});

/** A command line as the shell splits it: quotes group words; a trailing comment and a heredoc or redirect are dropped. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.replace(/\s+#\s.*$/, "").matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) {
    const word = m[1] ?? m[2] ?? m[3]!;
    if (m[3] !== undefined && /^(<<|<$|>)/.test(word)) break;
    words.push(word);
  }
  return words;
}

describe("SKILL.md and help agree", () => {
  const roles = ["planner", "executor", "reviewer", "patrol"];
  const skills = roles.map(
    (role) =>
      [role, readFileSync(new URL(`../../skills/task-${role}-skill/SKILL.md`, import.meta.url), "utf8")] as const,
  );

  it("every command SKILL.md shows parses with the real command table", () => {
    let checked = 0;
    for (const [role, text] of skills) {
      // Code blocks only; a line ending in a backslash continues on the next.
      const code = [...text.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]!.replace(/\\\n\s*/g, " ")).join("\n");
      for (const line of code.split("\n").filter((l) => l.startsWith("node task-cli.mjs "))) {
        const argv = shellWords(line).slice(2);
        expect(() => parse(argv, TABLE), `${role}: ${line}`).not.toThrow();
        expect(parse(argv, TABLE).kind, `${role}: ${line}`).toBe(argv[0] === "help" ? "help" : "run");
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("both start a wake-up with briefing; help says what a short id is", () => {
    for (const [role, text] of skills)
      expect(text, role).toMatch(/## Wake-up routine\n\n1\. Run `node task-cli\.mjs briefing`/);
    const help = renderHelp([], TABLE).join("\n");
    expect(help).toContain("Start every wake-up with `briefing`");
    expect(help).toContain("first 8 characters");
    expect(help).not.toMatch(/run it first|\(or `rules`\)/);
  });

  it("SKILL.md says what a session id is and that it is optional; a rejection shows --issues", () => {
    const executor = skills.find(([role]) => role === "executor")![1];
    expect(executor).toMatch(/A session id is .*\n.*Leave `--session` out/);
    const reviewer = skills.find(([role]) => role === "reviewer")![1];
    expect(reviewer).toMatch(/review create <sub_task_id> rejected \d [^\n]*\\\n\s+--issues/);
  });
});
