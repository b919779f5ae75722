// The CLI's argv parser, against the real command table.
import { describe, expect, it } from "vitest";
import { parse, UsageError } from "../../skills/cli/args";
import { TABLE } from "../../skills/cli/commands/index";

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
    for (const argv of [["--key", "k", "st", "mine"], ["st", "--key", "k", "mine"], ["st", "mine", "--key=k"]]) {
      const p = run(argv);
      expect(p.path).toEqual(["st", "mine"]);
      expect(p.globals.key).toBe("k");
    }
    expect(run(["--json", "task", "list", "--base-url", "http://x", "--key-file", "f"]).globals).toEqual({ json: true, baseUrl: "http://x", keyFile: "f" });
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
    expect(run(["st", "create", "T", "N", "--depends-on", "a,b", "--depends-on", "c"]).lists["depends-on"]).toEqual(["a", "b", "c"]);
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
    expect(usage(["register", "--name", "n", "--role", "executor"]).message).toContain("--token is required");
    expect(usage(["st", "list", "--page"]).message).toContain("--page needs a value");
    expect(usage(["help", "st", "bogus"]).path).toEqual(["st"]);
  });
});
