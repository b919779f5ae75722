// The agent CLI end to end: a fresh server is initialized over HTTP, the CLI is downloaded from it
// (base URL baked in), and everything else runs through that file as real child processes: four
// agents register, a planner builds a task with a dependency and a task rule, an executor works the
// first sub-task through a rejection and a rework to approval (briefings in between), after which
// the dependent sub-task becomes claimable; patrol and planner read their briefings. Then the
// configuration paths (flag, env, key file), --json, errors, `update` and the skill bundle.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SUITE_ADMIN_PASSWORD, SUITE_REGISTRATION_ROLES, SUITE_REGISTRATION_TOKEN } from "../mcp/world";
import { baseUrl, cliBuild, json, runCli, setupToken } from "./harness";

const REGISTRATION_TOKEN = SUITE_REGISTRATION_TOKEN;
const TASK = "Website relaunch";
const DESIGN = "Design the landing page";
const BUILD = "Build the landing page";
const TASK_RULE = "Write all copy in British English.";
const ISSUES = "The hero image has no alt text.";

let tmp = "";
/** An empty working folder: no key file, so nothing is picked up by accident. */
let work = "";
/** The CLI as downloaded from the server. */
let cli = "";
let cliText = "";
const keys = { planner: "", executor: "", reviewer: "", patrol: "" };
let taskId = "";
let designId = "";
let buildId = "";

const run = (args: string[], opts: { env?: Record<string, string>; input?: string; cwd?: string } = {}) =>
  runCli(cli, args, { cwd: work, ...opts });
const as = (role: keyof typeof keys, args: string[], input?: string) =>
  run(["--key", keys[role], ...args], input === undefined ? {} : { input });

/** A local port nobody listens on (connection refused). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function download(urlPath: string, key: string): Promise<Response> {
  const res = await fetch(`${baseUrl}${urlPath}`, { headers: { authorization: `Bearer ${key}` } });
  if (!res.ok) throw new Error(`GET ${urlPath} → ${res.status} ${await res.text()}`);
  return res;
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), "openmoss-cli-scenario-"));
  work = path.join(tmp, "work");
  mkdirSync(work);
  const res = await fetch(`${baseUrl}/api/setup/initialize`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-setup-token": setupToken },
    body: JSON.stringify({
      admin_password: SUITE_ADMIN_PASSWORD,
      project_name: "CLI scenario",
      workspace_root: "/ws",
      registration_token: REGISTRATION_TOKEN,
      registration_roles: SUITE_REGISTRATION_ROLES,
    }),
  });
  expect(res.status).toBe(200);
  expect(((await res.json()) as { registration_token: string }).registration_token).toBe(REGISTRATION_TOKEN);
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("the agent story through the CLI", () => {
  it("registers the planner with the fresh build (--base-url) and downloads the CLI with its key", async () => {
    const reg = json(
      await runCli(
        cliBuild,
        [
          "register",
          "--name",
          "planner-cli",
          "--role",
          "planner",
          "--token",
          REGISTRATION_TOKEN,
          "--base-url",
          baseUrl,
          "--json",
        ],
        { cwd: work },
      ),
    );
    expect(reg.api_key).toMatch(/^ak_/);
    keys.planner = reg.api_key;

    cliText = await (await download("/api/tools/cli", keys.planner)).text();
    expect(cliText.startsWith("#!/usr/bin/env node")).toBe(true);
    expect(cliText).toContain(JSON.stringify(baseUrl));
    expect(cliText).not.toContain("__OPENMOSS_BASE_URL__");
    cli = path.join(tmp, "agent", "task-cli.mjs");
    mkdirSync(path.dirname(cli));
    writeFileSync(cli, cliText, { mode: 0o755 });

    const version = await run(["version"]);
    expect(version.code).toBe(0);
    expect(version.stdout).toContain("task-cli v3");
    expect(version.stdout).toContain(`Base URL: ${baseUrl}`);
  });

  it("registers the other three agents with the downloaded CLI", async () => {
    const executor = await run([
      "register",
      "--name",
      "executor-cli",
      "--role",
      "executor",
      "--token",
      REGISTRATION_TOKEN,
      "--description",
      "front-end work",
    ]);
    expect(executor.code).toBe(0);
    expect(executor.stdout).toContain("Registration successful");
    keys.executor = /API Key: (\S+)/.exec(executor.stdout)![1]!;
    for (const role of ["reviewer", "patrol"] as const) {
      keys[role] = json(
        await run(["register", "--name", `${role}-cli`, "--role", role, "--token", REGISTRATION_TOKEN, "--json"]),
      ).api_key;
    }
    const wrongToken = await run(["register", "--name", "intruder", "--role", "executor", "--token", "nope"]);
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.stderr).toContain("invalid_registration_token");
  });

  it("planner: task, module, two sub-tasks (the second depends on the first), active, a task rule", async () => {
    taskId = json(await as("planner", ["task", "create", TASK, "--desc", "New marketing site", "--json"])).id;
    const moduleId = json(await as("planner", ["module", "create", taskId, "Frontend", "--json"])).id;
    const design = await as(
      "planner",
      [
        "st",
        "create",
        taskId,
        DESIGN,
        "--desc",
        "-",
        "--acceptance",
        "Mock-ups for desktop and phone",
        "--priority",
        "high",
        "--module-id",
        moduleId,
        "--json",
      ],
      "Sketch the hero and the sign-up form\n",
    );
    designId = json(design).id;
    expect(json(design).description).toBe("Sketch the hero and the sign-up form");
    const build = await as("planner", ["st", "create", taskId, BUILD, "--depends-on", designId]);
    expect(build.code).toBe(0);
    buildId = /Sub-task created: (\S+)/.exec(build.stdout)![1]!;
    expect(json(await as("planner", ["st", "get", buildId, "--json"])).depends_on).toEqual([designId]);

    const active = await as("planner", ["task", "status", taskId, "active"]);
    expect(active.stdout).toContain("Task status updated: active");
    const rule = await as("planner", ["rule", "create", TASK_RULE, "--task-id", taskId]);
    expect(rule.stderr).toBe("");
    expect(rule.stdout).toContain("Rule created");
    const rules = await as("planner", ["rules", "--task-id", taskId]);
    expect(rules.stdout).toContain(TASK_RULE);
    expect(rules.stdout).not.toContain("update available");
    const modules = await as("planner", ["module", "list", taskId]);
    expect(modules.stdout).toContain(`Frontend (ID:${moduleId})`);
  });

  it("executor (key from OPENMOSS_API_KEY): only the first sub-task is available; claiming the dependent one fails", async () => {
    const env = { OPENMOSS_API_KEY: keys.executor };
    const briefing = json(await run(["briefing", "--json"], { env }));
    const available = (briefing.queue.available as { id: string }[]).map((s) => s.id);
    expect(available).toContain(designId);
    expect(available).not.toContain(buildId);

    const blocked = await run(["st", "claim", buildId], { env });
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain("[dependencies_pending]");
    const blockedJson = await run(["st", "claim", buildId, "--json"], { env });
    expect(blockedJson.code).toBe(1);
    expect(JSON.parse(blockedJson.stderr)).toMatchObject({ status: 409, code: "dependencies_pending" });

    expect((await run(["st", "claim", designId], { env })).stdout).toContain(`Claimed: ${DESIGN}`);
    const start = await run(["st", "start", designId, "--session", "session-1"], { env });
    expect(start.stdout).toContain(`Started: ${DESIGN}`);
    expect(start.stdout).toContain("Session: session-1");
    expect(
      (await run(["log", "create", "delivery", "Mock-ups in /ws/landing", "--sub-task-id", designId], { env })).stdout,
    ).toContain("Log written: delivery");
    expect((await run(["st", "submit", designId], { env })).stdout).toContain(`Submitted: ${DESIGN}, awaiting review`);
    expect((await run(["heartbeat"], { env })).stdout).toContain("Heartbeat recorded");
  });

  it("reviewer (key from OPENMOSS-AGENT.env next to its own CLI; one planted in the working folder is not read): rejects it", async () => {
    const home = path.join(tmp, "reviewer");
    mkdirSync(home);
    const reviewerCli = path.join(home, "task-cli.mjs");
    writeFileSync(reviewerCli, cliText, { mode: 0o755 });
    writeFileSync(path.join(home, "OPENMOSS-AGENT.env"), `# reviewer\nOPENMOSS_API_KEY=${keys.reviewer}\n`);
    // Read, it would send the executor's key (no reviewer) to a port nobody listens on.
    const shared = path.join(tmp, "shared");
    mkdirSync(shared);
    writeFileSync(
      path.join(shared, "OPENMOSS-AGENT.env"),
      `OPENMOSS_API_KEY=${keys.executor}\nOPENMOSS_BASE_URL=http://127.0.0.1:${await closedPort()}\n`,
    );
    const briefing = await runCli(reviewerCli, ["briefing"], { cwd: shared });
    expect(briefing.code).toBe(0);
    expect(briefing.stdout).toMatch(/Next steps:\n {2}1\. Review "Design the landing page" \(round 1\): /);
    // The hand-over names its author and time; a reviewer cannot plant one on the executor's sub-task.
    const handOver = await runCli(reviewerCli, ["log", "list", "--sub-task-id", designId, "--action", "delivery"], {
      cwd: shared,
    });
    expect(handOver.stdout).toMatch(
      /^\[delivery\] \d{4}-\d\d-\d\d \d\d:\d\dZ by executor-cli on Design the landing page \([0-9a-f]{8}\) in Website relaunch: Mock-ups in \/ws\/landing\n$/,
    );
    const forged = await runCli(
      reviewerCli,
      ["log", "create", "delivery", "All criteria met", "--sub-task-id", designId],
      { cwd: shared },
    );
    expect(forged.code).toBe(1);
    expect(forged.stderr).toContain("not_assignee");
    const review = await runCli(
      reviewerCli,
      ["review", "create", designId, "rejected", "2", "--comment", "Close, but not done", "--issues", ISSUES],
      { cwd: shared },
    );
    expect(review.stdout).toBe("✅ Review recorded (round 1): rejected, score 2/5\n");
  });

  it("executor: the briefing shows the rework with the review's issues; reflection, then start and submit again", async () => {
    const env = { OPENMOSS_API_KEY: keys.executor };
    const briefing = await run(["briefing"], { env });
    expect(briefing.stdout).toContain(`Rework "${DESIGN}" (round 1): \`node task-cli.mjs st start ${designId}\``);
    expect(briefing.stdout).toContain(`Reviewer's issues: ${JSON.stringify(ISSUES)}`);
    // The rules (its task's included) came with its first briefing and have not changed since.
    expect(briefing.stdout).toContain("Rules unchanged since your last briefing");

    const reflection = await run(["log", "create", "reflection", "-", "--sub-task-id", designId], {
      env,
      input: "Check accessibility before submitting.\n",
    });
    expect(reflection.stdout).toContain("Log written: reflection");
    expect((await run(["st", "start", designId], { env })).code).toBe(0);
    expect((await run(["st", "submit", designId], { env })).code).toBe(0);
  });

  it("reviewer approves with 5; the dependent sub-task becomes available and claimable", async () => {
    const approve = await as("reviewer", ["review", "create", designId, "approved", "5", "--comment", "Great"]);
    expect(approve.stdout).toBe("✅ Review recorded (round 2): approved, score 5/5\n");
    const reviews = await as("executor", ["review", "list", "--sub-task-id", designId]);
    expect(reviews.stdout).toContain("Round 2: approved (score 5/5) Great");
    expect(reviews.stdout).toContain(`Round 1: rejected (score 2/5) Close, but not done\n   Issues: ${ISSUES}`);

    const briefing = json(await as("executor", ["briefing", "--json"]));
    expect((briefing.queue.available as { id: string }[]).map((s) => s.id)).toContain(buildId);
    expect((await as("executor", ["st", "claim", buildId])).stdout).toContain(`Claimed: ${BUILD}`);
    const events = await as("executor", ["st", "events", designId]);
    expect(events.stdout).toMatch(/claim: pending → assigned/);
    expect(events.stdout).toMatch(/submit: in_progress → review/);
  });

  it("patrol (--key after the command): briefing, check, records", async () => {
    const briefing = await run(["briefing", "--key", keys.patrol]);
    expect(briefing.code).toBe(0);
    expect(briefing.stdout).toContain("patrol-cli (patrol");
    const check = await run(["patrol", "check", "--key", keys.patrol]);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/anomalies/);
    expect(Array.isArray(json(await run(["patrol", "check", "--json", "--key", keys.patrol])).anomalies)).toBe(true);
    expect((await run(["patrol", "records", "--key", keys.patrol])).stdout).toContain("No patrol records");
  });

  it("planner: briefing", async () => {
    const briefing = await as("planner", ["briefing"]);
    expect(briefing.code).toBe(0);
    expect(briefing.stdout).toContain("planner-cli (planner");
    expect(briefing.stdout).toContain("Next steps:");
    expect(briefing.stdout).toMatch(/── Rules \(rev [0-9a-f]{12}\) ──/);
  });
});

describe("configuration, errors and distribution", () => {
  it("reads the base URL and the key from a key file given with --key-file (fresh build, no baked URL)", async () => {
    const file = path.join(tmp, "agent.env");
    writeFileSync(file, `OPENMOSS_BASE_URL=${baseUrl}\nOPENMOSS_API_KEY=${keys.executor}\n`);
    const me = await runCli(cliBuild, ["score", "me", "--key-file", file], { cwd: work });
    expect(me.stderr).toBe("");
    expect(me.stdout).toContain("Agent: executor-cli");
    const unset = await runCli(cliBuild, ["score", "me", "--key", keys.executor], { cwd: work });
    expect(unset.code).toBe(1);
    expect(unset.stderr).toContain("No server address");
  });

  it("names all three ways when the key is missing; rejects a bad key with the server's detail", async () => {
    const missing = await run(["st", "mine"]);
    expect(missing.code).toBe(1);
    for (const way of ["--key", "OPENMOSS_API_KEY", "OPENMOSS-AGENT.env"]) expect(missing.stderr).toContain(way);

    const bad = await run(["score", "me", "--key", "ak_not_a_real_key"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("❌ Error (401): invalid API key [invalid_api_key]");
    const badJson = await run(["score", "me", "--json"], { env: { OPENMOSS_API_KEY: "ak_not_a_real_key" } });
    expect(JSON.parse(badJson.stderr)).toMatchObject({
      status: 401,
      detail: "invalid API key",
      code: "invalid_api_key",
    });
  });

  it("exits 2 on command-line mistakes, 0 with help", async () => {
    const unknown = await as("executor", ["st", "mine", "--bogus"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option --bogus");
    expect((await as("executor", ["review", "create", designId, "approved", "five"])).code).toBe(2);
    expect((await run(["nonsense"])).code).toBe(2);
    const group = await run(["st"]);
    expect(group.code).toBe(0);
    expect(group.stdout).toContain("claim <id>");
    expect((await run([])).stdout).toContain("help [command]");
  });

  it("update replaces the CLI file (mode 755) and writes SKILL.md; a failed download changes nothing", async () => {
    const dir = path.join(tmp, "update");
    mkdirSync(dir);
    const file = path.join(dir, "task-cli.mjs");
    const stale = `${cliText}\n// an older copy\n`;
    writeFileSync(file, stale);
    chmodSync(file, 0o700);

    const failed = await runCli(
      file,
      ["update", "--key", keys.executor, "--base-url", `http://127.0.0.1:${await closedPort()}`],
      { cwd: work },
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("Cannot connect");
    expect(readFileSync(file, "utf8")).toBe(stale);

    const updated = await runCli(file, ["update", "--key", keys.executor], { cwd: work });
    expect(updated.stderr).toBe("");
    expect(updated.stdout).toContain("CLI updated");
    expect(readFileSync(file, "utf8")).toBe(cliText);
    expect(statSync(file).mode & 0o777).toBe(0o755);
    expect(readFileSync(path.join(dir, "SKILL.md"), "utf8")).toContain(keys.executor);
  });

  it("the skill bundle runs as unpacked: its CLI finds the key file next to it", async () => {
    const zip = unzipSync(
      new Uint8Array(await (await download("/api/agents/me/skill-bundle", keys.executor)).arrayBuffer()),
    );
    const folder = "task-executor-skill";
    for (const name of ["task-cli.mjs", "SKILL.md", "OPENMOSS-AGENT.env"])
      expect(Object.keys(zip)).toContain(`${folder}/${name}`);
    const dir = path.join(tmp, "bundle");
    for (const [name, data] of Object.entries(zip)) {
      if (name.endsWith("/")) continue;
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), data);
    }
    expect(readFileSync(path.join(dir, folder, "SKILL.md"), "utf8")).toContain(keys.executor);
    const rules = await runCli(path.join(dir, folder, "task-cli.mjs"), ["rules"], { cwd: work });
    expect(rules.stderr).toBe("");
    expect(rules.code).toBe(0);
    expect(rules.stdout.length).toBeGreaterThan(0);
  });
});
