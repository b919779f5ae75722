import type { Db } from "./db/client";
import type { agent } from "./db/schema";
import type { Env } from "./env";

export type AgentRow = typeof agent.$inferSelect;

/** Hono context shared by every route: bindings plus what middleware resolved. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    db: Db;
    agent: AgentRow;
    /** The request body as received (bounded), kept for the request log. */
    rawBody: string | null;
  };
}
