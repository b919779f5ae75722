// What the patrol and briefing scenarios share: one work directory whose servers run with
// --test-scheduled (so the benchmark triggers the cron itself), a database initialized once through
// the API, and copies of it seeded by SQL, so every compared database starts from the same agents.
import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Registered } from "./api-types.ts";
import { applyMigrations, DevServer, executeSqlFile } from "./dev-server.ts";
import { Client } from "./http.ts";

/** Creates `workDir`; the servers it returns share its wrangler.log, env file and SETUP_TOKEN. */
export function scheduledServers({
  workDir,
  port,
  logLevel,
}: {
  /** A temporary directory for the state copies, SQL files and wrangler.log. */
  workDir: string;
  /** Preferred port. */
  port: number;
  /** wrangler's --log-level; "log" lets the Worker's console.log (the cron's line) reach the file. */
  logLevel?: string;
}) {
  mkdirSync(workDir, { recursive: true });
  const logFile = path.join(workDir, "wrangler.log");
  const setupToken = randomBytes(16).toString("hex");
  const serverFor = (persistTo: string) =>
    new DevServer({
      persistTo,
      envFile: path.join(workDir, "bench.env"),
      logFile,
      setupToken,
      port,
      extraArgs: ["--test-scheduled"],
      logLevel, // undefined: DevServer's default
    });
  return { logFile, setupToken, serverFor };
}

/** Copies the state folder `from` to `to` and runs `sql` on the copy; returns the seeding time in ms. */
export async function seededCopy(from: string, to: string, sqlFile: string, sql: string, logFile: string) {
  cpSync(from, to, { recursive: true });
  writeFileSync(sqlFile, sql);
  const started = performance.now();
  await executeSqlFile(to, sqlFile, logFile);
  return performance.now() - started;
}

/**
 * A fresh database (migrations applied) in `state`, initialized through the API with `agents`
 * ([name, role] pairs) registered; the server is stopped again. Returns the agents by name
 * ({id, api_key, …} as registration answered).
 */
export async function initializedState({
  state,
  logFile,
  serverFor,
  setupToken,
  project,
  agents,
  log,
}: {
  state: string;
  logFile: string;
  serverFor: (persistTo: string) => DevServer;
  setupToken: string;
  project: string;
  agents: [name: string, role: string][];
  log: (msg: string) => void;
}): Promise<Record<string, Registered>> {
  log(`applying migrations to ${state}`);
  await applyMigrations(state, logFile);
  const server = serverFor(state);
  try {
    const api = new Client(await server.start());
    log(`server ready at ${api.base}; initializing and registering agents`);
    const registrationToken = randomBytes(16).toString("hex");
    await api.request("POST", "/api/setup/initialize", {
      headers: { "x-setup-token": setupToken },
      body: {
        admin_password: randomBytes(12).toString("hex"),
        project_name: project,
        workspace_root: "/bench",
        registration_token: registrationToken,
        registration_roles: [...new Set(agents.map(([, role]) => role))],
      },
    });
    const byName: Record<string, Registered> = {};
    for (const [name, role] of agents) {
      byName[name] = (
        await api.request<Registered>("POST", "/api/agents/register", {
          headers: { "x-registration-token": registrationToken },
          body: { name, role, description: `bench ${role}` },
        })
      ).json;
    }
    return byName;
  } finally {
    await server.stop();
  }
}
