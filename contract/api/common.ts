// The answers every part of the API shares: an error (what went wrong, its code, what to do next) and
// a plain confirmation.
import { z } from "@hono/zod-openapi";

export const ErrorSchema = z
  .object({
    detail: z.string(),
    code: z.string().openapi({ example: "illegal_transition" }),
    hint: z.string().optional().openapi({ description: "What to do next, usually a CLI command" }),
  })
  .openapi("Error");
export type ApiErrorBody = z.infer<typeof ErrorSchema>;

export const MessageSchema = z.object({ message: z.string() }).openapi("Message");
export type Message = z.infer<typeof MessageSchema>;
