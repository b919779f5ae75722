// Where the CLI's API key and server address come from: the command line, then the environment, then
// the key file next to the CLI (never one in the current folder), and a key goes only to the address
// given with it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ConfigInput, missingKey, parseEnvFile, resolveConfig } from "../../skills/cli/config";

const BAKED = "https://baked.example";
const EVIL = "https://evil.example";

let dir = "";
let cwd = "";
let cliDir = "";
const input = (over: Partial<ConfigInput> = {}): ConfigInput => ({
  flags: {},
  env: {},
  cwd,
  cliDir,
  baked: BAKED,
  withKey: true,
  ...over,
});
const keyFile = (folder: string, text: string) => writeFileSync(path.join(folder, "OPENMOSS-AGENT.env"), text);
/** What a hostile agent leaves in a shared working folder. */
const plant = () => keyFile(cwd, `OPENMOSS_API_KEY=ak_attacker\nOPENMOSS_BASE_URL=${EVIL}\n`);

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "openmoss-cli-config-"));
  cwd = path.join(dir, "shared");
  cliDir = path.join(dir, "skill");
  mkdirSync(cwd);
  mkdirSync(cliDir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("parseEnvFile", () => {
  it("reads NAME=value lines, skipping comments and blanks, unquoting values", () => {
    const text = '# my agent\n\nOPENMOSS_API_KEY=ak_1=2\nexport OPENMOSS_BASE_URL="https://x.example"\r\nnot a pair\n';
    expect(parseEnvFile(text)).toEqual({ OPENMOSS_API_KEY: "ak_1=2", OPENMOSS_BASE_URL: "https://x.example" });
  });
});

describe("resolveConfig: where the key comes from", () => {
  it("ignores a key file in the current folder", () => {
    plant();
    expect(resolveConfig(input())).toEqual({ baseUrl: BAKED });
    expect(resolveConfig(input({ baked: "__OPENMOSS_BASE_URL__" }))).toEqual({});
  });

  it("reads the key file next to the CLI, its address going with its key", () => {
    keyFile(cliDir, "OPENMOSS_API_KEY=ak_mine\nOPENMOSS_BASE_URL=https://home.example/\n");
    const file = path.join(cliDir, "OPENMOSS-AGENT.env");
    expect(resolveConfig(input())).toEqual({ key: "ak_mine", baseUrl: "https://home.example", keyFile: file });
    keyFile(cliDir, "OPENMOSS_API_KEY=ak_mine\n");
    expect(resolveConfig(input())).toEqual({ key: "ak_mine", baseUrl: BAKED, keyFile: file });
  });

  it("the environment beats the key file; the file's address does not travel with the environment's key", () => {
    keyFile(cliDir, "OPENMOSS_API_KEY=ak_file\nOPENMOSS_BASE_URL=https://file.example\n");
    expect(resolveConfig(input({ env: { OPENMOSS_API_KEY: "ak_env" } }))).toEqual({ key: "ak_env", baseUrl: BAKED });
    const env = { OPENMOSS_API_KEY: "ak_env", OPENMOSS_BASE_URL: "https://env.example" };
    expect(resolveConfig(input({ env }))).toEqual({ key: "ak_env", baseUrl: "https://env.example" });
  });

  it("--key beats the environment, with --base-url or the built-in address, never the environment's", () => {
    const env = { OPENMOSS_API_KEY: "ak_env", OPENMOSS_BASE_URL: "https://env.example" };
    expect(resolveConfig(input({ flags: { key: "ak_flag" }, env }))).toEqual({ key: "ak_flag", baseUrl: BAKED });
    expect(resolveConfig(input({ flags: { key: "ak_flag", baseUrl: "https://flag.example" }, env }))).toEqual({
      key: "ak_flag",
      baseUrl: "https://flag.example",
    });
    // A fresh build has no address of its own: --key then needs --base-url.
    expect(resolveConfig(input({ flags: { key: "ak_flag" }, env, baked: "__OPENMOSS_BASE_URL__" }))).toEqual({
      key: "ak_flag",
    });
  });

  it("refuses an address set where no key is, rather than sending a later key to it", () => {
    keyFile(cliDir, "OPENMOSS_API_KEY=ak_file\n");
    const flagOnly = () => resolveConfig(input({ flags: { baseUrl: EVIL }, env: { OPENMOSS_API_KEY: "ak_env" } }));
    expect(flagOnly).toThrow(
      "❌ --base-url is set, but the key comes from OPENMOSS_API_KEY, and a key is sent only to the address given with it. Give --key too, or drop --base-url.",
    );
    expect(() => resolveConfig(input({ flags: { baseUrl: EVIL } }))).toThrow(
      /--base-url is set, but the key comes from the key file .*skill/,
    );
    expect(() => resolveConfig(input({ env: { OPENMOSS_BASE_URL: EVIL } }))).toThrow(
      /OPENMOSS_BASE_URL is set.*Give OPENMOSS_API_KEY too/,
    );
  });

  it("a planted key file cannot change where the key is sent, nor which key, from any place", () => {
    plant();
    keyFile(cliDir, "OPENMOSS_API_KEY=ak_file\n");
    const cases: Partial<ConfigInput>[] = [
      {},
      { env: { OPENMOSS_API_KEY: "ak_env" } },
      { flags: { key: "ak_flag" } },
      { withKey: false },
    ];
    for (const over of cases) {
      const config = resolveConfig(input(over));
      expect(config.baseUrl).toBe(BAKED);
      expect(config.key).not.toBe("ak_attacker");
      expect(config.keyFile).not.toBe(path.join(cwd, "OPENMOSS-AGENT.env"));
    }
  });

  it("--key-file and OPENMOSS_KEY_FILE are explicit: read wherever they point, their address with their key", () => {
    const flagFile = path.join(dir, "flag.env");
    writeFileSync(flagFile, "OPENMOSS_API_KEY=ak_flag_file\nOPENMOSS_BASE_URL=https://flag-file.example\n");
    writeFileSync(
      path.join(cwd, "env.env"),
      "OPENMOSS_API_KEY=ak_env_file\nOPENMOSS_BASE_URL=https://env-file.example\n",
    );
    keyFile(cliDir, "OPENMOSS_API_KEY=ak_cli_dir\n");
    const env = { OPENMOSS_KEY_FILE: "env.env" };
    expect(resolveConfig(input({ flags: { keyFile: flagFile }, env }))).toEqual({
      key: "ak_flag_file",
      baseUrl: "https://flag-file.example",
      keyFile: flagFile,
    });
    expect(resolveConfig(input({ flags: { keyFile: flagFile, baseUrl: "https://flag.example" } })).baseUrl).toBe(
      "https://flag.example",
    );
    expect(resolveConfig(input({ flags: { keyFile: flagFile, key: "ak_flag" } }))).toMatchObject({
      key: "ak_flag",
      baseUrl: "https://flag-file.example",
    });
    // Relative to the current folder: the user named it.
    expect(resolveConfig(input({ env }))).toEqual({
      key: "ak_env_file",
      baseUrl: "https://env-file.example",
      keyFile: path.join(cwd, "env.env"),
    });
  });

  it("a command that sends no key (register) takes the first address found and no key", () => {
    keyFile(cliDir, "OPENMOSS_API_KEY=ak_file\nOPENMOSS_BASE_URL=https://file.example\n");
    const env = { OPENMOSS_API_KEY: "ak_env", OPENMOSS_BASE_URL: "https://env.example" };
    const keyless = (over: Partial<ConfigInput>) => resolveConfig(input({ withKey: false, ...over }));
    expect(keyless({ flags: { baseUrl: "https://flag.example" }, env })).toEqual({ baseUrl: "https://flag.example" });
    expect(keyless({ env })).toEqual({ baseUrl: "https://env.example" });
    expect(keyless({})).toEqual({ baseUrl: "https://file.example", keyFile: path.join(cliDir, "OPENMOSS-AGENT.env") });
  });

  it("fails on a missing explicit key file or a base URL that is not http(s)", () => {
    expect(() => resolveConfig(input({ flags: { keyFile: "nope.env" } }))).toThrow(/Key file not found/);
    expect(() => resolveConfig(input({ env: { OPENMOSS_KEY_FILE: "nope.env" } }))).toThrow(/Key file not found/);
    expect(() => resolveConfig(input({ flags: { key: "k", baseUrl: "localhost:8787" } }))).toThrow(
      /must start with http/,
    );
  });
});

describe("missingKey", () => {
  it("names the key file next to the CLI, and says one in the current folder is not read", () => {
    expect(missingKey({ cwd, cliDir })).toContain(path.join(cliDir, "OPENMOSS-AGENT.env"));
    expect(missingKey({ cwd, cliDir })).not.toContain("is not read");
    plant();
    expect(missingKey({ cwd, cliDir })).toContain(`${path.join(cwd, "OPENMOSS-AGENT.env")} is not read`);
  });
});
