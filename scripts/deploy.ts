// `npm run deploy`: the whole deploy to Cloudflare, first or fiftieth; every step looks before it acts.
//
//   1. wrangler must be logged in (or CLOUDFLARE_API_TOKEN set); checked before anything is built;
//   2. builds the CLI and the dashboard (`npm run build:cli`, `npm run build:dashboard`);
//   3. D1: finds the database "openmoss" on the account, or creates it. wrangler.toml names the
//      database and holds no id: wrangler resolves the name on every remote command, so there is
//      nothing to paste and nothing to keep in sync (a fork deploys to its own account unchanged);
//   4. R2: finds the bucket "openmoss-files" (deliverable files, docs/files.md) or creates it;
//   5. secrets: SETUP_TOKEN and PASSWORD_PEPPER are generated once, saved in .deploy-secrets.env
//      (git-ignored, mode 0600) and uploaded with the deploy while the Worker lacks them; a secret
//      the Worker has is never replaced (lib/deploy-secrets.ts says why);
//   6. applies the remote D1 migrations (before the code that needs them);
//   7. `wrangler deploy`, then prints the URL and the next step.
//
// `--dry-run`: no account and no network. Builds, bundles with `wrangler deploy --dry-run`, checks the
// bundle against its gzip budget (exit 1 over it; lib/deploy-bundle.ts) and lists what a real run
// would do. `--no-build`: use the CLI and dashboard builds already there (CI that just built them).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  BUCKET_NAME,
  checkLogin,
  DATABASE_NAME,
  deployWorker,
  ensureBucket,
  ensureDatabase,
  migrateRemote,
  workerSecretNames,
} from "./lib/deploy-account.ts";
import { budgetKb, kb, measureBundle, wranglerGzipBytes } from "./lib/deploy-bundle.ts";
import { DeployError, npmRun, tail, wrangler } from "./lib/deploy-process.ts";
import { planSecrets, readLocalSecrets, SECRET_NAMES, SECRETS_FILE, writeLocalSecrets } from "./lib/deploy-secrets.ts";
import { root } from "./lib/wrangler.ts";

const USAGE = "Usage: npm run deploy [-- --dry-run] [-- --no-build]";
const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== "--dry-run" && a !== "--no-build");
if (unknown.length > 0) {
  console.error(`deploy: unknown option ${unknown.join(" ")}\n${USAGE}`);
  process.exit(2);
}
const dryRun = args.includes("--dry-run");
const build = !args.includes("--no-build");
// Shown relative to the clone when it is inside it (the usual case), else in full.
const secretsFile = SECRETS_FILE.startsWith(root + path.sep) ? path.relative(root, SECRETS_FILE) : SECRETS_FILE;

try {
  if (dryRun) await dryRunDeploy();
  else await deploy();
} catch (error) {
  if (!(error instanceof DeployError)) throw error;
  console.error(`\ndeploy: ${error.message}`);
  process.exit(1);
}

async function deploy() {
  const who = await checkLogin();
  step(`Logged in${who.email ? ` as ${who.email}` : ""}; account ${who.account}`);
  await buildAll();

  const db = await ensureDatabase();
  step(`D1 database "${DATABASE_NAME}": ${db.created ? "created" : "found"} (${db.id})`);
  const bucket = await ensureBucket();
  step(`R2 bucket "${BUCKET_NAME}": ${bucket.created ? "created" : "found"}`);

  const onWorker = await workerSecretNames();
  if (!onWorker) step("The Worker does not exist yet: this deploy creates it");
  const local = readLocalSecrets();
  const plan = planSecrets(onWorker ?? new Set(), local);
  const uploads: Record<string, string> = {};
  for (const item of plan) {
    if (item.action === "keep") {
      const where = item.inLocalFile ? `its value is in ${secretsFile}` : `set elsewhere; not in ${secretsFile}`;
      step(`${item.name}: already set on the Worker, left as is (${where})`);
    } else {
      uploads[item.name] = item.value;
      local.set(item.name, item.value);
      step(
        `${item.name}: ${item.from === "new" ? "generated" : `taken from ${secretsFile}`}; uploaded with this deploy`,
      );
    }
  }
  // Saved before the upload: if the deploy fails, the next run uploads these same values.
  if (Object.keys(uploads).length > 0) {
    writeLocalSecrets(local);
    step(`Saved in ${secretsFile} (readable by you only). Keep a backup: PASSWORD_PEPPER cannot be recovered`);
  }

  step("Remote D1 migrations");
  await migrateRemote();
  step("wrangler deploy");
  const urls = await deployWorker(uploads);
  const url = urls[0] ?? "the workers.dev URL wrangler printed above";

  const tokenAt = local.has("SETUP_TOKEN")
    ? `SETUP_TOKEN in ${secretsFile}`
    : "the SETUP_TOKEN you set earlier (it is not in this clone's file)";
  console.log(`
Deployed: ${url}

Next:
  1. Unless done already: open ${url} and run the setup wizard; it asks for ${tokenAt}.
  2. Enroll agents: each registers with a registration token (setup prints one for executors; the
     Prompts page issues one-time tokens for other roles), then downloads its CLI and skill from
     ${url}/api/agents/me/skill-bundle (README, "Agent tooling").
Later deploys: npm run deploy again (nothing is created twice; secrets already set stay as they are).`);
}

async function dryRunDeploy() {
  await buildAll();
  // The bundle goes to a scratch folder, measured there, and removed.
  const outdir = mkdtempSync(path.join(tmpdir(), "openmoss-bundle-"));
  try {
    step("wrangler deploy --dry-run (bundles the Worker; no account, no upload)");
    const result = await wrangler(["deploy", "--dry-run", "--outdir", outdir], {
      env: { WRANGLER_SEND_METRICS: "false" },
    });
    if (result.code !== 0) throw new DeployError(`\`wrangler deploy --dry-run\` failed:\n${tail(result, 30)}`);
    const size = measureBundle(outdir);
    const budget = budgetKb();
    const theirs = wranglerGzipBytes(result.stdout);
    console.log(
      `\nWorker bundle: ${kb(size.gzipBytes)} gzip (${kb(size.rawBytes)} raw, ${size.modules.length} modules); budget ${budget} KB gzip`,
    );
    if (theirs !== undefined && Math.abs(theirs - size.gzipBytes) > 1024) {
      console.log(
        `  (wrangler's own "Total Upload" line says ${kb(theirs)} gzip; this script's figure is the one checked)`,
      );
    }
    if (size.gzipBytes > budget * 1024) {
      throw new DeployError(
        `the Worker bundle is ${kb(size.gzipBytes)} gzip, over its ${budget} KB budget.\n` +
          "Find what grew (a new dependency, a large text module) or raise DEFAULT_BUDGET_KB in scripts/lib/deploy-bundle.ts on purpose.",
      );
    }
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  console.log(`
Dry run OK. A real run (npm run deploy) would, on the account wrangler is logged in to:
  - find or create the D1 database "${DATABASE_NAME}";
  - find or create the R2 bucket "${BUCKET_NAME}" (deliverable files);
  - set ${SECRET_NAMES.join(" and ")} if the Worker lacks them (generated once, kept in ${secretsFile});
  - apply the remote D1 migrations;
  - deploy the Worker and print its URL and the next step.`);
}

async function buildAll() {
  if (!build) {
    step("Builds: using the existing CLI and dashboard builds (--no-build)");
    return;
  }
  for (const script of ["build:cli", "build:dashboard"]) {
    step(`npm run ${script}`);
    const code = await npmRun(script);
    if (code !== 0) throw new DeployError(`\`npm run ${script}\` failed (exit ${code}); nothing was deployed.`);
  }
}

function step(text: string) {
  console.log(`\n▸ ${text}`);
}
