// Shapes of the admin API responses the dashboard reads (spec: upstream-server.md §6.14–6.21): the types
// inferred from the Worker's response schemas in contract/api. `export type` only, so no zod reaches the bundle.
import type { WebhookView } from "../../../contract/api/config";

export type { Page } from "../../../contract/api/page";
export type {
  AdminLogin,
  RegistrationToken,
  SetupInitialized,
  SetupStatus,
} from "../../../contract/api/setup";

/** One distribution of the overview: a count per value of a vocabulary. */
export type Counts = Record<string, number>;

export type {
  AdminConfig,
  ChannelTestResult,
  ConfigUpdated,
  PatrolThresholds,
  WebhookType,
} from "../../../contract/api/config";
export type { Highlights, Overview, Trends } from "../../../contract/api/dashboard";
export { NOTIFICATION_EVENTS } from "../../../contract/notification-events";

/** A channel being edited: one added on the page has no id until the server assigns it on save. */
export type Webhook = Omit<WebhookView, "id"> & { id?: string };

/** Enrollment tokens as GET /api/admin/enrollment-tokens lists them, and the answer to an issue. */
export type { EnrollmentToken, IssuedEnrollmentToken } from "../../../contract/api/enrollment";
