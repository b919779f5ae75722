// Response shapes of the setup wizard, the admin's login and the shared registration token.
import { z } from "@hono/zod-openapi";

export const SetupStatusSchema = z.object({ initialized: z.boolean(), has_external_url: z.boolean() });
export type SetupStatus = z.infer<typeof SetupStatusSchema>;

export const SetupInitializedSchema = z.object({ message: z.string(), registration_token: z.string() });
export type SetupInitialized = z.infer<typeof SetupInitializedSchema>;

export const AdminLoginSchema = z.object({ token: z.string(), expires_at: z.string(), message: z.string() });
export type AdminLogin = z.infer<typeof AdminLoginSchema>;

/** The answer to rotating the shared registration token: the new one. */
export const RegistrationTokenSchema = z.object({ registration_token: z.string() });
export type RegistrationToken = z.infer<typeof RegistrationTokenSchema>;
