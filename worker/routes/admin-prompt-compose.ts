// Admin: the two texts a new agent gets. The standing prompt (role template + specialisation +
// platform section) is its permanent instructions and holds no secret. The enrollment prompt is
// pasted once into its first run: GET shows it with a placeholder (side-effect free, as upstream's
// compose was); POST issues a fresh single-use enrollment token for the role and fills it in.
import type { Context } from "hono";
import {
  ComposedPromptSchema,
  ComposedWithTokenSchema,
  OnboardingSchema,
  OnboardingWithTokenSchema,
} from "../../contract/api/prompts";
import type { Role } from "../../contract/vocabulary";
import type { App } from "../app";
import type { AppEnv } from "../app-types";
import { type AgentPromptRow, agentPromptBySlug } from "../db/agent-prompts";
import type { Db } from "../db/client";
import { enrollmentView, issueEnrollmentToken } from "../db/enrollment";
import { promptTemplateText } from "../db/prompt-templates";
import { publicBaseUrl, readSettings, type Settings } from "../db/settings";
import { composeStandingPrompt, enrollmentPrompt, isRole, standingSection, withoutSecret } from "../domain/prompts";
import { catalogue } from "../i18n";
import { nowIso } from "../lib/time";
import { getPrompt, RoleParam, requireRole, SlugParam } from "./admin-prompts";
import { defineRoute } from "./define";

const TAG = "Admin prompts";

interface Texts {
  standing: { prompt: string; variables: { name: string; value: string | null }[] };
  enrollment: (token: { value: string; expiresAt: string } | null) => string;
}

/** The prompts speak the project's language: they are the agent's, not the reading admin's. */
const projectTexts = (settings: Settings) => catalogue(settings["project.language"]).prompts;

/**
 * The standing prompt for a role (and an agent prompt's body), the global registration token scrubbed.
 * Agents read their own through GET /api/agents/me/standing-prompt (and MCP's standing_prompt).
 */
export async function standingPromptFor(
  c: Context<AppEnv>,
  settings: Settings,
  role: Role,
  body: string,
): Promise<Texts["standing"]> {
  const template = await promptTemplateText(c.var.db, role);
  const projectName = settings["project.name"];
  const standing = composeStandingPrompt({
    template,
    body,
    standing: standingSection(
      { role, baseUrl: publicBaseUrl(settings, c.req.url), projectName },
      projectTexts(settings),
    ),
    values: { workspace_root: settings["workspace.root"], project_name: projectName },
  });
  return {
    prompt: withoutSecret(standing.prompt, settings["agent.registration_token"]),
    variables: standing.variables,
  };
}

/** Both texts for a role (and an agent prompt's body); the global registration token is scrubbed from both. */
async function texts(c: Context<AppEnv>, settings: Settings, role: Role, body: string): Promise<Texts> {
  const baseUrl = publicBaseUrl(settings, c.req.url);
  const secret = settings["agent.registration_token"];
  return {
    standing: await standingPromptFor(c, settings, role, body),
    enrollment: (token) =>
      withoutSecret(
        enrollmentPrompt({ role, baseUrl, projectName: settings["project.name"], token }, projectTexts(settings)),
        secret,
      ),
  };
}

interface ComposeSource {
  slug: string;
  role: Role;
  body: string;
}

const fromRow = (row: AgentPromptRow): ComposeSource => ({
  slug: row.slug,
  role: row.role,
  body: row.content,
});

/** What compose works from: an agent prompt, or for a bare role name (`planner`) the role template alone. */
async function promptOrRole(db: Db, slug: string): Promise<ComposeSource> {
  if (!isRole(slug)) return fromRow(await getPrompt(db, slug));
  // Prompts carry a `<role>-` prefix, but an older one may be named like its role: it wins.
  const row = await agentPromptBySlug(db, slug);
  return row ? fromRow(row) : { slug, role: slug, body: "" };
}

/** A fresh single-use token for the role, lifetime from the settings, labelled with where it went. */
async function freshToken(c: Context<AppEnv>, settings: Settings, role: Role, label: string) {
  const now = nowIso();
  const { token, row } = await issueEnrollmentToken(
    c,
    { role, maxUses: 1, ttlDays: settings["agent.enrollment_ttl_days"], label },
    now,
  );
  return { value: token, expiresAt: row.expiresAt, view: enrollmentView(row, now) };
}

export function registerAdminPromptComposeRoutes(app: App) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/prompts/compose/{slug}",
      tag: TAG,
      auth: "admin",
      summary:
        "The standing prompt and a preview of the enrollment prompt (token placeholder); changes nothing. slug: an agent prompt, or a role name for its template alone",
      params: SlugParam,
      response: ComposedPromptSchema,
    }),
    async (c) => {
      const { slug, role, body } = await promptOrRole(c.var.db, c.req.valid("param").slug);
      const t = await texts(c, await readSettings(c.var.db), role, body);
      return c.json(
        {
          slug,
          role,
          prompt: t.standing.prompt,
          standing_prompt: t.standing.prompt,
          enrollment_prompt: t.enrollment(null),
          variables: t.standing.variables,
        },
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/admin/prompts/compose/{slug}",
      tag: TAG,
      auth: "admin",
      status: 201,
      summary:
        "Both prompts, with a fresh single-use enrollment token for the prompt's role in the enrollment prompt. slug: an agent prompt, or a role name",
      params: SlugParam,
      response: ComposedWithTokenSchema,
    }),
    async (c) => {
      const { slug, role, body } = await promptOrRole(c.var.db, c.req.valid("param").slug);
      const settings = await readSettings(c.var.db);
      const t = await texts(c, settings, role, body);
      const token = await freshToken(c, settings, role, `prompt ${slug}`);
      return c.json(
        {
          slug,
          role,
          prompt: t.standing.prompt,
          standing_prompt: t.standing.prompt,
          enrollment_prompt: t.enrollment(token),
          variables: t.standing.variables,
          enrollment_token: token.view,
        },
        201,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/prompts/onboarding/{role}",
      tag: TAG,
      auth: "admin",
      summary: "A role's enrollment prompt (token placeholder) and standing prompt; changes nothing",
      params: RoleParam,
      response: OnboardingSchema,
    }),
    async (c) => {
      const role = requireRole(c.req.valid("param").role);
      const t = await texts(c, await readSettings(c.var.db), role, "");
      return c.json({ role, content: t.enrollment(null), standing_prompt: t.standing.prompt }, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/admin/prompts/onboarding/{role}",
      tag: TAG,
      auth: "admin",
      status: 201,
      summary: "A role's enrollment prompt with a fresh single-use enrollment token, and its standing prompt",
      params: RoleParam,
      response: OnboardingWithTokenSchema,
    }),
    async (c) => {
      const role = requireRole(c.req.valid("param").role);
      const settings = await readSettings(c.var.db);
      const t = await texts(c, settings, role, "");
      const token = await freshToken(c, settings, role, `onboarding ${role}`);
      return c.json(
        { role, content: t.enrollment(token), standing_prompt: t.standing.prompt, enrollment_token: token.view },
        201,
      );
    },
  );
}
