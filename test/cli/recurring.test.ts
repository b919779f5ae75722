// `task schedule`, `task rounds` and `task run-round` with the built CLI. A stand-in server checks
// what the CLI sends (the PUT body from the flags or a template file, which method each action
// uses) and how it prints the answers (the next run in the schedule's zone and in UTC, the rounds),
// and that command-line mistakes are refused before anything is sent. The real server then runs a
// planner's whole flow: schedule from the sub-tasks, start a round, list it, pause, resume, end.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminSession, createAgent } from "../mcp/world";
import { baseUrl, json, runCli, setupToken } from "./harness";
import { cliFor, type LocalServer, localServer } from "./local-server";

const TASK = "7d3e9a10-1111-4c4c-8888-00000000000a";
const CONFIG = {
  version: 1,
  schedule: { kind: "cron", expr: "0 9 * * *", tz: "Asia/Shanghai" },
  template: { modules: [], sub_tasks: [] },
  policy: { when_unfinished: "skip", max_open_rounds: 3, ends_at: null, max_rounds: null },
};
const SCHEDULE = {
  task_id: TASK,
  status: "active",
  recurring_config: CONFIG,
  next_run_at: "2026-12-06T01:00:00.000Z",
  rounds_created: 4,
  open_rounds: 1,
  last_round_at: "2026-12-05T01:00:00.000Z",
  ended_reason: null,
  created_at: "2026-12-01T00:00:00.000Z",
  updated_at: "2026-12-05T01:00:00.000Z",
};
const round = (n: number | null, extra: Record<string, unknown>) => ({
  id: `5a1b2c3d-3333-4c4c-8888-00000000000${n ?? 0}`,
  task_id: TASK,
  round_no: n,
  round_key: "2026-12-05T01:00Z",
  scheduled_for: "2026-12-05T01:00:00.000Z",
  status: "open",
  skip_reason: null,
  missed: 0,
  created_at: "2026-12-05T01:00:02.000Z",
  completed_at: null,
  sub_tasks: { total: 3, done: 1, open: 2 },
  ...extra,
});
const ROUNDS = {
  items: [
    round(5, { round_key: "manual:9f0e", scheduled_for: "2026-12-05T03:10:00.000Z" }),
    round(null, {
      status: "skipped",
      skip_reason: "previous_unfinished",
      missed: 2,
      sub_tasks: { total: 0, done: 0, open: 0 },
    }),
    round(4, { status: "done", sub_tasks: { total: 3, done: 3, open: 0 } }),
  ],
  total: 3,
  page: 2,
  page_size: 3,
};

describe("task schedule, rounds and run-round against a stand-in server", () => {
  let tmp = "";
  let server: LocalServer;
  let cli = "";
  const run = (...args: string[]) => runCli(cli, ["--key", "ak_test", ...args], { cwd: tmp });
  const last = () => server.seen.at(-1)!;
  /** A usage mistake: exit 2, nothing printed on stdout and nothing sent. */
  async function refusedLocally(args: string[]): Promise<string> {
    const before = server.seen.length;
    const r = await run(...args);
    expect({ code: r.code, stdout: r.stdout, sent: server.seen.length - before }).toEqual({
      code: 2,
      stdout: "",
      sent: 0,
    });
    return r.stderr.split("\n")[0]!;
  }

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), "openmoss-cli-recurring-"));
    server = await localServer({
      [`/api/tasks/${TASK}/schedule`]: { status: 200, body: SCHEDULE },
      [`/api/tasks/${TASK}/schedule/pause`]: {
        status: 200,
        body: { ...SCHEDULE, status: "paused", next_run_at: null },
      },
      [`/api/tasks/${TASK}/schedule/resume`]: { status: 200, body: SCHEDULE },
      [`/api/tasks/${TASK}/rounds`]: { status: 200, body: ROUNDS },
      [`POST /api/tasks/${TASK}/rounds`]: { status: 201, body: ROUNDS.items[0] },
    });
    cli = cliFor(server.base, path.join(tmp, "skill"));
  });
  afterAll(async () => {
    await server?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it("shows a schedule: status and rule, the next run in its zone and in UTC, the rounds", async () => {
    const shown = await run("task", "schedule", TASK);
    expect(shown).toMatchObject({ code: 0, stderr: "" });
    expect(shown.stdout).toBe(
      'Schedule: active, cron "0 9 * * *" (Asia/Shanghai)\n' +
        "Next run: 2026-12-06 09:00 Asia/Shanghai (2026-12-06 01:00Z)\n" +
        "Rounds: 4 created, 1 open, last 2026-12-05 01:00Z\n",
    );
    expect(last()).toMatchObject({ method: "GET", path: `/api/tasks/${TASK}/schedule` });
    const chinese = await run("--lang", "zh-CN", "task", "schedule", TASK);
    expect(chinese.stdout.split("\n")[1]).toBe("下次运行：2026-12-06 09:00 Asia/Shanghai（2026-12-06 01:00Z）");
    // --json is the server's answer, whatever the language.
    expect(json(await run("--json", "task", "schedule", TASK))).toEqual(SCHEDULE);
  });

  it("sets a schedule from the task's sub-tasks: only the policy fields given are sent", async () => {
    const set = await run(
      "task",
      "schedule",
      TASK,
      "--every",
      "6 hours",
      "--tz",
      "Asia/Shanghai",
      "--from-sub-tasks",
      "--max-open",
      "2",
    );
    expect(set.code).toBe(0);
    expect(set.stdout.split("\n")[0]).toBe("✅ Schedule set");
    expect(last()).toMatchObject({ method: "PUT", path: `/api/tasks/${TASK}/schedule` });
    expect(JSON.parse(last().body)).toEqual({
      schedule: { kind: "every", every: 6, unit: "hours", tz: "Asia/Shanghai" },
      policy: { max_open_rounds: 2 },
      from_sub_tasks: true,
    });
  });

  it("sets a schedule from a template file, every flag of the policy included", async () => {
    const template = {
      modules: [{ key: "ops", name: "Ops", description: "" }],
      sub_tasks: [
        {
          key: "a",
          module: "ops",
          name: "Check {date}",
          description: "d",
          deliverable: "x",
          acceptance: "y",
          priority: "high",
          assigned_agent: null,
          depends_on: [],
        },
      ],
    };
    const file = path.join(tmp, "template.json");
    writeFileSync(file, JSON.stringify(template));
    const set = await run(
      "task",
      "schedule",
      TASK,
      "--cron",
      "30 8 * * 1-5",
      "--template",
      file,
      "--when-unfinished",
      "stack",
      "--ends-at",
      "2027-01-01T00:00:00Z",
      "--max-rounds",
      "10",
    );
    expect(set.code).toBe(0);
    expect(JSON.parse(last().body)).toEqual({
      version: 1,
      schedule: { kind: "cron", expr: "30 8 * * 1-5", tz: "UTC" },
      policy: { when_unfinished: "stack", ends_at: "2027-01-01T00:00:00Z", max_rounds: 10 },
      template,
    });
  });

  it("refuses a template it cannot read or parse, before sending anything", async () => {
    const bad = path.join(tmp, "bad.json");
    writeFileSync(bad, "{ modules: ");
    for (const file of [bad, path.join(tmp, "missing.json")]) {
      const before = server.seen.length;
      const r = await run("--json", "task", "schedule", TASK, "--cron", "0 9 * * *", "--template", file);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stderr)).toMatchObject({
        code: "invalid_template_file",
        hint: expect.stringContaining("--from-sub-tasks"),
      });
      expect(server.seen.length).toBe(before);
    }
  });

  it("refuses contradictory or incomplete flags as usage mistakes", async () => {
    const every = ["--every", "1 days"];
    expect(await refusedLocally(["task", "schedule", TASK, "--cron", "0 9 * * *", ...every, "--from-sub-tasks"])).toBe(
      "❌ give exactly one of --cron and --every",
    );
    expect(await refusedLocally(["task", "schedule", TASK, "--from-sub-tasks"])).toBe(
      "❌ to set a schedule give --cron or --every",
    );
    expect(await refusedLocally(["task", "schedule", TASK, ...every])).toBe(
      "❌ give exactly one of --template and --from-sub-tasks",
    );
    expect(await refusedLocally(["task", "schedule", TASK, "--every", "2 weeks", "--from-sub-tasks"])).toBe(
      `❌ --every: expected "N minutes", "N hours" or "N days", got '2 weeks'`,
    );
    const oneAction = "❌ give one of --pause, --resume and --end, without schedule options";
    expect(await refusedLocally(["task", "schedule", TASK, "--pause", "--resume"])).toBe(oneAction);
    expect(await refusedLocally(["task", "schedule", TASK, "--end", "--tz", "UTC"])).toBe(oneAction);
    expect(await refusedLocally(["task", "schedule", TASK, "--pause=yes"])).toBe("❌ option --pause takes no value");
    expect(await refusedLocally(["task", "schedule", TASK, "--max-open", "11"])).toBe(
      "❌ --max-open: must be 1 to 10, got 11",
    );
  });

  it("pauses with POST …/pause (and says how to resume), resumes with POST …/resume, ends with DELETE", async () => {
    const paused = await run("task", "schedule", TASK, "--pause");
    expect(last()).toMatchObject({ method: "POST", path: `/api/tasks/${TASK}/schedule/pause` });
    expect(paused.stdout).toBe(`✅ Schedule paused. Resume with: node task-cli.mjs task schedule ${TASK} --resume\n`);
    const resumed = await run("task", "schedule", TASK, "--resume");
    expect(last()).toMatchObject({ method: "POST", path: `/api/tasks/${TASK}/schedule/resume` });
    expect(resumed.stdout).toBe("✅ Schedule resumed\nNext run: 2026-12-06 09:00 Asia/Shanghai (2026-12-06 01:00Z)\n");
    const ended = await run("task", "schedule", TASK, "--end");
    expect(last()).toMatchObject({ method: "DELETE", path: `/api/tasks/${TASK}/schedule` });
    expect(ended.stdout).toBe("✅ Schedule ended (rounds created: 4); open rounds stay open\n");
  });

  it("lists rounds: number, status, slot, progress, a manual start, a skipped slot with its reason and missed slots", async () => {
    const listed = await run("task", "rounds", TASK, "--status", "open", "--page", "2");
    expect(last()).toMatchObject({ method: "GET", path: `/api/tasks/${TASK}/rounds`, query: "?status=open&page=2" });
    expect(listed.stdout).toBe(
      "[page 2 of 1 pages, 3 records]\n" +
        `Round 5 [open] 2026-12-05 03:10Z 1/3 done, manual (ID:${ROUNDS.items[0]!.id})\n` +
        `Skipped [skipped] 2026-12-05 01:00Z previous_unfinished, 2 missed before it (ID:${ROUNDS.items[1]!.id})\n` +
        `Round 4 [done] 2026-12-05 01:00Z 3/3 done (ID:${ROUNDS.items[2]!.id})\n`,
    );
    const wrong = await refusedLocally(["task", "rounds", TASK, "--status", "opne"]);
    expect(wrong).toContain("did you mean 'open'?");
  });

  it("starts a round with POST …/rounds and names the command for its sub-tasks", async () => {
    const started = await run("task", "run-round", TASK);
    expect(last()).toMatchObject({ method: "POST", path: `/api/tasks/${TASK}/rounds` });
    expect(started.stdout).toBe(
      `✅ Round 5 started (sub-tasks: 3, ID:${ROUNDS.items[0]!.id})\n` +
        `Its sub-tasks: node task-cli.mjs st list --round ${ROUNDS.items[0]!.id}\n`,
    );
  });
});

describe("a planner's recurring task against the real server", () => {
  let tmp = "";
  let cli = "";
  const keys = { planner: "", executor: "" };
  const as = (who: keyof typeof keys, ...args: string[]) => runCli(cli, ["--key", keys[who], ...args], { cwd: tmp });
  /** A refusal by the server: exit 1 and its code (from --json's one-line error on stderr). */
  async function refusedCode(who: keyof typeof keys, ...args: string[]): Promise<string> {
    const r = await as(who, "--json", ...args);
    expect(r.code).toBe(1);
    return JSON.parse(r.stderr).code;
  }

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), "openmoss-cli-recurring-real-"));
    cli = cliFor(baseUrl, path.join(tmp, "skill"));
    const admin = await adminSession(baseUrl, setupToken);
    const tag = Math.random().toString(36).slice(2, 8);
    for (const role of ["planner", "executor"] as const)
      keys[role] = (await createAgent(baseUrl, admin, `recurring-${role}-${tag}`, role)).api_key;
  });
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("schedules a task from its sub-tasks, pauses, resumes and ends it; only a planner may", async () => {
    const task = json(await as("planner", "--json", "task", "create", "Daily digest"));
    expect((await as("planner", "st", "create", task.id, "Digest for {date}", "--deliverable", "digest.md")).code).toBe(
      0,
    );
    expect(await refusedCode("planner", "task", "schedule", task.id)).toBe("schedule_not_found");

    const set = await as(
      "planner",
      "task",
      "schedule",
      task.id,
      "--every",
      "1 day",
      "--tz",
      "Asia/Shanghai",
      "--from-sub-tasks",
    );
    expect(set.stderr).toBe("");
    const lines = set.stdout.trimEnd().split("\n");
    expect(lines.slice(0, 2)).toEqual(["✅ Schedule set", "Schedule: active, every 1 day (Asia/Shanghai)"]);
    expect(lines[2]).toMatch(/^Next run: \d{4}-\d\d-\d\d \d\d:\d\d Asia\/Shanghai \(\d{4}-\d\d-\d\d \d\d:\d\dZ\)$/);
    expect(lines[3]).toBe("Rounds: 0 created, 0 open");
    const stored = json(await as("executor", "--json", "task", "schedule", task.id));
    expect(stored).toMatchObject({ task_id: task.id, status: "active", rounds_created: 0 });
    expect(stored.recurring_config.template.sub_tasks).toHaveLength(1);

    expect((await as("planner", "task", "status", task.id, "active")).code).toBe(0);
    const started = await as("planner", "task", "run-round", task.id);
    const roundId = /^✅ Round 1 started \(sub-tasks: 1, ID:([0-9a-f-]{36})\)\n/.exec(started.stdout)?.[1];
    expect(roundId, started.stdout + started.stderr).toBeDefined();
    // The command it names lists exactly the round's sub-task.
    expect(started.stdout).toContain(`Its sub-tasks: node task-cli.mjs st list --round ${roundId}`);
    const ofRound = json(await as("executor", "--json", "st", "list", "--round", roundId!));
    expect(ofRound.items.map((s: { recurring_config: { round_id: string } }) => s.recurring_config.round_id)).toEqual([
      roundId,
    ]);
    expect((await as("executor", "task", "rounds", task.id, "--status", "open")).stdout).toMatch(
      new RegExp(`^\\[1 records total\\]\\nRound 1 \\[open\\] .* 0/1 done, manual \\(ID:${roundId}\\)\\n$`),
    );
    expect(await refusedCode("executor", "task", "schedule", task.id, "--pause")).toBe("wrong_role");
    expect((await as("planner", "task", "schedule", task.id, "--pause")).stdout).toBe(
      `✅ Schedule paused. Resume with: node task-cli.mjs task schedule ${task.id} --resume\n`,
    );
    expect((await as("planner", "task", "schedule", task.id)).stdout).toMatch(/^Schedule: paused, every 1 day/);
    expect(await refusedCode("planner", "task", "schedule", task.id, "--pause")).toBe("illegal_transition");
    expect((await as("planner", "task", "schedule", task.id, "--resume")).stdout).toMatch(
      /^✅ Schedule resumed\nNext run: /,
    );
    expect((await as("planner", "task", "schedule", task.id, "--end")).stdout).toBe(
      "✅ Schedule ended (rounds created: 1); open rounds stay open\n",
    );
    expect((await as("planner", "task", "schedule", task.id)).stdout).toMatch(
      /^Schedule: ended \(manual\), every 1 day/,
    );
  });

  it("passes the server's refusal of a bad cron expression on; nothing is stored", async () => {
    const task = json(await as("planner", "--json", "task", "create", "Bad cron"));
    await as("planner", "st", "create", task.id, "Step");
    const r = await as("planner", "--json", "task", "schedule", task.id, "--cron", "61 * * * *", "--from-sub-tasks");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr)).toMatchObject({ status: 400, code: "invalid_schedule" });
    // Nothing was stored.
    expect(await refusedCode("planner", "task", "schedule", task.id)).toBe("schedule_not_found");
  });
});
