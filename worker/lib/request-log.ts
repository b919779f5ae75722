import { sql } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-types";
import { rowsPerStatement, valuesTable } from "../db/chunks";
import type { Db } from "../db/client";
import { agent, requestLog as requestLogTable } from "../db/schema";
import { redactJson, redactPath, redactText } from "../domain/redaction";
import { Coalescer } from "./coalesce";
import { nowIso } from "./time";

const MAX_LOGGED_BODY = 10_000;
const MAX_LOGGED_PATH = 500;

type LogRow = typeof requestLogTable.$inferInsert & { agentId: string };

// Per isolate, the rows of calls that finish within WRITE_GAP_MS of each other share one INSERT
// (lib/coalesce.ts): under load most calls cost no D1 round trip of their own for their log row.
const WRITE_GAP_MS = 200;
const COLUMNS = 9;
const pending = new Coalescer<LogRow>(WRITE_GAP_MS, rowsPerStatement(COLUMNS));

/**
 * One statement for the batch. A row is written only while its agent exists: a call queued just
 * before its agent's deletion leaves no row behind it (the delete removed that agent's rows).
 */
function insertRows(db: Db, rows: LogRow[]) {
  const values = valuesTable(
    rows.map((r) => [
      r.id,
      r.timestamp,
      r.method,
      r.path,
      r.agentId,
      r.agentName,
      r.agentRole,
      r.requestBody,
      r.responseStatus,
    ]),
  );
  return db.run(sql`insert into ${requestLogTable} (id, timestamp, method, path, agent_id, agent_name, agent_role, request_body, response_status)
    select * from ${values} where exists (select 1 from ${agent} where ${agent.id} = v.column5)`);
}

/**
 * Records every authenticated agent call (spec §11) after the response is ready, via waitUntil, so
 * the agent never waits for it. Auth failures (401/403) are not recorded, as upstream.
 */
export const requestLog = createMiddleware<AppEnv>(async (c, next) => {
  const startedAt = nowIso();
  await next();
  const agent = c.get("agent");
  if (!agent || c.res.status === 401 || c.res.status === 403) return;
  const row: LogRow = {
    id: crypto.randomUUID(),
    timestamp: startedAt,
    method: c.req.method,
    // Redacted before the cut, so a key across the cut cannot survive in part.
    path: redactPath(new URL(c.req.url).pathname).slice(0, MAX_LOGGED_PATH),
    agentId: agent.id,
    agentName: agent.name,
    agentRole: agent.role,
    requestBody: describeRequest(c.req.method, c.req.url, c.get("rawBody")),
    responseStatus: c.res.status,
  };
  const db = c.var.db;
  pending.add(
    [row],
    (p) => c.executionCtx.waitUntil(p),
    (rows) =>
      insertRows(db, rows).then(
        () => undefined,
        (err: Error) => console.error("request log write failed", err.message),
      ),
  );
});

/** The query (GET) or body (others) as stored: secrets redacted by field name and by shape, bounded. */
function describeRequest(method: string, url: string, body: string | null): string | null {
  if (method === "GET") {
    const params = Object.fromEntries(new URL(url).searchParams);
    return Object.keys(params).length ? redactJson(params) : null;
  }
  if (body === null || body === "") return null;
  let text: string;
  try {
    text = redactJson(JSON.parse(body));
  } catch {
    text = redactText(body); // not JSON: kept as sent, credential-shaped strings still redacted
  }
  if (text.length <= MAX_LOGGED_BODY) return text;
  // Never cut a surrogate pair (an emoji) in half.
  const end = /[\uD800-\uDBFF]/.test(text[MAX_LOGGED_BODY - 1] ?? "") ? MAX_LOGGED_BODY - 1 : MAX_LOGGED_BODY;
  return `${text.slice(0, end)}...(truncated)`;
}
