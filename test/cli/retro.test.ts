// `retro …` and `log create retro --retro` with the built CLI. A stand-in server checks the queries
// and bodies each command sends and what it prints (a list line per retrospective, the stored text
// and the command to log a retro entry, created vs already there, the rule made from a finding);
// the real server then runs a planner's flow: write the day's retrospective twice, read it, log.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminSession, createAgent } from "../mcp/world";
import { baseUrl, json, runCli, setupToken } from "./harness";
import { cliFor, type LocalServer, localServer } from "./local-server";

const RETRO = "9e8d7c6b-4444-4c4c-8888-000000000001";
const OLDER = "9e8d7c6b-4444-4c4c-8888-000000000002";
const TASK = "7d3e9a10-1111-4c4c-8888-00000000000b";
const summary = (id: string, extra: Record<string, unknown>) => ({
  id,
  period_key: "day:2026-12-04",
  period_kind: "daily",
  period_start: "2026-12-04T00:00:00.000Z",
  period_end: "2026-12-05T00:00:00.000Z",
  time_zone: "UTC",
  scope: "team",
  agent_id: null,
  trigger: "cron",
  partial: false,
  language: "en",
  generated_at: "2026-12-05T00:05:00.000Z",
  generated_by: null,
  counts: null,
  ...extra,
});
const LIST = {
  items: [
    summary(RETRO, { partial: true }),
    summary(OLDER, { period_key: "week:2026-W48", scope: "agent", agent_id: "a-1" }),
  ],
  total: 2,
  page: 1,
  page_size: 0,
};
const DETAIL = {
  ...summary(RETRO, {}),
  text: "Day 2026-12-04: 3 sub-tasks done.\nf1: missing tests (again)",
  body: {},
};
const RULE = {
  rule: { id: "r-1", scope: "task", task_id: TASK, sub_task_id: null, content: "Add tests" },
  retrospective_id: RETRO,
  finding_id: "f1",
};

describe("retro and log create --retro against a stand-in server", () => {
  let tmp = "";
  let server: LocalServer;
  let empty: LocalServer;
  let cli = "";
  const run = (...args: string[]) => runCli(cli, ["--key", "ak_test", ...args], { cwd: tmp });
  const last = () => server.seen.at(-1)!;

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), "openmoss-cli-retro-"));
    server = await localServer({
      "/api/retrospectives": { status: 200, body: LIST },
      "POST /api/retrospectives": { status: 201, body: summary(RETRO, {}) },
      [`/api/retrospectives/${RETRO}`]: { status: 200, body: DETAIL },
      [`/api/retrospectives/${RETRO}/findings/f1/rule`]: { status: 201, body: RULE },
      "/api/logs": { status: 201, body: { id: "l-1", action: "retro", summary: "ok", created_at: "x" } },
    });
    // A server with nothing to list, whose POST finds the period already written (200, not 201).
    empty = await localServer({
      "/api/retrospectives": { status: 200, body: { items: [], total: 0, page: 1, page_size: 1 } },
      "POST /api/retrospectives": { status: 200, body: summary(RETRO, {}) },
    });
    cli = cliFor(server.base, path.join(tmp, "skill"));
  });
  afterAll(async () => {
    await server?.close();
    await empty?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it("lists one line per retrospective; --team/--mine/--weekly become scope and period_kind", async () => {
    const listed = await run("retro", "list");
    expect(listed.stdout).toBe(
      `[2 records total]\nday:2026-12-04 team (partial) (ID:${RETRO})\nweek:2026-W48 agent (ID:${OLDER})\n`,
    );
    expect(last().query).toBe("");
    await run("retro", "list", "--mine", "--weekly");
    expect(last().query).toBe("?scope=agent&period_kind=weekly");
    await run("retro", "list", "--team");
    expect(last().query).toBe("?scope=team");
    const before = server.seen.length;
    const both = await run("retro", "list", "--team", "--mine");
    expect({ code: both.code, sent: server.seen.length - before }).toEqual({ code: 2, sent: 0 });
    expect(both.stderr.split("\n")[0]).toBe("❌ give exactly one of --team and --mine");
  });

  it("shows the stored text and the command to log a retro entry; latest (the default) reads the newest first", async () => {
    const byId = await run("retro", "show", RETRO);
    expect(byId.stdout).toBe(
      `${DETAIL.text}\n\nLog what you take from it: node task-cli.mjs log create retro "…" --retro ${RETRO}\n`,
    );
    const before = server.seen.length;
    const latest = await run("retro", "show");
    expect(latest.stdout).toBe(byId.stdout);
    expect(server.seen.slice(before).map((s) => `${s.method} ${s.path}${s.query}`)).toEqual([
      "GET /api/retrospectives?page=1&page_size=1",
      `GET /api/retrospectives/${RETRO}`,
    ]);
    expect(json(await run("--json", "retro", "show", "latest"))).toEqual(DETAIL);
    const none = await runCli(cliFor(empty.base, path.join(tmp, "empty")), ["--key", "k", "retro", "show"], {
      cwd: tmp,
    });
    expect({ code: none.code, stdout: none.stdout }).toEqual({ code: 0, stdout: "No retrospectives yet\n" });
  });

  it("runs a retrospective: --weekly and --date go in the body; 201 says written, with the command to read it", async () => {
    const ran = await run("retro", "run", "--weekly", "--date", "2026-12-02");
    expect(last()).toMatchObject({ method: "POST", path: "/api/retrospectives" });
    expect(JSON.parse(last().body)).toEqual({ period: "weekly", date: "2026-12-02" });
    expect(ran.stdout).toBe(
      `✅ Retrospective day:2026-12-04 written (ID:${RETRO})\nRead it: node task-cli.mjs retro show ${RETRO}\n`,
    );
    await run("retro", "run");
    expect(JSON.parse(last().body)).toEqual({ period: "daily" });
    const again = await runCli(cliFor(empty.base, path.join(tmp, "again")), ["--key", "k", "retro", "run"], {
      cwd: tmp,
    });
    expect(again.stdout.split("\n")[0]).toBe(`Retrospective day:2026-12-04 already exists (ID:${RETRO})`);
  });

  it("makes a rule from a finding, sending only the fields given", async () => {
    const ruled = await run("retro", "rule", RETRO, "f1", "--task-id", TASK, "--content", "Add tests");
    expect(last()).toMatchObject({ method: "POST", path: `/api/retrospectives/${RETRO}/findings/f1/rule` });
    expect(JSON.parse(last().body)).toEqual({ task_id: TASK, content: "Add tests" });
    expect(ruled.stdout).toBe("✅ Rule created from f1: r-1 (task)\n");
    await run("retro", "rule", RETRO, "f1");
    expect(JSON.parse(last().body)).toEqual({});
  });

  it("log create retro sends --retro as retrospective_id", async () => {
    const logged = await run("log", "create", "retro", "I will add tests first", "--retro", RETRO);
    expect(logged.stdout).toBe("✅ Log written: retro\n");
    expect(JSON.parse(last().body)).toEqual({
      action: "retro",
      summary: "I will add tests first",
      retrospective_id: RETRO,
    });
  });
});

describe("retrospectives against the real server", () => {
  let tmp = "";
  let cli = "";
  const keys = { planner: "", executor: "" };
  const as = (who: keyof typeof keys, ...args: string[]) => runCli(cli, ["--key", keys[who], ...args], { cwd: tmp });

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), "openmoss-cli-retro-real-"));
    cli = cliFor(baseUrl, path.join(tmp, "skill"));
    const admin = await adminSession(baseUrl, setupToken);
    const tag = Math.random().toString(36).slice(2, 8);
    for (const role of ["planner", "executor"] as const)
      keys[role] = (await createAgent(baseUrl, admin, `retro-${role}-${tag}`, role)).api_key;
  });
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("a planner writes yesterday's retrospective (once), everyone reads it and logs a retro entry on it", async () => {
    const first = await as("planner", "retro", "run");
    expect(first.code).toBe(0);
    // Written now, or earlier by another file of the suite: the second run finds it either way.
    const again = await as("planner", "retro", "run");
    const [head, read] = again.stdout.trimEnd().split("\n");
    expect(head).toMatch(/^Retrospective day:\d{4}-\d\d-\d\d already exists \(ID:[0-9a-f-]{36}\)$/);
    const id = /ID:([0-9a-f-]{36})/.exec(head!)![1]!;
    expect(read).toBe(`Read it: node task-cli.mjs retro show ${id}`);
    expect(first.stdout).toContain(id);

    const shown = await as("executor", "retro", "show", id);
    const stored = json(await as("executor", "--json", "retro", "show", id));
    expect(stored).toMatchObject({ id, scope: "team", period_kind: "daily" });
    expect(shown.stdout).toBe(
      `${stored.text}\n\nLog what you take from it: node task-cli.mjs log create retro "…" --retro ${id}\n`,
    );
    expect((await as("executor", "retro", "list", "--team")).stdout).toContain(`(ID:${id})`);

    const logged = json(
      await as("executor", "--json", "log", "create", "retro", "Check the tests first", "--retro", id),
    );
    expect(logged).toMatchObject({ action: "retro", summary: "Check the tests first" });
  });

  it("refuses what the roles and the findings do not allow", async () => {
    const byExecutor = await as("executor", "--json", "retro", "run");
    expect(byExecutor.code).toBe(1);
    expect(JSON.parse(byExecutor.stderr).code).toBe("wrong_role");
    const id = json(await as("planner", "--json", "retro", "run")).id;
    const noFinding = await as("planner", "--json", "retro", "rule", id, "f99");
    expect(noFinding.code).toBe(1);
    expect(JSON.parse(noFinding.stderr)).toMatchObject({ status: 404, code: "finding_not_found" });
  });
});
