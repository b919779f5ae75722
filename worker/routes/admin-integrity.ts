// GET /api/admin/integrity: the invariant checker as an admin diagnostic (operators, the soak benchmark).
import { z } from "@hono/zod-openapi";
import type { App } from "../app";
import { checkDatabaseIntegrity } from "../db/integrity";
import { INVARIANTS, MAX_LISTED_VIOLATIONS } from "../domain/integrity";
import { defineRoute } from "./define";

const int = z.number().int();

const IntegritySchema = z
  .object({
    ok: z.boolean().openapi({ description: "true when no invariant is violated" }),
    checked: z
      .object({
        tasks: int,
        modules: int,
        sub_tasks: int,
        events: int,
        dependencies: int,
        agents: int,
        ledger_rows: int,
        review_records: int,
        rules: int,
        patrol_records: int,
        activity_logs: int.openapi({
          description: "activity log entries that name a sub-task (the only ones that can dangle)",
        }),
        notification_outbox: int,
        notification_deliveries: int,
        notification_attempts: int,
      })
      .openapi({ description: "rows read per table" }),
    violations: z
      .array(
        z.object({
          invariant: z.enum(INVARIANTS),
          table: z.string(),
          id: z
            .string()
            .openapi({ description: "the row's id (for sub_task_dependency, <sub_task_id>-><depends_on>)" }),
          detail: z.string(),
        }),
      )
      .openapi({ description: `the first ${MAX_LISTED_VIOLATIONS}` }),
    total_violations: int,
  })
  .openapi("IntegrityReport");

export function registerAdminIntegrityRoutes(app: App) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/integrity",
      tag: "Admin diagnostics",
      auth: "admin",
      summary:
        "Check the database's invariants: every sub-task's event history is a legal path of the state machine ending in its status, " +
        "each agent's total_score equals its ledger, review rounds are 1..n, no row references a missing one. A diagnostic: it reads " +
        `whole tables in one batch, so its cost grows with the database; at most ${MAX_LISTED_VIOLATIONS} violations are listed`,
      response: IntegritySchema,
    }),
    async (c) => c.json(await checkDatabaseIntegrity(c.var.db), 200),
  );
}
