import { z } from "@hono/zod-openapi";
import { MessageSchema } from "../../contract/api/common";
import { AdminLoginSchema } from "../../contract/api/setup";
import type { App } from "../app";
import { createAdminSession } from "../auth/admin";
import { hashPassword, sha256Hex, verifyPassword } from "../auth/crypto";
import { attemptSucceeded, beginAttempt, throttleKey } from "../auth/throttle";
import { endAdminSession, endAllAdminSessions } from "../db/admin-sessions";
import { auditStatement } from "../db/audit";
import { atomicWrite } from "../db/client";
import { readSettings, settingWrites } from "../db/settings";
import { text as message, render } from "../i18n";
import { conflict, forbidden } from "../lib/errors";
import { nowIso } from "../lib/time";
import { defineRoute } from "./define";

export function registerAdminAuthRoutes(app: App) {
  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/admin/login",
      tag: "Admin auth",
      auth: "public",
      summary: "Log in; returns a session token for X-Admin-Token (5 failures lock the client out for 15 min)",
      body: z.object({ password: z.string().min(1).max(200) }),
      response: AdminLoginSchema,
    }),
    async (c) => {
      const db = c.var.db;
      const now = nowIso();
      const hash = (await readSettings(db))["admin.password_hash"];
      if (hash === null) throw conflict("not_initialized", message("notInitialized"));
      const key = throttleKey("login", c.req.raw);
      await beginAttempt(db, "login", key, now);
      const password = c.req.valid("json").password;
      const check = await verifyPassword(password, hash, c.env);
      if (!check.ok) throw forbidden("wrong_password", message("wrongPassword"));
      await attemptSucceeded(db, key);
      // An old-form hash (legacy, or a pepper no longer current) is upgraded by this login.
      const session = await createAdminSession(
        db,
        hash,
        check.rehash ? await hashPassword(password, c.env) : undefined,
      );
      return c.json(
        { token: session.token, expires_at: session.expiresAt, message: render(message("loginSuccess"), c.var.lang) },
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/admin/logout",
      tag: "Admin auth",
      auth: "admin",
      summary: "End this admin session",
      response: MessageSchema,
    }),
    async (c) => {
      const hash = await sha256Hex(c.req.header("x-admin-token")!);
      await endAdminSession(c.var.db, hash);
      return c.json({ message: render(message("loggedOut"), c.var.lang) }, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "put",
      path: "/api/admin/config/password",
      tag: "Admin auth",
      auth: "admin",
      summary: "Change the admin password; ends every admin session",
      body: z.object({ old_password: z.string().min(1).max(200), new_password: z.string().min(6).max(200) }),
      response: MessageSchema,
    }),
    async (c) => {
      const db = c.var.db;
      const body = c.req.valid("json");
      const hash = (await readSettings(db))["admin.password_hash"];
      const now = nowIso();
      // Guesses of the old password count against the same limit as logins.
      const key = throttleKey("login", c.req.raw);
      await beginAttempt(db, "login", key, now);
      if (hash === null || !(await verifyPassword(body.old_password, hash, c.env)).ok) {
        throw forbidden("wrong_password", message("currentPasswordWrong"));
      }
      await attemptSucceeded(db, key);
      const audit = auditStatement(
        c,
        { action: "admin.password_change", targetType: "admin", targetId: null, detail: {} },
        now,
      );
      await atomicWrite(db, [
        ...settingWrites({ "admin.password_hash": await hashPassword(body.new_password, c.env) }, now),
        endAllAdminSessions(db),
        audit,
      ]);
      return c.json({ message: render(message("passwordChanged"), c.var.lang) }, 200);
    },
  );
}
