import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-types";
import { requestLog as requestLogTable } from "../db/schema";
import { nowIso } from "./time";

const MAX_LOGGED_BODY = 10_000;
const SECRET_KEYS = /password|token|api_?key|secret|authorization|^key$/i;
/** An API key pasted anywhere, e.g. into a log summary: redacted by value, not only by field name. */
const API_KEY_VALUE = /ak_[0-9a-f]{32}/gi;

/**
 * Records every authenticated agent call (spec §11) after the response is ready, via waitUntil, so
 * the agent never waits for it. Auth failures (401/403) are not recorded, as upstream.
 */
export const requestLog = createMiddleware<AppEnv>(async (c, next) => {
  const startedAt = nowIso();
  await next();
  const agent = c.get("agent");
  if (!agent || c.res.status === 401 || c.res.status === 403) return;
  const row = {
    id: crypto.randomUUID(),
    timestamp: startedAt,
    method: c.req.method,
    path: new URL(c.req.url).pathname.slice(0, 500),
    agentId: agent.id,
    agentName: agent.name,
    agentRole: agent.role,
    requestBody: describeRequest(c.req.method, c.req.url, c.get("rawBody")),
    responseStatus: c.res.status,
  };
  c.executionCtx.waitUntil(
    c.var.db.insert(requestLogTable).values(row).then(
      () => undefined,
      (err: Error) => console.error("request log write failed", err.message),
    ),
  );
});

function describeRequest(method: string, url: string, body: string | null): string | null {
  if (method === "GET") {
    const params = Object.fromEntries(new URL(url).searchParams);
    return Object.keys(params).length ? JSON.stringify(redact(params)).replace(API_KEY_VALUE, "[redacted]") : null;
  }
  if (body === null || body === "") return null;
  let text = body;
  try {
    text = JSON.stringify(redact(JSON.parse(body)));
  } catch {
    // not JSON: keep the text as sent (key values are still redacted below)
  }
  text = text.replace(API_KEY_VALUE, "[redacted]");
  if (text.length <= MAX_LOGGED_BODY) return text;
  // Never cut a surrogate pair (an emoji) in half.
  const end = /[\uD800-\uDBFF]/.test(text[MAX_LOGGED_BODY - 1] ?? "") ? MAX_LOGGED_BODY - 1 : MAX_LOGGED_BODY;
  return `${text.slice(0, end)}...(truncated)`;
}

/** Never write credentials into the log, whatever an agent puts in a body. */
function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) ? "[redacted]" : redact(v)]),
    );
  }
  return value;
}
