// GET /api/agents/me/standing-prompt: the caller's standing prompt, the same text the admin's compose
// gives for its role (the install's role template, then the platform section). It holds no secret
// (no key, no registration or enrollment token), so an agent may read it at every wake-up; MCP
// serves it as the `standing_prompt` prompt.
import { z } from "@hono/zod-openapi";
import { RoleEnum } from "../../contract/api/enums";
import type { App } from "../app";
import { readSettings } from "../db/settings";
import { standingPromptFor } from "./admin-prompt-compose";
import { defineRoute } from "./define";

const StandingPromptSchema = z
  .object({
    role: RoleEnum,
    prompt: z.string().openapi({ description: "Role template + platform section, placeholders filled in; no secret" }),
  })
  .openapi("StandingPrompt");

export function registerAgentPromptRoutes(app: App) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/agents/me/standing-prompt",
      tag: "Agents",
      auth: "agent",
      summary: "Your standing prompt: your role's template and what every run does (no secret)",
      response: StandingPromptSchema,
    }),
    async (c) => {
      const role = c.var.agent.role;
      const { prompt } = await standingPromptFor(c, await readSettings(c.var.db), role, "");
      return c.json({ role, prompt }, 200);
    },
  );
}
