// Response shapes of the admin's prompts: role templates, agent prompts and the composed texts.
import { z } from "@hono/zod-openapi";
import { EnrollmentTokenSchema } from "./enrollment.js";
import { RoleEnum } from "./enums.js";

export const PromptTemplateSchema = z
  .object({ role: RoleEnum, filename: z.string(), content: z.string(), updated_at: z.string() })
  .openapi("PromptTemplate");
export type PromptTemplate = z.infer<typeof PromptTemplateSchema>;

export const AgentPromptMetaSchema = z
  .object({
    slug: z.string(),
    filename: z.string(),
    name: z.string(),
    role: RoleEnum,
    description: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
    example: z.boolean(),
    has_frontmatter: z.boolean().openapi({ description: "always true: metadata is stored with the prompt" }),
    status: z
      .enum(["ok", "rename_suggested"])
      .openapi({ description: "rename_suggested: the slug lacks its role prefix" }),
  })
  .openapi("AgentPromptMeta");
export type AgentPromptMeta = z.infer<typeof AgentPromptMetaSchema>;
export const AgentPromptSchema = AgentPromptMetaSchema.extend({ content: z.string() }).openapi("AgentPrompt");
export type AgentPrompt = z.infer<typeof AgentPromptSchema>;

export const ComposedPromptSchema = z
  .object({
    slug: z.string(),
    role: RoleEnum,
    prompt: z.string().openapi({ description: "The standing prompt (same as standing_prompt; upstream's field)" }),
    standing_prompt: z
      .string()
      .openapi({ description: "Permanent instructions: role template + agent prompt + platform section; no secret" }),
    enrollment_prompt: z.string().openapi({
      description: "Paste once into the new agent's first run: register, download the skill bundle, first briefing",
    }),
    variables: z.array(z.object({ name: z.string(), value: z.string().nullable() })).openapi({
      description: "{{name}} placeholders found in the template and prompt; value null = left as written",
    }),
  })
  .openapi("ComposedPrompt");
export type ComposedPrompt = z.infer<typeof ComposedPromptSchema>;

/** The answer to issuing an enrollment prompt: the composed texts and the token filled in. */
export const ComposedWithTokenSchema = ComposedPromptSchema.extend({
  enrollment_token: EnrollmentTokenSchema.openapi({
    description: "The single-use token in enrollment_prompt (the token itself is only in the prompt)",
  }),
}).openapi("ComposedPromptWithToken");
export type ComposedWithToken = z.infer<typeof ComposedWithTokenSchema>;

/** A role's onboarding texts, without an agent prompt of its own. */
export const OnboardingSchema = z
  .object({
    role: RoleEnum,
    content: z.string().openapi({ description: "The enrollment prompt for the role" }),
    standing_prompt: z.string().openapi({ description: "The role template + platform section; no secret" }),
  })
  .openapi("OnboardingGuide");
export type Onboarding = z.infer<typeof OnboardingSchema>;
export const OnboardingWithTokenSchema = OnboardingSchema.extend({ enrollment_token: EnrollmentTokenSchema }).openapi(
  "OnboardingGuideWithToken",
);
export type OnboardingWithToken = z.infer<typeof OnboardingWithTokenSchema>;

/** Which agent prompt a create or an update wrote. */
export const AgentPromptRefSchema = z.object({ slug: z.string(), filename: z.string() }).openapi("AgentPromptRef");
export type AgentPromptRef = z.infer<typeof AgentPromptRefSchema>;
