// Admin prompts (spec §6.21), stored in D1 instead of files so edits survive deploys: role templates,
// agent prompts (specialisations). The composed prompts are in admin-prompt-compose.ts.
// Every write carries its audit row in the same batch, under the same guard.
import { z } from "@hono/zod-openapi";
import { RoleEnum } from "../../contract/api/enums";
import {
  AgentPromptMetaSchema,
  AgentPromptRefSchema,
  AgentPromptSchema,
  PromptTemplateSchema,
} from "../../contract/api/prompts";
import { ROLES, type Role } from "../../contract/vocabulary";
import type { App } from "../app";
import {
  type AgentPromptMeta,
  type AgentPromptRow,
  agentPromptBySlug,
  agentPromptSlugsPresent,
  createAgentPrompt,
  deleteAgentPrompt,
  listAgentPromptMetas,
  updateAgentPrompt,
} from "../db/agent-prompts";
import { auditAlongside } from "../db/audit";
import type { Db } from "../db/client";
import { listPromptTemplates, promptTemplateFor, savePromptTemplate } from "../db/prompt-templates";
import { fullSlug, isRole, promptStatus, slugForRole, slugProblem, templateRole } from "../domain/prompts";
import { text as say } from "../i18n";
import { badRequest, conflict, notFound } from "../lib/errors";
import { nowIso } from "../lib/time";
import { defineRoute, line, name, text } from "./define";

const MAX_PROMPT_CHARS = 100_000;
const promptText = text(MAX_PROMPT_CHARS);
export const SlugParam = z.object({ slug: z.string().min(1).max(200) });
export const RoleParam = z.object({ role: z.string().min(1).max(50) });

const CreateBody = z.object({
  slug: line(80).openapi({ description: "gets the `<role>-` prefix unless it has it" }),
  name,
  role: z.enum(ROLES),
  description: text(2000).default(""),
  content: promptText,
  example: z.boolean().default(false),
});
const UpdateBody = z.object({
  name: name.optional(),
  role: z.enum(ROLES).optional(),
  description: text(2000).optional(),
  content: promptText.optional(),
  example: z.boolean().optional(),
});

const metaJson = (r: AgentPromptMeta) => ({
  slug: r.slug,
  filename: `${r.slug}.md`,
  name: r.name,
  role: r.role,
  description: r.description,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
  example: r.example,
  has_frontmatter: true,
  status: promptStatus(r.slug, r.role),
});
const ref = (slug: string) => ({ slug, filename: `${slug}.md` });

export async function getPrompt(db: Db, slug: string): Promise<AgentPromptRow> {
  const row = await agentPromptBySlug(db, slug);
  if (!row) throw notFound("prompt_not_found", say("promptNotFound", { slug }));
  return row;
}

export function requireRole(role: string): Role {
  if (!isRole(role)) throw badRequest("invalid_role", say("invalidRole", { roles: ROLES.join(", ") }));
  return role;
}

/** What a template 404 suggests: the names that exist, upstream's file names included. */
const templateNames = () => say("templateNames", { roles: ROLES.join(", ") });

export function registerAdminPromptRoutes(app: App) {
  const tag = "Admin prompts";

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/prompts/templates",
      tag,
      auth: "admin",
      summary: "Role templates, by role",
      response: z.array(PromptTemplateSchema),
    }),
    async (c) => {
      const rows = await listPromptTemplates(c.var.db);
      return c.json(
        rows.map((r) => ({ role: r.role, filename: `${r.role}.md`, content: r.content, updated_at: r.updatedAt })),
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/prompts/templates/{role}",
      tag,
      auth: "admin",
      summary: "One role template by role or by upstream's file name (`task-planner`); 404 if none stored",
      params: RoleParam,
      response: PromptTemplateSchema,
    }),
    async (c) => {
      const name = c.req.valid("param").role;
      const role = templateRole(name);
      // A word that is not a role has no template: 404 like a role without one.
      const row = role ? await promptTemplateFor(c.var.db, role) : undefined;
      if (!row) throw notFound("template_not_found", say("templateNotFound", { name }), templateNames());
      return c.json(
        { role: row.role, filename: `${row.role}.md`, content: row.content, updated_at: row.updatedAt },
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "put",
      path: "/api/admin/prompts/templates/{role}",
      tag,
      auth: "admin",
      summary: "Create or replace a role template",
      params: RoleParam,
      body: z.object({ content: promptText.refine((s) => s.trim() !== "", "content must not be blank") }),
      response: z.object({ role: RoleEnum, filename: z.string() }),
    }),
    async (c) => {
      const role = requireRole(c.req.valid("param").role);
      const { content } = c.req.valid("json");
      const now = nowIso();
      const audit = auditAlongside(
        c,
        {
          action: "prompt_template.update",
          targetType: "prompt_template",
          targetId: role,
          detail: { chars: content.length },
        },
        now,
      );
      await savePromptTemplate(c.var.db, { role, content, updatedAt: now }, audit);
      return c.json({ role, filename: `${role}.md` }, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/prompts/agents",
      tag,
      auth: "admin",
      summary: "Agent prompts by slug (metadata, no content)",
      response: z.array(AgentPromptMetaSchema),
    }),
    async (c) => {
      return c.json((await listAgentPromptMetas(c.var.db)).map(metaJson), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/api/admin/prompts/agents/{slug}",
      tag,
      auth: "admin",
      summary: "One agent prompt with its content",
      params: SlugParam,
      response: AgentPromptSchema,
    }),
    async (c) => {
      const row = await getPrompt(c.var.db, c.req.valid("param").slug);
      return c.json({ ...metaJson(row), content: row.content }, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api/admin/prompts/agents",
      tag,
      auth: "admin",
      status: 201,
      summary: "Create an agent prompt; the slug becomes <role>-<slug> (409 if taken)",
      body: CreateBody,
      response: AgentPromptRefSchema,
    }),
    async (c) => {
      const body = c.req.valid("json");
      const slug = fullSlug(body.role, body.slug);
      // The part given must itself be a slug ("-x" would make "executor--x").
      const problem = slugProblem(body.slug) ?? slugProblem(slug);
      if (problem) throw badRequest("invalid_slug", problem);
      const now = nowIso();
      const row: AgentPromptRow = {
        slug,
        name: body.name,
        role: body.role,
        description: body.description,
        content: body.content,
        example: body.example,
        createdAt: now,
        updatedAt: now,
      };
      const audit = auditAlongside(
        c,
        {
          action: "agent_prompt.create",
          targetType: "agent_prompt",
          targetId: slug,
          detail: { name: body.name, role: body.role },
        },
        now,
      );
      if (!(await createAgentPrompt(c.var.db, row, audit)))
        throw conflict("prompt_exists", say("promptExists", { slug }));
      return c.json(ref(slug), 201);
    },
  );

  app.openapi(
    defineRoute({
      method: "put",
      path: "/api/admin/prompts/agents/{slug}",
      tag,
      auth: "admin",
      summary: "Edit an agent prompt; a new role renames it to <role>-<base> (409 if that slug is taken)",
      params: SlugParam,
      body: UpdateBody,
      response: AgentPromptRefSchema,
    }),
    async (c) => {
      const db = c.var.db;
      const body = c.req.valid("json");
      const fields = Object.keys(body).filter((k) => body[k as keyof typeof body] !== undefined);
      if (fields.length === 0) throw badRequest("nothing_to_update", say("promptNothingToUpdate"));
      const current = await getPrompt(db, c.req.valid("param").slug);
      const slug = body.role ? slugForRole(current.slug, body.role) : current.slug;
      const renamed = slug !== current.slug;
      if (renamed) {
        const problem = slugProblem(slug);
        if (problem) throw badRequest("invalid_slug", problem);
      }
      const now = nowIso();
      const audit = auditAlongside(
        c,
        {
          action: "agent_prompt.update",
          targetType: "agent_prompt",
          targetId: current.slug,
          detail: { fields, ...(renamed ? { renamed_to: slug } : {}) },
        },
        now,
      );
      if (!(await updateAgentPrompt(db, current, { slug, changes: body, now }, audit))) {
        const present = await agentPromptSlugsPresent(db, current.slug, slug);
        if (!present.old) throw notFound("prompt_not_found", say("promptNotFound", { slug: current.slug }));
        if (renamed && present.new) throw conflict("prompt_exists", say("promptExists", { slug }));
        throw conflict("concurrent_update", say("promptChanged"));
      }
      return c.json(ref(slug), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "delete",
      path: "/api/admin/prompts/agents/{slug}",
      tag,
      auth: "admin",
      summary: "Delete an agent prompt",
      params: SlugParam,
      response: z.object({ message: z.string() }),
    }),
    async (c) => {
      const current = await getPrompt(c.var.db, c.req.valid("param").slug);
      const now = nowIso();
      const audit = auditAlongside(
        c,
        {
          action: "agent_prompt.delete",
          targetType: "agent_prompt",
          targetId: current.slug,
          detail: { name: current.name, role: current.role },
        },
        now,
      );
      if (!(await deleteAgentPrompt(c.var.db, current.slug, audit)))
        throw notFound("prompt_not_found", say("promptNotFound", { slug: current.slug }));
      return c.json({ message: `agent prompt ${current.slug} deleted` }, 200);
    },
  );
}
