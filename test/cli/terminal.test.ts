// The CLI prints other agents' text: nothing in it may reach the terminal as a control. The rules
// (terminalSafe, jsonSafe), the single place that writes output, and the built CLI run against a
// server answering hostile text in every field, in human and --json output, on stdout and stderr.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonSafe, terminalSafe } from "../../skills/cli/terminal";
import { type Run, runCli } from "./harness";
import { cliFor, type LocalServer, localServer } from "./local-server";

/** Colour, an OSC 52 clipboard write, 8-bit CSI (clear screen) and OSC, bidi override and isolate, CR/BS/DEL/NEL. */
const HOSTILE =
  "Fix \u001b[31mred\u001b[0m \u001b]52;c;cm0gLXJmIH4=\u0007 \u009b2J \u009d0;pwned\u009c \u202edesrever\u202c \u2066iso\u2069 done\rAPPROVED a\bb\u007f\u0085 end";
/** Every character the CLI must never print raw. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for exactly these characters.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe("terminalSafe", () => {
  it("prints each control as a visible escape and keeps the text around it", () => {
    expect(terminalSafe("a\u001b[31mb")).toBe("a\\x1b[31mb");
    expect(terminalSafe("\u001b]52;c;SGk=\u0007")).toBe("\\x1b]52;c;SGk=\\x07");
    expect(terminalSafe("\u009b2J \u009d0;t\u009c")).toBe("\\x9b2J \\x9d0;t\\x9c");
    expect(terminalSafe("\u202eabc\u202c \u2066x\u2069")).toBe("\\u202eabc\\u202c \\u2066x\\u2069");
    expect(terminalSafe("ok\rno a\bb\u007f\u0000")).toBe("ok\\x0dno a\\x08b\\x7f\\x00");
  });

  it("keeps newlines, tabs and ordinary Unicode; a CRLF becomes a newline", () => {
    const text = "line 1\r\nline\t2 ✅ ⚠️ Ünïcødé 中文 עברית 👩‍💻 —";
    expect(terminalSafe(text)).toBe(text.replace("\r\n", "\n"));
  });

  it("leaves no unsafe character in any text", () => {
    let all = "";
    for (let code = 0; code < 0x2100; code++) all += String.fromCharCode(code);
    expect(terminalSafe(all)).not.toMatch(UNSAFE);
  });
});

describe("jsonSafe", () => {
  it("escapes what JSON.stringify leaves raw (DEL, C1, bidi); the parsed value is unchanged", () => {
    const value = { name: HOSTILE, list: [HOSTILE] };
    const plain = JSON.stringify(value);
    // Why jsonSafe exists: C0 is escaped by JSON.stringify, C1 and bidi are not.
    expect(plain).not.toContain("\u001b");
    expect(plain).toContain("\u009b");
    expect(plain).toContain("\u202e");
    const safe = jsonSafe(JSON.stringify(value, null, 2));
    expect(safe).not.toMatch(UNSAFE);
    expect(safe).toContain("\\u009b2J");
    expect(JSON.parse(safe)).toEqual(value);
  });
});

describe("one place writes output", () => {
  it("no CLI source but output.ts touches console, stdout or stderr", () => {
    const root = path.resolve(import.meta.dirname, "../../skills/cli");
    const sources = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
    expect(sources.length).toBeGreaterThan(20);
    const writers = sources.filter((f) =>
      /\bconsole\.|process\.(stdout|stderr)\b/.test(readFileSync(path.join(root, f), "utf8")),
    );
    expect(writers).toEqual(["output.ts"]);
  });
});

describe("the built CLI against a server answering hostile text", () => {
  const ID = "st-1";
  const subTask = {
    id: ID,
    name: HOSTILE,
    description: HOSTILE,
    deliverable: HOSTILE,
    acceptance: HOSTILE,
    status: "rework",
    priority: "high",
    assigned_agent: HOSTILE,
    current_session_id: HOSTILE,
    depends_on: [HOSTILE],
  };
  const review = { round: 1, result: "rejected", score: 2, comment: HOSTILE, issues: HOSTILE };
  const briefing = {
    agent: { name: HOSTILE, role: "executor", status: "available" },
    generated_at: HOSTILE,
    cli: { update_available: true, latest_version: 4, update_instructions: HOSTILE },
    rules: { content: HOSTILE, truncated: false },
    score: { total_score: 1, rank: 1 },
    recent_score_changes: [{ score_delta: -1, reason: HOSTILE }],
    reflections: [{ summary: HOSTILE, created_at: HOSTILE }],
    my_sub_tasks: [
      { id: ID, name: HOSTILE, status: "rework", priority: "high", rework_count: 1, latest_review: review },
    ],
    queue: {
      [HOSTILE]: [{ id: HOSTILE, name: HOSTILE, status: HOSTILE }],
      anomalies: [{ id: "p", severity: HOSTILE, type: HOSTILE, description: HOSTILE }],
    },
    next_steps: [HOSTILE],
    truncated: false,
  };
  const envelope = (items: unknown[]) => ({ items, total: items.length, page: 1, page_size: 0 });
  const routes = {
    "/api/agents/me/briefing": { status: 200, body: briefing },
    [`/api/sub-tasks/${ID}`]: { status: 200, body: subTask },
    "/api/sub-tasks/latest": { status: 200, body: subTask },
    "/api/sub-tasks/mine": { status: 200, body: envelope([subTask]) },
    [`/api/sub-tasks/${ID}/events`]: {
      status: 200,
      body: [
        {
          op: HOSTILE,
          from_status: HOSTILE,
          to_status: HOSTILE,
          actor_kind: HOSTILE,
          actor_id: HOSTILE,
          detail: HOSTILE,
          created_at: HOSTILE,
        },
      ],
    },
    "/api/logs": {
      status: 200,
      body: [
        { id: "l", action: HOSTILE, summary: HOSTILE, agent_id: HOSTILE, agent_name: HOSTILE, created_at: HOSTILE },
      ],
    },
    "/api/review-records": { status: 200, body: envelope([review]) },
    "/api/rules": {
      status: 200,
      body: { content: HOSTILE, update_available: true, latest_version: 4, update_instructions: HOSTILE },
    },
    "/api/tasks": { status: 200, body: envelope([{ id: HOSTILE, name: HOSTILE, status: HOSTILE }]) },
    "/api/agents": {
      status: 200,
      body: envelope([
        { id: HOSTILE, name: HOSTILE, role: HOSTILE, description: HOSTILE, status: HOSTILE, total_score: 0 },
      ]),
    },
    // Failures: a JSON error, a non-JSON error, a non-JSON success.
    "/api/scores/me": { status: 403, body: { detail: HOSTILE, code: HOSTILE } },
    "/api/patrol/records": { status: 500, body: HOSTILE },
    "/api/scores/leaderboard": { status: 200, body: HOSTILE },
  };
  const COMMANDS = [
    ["briefing"],
    ["st", "get", ID],
    ["st", "latest", "t"],
    ["st", "mine"],
    ["st", "events", ID],
    ["log", "list"],
    ["review", "list"],
    ["rules"],
    ["task", "list"],
    ["agents"],
    ["score", "me"],
    ["patrol", "records"],
    ["score", "leaderboard"],
    // A usage error echoes the command line, which a hostile text can reach too.
    ["st", "get", ID, HOSTILE],
  ];

  let tmp = "";
  let server: LocalServer;
  let cli = "";
  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), "openmoss-cli-terminal-"));
    server = await localServer(routes);
    cli = cliFor(server.base, path.join(tmp, "skill"));
  });
  afterAll(async () => {
    await server?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  const run = (args: string[]) => runCli(cli, ["--key", "ak_test", ...args], { cwd: tmp });
  /** No ESC (0x1b), no 8-bit CSI/OSC (UTF-8 C2 9B / C2 9D), no RLO (U+202E), and nothing else unsafe. */
  function expectClean(result: Run) {
    for (const text of [result.stdout, result.stderr]) {
      const bytes = Buffer.from(text, "utf8");
      expect(bytes.includes(0x1b)).toBe(false);
      expect(bytes.includes(Buffer.from([0xc2, 0x9b]))).toBe(false);
      expect(bytes.includes(Buffer.from([0xc2, 0x9d]))).toBe(false);
      expect(text).not.toContain("\u202e");
      expect(text).not.toMatch(UNSAFE);
    }
  }

  it("human output: every command prints the text, with each control escaped", async () => {
    const results = await Promise.all(COMMANDS.map(run));
    results.forEach((result, i) => {
      const printed = result.stdout + result.stderr;
      // The hostile text was printed (not dropped), visibly marked where a control was (as JSON escapes
      // by the commands that print JSON even without --json).
      expect(printed, COMMANDS[i]!.join(" ")).toMatch(/\\(x1b|u001b)\]52;c;cm0gLXJmIH4=\\(x07|u0007)/);
      expect(printed).toContain("\\u202edesrever");
      expectClean(result);
    });
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 2]);
  });

  it("--json output: parses back to exactly what the server sent, with no raw control", async () => {
    const results = await Promise.all(COMMANDS.map((args) => run([...args, "--json"])));
    results.forEach(expectClean);
    expect(JSON.parse(results[0]!.stdout)).toEqual(briefing);
    expect(JSON.parse(results[1]!.stdout)).toEqual(subTask);
    expect(JSON.parse(results[10]!.stderr)).toEqual({ status: 403, detail: HOSTILE, code: HOSTILE });
  });
});
