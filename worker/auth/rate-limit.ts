// Per-agent request rate. Every request an agent authenticates, on the API and on /mcp, takes one
// token from that agent's bucket (db/rate-buckets.ts) right after authentication. An MCP tool call
// re-enters the API with the same key, so it costs one token there, on top of the one its POST /mcp
// took. The limits are settings read inside the same D1 statement: one query per request, and an
// admin's change applies to the next request. Admin sessions are not limited.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-types";
import { type BucketLimit, takeToken } from "../db/rate-buckets";
import { settingNumber } from "../db/settings";
import { tooManyRequests } from "../lib/errors";

const AGENT_LIMIT: BucketLimit = {
  perMinute: settingNumber("agent.rate_limit_per_minute"),
  burst: settingNumber("agent.rate_limit_burst"),
};

export const agentBucketKey = (agentId: string) => `agent:${agentId}`;

/** Runs after agentAuth (it needs `c.var.agent`); a refusal is 429 `rate_limited` with Retry-After. */
export const agentRateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const taken = await takeToken(c.var.db, agentBucketKey(c.var.agent.id), AGENT_LIMIT);
  if (!taken.ok) {
    throw tooManyRequests(
      "rate_limited",
      `too many requests: this agent may send ${taken.perMinute} per minute, ${taken.burst} at once; retry in ${taken.retryAfterSeconds} s`,
      taken.retryAfterSeconds,
    );
  }
  await next();
});
