// GET/POST /api/admin/shipped-texts: switch an existing install's shipped texts (the global rule, the
// role templates, the example prompts) to another language. Changing project.language never does
// this by itself: stored texts are the admin's, so only this explicit request rewrites them.
import {
  type ShippedTextsPlan,
  ShippedTextsPlanSchema,
  ShippedTextsRequestSchema,
} from "../../contract/api/shipped-texts";
import type { App } from "../app";
import { auditAlongside } from "../db/audit";
import { applySwitch, readShippedRows } from "../db/shipped-texts";
import { type PlannedText, planSwitch } from "../domain/shipped-texts";
import { text } from "../i18n";
import { conflict } from "../lib/errors";
import { nowIso } from "../lib/time";
import { defineRoute } from "./define";

const tag = "Admin prompts";

const answer = (plan: Pick<ShippedTextsPlan, "language" | "mode" | "applied">, items: PlannedText[]) => ({
  ...plan,
  items: items.map(({ kind, key, name, outcome }) => ({ kind, key, name, outcome })),
});

export function registerAdminShippedTextRoutes(app: App) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/shipped-texts",
      tag,
      auth: "admin",
      summary: "Dry run of switching the shipped texts to a language: what each row would get",
      query: ShippedTextsRequestSchema,
      response: ShippedTextsPlanSchema,
    }),
    async (c) => {
      const { language, mode } = c.req.valid("query");
      const items = planSwitch(language, mode, await readShippedRows(c.var.db));
      return c.json(answer({ language, mode, applied: false }, items), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/admin/shipped-texts",
      tag,
      auth: "admin",
      summary:
        "Switch the shipped global rule, role templates and example prompts to a language (unedited: only rows nobody edited)",
      body: ShippedTextsRequestSchema,
      response: ShippedTextsPlanSchema,
    }),
    async (c) => {
      const db = c.var.db;
      const { language, mode } = c.req.valid("json");
      const items = planSwitch(language, mode, await readShippedRows(db));
      const now = nowIso();
      const replaced = items.filter((i) => i.outcome === "replace").map((i) => `${i.kind}:${i.key}`);
      const audit = auditAlongside(
        c,
        {
          action: "shipped_texts.switch",
          targetType: "settings",
          targetId: null,
          detail: { language, mode, replaced },
        },
        now,
      );
      if (!(await applySwitch(db, items, now, audit)))
        throw conflict("concurrent_update", text("shippedTextsChanged"), text("shippedTextsChangedHint"));
      return c.json(answer({ language, mode, applied: true }, items), 200);
    },
  );
}
