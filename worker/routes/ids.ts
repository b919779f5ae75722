// GET /api/ids/{prefix}: which records an id prefix names, so agents can give the first 8 characters
// of an id (the CLI resolves them before sending a command).
import { z } from "@hono/zod-openapi";
import type { App } from "../app";
import { findIdsByPrefix } from "../db/ids";
import { ID_KINDS, ID_PREFIX, MAX_ID_MATCHES, MIN_ID_PREFIX } from "../domain/ids";
import { text as message } from "../i18n";
import { badRequest } from "../lib/errors";
import { defineRoute } from "./define";

const IdMatchSchema = z.object({ kind: z.enum(ID_KINDS), id: z.string(), name: z.string() }).openapi("IdMatch");

export function registerIdRoutes(app: App) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/ids/{prefix}",
      tag: "Ids",
      auth: "agent",
      summary: `The records whose id starts with prefix (at least ${MIN_ID_PREFIX} characters), at most ${MAX_ID_MATCHES} per kind`,
      params: z.object({
        prefix: z
          .string()
          .max(64)
          .openapi({ description: `${MIN_ID_PREFIX} to 36 characters of an id (0-9, a-f, -)` }),
      }),
      query: z.object({
        kind: z.enum(ID_KINDS).optional().openapi({ description: "only this kind (default: every kind)" }),
      }),
      response: z.array(IdMatchSchema),
    }),
    async (c) => {
      const prefix = c.req.valid("param").prefix.toLowerCase();
      // The code's default hint says where to copy an id from.
      if (!ID_PREFIX.test(prefix))
        throw badRequest("invalid_id_prefix", message("invalidIdPrefix", { min: MIN_ID_PREFIX }));
      const { kind } = c.req.valid("query");
      return c.json(await findIdsByPrefix(c.var.db, prefix, kind ? [kind] : ID_KINDS), 200);
    },
  );
}
