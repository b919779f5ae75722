// Admin dashboard (spec §6.19): cards and distributions, attention lists, daily trends. Read-only.
import { z } from "@hono/zod-openapi";
import { HighlightsSchema, OverviewSchema, TrendsSchema } from "../../contract/api/dashboard";
import type { App } from "../app";
import { highlights, overview, trends } from "../db/dashboard-queries";
import { nowIso } from "../lib/time";
import { defineRoute } from "./define";

export function registerAdminDashboardRoutes(app: App) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/dashboard/overview",
      tag: "Admin dashboard",
      auth: "admin",
      summary: "Cards and distributions (today = since 00:00 UTC)",
      response: OverviewSchema,
    }),
    async (c) => c.json(await overview(c.var.db, nowIso()), 200),
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/dashboard/highlights",
      tag: "Admin dashboard",
      auth: "admin",
      summary: "What needs attention: blocked and waiting sub-tasks, busy and silent agents, latest reviews",
      query: z.object({
        limit: z.coerce.number().int().min(1).max(50).default(5),
        inactive_hours: z.coerce.number().int().min(1).max(720).default(24),
      }),
      response: HighlightsSchema,
    }),
    async (c) => {
      const { limit, inactive_hours } = c.req.valid("query");
      return c.json(await highlights(c.var.db, nowIso(), limit, inactive_hours), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/dashboard/trends",
      tag: "Admin dashboard",
      auth: "admin",
      summary: "Daily series over the last `days` UTC days including today, zero-filled, keyed YYYY-MM-DD",
      query: z.object({ days: z.coerce.number().int().min(1).max(30).default(7) }),
      response: TrendsSchema,
    }),
    async (c) => c.json(await trends(c.var.db, nowIso(), c.req.valid("query").days), 200),
  );
}
