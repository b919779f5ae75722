import { z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import { AgentPublicSchema, AgentRegisteredSchema } from "../../contract/api/agents";
import { AGENT_STATUSES, ROLES } from "../../contract/vocabulary";
import type { App } from "../app";
import type { AppEnv } from "../app-types";
import { safeEqual } from "../auth/crypto";
import { attemptSucceeded, beginAttempt, throttleKey } from "../auth/throttle";
import { createAgentAudited, setAgentStatus } from "../db/admin-queries";
import { createAgent, listAgents, recordHeartbeat } from "../db/agents";
import { enrollmentRefusal, findEnrollmentToken, registerWithEnrollment } from "../db/enrollment";
import { takeToken } from "../db/rate-buckets";
import { readSettings } from "../db/settings";
import { roleNotAllowedDetail } from "../domain/enrollment";
import { text as message, render } from "../i18n";
import { forbidden, tooManyRequests, unauthorized } from "../lib/errors";
import { PLAIN_LIST_LIMIT } from "../lib/pagination";
import { nowIso } from "../lib/time";
import { agentName, defineRoute, idParam, text } from "./define";
import { agentPublic } from "./shapes";

const AgentBody = z.object({
  name: agentName,
  role: z.enum(ROLES),
  description: text(2000).default(""),
});
const HeartbeatSchema = z
  .object({ agent_id: z.string(), heartbeat_at: z.string(), heartbeat_ip: z.string().nullable(), message: z.string() })
  .openapi("Heartbeat");

/** The caller's address as the edge saw it: CF-Connecting-IP, else the first X-Forwarded-For hop, else X-Real-IP. */
export function clientIp(headers: Headers): string | null {
  const candidates = [
    headers.get("cf-connecting-ip"),
    headers.get("x-forwarded-for")?.split(",")[0],
    headers.get("x-real-ip"),
  ];
  for (const candidate of candidates) {
    const ip = candidate?.trim();
    if (ip) return ip.slice(0, 100);
  }
  return null;
}

/**
 * Resolves X-Registration-Token before the body is looked at: an enrollment token (by its hash) or
 * the global token. Unknown, expired, revoked and used-up tokens count toward the per-client throttle.
 */
const registrationAuth = createMiddleware<AppEnv>(async (c, next) => {
  const db = c.var.db;
  const now = nowIso();
  const given = c.req.header("x-registration-token");
  if (!given) throw unauthorized("missing_credentials", message("missingRegistrationToken"));
  const key = throttleKey("register", c.req.raw);
  await beginAttempt(db, "register", key, now);
  const [settings, enrollment] = await Promise.all([readSettings(db), findEnrollmentToken(db, given)]);
  const perHour = settings["agent.registrations_per_hour"];
  if (enrollment) {
    const refusal = enrollmentRefusal(enrollment, now);
    if (refusal) throw refusal;
    c.set("registrar", {
      roles: [enrollment.role],
      bucket: `register:enrollment:${enrollment.id}`,
      perHour,
      enrollment,
    });
  } else {
    if (!settings["agent.allow_registration"]) {
      throw forbidden("registration_closed", message("registrationClosed"));
    }
    const expected = settings["agent.registration_token"];
    // An unset token never matches (upstream accepted an empty header against an empty token).
    if (expected === "" || !(await safeEqual(given, expected)))
      throw forbidden("invalid_registration_token", message("invalidRegistrationToken"));
    c.set("registrar", {
      roles: settings["agent.registration_roles"],
      bucket: "register:global",
      perHour,
      enrollment: null,
    });
  }
  await attemptSucceeded(db, key);
  await next();
});

export function registerAgentRoutes(app: App) {
  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/agents/register",
      tag: "Agents",
      auth: "public",
      middleware: [registrationAuth],
      summary:
        "Self-registration with X-Registration-Token (an enrollment token, or the global token for the roles it allows); the API key is shown once",
      body: AgentBody,
      response: AgentRegisteredSchema,
    }),
    async (c) => {
      const db = c.var.db;
      const body = c.req.valid("json");
      const { roles, bucket, perHour, enrollment } = c.var.registrar;
      if (!roles.includes(body.role)) throw forbidden("role_not_allowed", roleNotAllowedDetail(roles, body.role));
      // Successful registrations per token and hour: a leaked token cannot mint agents by the thousand.
      const taken = await takeToken(db, bucket, { perMinute: perHour / 60, burst: perHour });
      if (!taken.ok) {
        throw tooManyRequests(
          "registration_rate_limited",
          message("registrationRateLimited", { perHour, seconds: taken.retryAfterSeconds }),
          taken.retryAfterSeconds,
        );
      }
      const registered = enrollment
        ? await registerWithEnrollment(db, enrollment, body, nowIso())
        : await createAgent(db, body);
      return c.json(registered, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/agents",
      tag: "Agents",
      auth: "admin",
      summary: "Admin creates an agent (legacy path)",
      body: AgentBody,
      response: AgentRegisteredSchema,
    }),
    // An admin write: created with its audit row in one batch.
    async (c) => c.json(await createAgentAudited(c, c.req.valid("json")), 200),
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/agents",
      tag: "Agents",
      auth: "agent",
      summary: "List agents (never their keys)",
      query: z.object({ role: z.enum(ROLES).optional(), status: z.enum(AGENT_STATUSES).optional() }),
      response: z.array(AgentPublicSchema),
    }),
    async (c) => {
      const { role, status } = c.req.valid("query");
      const rows = await listAgents(c.var.db, { role, status }, PLAIN_LIST_LIMIT);
      return c.json(rows.map(agentPublic), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "put",
      path: "/api/agents/{agent_id}/status",
      tag: "Agents",
      auth: "admin",
      summary: "Enable or disable an agent (legacy path)",
      params: idParam("agent_id"),
      body: z.object({ status: z.enum(AGENT_STATUSES) }),
      response: AgentPublicSchema,
    }),
    // An admin write: the update and its audit row in one batch.
    async (c) => c.json(await setAgentStatus(c, c.req.valid("param").agent_id, c.req.valid("json").status), 200),
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/agents/me/heartbeat",
      tag: "Agents",
      auth: "agent",
      summary: "Record that the caller is alive (upstream dev branch); shown as online in the admin agent list",
      response: HeartbeatSchema,
    }),
    async (c) => {
      const me = c.var.agent;
      const now = nowIso();
      const ip = clientIp(c.req.raw.headers);
      await recordHeartbeat(c.var.db, me.id, now, ip);
      return c.json(
        {
          agent_id: me.id,
          heartbeat_at: now,
          heartbeat_ip: ip,
          message: render(message("heartbeatRecorded"), c.var.lang),
        },
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/config/notification",
      tag: "Agents",
      auth: "agent",
      summary: "Notification channels and events",
      response: z.object({ enabled: z.boolean(), channels: z.array(z.string()), events: z.array(z.string()) }),
    }),
    async (c) => c.json((await readSettings(c.var.db)).notification, 200),
  );
}
