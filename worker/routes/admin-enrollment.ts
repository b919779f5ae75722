// Admin: enrollment tokens (issue, list, revoke). A token registers agents of one role, a limited
// number of times, until it expires or is revoked; it is shown once, in the answer to its issue.
import { z } from "@hono/zod-openapi";
import { EnrollmentTokenSchema, IssuedEnrollmentTokenSchema } from "../../contract/api/enrollment";
import { ROLES } from "../../contract/vocabulary";
import type { App } from "../app";
import { enrollmentView, issueEnrollmentToken, listEnrollmentTokens, revokeEnrollmentToken } from "../db/enrollment";
import { readSettings } from "../db/settings";
import { MAX_ENROLLMENT_LABEL, MAX_ENROLLMENT_TTL_DAYS, MAX_ENROLLMENT_USES } from "../domain/enrollment";
import { nowIso } from "../lib/time";
import { defineRoute, idParam, text } from "./define";

const TAG = "Admin enrollment";

const IssueBody = z.object({
  role: z.enum(ROLES),
  max_uses: z.number().int().min(1).max(MAX_ENROLLMENT_USES).default(1),
  expires_in_days: z
    .number()
    .int()
    .min(1)
    .max(MAX_ENROLLMENT_TTL_DAYS)
    .optional()
    .openapi({ description: "Default: the setting agent.enrollment_ttl_days" }),
  label: text(MAX_ENROLLMENT_LABEL).default(""),
});

export function registerAdminEnrollmentRoutes(app: App) {
  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/admin/enrollment-tokens",
      tag: TAG,
      auth: "admin",
      status: 201,
      summary:
        "Issue an enrollment token for one role (default: one use, agent.enrollment_ttl_days); the token is shown once",
      body: IssueBody,
      response: IssuedEnrollmentTokenSchema,
    }),
    async (c) => {
      const body = c.req.valid("json");
      const ttlDays = body.expires_in_days ?? (await readSettings(c.var.db))["agent.enrollment_ttl_days"];
      const now = nowIso();
      const { token, row } = await issueEnrollmentToken(
        c,
        { role: body.role, maxUses: body.max_uses, ttlDays, label: body.label },
        now,
      );
      return c.json({ ...enrollmentView(row, now), token }, 201);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/enrollment-tokens",
      tag: TAG,
      auth: "admin",
      summary: "Enrollment tokens, newest first, with their state (never the tokens themselves)",
      response: z.array(EnrollmentTokenSchema),
    }),
    async (c) => {
      const now = nowIso();
      return c.json(
        (await listEnrollmentTokens(c.var.db)).map((r) => enrollmentView(r, now)),
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "delete",
      path: "/api/admin/enrollment-tokens/{id}",
      tag: TAG,
      auth: "admin",
      summary: "Revoke an enrollment token at once (revoking it again changes nothing)",
      params: idParam("id"),
      response: EnrollmentTokenSchema,
    }),
    async (c) => {
      const now = nowIso();
      return c.json(enrollmentView(await revokeEnrollmentToken(c, c.req.valid("param").id, now), now), 200);
    },
  );
}
