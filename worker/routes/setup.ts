import { z } from "@hono/zod-openapi";
import { SetupInitializedSchema, SetupStatusSchema } from "../../contract/api/setup";
import { DEFAULT_LANGUAGE, LANGUAGES } from "../../contract/languages";
import { ROLES } from "../../contract/vocabulary";
import type { App } from "../app";
import { hashPassword, randomHex, safeEqual } from "../auth/crypto";
import { attemptSucceeded, beginAttempt, throttleKey } from "../auth/throttle";
import { initializeInstallation } from "../db/seed";
import { readSettings } from "../db/settings";
import { text as say } from "../i18n";
import { adoptProjectLanguage } from "../i18n/request-language";
import { ApiError, conflict, forbidden } from "../lib/errors";
import { nowIso } from "../lib/time";
import { PACKAGE_VERSION } from "../lib/version";
import { defineRoute, externalUrl, line, name, text } from "./define";

const InitializeBody = z.object({
  admin_password: z.string().min(6).max(200),
  current_password: text(200).optional().nullable(),
  project_name: name,
  // What the server hands agents and what setup seeds the global rule, templates and examples in.
  language: z.enum(LANGUAGES).default(DEFAULT_LANGUAGE),
  workspace_root: line(1000),
  registration_token: text(200).optional().nullable(),
  allow_registration: z.boolean().default(true),
  // What the global token may register. New installs default to executor only: every other role is
  // enrolled with a single-use token from the admin (docs/security.md).
  registration_roles: z
    .array(z.enum(ROLES))
    .max(ROLES.length)
    .transform((roles) => [...new Set(roles)])
    .default(["executor"]),
  notification: z
    .object({
      enabled: z.boolean().default(false),
      channels: z.array(text(500)).max(50).default([]),
      events: z.array(text(100)).max(50).default([]),
    })
    .optional()
    .nullable(),
  external_url: externalUrl.nullish(),
});

export function registerSetupRoutes(app: App) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/health",
      tag: "System",
      summary: "Liveness",
      auth: "public",
      response: z.object({ status: z.enum(["ok"]), service: z.string(), version: z.string() }),
    }),
    async (c) => {
      const settings = await readSettings(c.var.db);
      return c.json({ status: "ok" as const, service: settings["project.name"], version: PACKAGE_VERSION }, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/setup/status",
      tag: "Setup",
      summary: "Setup wizard state",
      auth: "public",
      response: SetupStatusSchema,
    }),
    async (c) => {
      const settings = await readSettings(c.var.db);
      return c.json(
        { initialized: settings["setup.initialized"], has_external_url: settings["server.external_url"] !== "" },
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/setup/initialize",
      tag: "Setup",
      auth: "public",
      summary: "One-time initialization; needs header X-Setup-Token equal to the SETUP_TOKEN secret",
      body: InitializeBody,
      response: SetupInitializedSchema,
    }),
    async (c) => {
      const db = c.var.db;
      const expected = c.env.SETUP_TOKEN;
      if (!expected) throw new ApiError(503, "setup_token_unset", say("setupTokenUnset"));
      // Initialized is public (GET /api/setup/status), so say it first: a finished setup no longer
      // answers whether a guessed token was right. Guesses are throttled like logins.
      const current = await readSettings(db);
      adoptProjectLanguage(c, current["project.language"]);
      if (current["setup.initialized"]) throw conflict("already_initialized", say("alreadyInitialized"));
      const throttle = throttleKey("setup", c.req.raw);
      await beginAttempt(db, "setup", throttle, nowIso());
      if (!(await safeEqual(c.req.header("x-setup-token") ?? "", expected))) {
        throw forbidden("invalid_setup_token", say("invalidSetupToken"));
      }
      await attemptSucceeded(db, throttle);
      const body = c.req.valid("json");

      const token = body.registration_token?.trim() || randomHex(16);
      const settings = {
        "admin.password_hash": await hashPassword(body.admin_password, c.env),
        "project.name": body.project_name,
        "project.language": body.language,
        "workspace.root": body.workspace_root,
        "agent.registration_token": token,
        "agent.allow_registration": body.allow_registration,
        "agent.registration_roles": body.registration_roles,
        ...(body.notification ? { notification: body.notification } : {}),
        ...(body.external_url ? { "server.external_url": body.external_url.replace(/\/+$/, "") } : {}),
        "setup.initialized": true,
      };
      if (!(await initializeInstallation(db, settings, nowIso())))
        throw conflict("already_initialized", say("alreadyInitialized"));
      return c.json({ message: "initialization complete", registration_token: token }, 200);
    },
  );
}
