// What an agent reads from the CLI: ✅ starts a success, ❌ only a failure (then the server's hint on
// its own line), and ids can be given by their first 8 characters. Every success path that is cheap
// to reach runs once against the suite's real server; a stand-in server gives the answers the real
// one gives rarely (an ambiguous prefix) and counts requests (a full id needs no lookup).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminSession, createAgent } from "../mcp/world";
import { baseUrl, type Run, runCli, setupToken } from "./harness";
import { cliFor, type LocalServer, localServer } from "./local-server";

type Role = "planner" | "executor" | "reviewer" | "patrol";

let tmp = "";
let cli = "";
const keys = {} as Record<Role, string>;
const agentIds = {} as Record<Role, string>;

const run = (role: Role, args: string[]) => runCli(cli, ["--key", keys[role], ...args], { cwd: tmp });
const short = (id: string) => id.slice(0, 8);
const idIn = (text: string) => /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.exec(text)![0];

/** A success: exit 0, nothing on stderr, and no line of stdout starts with ❌. */
function succeeded(r: Run, what: string): string {
  expect({ what, code: r.code, stderr: r.stderr }).toEqual({ what, code: 0, stderr: "" });
  expect(
    r.stdout.split("\n").filter((line) => line.startsWith("❌")),
    what,
  ).toEqual([]);
  return r.stdout;
}

/** A change: a success whose first line starts with ✅. */
async function changed(role: Role, args: string[]): Promise<string> {
  const out = succeeded(await run(role, args), args.join(" "));
  expect(out.startsWith("✅ "), `${args.join(" ")}: ${out}`).toBe(true);
  return out;
}

/** A failure: the exit code, stdout empty, stderr starting with ❌. */
function failed(r: Run, code: number): string[] {
  expect(r.code).toBe(code);
  expect(r.stdout).toBe("");
  expect(r.stderr.startsWith("❌ "), r.stderr).toBe(true);
  return r.stderr.trimEnd().split("\n");
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), "openmoss-cli-ux-"));
  cli = cliFor(baseUrl, path.join(tmp, "skill"));
  const admin = await adminSession(baseUrl, setupToken);
  const suffix = Math.random().toString(36).slice(2, 8);
  for (const role of ["planner", "executor", "reviewer", "patrol"] as const) {
    const agent = await createAgent(baseUrl, admin, `ux-${role}-${suffix}`, role);
    keys[role] = agent.api_key;
    agentIds[role] = agent.id;
  }
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("✅ and ❌", () => {
  it("every change starts with ✅, a rejection included; reads never print ❌; ids work by their first 8 characters", async () => {
    const task = idIn(await changed("planner", ["task", "create", "UX task", "--desc", "d"]));
    const mod = idIn(await changed("planner", ["module", "create", short(task), "Docs"]));
    const a = idIn(
      await changed("planner", ["st", "create", task, "Write A", "--module-id", short(mod), "--priority", "high"]),
    );
    const b = idIn(await changed("planner", ["st", "create", task, "Write B", "--depends-on", short(a)]));
    await Promise.all([
      changed("planner", ["st", "deps", b, a]),
      changed("planner", ["st", "edit", a, "--acceptance", "It exists"]),
      changed("planner", ["task", "edit", task, "--desc", "Docs for UX"]),
      changed("planner", ["rule", "create", "Write plainly.", "--task-id", task]),
    ]);
    await changed("planner", ["task", "status", task, "active"]);

    await changed("executor", ["st", "claim", short(a)]);
    await changed("executor", ["st", "start", a, "--session", "s-1"]);
    await changed("executor", ["st", "session", a, "s-2"]);
    await changed("executor", ["log", "create", "delivery", "A is in docs/a.md", "--sub-task-id", a]);
    await changed("executor", ["st", "submit", a]);
    const rejected = await changed("reviewer", [
      "review",
      "create",
      short(a),
      "rejected",
      "2",
      "--comment",
      "Thin",
      "--issues",
      "Add an example",
    ]);
    expect(rejected).toBe("✅ Review recorded (round 1): rejected, score 2/5\n");
    await changed("executor", ["st", "start", a]);
    await changed("executor", ["st", "submit", a]);
    await changed("reviewer", ["review", "create", a, "approved", "4"]);

    await changed("executor", ["st", "claim", b]);
    const record = idIn(
      await changed("patrol", [
        "patrol",
        "report",
        "--type",
        "stuck",
        "--severity",
        "warning",
        "--sub-task-id",
        b,
        "--description",
        "Quiet",
      ]),
    );
    await Promise.all([
      changed("patrol", ["patrol", "resolve", short(record), "--note", "Moving again"]),
      changed("patrol", ["st", "block", b, "--reason", "No progress"]),
      changed("executor", ["heartbeat"]),
      changed("planner", ["score", "adjust", short(agentIds.executor), "1", "Clear docs", "--sub-task-id", a]),
    ]);
    expect(await changed("planner", ["st", "reassign", b, agentIds.executor])).toContain("Reassigned");
    await changed("planner", ["st", "cancel", b]);

    const review: string = JSON.parse((await run("executor", ["review", "list", "--sub-task-id", a, "--json"])).stdout)
      .items[0].id;
    const reads: [Role, string[]][] = [
      ["executor", ["briefing"]],
      ["patrol", ["briefing"]],
      ["executor", ["rules", "--task-id", task, "--sub-task-id", a]],
      ["planner", ["st", "list", "--task-id", task, "--status", "done"]],
      ["reviewer", ["st", "get", a]],
      ["reviewer", ["st", "events", b]],
      ["executor", ["st", "latest", task]],
      ["planner", ["module", "list", task]],
      ["reviewer", ["review", "list", "--sub-task-id", a]],
      ["reviewer", ["review", "get", short(review)]],
      ["executor", ["log", "list", "--sub-task-id", a]],
      ["patrol", ["patrol", "check"]],
      ["patrol", ["patrol", "records", "--status", "resolved"]],
      ["executor", ["version"]],
      ["executor", ["help"]],
    ];
    const outs = await Promise.all(reads.map(async ([role, args]) => succeeded(await run(role, args), args.join(" "))));
    // A verdict inside a line is a word (the briefing marks it 👍/👎), never ✅/❌.
    expect(outs[8]).toContain("Round 1: rejected (score 2/5) Thin\n   Issues: Add an example");
  }, 180_000);
});

describe("failures", () => {
  it("a usage mistake: ❌, did you mean, the usage lines, exit 2; nothing is sent", async () => {
    expect(failed(await run("executor", ["st", "strat", "x"]), 2)).toEqual([
      "❌ unknown command 'st strat'; did you mean 'st start'?",
      "Usage: node task-cli.mjs st <command> [arguments] [options]",
      "Run `node task-cli.mjs help st` for its commands.",
    ]);
    expect(failed(await run("reviewer", ["review", "create", "00000000", "approved", "6"]), 2)[0]).toBe(
      "❌ <score>: must be 1 to 5, got 6",
    );
    expect(failed(await run("executor", ["st", "list", "--status", "don"]), 2)[0]).toContain("did you mean 'done'?");
  });

  it("a refused request: ❌ Error (status): detail [code], then → the server's hint; --json adds hint", async () => {
    const human = failed(await run("planner", ["task", "create", " "]), 1);
    expect(human[0]).toMatch(/^❌ Error \(400\): .+ \[invalid_input\]$/);
    expect(human[1]).toMatch(/^→ .*node task-cli\.mjs help/);
    const json = await run("planner", ["task", "create", " ", "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stderr)).toEqual({
      status: 400,
      detail: expect.any(String),
      code: "invalid_input",
      hint: human[1]!.slice(2),
    });
  });

  it("a prefix that matches nothing says so, with where to find ids", async () => {
    expect(failed(await run("executor", ["st", "get", "00000000"]), 1)).toEqual([
      "❌ No sub-task id starts with '00000000'",
      "→ Copy the id from `node task-cli.mjs st list`.",
    ]);
  });
});

describe("id prefixes (stand-in server)", () => {
  const FULL = "abcdef01-0000-4000-8000-000000000001";
  let server: LocalServer;
  let local = "";
  beforeAll(async () => {
    server = await localServer({
      "/api/ids/abcdef01": {
        status: 200,
        body: [
          { kind: "sub_task", id: FULL, name: "Write A" },
          { kind: "sub_task", id: "abcdef01-9999-4000-8000-000000000002", name: "Write B" },
        ],
      },
      "/api/ids/abcdef01-0000": { status: 200, body: [{ kind: "sub_task", id: FULL, name: "Write A" }] },
      [`/api/sub-tasks/${FULL}`]: { status: 200, body: { id: FULL, name: "Write A" } },
    });
    local = cliFor(server.base, path.join(tmp, "local"));
  });
  afterAll(async () => {
    await server?.close();
  });

  it("lists an ambiguous prefix's matches by name, resolves a unique one, and sends a full id untouched", async () => {
    const ambiguous = failed(await runCli(local, ["--key", "ak_x", "st", "get", "abcdef01"], { cwd: tmp }), 1);
    expect(ambiguous[0]).toBe(
      `❌ 'abcdef01' is the start of several sub-task ids: ${FULL} (Write A), abcdef01-9999-4000-8000-000000000002 (Write B)`,
    );
    expect(ambiguous[1]).toBe("→ Give more characters of the id, or all of it.");

    server.seen.length = 0;
    expect(
      JSON.parse((await runCli(local, ["--key", "ak_x", "st", "get", "ABCDEF01-0000"], { cwd: tmp })).stdout).id,
    ).toBe(FULL);
    expect(server.seen.map((s) => s.path)).toEqual(["/api/ids/abcdef01-0000", `/api/sub-tasks/${FULL}`]);

    server.seen.length = 0;
    expect((await runCli(local, ["--key", "ak_x", "st", "get", FULL], { cwd: tmp })).code).toBe(0);
    expect(server.seen.map((s) => s.path)).toEqual([`/api/sub-tasks/${FULL}`]);
  });
});
