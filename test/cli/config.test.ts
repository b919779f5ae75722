// Where the CLI's base URL and API key come from, in order of precedence.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ConfigInput, parseEnvFile, resolveConfig } from "../../skills/cli/config";

let dir = "";
let cwd = "";
let cliDir = "";
const input = (over: Partial<ConfigInput> = {}): ConfigInput => ({ flags: {}, env: {}, cwd, cliDir, baked: "__OPENMOSS_BASE_URL__", ...over });
const keyFile = (folder: string, text: string) => writeFileSync(path.join(folder, "OPENMOSS-AGENT.env"), text);

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "openmoss-cli-config-"));
  cwd = path.join(dir, "cwd");
  cliDir = path.join(dir, "skill");
  mkdirSync(cwd);
  mkdirSync(cliDir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("parseEnvFile", () => {
  it("reads NAME=value lines, skipping comments and blanks, unquoting values", () => {
    const text = "# my agent\n\nOPENMOSS_API_KEY=ak_1=2\nexport OPENMOSS_BASE_URL=\"https://x.example\"\r\nnot a pair\n";
    expect(parseEnvFile(text)).toEqual({ OPENMOSS_API_KEY: "ak_1=2", OPENMOSS_BASE_URL: "https://x.example" });
  });
});

describe("resolveConfig", () => {
  it("base URL: --base-url > env > key file > baked-in URL; the placeholder counts as unset", () => {
    keyFile(cwd, "OPENMOSS_BASE_URL=https://file.example/\n");
    const env = { OPENMOSS_BASE_URL: "https://env.example" };
    const baked = "https://baked.example";
    expect(resolveConfig(input({ flags: { baseUrl: "https://flag.example" }, env, baked })).baseUrl).toBe("https://flag.example");
    expect(resolveConfig(input({ env, baked })).baseUrl).toBe("https://env.example");
    expect(resolveConfig(input({ baked })).baseUrl).toBe("https://file.example");
    rmSync(path.join(cwd, "OPENMOSS-AGENT.env"));
    expect(resolveConfig(input({ baked })).baseUrl).toBe("https://baked.example");
    expect(resolveConfig(input()).baseUrl).toBeUndefined();
  });

  it("key: --key > OPENMOSS_API_KEY > the key file", () => {
    keyFile(cwd, "OPENMOSS_API_KEY=from-file\n");
    expect(resolveConfig(input({ flags: { key: "from-flag" }, env: { OPENMOSS_API_KEY: "from-env" } })).key).toBe("from-flag");
    expect(resolveConfig(input({ env: { OPENMOSS_API_KEY: "from-env" } })).key).toBe("from-env");
    expect(resolveConfig(input()).key).toBe("from-file");
  });

  it("key file: --key-file > OPENMOSS_KEY_FILE > ./OPENMOSS-AGENT.env > next to the CLI", () => {
    const flagFile = path.join(dir, "flag.env");
    const envFile = path.join(dir, "env.env");
    writeFileSync(flagFile, "OPENMOSS_API_KEY=flag-file\n");
    writeFileSync(envFile, "OPENMOSS_API_KEY=env-file\n");
    keyFile(cwd, "OPENMOSS_API_KEY=cwd-file\n");
    keyFile(cliDir, "OPENMOSS_API_KEY=cli-dir-file\n");
    const env = { OPENMOSS_KEY_FILE: envFile };
    expect(resolveConfig(input({ flags: { keyFile: flagFile }, env }))).toMatchObject({ key: "flag-file", keyFile: flagFile });
    expect(resolveConfig(input({ env })).key).toBe("env-file");
    expect(resolveConfig(input()).key).toBe("cwd-file");
    rmSync(path.join(cwd, "OPENMOSS-AGENT.env"));
    expect(resolveConfig(input())).toMatchObject({ key: "cli-dir-file", keyFile: path.join(cliDir, "OPENMOSS-AGENT.env") });
  });

  it("fails on a missing explicit key file or a base URL that is not http(s)", () => {
    expect(() => resolveConfig(input({ flags: { keyFile: "nope.env" } }))).toThrow(/Key file not found/);
    expect(() => resolveConfig(input({ env: { OPENMOSS_KEY_FILE: "nope.env" } }))).toThrow(/Key file not found/);
    expect(() => resolveConfig(input({ flags: { baseUrl: "localhost:8787" } }))).toThrow(/must start with http/);
  });
});
