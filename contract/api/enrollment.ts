// Response shapes of enrollment tokens: as lists show them (never the token), and the answer to an issue.
import { z } from "@hono/zod-openapi";
import { RoleEnum } from "./enums.js";

export const EnrollmentTokenSchema = z
  .object({
    id: z.string(),
    prefix: z.string().openapi({ description: "The token's first characters, to tell tokens apart" }),
    role: RoleEnum,
    label: z.string(),
    uses: z.number().int(),
    max_uses: z.number().int(),
    expires_at: z.string(),
    revoked_at: z.string().nullable(),
    created_at: z.string(),
    last_used_at: z.string().nullable(),
    state: z.enum(["active", "revoked", "used_up", "expired"]),
  })
  .openapi("EnrollmentToken");
export type EnrollmentToken = z.infer<typeof EnrollmentTokenSchema>;

/** The answer to issuing one: the token, shown this once. */
export const IssuedEnrollmentTokenSchema = EnrollmentTokenSchema.extend({
  token: z.string().openapi({ description: "The token itself: shown this once, only its hash is stored" }),
}).openapi("EnrollmentTokenIssued");
export type IssuedEnrollmentToken = z.infer<typeof IssuedEnrollmentTokenSchema>;
