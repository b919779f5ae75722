import { sql } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import type { Actor, Role } from "../../contract/vocabulary";
import type { AgentRow, AppEnv } from "../app-types";
import { precompiled, rowOf } from "../db/client";
import { agent, setting } from "../db/schema";
import { text } from "../i18n";
import { adoptProjectLanguage, languageOfStoredSetting } from "../i18n/request-language";
import { forbidden, unauthorized } from "../lib/errors";
import { sha256Hex } from "./crypto";
import { agentRateLimited, takeAgentToken } from "./rate-limit";

/** The key of an `Authorization: Bearer <key>` header, or null; the scheme name is case-insensitive (RFC 9110 §11.1). */
export const bearerKey = (header: string): string | null => /^Bearer +(\S{1,200})$/i.exec(header.trim())?.[1] ?? null;

/**
 * The agent by key hash, with the project's language in the same statement (a scalar subquery: no
 * extra D1 query per request); rowOf() keeps only the agent's own columns.
 */
const agentByKeyHash = precompiled(
  () => sql`select *, (select value from ${setting} where ${setting.key} = 'project.language') as project_language
    from ${agent} where ${agent.apiKeyHash} = ${sql.placeholder("hash")} limit 1`,
);

/**
 * `Authorization: Bearer ak_…` → the agent, looked up by the SHA-256 of its key, and one token
 * taken from its rate bucket (auth/rate-limit.ts) in the same D1 round trip: 429 before anything
 * else runs.
 */
export const agentAuth = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("authorization");
  if (!header) throw unauthorized("missing_credentials", text("missingAuthorization"));
  const key = bearerKey(header);
  if (!key) throw unauthorized("bad_credentials", text("badAuthorization"));
  const hash = await sha256Hex(key);
  const db = c.var.db;
  const nowMs = Date.now();
  const [agents, taken] = await db.$client.batch<Record<string, unknown>>([
    agentByKeyHash(db, { hash }),
    takeAgentToken(db, { hash, now: nowMs }),
  ]);
  const raw = agents?.results[0];
  const found = raw ? rowOf(agent, raw) : undefined;
  if (!found) throw unauthorized("invalid_api_key", text("invalidApiKey"));
  adoptProjectLanguage(c, languageOfStoredSetting(raw?.project_language));
  if (found.status === "disabled") throw forbidden("agent_disabled", text("agentDisabled"));
  if (taken?.results.length === 0) {
    const limited = await agentRateLimited(db, found.id, nowMs);
    if (limited) throw limited;
  }
  c.set("agent", found);
  await next();
});

export const requireRole = (...roles: Role[]) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const role = c.var.agent.role;
    if (!roles.includes(role)) {
      throw forbidden("wrong_role", text("wrongRole", { roles: roles.join("/"), role }));
    }
    await next();
  });

export const agentActor = (a: AgentRow): Actor => ({ kind: "agent", id: a.id, role: a.role, name: a.name });
