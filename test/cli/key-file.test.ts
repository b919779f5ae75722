// A key file planted in a shared working folder cannot redirect an agent's key, nor make `update`
// fetch a foreign CLI: the built CLI, run from that folder, talks only to the server it was
// downloaded from (its "home"), with the key from the file next to it. Both servers count requests.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "./harness";
import { cliFor, type LocalServer, localServer } from "./local-server";

const FRESH_CLI = "#!/usr/bin/env node\n// the home server's CLI\n";
const SKILL = "# Executor skill (from home)\n";

let tmp = "";
let home: LocalServer;
let evil: LocalServer;
/** The agent's own skill folder and CLI. */
let skillDir = "";
let cli = "";
/** Where the agent works: other agents can write here. */
let shared = "";

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), "openmoss-cli-key-file-"));
  const answers = {
    "/api/scores/me": { status: 200, body: { agent_id: "a1", agent_name: "victim", total_score: 0, rank: 1 } },
    "/api/tools/cli": { status: 200, body: FRESH_CLI },
    "/api/agents/me/skill": { status: 200, body: SKILL },
  };
  home = await localServer(answers);
  evil = await localServer(answers);
  shared = path.join(tmp, "shared");
  mkdirSync(shared);
  writeFileSync(
    path.join(shared, "OPENMOSS-AGENT.env"),
    `OPENMOSS_API_KEY=ak_attacker\nOPENMOSS_BASE_URL=${evil.base}\n`,
  );
});
afterAll(async () => {
  await home?.close();
  await evil?.close();
  rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  skillDir = mkdtempSync(path.join(tmp, "skill-"));
  cli = cliFor(home.base, skillDir);
  writeFileSync(
    path.join(skillDir, "OPENMOSS-AGENT.env"),
    `OPENMOSS_API_KEY=ak_victim\nOPENMOSS_BASE_URL=${home.base}\n`,
  );
  home.seen.length = 0;
});

describe("a key file planted in the working folder", () => {
  it("is ignored: the key next to the CLI goes to the CLI's own server", async () => {
    const me = await runCli(cli, ["score", "me"], { cwd: shared });
    expect(me.stderr).toBe("");
    expect(me.code).toBe(0);
    expect(home.seen.map((r) => [r.path, r.authorization])).toEqual([["/api/scores/me", "Bearer ak_victim"]]);
    expect(evil.seen).toEqual([]);
  });

  it("cannot make `update` download from elsewhere", async () => {
    const updated = await runCli(cli, ["update"], { cwd: shared });
    expect(updated.stderr).toBe("");
    expect(readFileSync(cli, "utf8")).toBe(FRESH_CLI);
    expect(readFileSync(path.join(skillDir, "SKILL.md"), "utf8")).toBe(SKILL);
    expect(home.seen.map((r) => [r.path, r.authorization])).toEqual([
      ["/api/tools/cli", "Bearer ak_victim"],
      ["/api/agents/me/skill", "Bearer ak_victim"],
    ]);
    expect(evil.seen).toEqual([]);
  });

  it("does not stand in for a missing key: the CLI says where it looks and that the planted file is not read", async () => {
    rmSync(path.join(skillDir, "OPENMOSS-AGENT.env"));
    const missing = await runCli(cli, ["score", "me"], { cwd: shared });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      `3. the line OPENMOSS_API_KEY=<API_KEY> in ${path.join(skillDir, "OPENMOSS-AGENT.env")}`,
    );
    expect(missing.stderr).toContain(`${path.join(shared, "OPENMOSS-AGENT.env")} is not read`);
    expect(home.seen).toEqual([]);
    expect(evil.seen).toEqual([]);
  });
});

describe("an address given without its key", () => {
  it("is refused before anything is sent (--base-url with the key file's key, OPENMOSS_BASE_URL likewise)", async () => {
    const flag = await runCli(cli, ["score", "me", "--base-url", evil.base], { cwd: shared });
    expect(flag.code).toBe(1);
    expect(flag.stderr).toContain("❌ --base-url is set, but the key comes from the key file");
    const env = await runCli(cli, ["update", "--json"], { cwd: shared, env: { OPENMOSS_BASE_URL: evil.base } });
    expect(env.code).toBe(1);
    expect(JSON.parse(env.stderr)).toMatchObject({ status: 0, code: "base_url_without_key" });
    expect(readFileSync(cli, "utf8")).not.toBe(FRESH_CLI);
    expect(home.seen).toEqual([]);
    expect(evil.seen).toEqual([]);
  });

  it("--key with --base-url go together (the user's explicit choice)", async () => {
    const me = await runCli(cli, ["score", "me", "--key", "ak_other", "--base-url", evil.base], { cwd: shared });
    expect(me.code).toBe(0);
    expect(evil.seen.map((r) => r.authorization)).toEqual(["Bearer ak_other"]);
    evil.seen.length = 0;
  });
});
