// Switching an existing install's shipped texts (the global rule, the role templates, the example agent
// prompts) to another language: GET /api/admin/shipped-texts is the dry run, POST applies it. Both
// answer the same shape, so the dashboard shows the plan and then what happened with one view.
import { z } from "@hono/zod-openapi";
import { LANGUAGES } from "../languages.js";

/**
 * unedited: replace a row only while it still holds the shipped text of some language (an admin's
 * edit is kept); all: replace every shipped row that still exists, edits included.
 */
export const SHIPPED_TEXT_MODES = ["unedited", "all"] as const;
export type ShippedTextMode = (typeof SHIPPED_TEXT_MODES)[number];

export const SHIPPED_TEXT_KINDS = ["global_rule", "template", "example_prompt"] as const;
export type ShippedTextKind = (typeof SHIPPED_TEXT_KINDS)[number];

/**
 * replace: gets (or got) the language's text; keep_edited: an admin changed it, left alone (mode
 * unedited); same: already the language's text; missing: the admin deleted it, never recreated.
 */
export const SHIPPED_TEXT_OUTCOMES = ["replace", "keep_edited", "same", "missing"] as const;
export type ShippedTextOutcome = (typeof SHIPPED_TEXT_OUTCOMES)[number];

export const LanguageEnum = z.enum(LANGUAGES);
export const ShippedTextModeEnum = z.enum(SHIPPED_TEXT_MODES);

/** The query of the dry run and the body of the switch. */
export const ShippedTextsRequestSchema = z
  .object({
    language: LanguageEnum,
    mode: ShippedTextModeEnum.default("unedited"),
  })
  .openapi("ShippedTextsRequest");
export type ShippedTextsRequest = z.infer<typeof ShippedTextsRequestSchema>;

export const ShippedTextItemSchema = z.object({
  kind: z.enum(SHIPPED_TEXT_KINDS),
  key: z.string().openapi({ description: 'the role (template), the slug (example prompt) or "global" (global rule)' }),
  name: z.string().openapi({
    description: "an example prompt's name in the target language; the key for a template or the global rule",
  }),
  outcome: z.enum(SHIPPED_TEXT_OUTCOMES),
});
export type ShippedTextItem = z.infer<typeof ShippedTextItemSchema>;

export const ShippedTextsPlanSchema = z
  .object({
    language: LanguageEnum,
    mode: ShippedTextModeEnum,
    applied: z.boolean().openapi({ description: "false for the dry run (GET), true once POST wrote the rows" }),
    items: z.array(ShippedTextItemSchema),
  })
  .openapi("ShippedTextsPlan");
export type ShippedTextsPlan = z.infer<typeof ShippedTextsPlanSchema>;
