// What the patrol and briefing scenarios share: one work directory whose servers run with
// --test-scheduled (so the benchmark triggers the cron itself), a database initialized once through
// the API, and copies of it seeded by SQL, so every compared database starts from the same agents.
import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Registered } from "./api-types.ts";
import { applyMigrations, DevServer, executeSqlFile } from "./dev-server.ts";
import { Client } from "./http.ts";

export class SeededStates {
  /** Every server's and wrangler step's output, appended. */
  readonly logFile: string;
  readonly setupToken = randomBytes(16).toString("hex");
  /** The database initialized once; every copy starts from it. */
  readonly baseState: string;
  private readonly workDir: string;
  private readonly port: number;
  private readonly logLevel: string | undefined;

  /**
   * Creates `workDir` (the state copies, SQL files and wrangler.log). `logLevel` is wrangler's
   * --log-level: "log" lets the Worker's console.log (the cron's JSON line) reach the file.
   */
  constructor({ workDir, port, logLevel }: { workDir: string; port: number; logLevel?: string }) {
    mkdirSync(workDir, { recursive: true });
    this.workDir = workDir;
    this.port = port;
    this.logLevel = logLevel;
    this.logFile = path.join(workDir, "wrangler.log");
    this.baseState = path.join(workDir, "state-base");
  }

  /** Where the copy called `key` lives. */
  statePath(key: string | number) {
    return path.join(this.workDir, `state-${key}`);
  }

  /** A server (not started yet) on the state in `persistTo`. */
  serverFor(persistTo: string) {
    return new DevServer({
      persistTo,
      envFile: path.join(this.workDir, "bench.env"),
      logFile: this.logFile,
      setupToken: this.setupToken,
      port: this.port,
      extraArgs: ["--test-scheduled"],
      logLevel: this.logLevel, // undefined: DevServer's default
    });
  }

  /**
   * The base database (migrations applied), initialized through the API with `agents` ([name, role]
   * pairs) registered; the server is stopped again. Returns the agents by name ({id, api_key, …} as
   * registration answered).
   */
  async initialize({
    project,
    agents,
    log,
  }: {
    project: string;
    agents: [name: string, role: string][];
    log: (msg: string) => void;
  }): Promise<Record<string, Registered>> {
    log(`applying migrations to ${this.baseState}`);
    await applyMigrations(this.baseState, this.logFile);
    const server = this.serverFor(this.baseState);
    try {
      const api = new Client(await server.start());
      log(`server ready at ${api.base}; initializing and registering agents`);
      const registrationToken = randomBytes(16).toString("hex");
      await api.request("POST", "/api/setup/initialize", {
        headers: { "x-setup-token": this.setupToken },
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

  /** Copies the base state to statePath(key) and runs `sql` on the copy; returns the seeding time in ms. */
  async seedCopy(key: string | number, sql: string) {
    const state = this.statePath(key);
    const sqlFile = path.join(this.workDir, `seed-${key}.sql`);
    cpSync(this.baseState, state, { recursive: true });
    writeFileSync(sqlFile, sql);
    const started = performance.now();
    await executeSqlFile(state, sqlFile, this.logFile);
    return performance.now() - started;
  }
}
