// `npm start`: brings the whole system up locally on http://localhost:8787 — the Worker (API and
// dashboard), local D1, the SubTaskCoordinator Durable Object and the cron trigger (/__scheduled).
//
//   1. creates .dev.vars with a random SETUP_TOKEN if it does not exist (never committed);
//   2. applies the D1 migrations to the local database, without asking;
//   3. runs `wrangler dev --port 8787 --test-scheduled` and exits with its exit code;
//   4. once it answers, fires the cron each minute as deployed (scripts/lib/cron-ticker.ts), unless
//      `npm start -- --no-cron`.
//
// Extra arguments go to `wrangler dev`: `npm start -- --port 9000`, `npm start -- --persist-to /tmp/x`
// (a --persist-to is given to the migrations as well).
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { cronExpression, parseStartArgs, startCronTicker, waitUntilUp } from "./lib/cron-ticker.ts";
import { assertInstalled, exitCodeOf, root, runWrangler, spawnWrangler } from "./lib/wrangler.ts";

const DEFAULT_PORT = 8787;
const { cron: localCron, wranglerArgs: extraArgs } = parseStartArgs(process.argv.slice(2));
const hasFlag = (name: string) => extraArgs.some((a) => a === name || a.startsWith(`${name}=`));
const flagValue = (name: string): string | undefined => {
  const i = extraArgs.findIndex((a) => a === name || a.startsWith(`${name}=`));
  const arg = extraArgs[i];
  if (arg === undefined) return undefined;
  return arg.includes("=") ? arg.slice(name.length + 1) : extraArgs[i + 1];
};

assertInstalled();

// 1. The setup token. The setup wizard (POST /api/setup/initialize) requires it in X-Setup-Token.
const devVars = path.join(root, ".dev.vars");
if (!existsSync(devVars)) {
  const token = randomBytes(16).toString("hex");
  writeFileSync(devVars, `SETUP_TOKEN=${token}\n`, { mode: 0o600 });
  console.log(`
  Created ${devVars} with a new SETUP_TOKEN (this file is git-ignored).
  The setup wizard needs it in the header  X-Setup-Token: ${token}
`);
} else {
  const hasToken = /^\s*SETUP_TOKEN\s*=\s*\S/m.test(readFileSync(devVars, "utf8"));
  console.log(
    hasToken
      ? `\n  The setup token is SETUP_TOKEN in ${devVars}; the setup wizard needs it in the header X-Setup-Token.\n`
      : `\n  Warning: ${devVars} has no SETUP_TOKEN line; POST /api/setup/initialize will answer 503 until you add one.\n`,
  );
}

// 2. Local migrations. CI=true and a non-terminal stdin make wrangler skip its confirmation prompt.
const persistTo = flagValue("--persist-to");
const migrateArgs = ["d1", "migrations", "apply", "DB", "--local", ...(persistTo ? ["--persist-to", persistTo] : [])];
console.log(`> wrangler ${migrateArgs.join(" ")}`);
const migrated = await runWrangler(migrateArgs, { env: { CI: "true" }, stdio: ["ignore", "inherit", "inherit"] });
if (migrated !== 0) {
  console.error(`Applying the local D1 migrations failed (exit code ${migrated}).`);
  process.exit(migrated);
}

// 3. The dev server, in the foreground.
const devArgs = [
  "dev",
  ...(hasFlag("--port") ? [] : ["--port", String(DEFAULT_PORT)]),
  ...(hasFlag("--test-scheduled") ? [] : ["--test-scheduled"]),
  ...extraArgs,
];
const port = flagValue("--port") ?? DEFAULT_PORT;
console.log(`> wrangler ${devArgs.join(" ")}`);
console.log(`  API  http://localhost:${port}/api/health   reference http://localhost:${port}/api/docs`);
const cron = cronExpression();
const cronUrl = `http://localhost:${port}/__scheduled?cron=${encodeURIComponent(cron)}`;
console.log(
  `  Cron ${localCron ? `fired each minute (off: npm start -- --no-cron); by hand: ${cronUrl}` : `off; by hand: ${cronUrl}`}\n`,
);

const child = spawnWrangler(devArgs);
// wrangler shuts down cleanly on SIGINT/SIGTERM; pass them on and wait for it to finish.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}
child.on("error", (err) => {
  console.error(`could not start wrangler: ${err.message}`);
  process.exit(1);
});
child.on("exit", (code, signal) => process.exit(exitCodeOf(code, signal)));

// 4. The local cron, once wrangler answers.
if (localCron) {
  const base = `http://${flagValue("--ip") ?? "localhost"}:${port}`;
  const alive = () => child.exitCode === null && child.signalCode === null;
  if (await waitUntilUp(base, { alive })) startCronTicker({ baseUrl: base, cron });
}
