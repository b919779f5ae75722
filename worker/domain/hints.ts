// Hints built around what a throw site knows: the id it could not find, the task to reopen, the field
// to fix and the command that sent it. Default hints by code are in the catalogues (i18n/*/hints.ts).
import { type Text, text } from "../i18n";
import type { RecordKind } from "../i18n/en/messages/core";
import { FULL_UUID } from "./ids";

/**
 * The hint of a 404 for an id: a short id is most likely a copied prefix (ids are full UUIDs; the
 * CLI resolves a unique prefix of 8+ characters), a full one is simply gone or mistyped.
 */
export const idHint = (kind: RecordKind, id: string): Text =>
  text(FULL_UUID.test(id) ? "idHintFull" : "idHintPrefix", { kind });

/** How a closed task (completed, archived, cancelled) opens again: any of them may go back to active. */
export const reopenTaskHint = (taskId: string): Text => text("reopenTaskHint", { taskId });

/** The CLI command behind each agent route (method and Hono route path), for "see its help". */
const COMMANDS: [method: string, path: RegExp, command: string][] = [
  ["POST", /^\/api\/sub-tasks$/, "st create"],
  ["PUT", /^\/api\/sub-tasks\/:id$/, "st edit"],
  ["PUT", /^\/api\/sub-tasks\/:id\/dependencies$/, "st deps"],
  ["POST", /^\/api\/sub-tasks\/:id\/(\w+)$/, "st $1"],
  ["GET", /^\/api\/sub-tasks(?:\/(mine|available|latest))?$/, "st"],
  ["POST", /^\/api\/tasks$/, "task create"],
  ["PUT", /^\/api\/tasks\/:task_id$/, "task edit"],
  ["PUT", /^\/api\/tasks\/:task_id\/status$/, "task status"],
  ["GET", /^\/api\/tasks$/, "task list"],
  ["POST", /^\/api\/tasks\/:task_id\/modules$/, "module create"],
  ["POST", /^\/api\/review-records$/, "review create"],
  ["GET", /^\/api\/review-records$/, "review list"],
  ["POST", /^\/api\/logs$/, "log create"],
  ["GET", /^\/api\/logs(?:\/mine)?$/, "log"],
  ["POST", /^\/api\/patrol\/records$/, "patrol report"],
  ["GET", /^\/api\/patrol\/records$/, "patrol records"],
  ["POST", /^\/api\/rules$/, "rule create"],
  ["GET", /^\/api\/rules$/, "rules"],
  ["POST", /^\/api\/scores\/adjust$/, "score adjust"],
  ["POST", /^\/api\/agents\/register$/, "register"],
];

/** The hint of a 400 invalid_input: the field to fix and the help of the command that sent it. */
export function invalidInputHint(field: string, method: string, routePath: string): Text {
  if (routePath.startsWith("/api/admin/")) return text("invalidInputAdminHint", { field });
  const match = COMMANDS.find(([m, path]) => m === method && path.test(routePath));
  const command = match ? routePath.replace(match[1], match[2]) : "<command>";
  return text("invalidInputHint", { field: field ? `\`${field}\`` : "", command });
}
