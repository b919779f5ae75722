// `npm run deploy` (scripts/deploy.ts), driven as the operator runs it.
//
// --dry-run runs for real: the real builds and the real `wrangler deploy --dry-run`, no account.
// The account path cannot reach Cloudflare from here: it runs against test/cli/fake-wrangler.mjs
// (DEPLOY_WRANGLER), which plays an account and records each call. These tests prove the
// orchestration (what is asked, what is created, what is uploaded, in which order, and what is
// printed), not Cloudflare's side of it.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { DEFAULT_BUDGET_KB } from "../../scripts/lib/deploy-bundle.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const fakeWrangler = path.join(root, "test", "cli", "fake-wrangler.mjs");

interface Run {
  code: number;
  output: string;
}

/** Runs scripts/deploy.ts with `args` in the Node running the tests (Node 24: it runs .ts as is). */
function deploy(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const child = spawn(process.execPath, [path.join(root, "scripts", "deploy.ts"), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (c) => (output += c));
  child.stderr.on("data", (c) => (output += c));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

describe("npm run deploy -- --dry-run (real wrangler, no account)", () => {
  // --no-build: this suite's global setup has just built the CLI and the dashboard, and rebuilding
  // them here would rewrite files the suite's running `wrangler dev` watches and serves. The build
  // steps themselves run in CI's `npm run deploy -- --dry-run`.
  test("bundles, prints the gzip size against the budget, exits 0", { timeout: 120_000 }, async () => {
    const run = await deploy(["--dry-run", "--no-build"], { DEPLOY_WRANGLER: undefined, DEPLOY_BUDGET_KB: undefined });
    expect(run.code, run.output).toBe(0);
    expect(run.output).not.toContain("npm run build:");
    const size = /Worker bundle: ([\d.]+) KB gzip .*budget (\d+) KB gzip/.exec(run.output);
    expect(size, run.output).not.toBeNull();
    const [kb, budget] = [Number(size?.[1]), Number(size?.[2])];
    expect(budget).toBe(DEFAULT_BUDGET_KB);
    // A real bundle: the Worker with its dependencies is hundreds of KB, and within the budget.
    expect(kb).toBeGreaterThan(100);
    expect(kb).toBeLessThanOrEqual(budget);
    expect(run.output).toContain("Dry run OK");
  });

  test("exits 1 over the budget, naming the size and the budget", { timeout: 120_000 }, async () => {
    const run = await deploy(["--dry-run", "--no-build"], { DEPLOY_WRANGLER: undefined, DEPLOY_BUDGET_KB: "50" });
    expect(run.code, run.output).toBe(1);
    expect(run.output).toMatch(/the Worker bundle is [\d.]+ KB gzip, over its 50 KB budget/);
    expect(run.output).not.toContain("Dry run OK");
  });

  test("an unknown option is refused with the usage", async () => {
    const run = await deploy(["--dryrun"]);
    expect(run.code).toBe(2);
    expect(run.output).toContain("Usage: npm run deploy");
  });
});

describe("npm run deploy against a fake account (test/cli/fake-wrangler.mjs)", () => {
  let scratch: string;
  let stateFile: string;
  let secretsFile: string;
  const state = () => JSON.parse(readFileSync(stateFile, "utf8"));
  const setState = (patch: object) => writeFileSync(stateFile, JSON.stringify({ ...state(), ...patch }));
  /** The calls of the last run, as "d1 create openmoss"-like strings. */
  const callsFrom = (before: number) => (state().calls as string[][]).slice(before).map((c) => c.join(" "));
  const run = (args: string[] = ["--no-build"], env: Record<string, string> = {}) =>
    deploy(args, {
      DEPLOY_WRANGLER: fakeWrangler,
      FAKE_WRANGLER_STATE: stateFile,
      DEPLOY_SECRETS_FILE: secretsFile,
      CLOUDFLARE_ACCOUNT_ID: undefined,
      ...env,
    });
  const localSecrets = () =>
    Object.fromEntries([...readFileSync(secretsFile, "utf8").matchAll(/^([A-Z_]+)=(\S+)$/gm)].map((m) => [m[1], m[2]]));

  beforeEach(() => {
    scratch = mkdtempSync(path.join(tmpdir(), "deploy-test-"));
    stateFile = path.join(scratch, "account.json");
    secretsFile = path.join(scratch, "secrets.env");
    writeFileSync(
      stateFile,
      JSON.stringify({
        loggedIn: true,
        accounts: [{ id: "acc1", name: "Ops" }],
        databases: [],
        worker: null,
        failDeploys: 0,
        calls: [],
      }),
    );
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  test("first run creates the database, sets both secrets once, migrates, deploys, prints the URL and the next step", async () => {
    const first = await run();
    expect(first.code, first.output).toBe(0);
    const calls = callsFrom(0);
    expect(calls.filter((c) => c === "d1 create openmoss")).toHaveLength(1);
    // The files bucket too, before the deploy that binds it.
    expect(calls.filter((c) => c === "r2 bucket create openmoss-files")).toHaveLength(1);
    expect(calls.indexOf("r2 bucket create openmoss-files")).toBeLessThan(
      calls.findIndex((c) => c.startsWith("deploy")),
    );
    expect(state().buckets).toEqual(["openmoss-files"]);
    expect(first.output).toContain('R2 bucket "openmoss-files": created');
    // Schema before code: the migrations run before the deploy, and after the database exists.
    const migrate = calls.indexOf("d1 migrations apply DB --remote");
    const deployCall = calls.findIndex((c) => c.startsWith("deploy"));
    expect(migrate).toBeGreaterThan(calls.indexOf("d1 create openmoss"));
    expect(deployCall).toBeGreaterThan(migrate);
    expect(calls[deployCall]).toContain("--secrets-file");

    // The Worker got exactly the values saved locally; the local file and the upload file are owner-only.
    const local = localSecrets();
    expect(Object.keys(local).sort()).toEqual(["PASSWORD_PEPPER", "SETUP_TOKEN"]);
    expect(local.SETUP_TOKEN).not.toBe(local.PASSWORD_PEPPER);
    expect(local.SETUP_TOKEN?.length).toBeGreaterThanOrEqual(43); // 32 random bytes, base64url
    expect(state().worker.secrets).toEqual(local);
    expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
    expect(state().secretsFileMode).toBe(0o600);
    expect(readFileSync(secretsFile, "utf8")).toContain("KEEP A BACKUP");

    const db = state().databases[0];
    expect(first.output).toContain(`D1 database "openmoss": created (${db.uuid})`);
    expect(first.output).toContain("Deployed: https://openmoss-edge.example.workers.dev");
    expect(first.output).toContain(`SETUP_TOKEN in ${secretsFile}`);
    expect(first.output).toContain("https://openmoss-edge.example.workers.dev/api/agents/me/skill-bundle");
    // The values themselves never reach the log.
    expect(first.output).not.toContain(local.SETUP_TOKEN);
    expect(first.output).not.toContain(local.PASSWORD_PEPPER);
  });

  test("a second run creates nothing and sets no secret, but still migrates and deploys", async () => {
    expect((await run()).code).toBe(0);
    const secretsBefore = state().worker.secrets;
    const before = state().calls.length;
    const second = await run();
    expect(second.code, second.output).toBe(0);
    const calls = callsFrom(before);
    expect(calls.some((c) => c.startsWith("d1 create"))).toBe(false);
    expect(calls.some((c) => c.startsWith("r2 bucket create"))).toBe(false);
    expect(second.output).toContain('R2 bucket "openmoss-files": found');
    expect(calls).toContain("d1 migrations apply DB --remote");
    expect(calls.filter((c) => c.startsWith("deploy"))).toEqual(["deploy"]); // no --secrets-file
    expect(state().databases).toHaveLength(1);
    expect(state().worker.secrets).toEqual(secretsBefore);
    expect(second.output).toContain('D1 database "openmoss": found');
    expect(second.output).toContain("SETUP_TOKEN: already set on the Worker, left as is");
    expect(second.output).toContain("Deployed: https://openmoss-edge.example.workers.dev");
  });

  test("a secret set elsewhere is kept, and only the missing one is generated", async () => {
    setState({
      databases: [{ name: "openmoss", uuid: "db-1" }],
      worker: { secrets: { SETUP_TOKEN: "chosen-by-hand" } },
    });
    const result = await run();
    expect(result.code, result.output).toBe(0);
    expect(state().worker.secrets.SETUP_TOKEN).toBe("chosen-by-hand");
    expect(state().worker.secrets.PASSWORD_PEPPER).toBe(localSecrets().PASSWORD_PEPPER);
    expect(localSecrets().SETUP_TOKEN).toBeUndefined();
    expect(result.output).toContain("SETUP_TOKEN: already set on the Worker, left as is (set elsewhere");
    expect(result.output).toContain("the SETUP_TOKEN you set earlier");
  });

  test("after a failed deploy, the retry uploads the values saved by the failed run", async () => {
    setState({ failDeploys: 1 });
    const failed = await run();
    expect(failed.code).toBe(1);
    expect(failed.output).toContain("`wrangler deploy` failed");
    const saved = localSecrets();
    expect(Object.keys(saved)).toHaveLength(2);
    const retry = await run();
    expect(retry.code, retry.output).toBe(0);
    expect(retry.output).toContain(`SETUP_TOKEN: taken from ${secretsFile}`);
    expect(state().worker.secrets).toEqual(saved);
  });

  test("not logged in: fails before building anything, with the login command", async () => {
    setState({ loggedIn: false });
    const result = await run([]); // builds would run first if the check came late
    expect(result.code).toBe(1);
    expect(result.output).toContain("npx wrangler login");
    expect(result.output).toContain("CLOUDFLARE_API_TOKEN");
    expect(result.output).not.toContain("npm run build:cli");
    expect(callsFrom(0)).toEqual(["whoami --json"]);
  });

  test("a login with several accounts must name one", async () => {
    setState({
      accounts: [
        { id: "acc1", name: "Ops" },
        { id: "acc2", name: "Lab" },
      ],
    });
    const ambiguous = await run();
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.output).toContain("CLOUDFLARE_ACCOUNT_ID=<id> npm run deploy");
    expect(ambiguous.output).toContain("acc2  Lab");
    expect(callsFrom(0)).toEqual(["whoami --json"]);
    const chosen = await run(["--no-build"], { CLOUDFLARE_ACCOUNT_ID: "acc2" });
    expect(chosen.code, chosen.output).toBe(0);
    expect(chosen.output).toContain("account Lab (acc2)");
  });
});
