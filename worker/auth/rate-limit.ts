// Per-agent request rate. Every request an agent authenticates, on the API and on /mcp, takes one
// token from that agent's bucket (db/rate-buckets.ts) in the same D1 round trip as the key lookup
// (auth/agent.ts). An MCP tool call re-enters the API with the same key, so it costs one token there,
// on top of the one its POST /mcp took. The limits are settings read inside the same D1 statement,
// so an admin's change applies to the next request. Admin sessions are not limited.
import { sql } from "drizzle-orm";
import { type Db, precompiled } from "../db/client";
import { type BucketLimit, refusal, takeTokenSql } from "../db/rate-buckets";
import { agent } from "../db/schema";
import { settingNumber } from "../db/settings";
import { text } from "../i18n";
import { type ApiError, tooManyRequests } from "../lib/errors";

const AGENT_LIMIT: BucketLimit = {
  perMinute: settingNumber("agent.rate_limit_per_minute"),
  burst: settingNumber("agent.rate_limit_burst"),
};

const AGENT_BUCKET_PREFIX = "agent:";
export const agentBucketKey = (agentId: string) => `${AGENT_BUCKET_PREFIX}${agentId}`;

/**
 * Takes a token for the enabled agent whose key hashes to the placeholder `hash`, at `now` (ms);
 * takes nothing for an unknown or disabled key. Built once per isolate: every agent request runs it.
 */
export const takeAgentToken = precompiled(() => {
  const bucket = sql`(select ${AGENT_BUCKET_PREFIX} || ${agent.id} from ${agent} where ${agent.apiKeyHash} = ${sql.placeholder("hash")} and ${agent.status} <> 'disabled')`;
  return takeTokenSql(bucket, AGENT_LIMIT, sql`${sql.placeholder("now")}`);
});

/** After a refused take: the 429 `rate_limited` with Retry-After, or null if a token was there after all. */
export async function agentRateLimited(db: Db, agentId: string, nowMs: number): Promise<ApiError | null> {
  const taken = await refusal(db, agentBucketKey(agentId), AGENT_LIMIT, nowMs);
  if (taken.ok) return null;
  return tooManyRequests(
    "rate_limited",
    text("rateLimited", { perMinute: taken.perMinute, burst: taken.burst, seconds: taken.retryAfterSeconds }),
    taken.retryAfterSeconds,
  );
}
