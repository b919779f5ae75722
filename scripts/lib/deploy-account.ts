// The steps of `npm run deploy` that talk to the Cloudflare account, through wrangler. Each one looks
// before it acts, so the whole deploy can be run again at any time; each returns what it found or
// did, for deploy.ts to print. wrangler's --json outputs are read wherever it has one.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DeployError, tail, wrangler } from "./deploy-process.ts";

/** wrangler.toml's database_name: the binding finds its database by this name (no id in the file). */
export const DATABASE_NAME = "openmoss";

const LOGIN_HINT = "Run `npx wrangler login` (or set CLOUDFLARE_API_TOKEN), then `npm run deploy` again.";

/** Fails unless wrangler has credentials, and unless the account to use is unambiguous. */
export async function checkLogin(): Promise<{ email?: string; account: string }> {
  const result = await wrangler(["whoami", "--json"]);
  const who = parseJson(result.stdout) as { loggedIn?: boolean; email?: string; accounts?: Account[] } | undefined;
  if (result.code !== 0 || !who?.loggedIn) {
    const why =
      who?.loggedIn === false
        ? "wrangler is not logged in to Cloudflare."
        : `\`wrangler whoami\` failed:\n${tail(result)}`;
    throw new DeployError(`${why}\n${LOGIN_HINT}`);
  }
  const accounts = who.accounts ?? [];
  const chosen = process.env.CLOUDFLARE_ACCOUNT_ID;
  if (!chosen && accounts.length > 1) {
    const list = accounts.map((a) => `  ${a.id}  ${a.name}`).join("\n");
    throw new DeployError(
      `Your login has ${accounts.length} accounts; pick one:\n${list}\nCLOUDFLARE_ACCOUNT_ID=<id> npm run deploy`,
    );
  }
  const account = accounts.find((a) => a.id === chosen) ?? accounts[0];
  return { email: who.email, account: account ? `${account.name} (${account.id})` : (chosen ?? "?") };
}
interface Account {
  id: string;
  name: string;
}

/** Finds the D1 database by name, creating it if the account has none; returns its id. */
export async function ensureDatabase(): Promise<{ id: string; created: boolean }> {
  const existing = await findDatabase();
  if (existing) return { id: existing, created: false };
  const created = await wrangler(["d1", "create", DATABASE_NAME]);
  if (created.code !== 0)
    throw new DeployError(`Creating the D1 database "${DATABASE_NAME}" failed:\n${tail(created)}`);
  // `d1 create` has no --json; the list does, so the id comes from there rather than from its text.
  const id = await findDatabase();
  if (!id)
    throw new DeployError(
      `D1 database "${DATABASE_NAME}" was created but is not listed yet; run \`npm run deploy\` again.`,
    );
  return { id, created: true };
}

async function findDatabase(): Promise<string | undefined> {
  const result = await wrangler(["d1", "list", "--json"]);
  const list = parseJson(result.stdout);
  if (result.code !== 0 || !Array.isArray(list)) {
    throw new DeployError(`Listing the account's D1 databases failed:\n${tail(result)}`);
  }
  return (list as { name?: string; uuid?: string }[]).find((db) => db.name === DATABASE_NAME)?.uuid;
}

/** wrangler.toml's bucket_name of the FILES binding (deliverable files, docs/files.md). */
export const BUCKET_NAME = "openmoss-files";

/** Finds the R2 bucket by name, creating it if the account has none (a deploy with a missing bucket fails). */
export async function ensureBucket(): Promise<{ created: boolean }> {
  if (await hasBucket()) return { created: false };
  const created = await wrangler(["r2", "bucket", "create", BUCKET_NAME]);
  if (created.code !== 0) {
    throw new DeployError(
      `Creating the R2 bucket "${BUCKET_NAME}" failed:\n${tail(created)}\nR2 must be enabled on the account once (dashboard → R2); then \`npm run deploy\` again.`,
    );
  }
  return { created: true };
}

async function hasBucket(): Promise<boolean> {
  const result = await wrangler(["r2", "bucket", "list"]);
  if (result.code !== 0) throw new DeployError(`Listing the account's R2 buckets failed:\n${tail(result)}`);
  return bucketNames(result.stdout).includes(BUCKET_NAME);
}

/** The names in `wrangler r2 bucket list`'s text (it has no --json): one `name:  <bucket>` line per bucket. */
export const bucketNames = (stdout: string): string[] => [...stdout.matchAll(/^name:\s+(\S+)\s*$/gm)].map((m) => m[1]!);

/** The names of the Worker's secrets; `undefined` when the Worker does not exist yet (first deploy). */
export async function workerSecretNames(): Promise<Set<string> | undefined> {
  const result = await wrangler(["secret", "list", "--format", "json"]);
  if (result.code === 0) {
    const list = parseJson(result.stdout);
    if (Array.isArray(list)) return new Set((list as { name: string }[]).map((s) => s.name));
  }
  // wrangler has no JSON for this error; its message ('Worker "…" not found') is the only signal.
  if (/Worker "?[\w-]*"? not found|does not exist/i.test(`${result.stdout}\n${result.stderr}`)) return undefined;
  throw new DeployError(`Listing the Worker's secrets failed:\n${tail(result)}`);
}

/** Applies the migrations D1 has not seen yet (wrangler keeps the list in the database itself). */
export async function migrateRemote(): Promise<void> {
  const result = await wrangler(["d1", "migrations", "apply", "DB", "--remote"], { echo: true });
  if (result.code !== 0) {
    throw new DeployError(
      `The remote D1 migrations failed (nothing was deployed); fix the cause above, then \`npm run deploy\` again.`,
    );
  }
}

/**
 * `wrangler deploy`, with the secrets the Worker lacks in the same upload (--secrets-file, wrangler's
 * way to give a brand-new Worker its secrets: its first version never runs without SETUP_TOKEN).
 * Returns the URLs the Worker answers on, from wrangler's ND-JSON output file.
 */
export async function deployWorker(secrets: Record<string, string>): Promise<string[]> {
  // Owner-only folder: the secrets file lives there for the length of the upload.
  const scratch = mkdtempSync(path.join(tmpdir(), "openmoss-deploy-"));
  try {
    const outputFile = path.join(scratch, "wrangler-output.ndjson");
    const args = ["deploy"];
    if (Object.keys(secrets).length > 0) {
      const secretsFile = path.join(scratch, "secrets.json");
      writeFileSync(secretsFile, JSON.stringify(secrets), { mode: 0o600 });
      args.push("--secrets-file", secretsFile);
    }
    const result = await wrangler(args, { echo: true, env: { WRANGLER_OUTPUT_FILE_PATH: outputFile } });
    if (result.code !== 0)
      throw new DeployError("`wrangler deploy` failed (see above); run `npm run deploy` again once fixed.");
    return deployTargets(outputFile);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The `targets` of the "deploy" entry wrangler appends to WRANGLER_OUTPUT_FILE_PATH. */
function deployTargets(outputFile: string): string[] {
  let text = "";
  try {
    text = readFileSync(outputFile, "utf8");
  } catch {
    return [];
  }
  const entries = text
    .split("\n")
    .map(parseJson)
    .filter((e): e is { type: string; targets?: string[] } => typeof e === "object" && e !== null);
  return entries.find((e) => e.type === "deploy")?.targets ?? [];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
