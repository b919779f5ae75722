#!/usr/bin/env node
// A stand-in for wrangler that plays one Cloudflare account, for test/cli/deploy.test.ts: the tests
// cannot reach Cloudflare, so scripts/deploy.ts runs against this (DEPLOY_WRANGLER points here).
// It answers only the commands the deploy uses, in the shapes wrangler 4 gives them (the --json
// outputs, the "not found" error, the ND-JSON output file), and records every call. The account
// lives in the JSON file FAKE_WRANGLER_STATE:
//   { loggedIn, accounts: [{id, name}], databases: [{name, uuid}], buckets: [name] (absent: none),
//     worker: null | {secrets: {NAME: value}}, failDeploys: n (the next n deploys fail), calls: [[args…]] }
// Plain JavaScript: it runs under whatever `node` is first on PATH.
import { randomUUID } from "node:crypto";
import { appendFileSync, readFileSync, statSync, writeFileSync } from "node:fs";

const stateFile = process.env.FAKE_WRANGLER_STATE;
if (!stateFile) {
  console.error("fake wrangler: FAKE_WRANGLER_STATE is not set");
  process.exit(90);
}
const state = JSON.parse(readFileSync(stateFile, "utf8"));
const args = process.argv.slice(2);
state.calls.push(args);
const save = () => writeFileSync(stateFile, JSON.stringify(state, null, 2));
const fail = (message, code = 1) => {
  save();
  console.error(`✘ [ERROR] ${message}`);
  process.exit(code);
};
const command = args.filter((a) => !a.startsWith("-")).join(" ");
const database = () => state.databases.find((db) => db.name === "openmoss");
state.buckets ??= [];

if (command === "whoami") {
  if (!state.loggedIn) {
    console.log('\n{"loggedIn":false}');
    fail("not logged in");
  }
  console.log(JSON.stringify({ loggedIn: true, email: "ops@example.com", accounts: state.accounts }));
} else if (command === "d1 list") {
  console.log(JSON.stringify(state.databases.map((db) => ({ ...db, created_at: "2026-12-01T00:00:00Z" }))));
} else if (command === "d1 create openmoss") {
  if (database()) fail("A database with that name already exists [code: 7502]");
  state.databases.push({ name: "openmoss", uuid: randomUUID() });
  console.log('✅ Successfully created DB "openmoss"');
} else if (command === "r2 bucket list") {
  // wrangler 4 prints labelled values, one block per bucket (there is no --json).
  console.log("Listing buckets...");
  console.log(
    state.buckets.map((name) => `name:           ${name}\ncreation_date:  2026-12-01T00:00:00.000Z`).join("\n\n"),
  );
} else if (command === "r2 bucket create openmoss-files") {
  if (state.buckets.includes("openmoss-files")) fail("The bucket you tried to create already exists [code: 10004]");
  state.buckets.push("openmoss-files");
  console.log("✅ Created bucket 'openmoss-files' with default storage class of Standard.");
} else if (command === "secret list json") {
  if (!state.worker)
    fail('Worker "openmoss-edge" not found.\n\nIf this is a new Worker, run `wrangler deploy` first to create it.');
  console.log(JSON.stringify(Object.keys(state.worker.secrets).map((name) => ({ name, type: "secret_text" }))));
} else if (command === "d1 migrations apply DB") {
  if (!args.includes("--remote")) fail("the deploy must migrate the remote database");
  if (!database()) fail("Couldn't find a D1 DB named 'openmoss' (bound as 'DB') in the API.");
  console.log("✅ Migrations applied");
} else if (command.startsWith("deploy")) {
  if (!database()) fail("Couldn't find a D1 DB named 'openmoss'");
  if (!state.buckets.includes("openmoss-files")) fail("R2 bucket 'openmoss-files' not found [code: 10085]");
  if (state.failDeploys > 0) {
    state.failDeploys--;
    fail("A request to the Cloudflare API failed (simulated).");
  }
  const secretsAt = args.indexOf("--secrets-file");
  const uploaded = secretsAt >= 0 ? JSON.parse(readFileSync(args[secretsAt + 1], "utf8")) : {};
  // Recorded so the tests can check the temporary file was private.
  if (secretsAt >= 0) state.secretsFileMode = statSync(args[secretsAt + 1]).mode & 0o777;
  state.worker = { secrets: { ...(state.worker?.secrets ?? {}), ...uploaded } };
  const url = "https://openmoss-edge.example.workers.dev";
  if (process.env.WRANGLER_OUTPUT_FILE_PATH) {
    appendFileSync(
      process.env.WRANGLER_OUTPUT_FILE_PATH,
      `${JSON.stringify({ type: "wrangler-session", version: 1 })}\n`,
    );
    appendFileSync(
      process.env.WRANGLER_OUTPUT_FILE_PATH,
      `${JSON.stringify({ type: "deploy", version: 1, targets: [url] })}\n`,
    );
  }
  console.log(`Deployed openmoss-edge triggers\n  ${url}`);
} else {
  fail(`fake wrangler: unexpected command: ${args.join(" ")}`, 99);
}
save();
