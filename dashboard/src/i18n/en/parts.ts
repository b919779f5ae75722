// Texts of the building blocks shared by the pages (pages/parts/ui.tsx, the MCP snippet panel, the
// enrollment tokens table, the role checkboxes). A page passes its own nouns in; these are the frame.
import { count, params } from "@nanostores/i18n";
import type { EnrollmentToken } from "../../lib/types";
import { i18n } from "../index";

export const uiText = i18n("parts/ui", {
  online: "Online (seen in the last 10 minutes)",
  offline: "Offline",
  onlineShort: "online",
  offlineShort: "offline",
  /** `{label}` is the page's noun phrase, e.g. "the prompt" / "提示词". */
  loadingLabel: params("Loading {label}…"),
  noneYet: params("No {label} yet."),
  all: "All",
  clearFilters: "Clear filters",
  /** The pager's count when the page gives no count message of its own. */
  items: count({ one: "{count} item", other: "{count} items" }),
  pages: "Pages",
  nothingYet: "Nothing here yet.",
  pagesOf: params("Pages of {noun}"),
  previous: "Previous",
  next: "Next",
  pageOf: params("Page {page} of {pages}"),
  close: "Close",
  agentHasOpenWork: params(
    "This agent still holds open sub-tasks, so it cannot be deleted. Reassign or cancel them first ({detail}).",
  ),
  illegalTransition: params("Not possible in the current state: {detail}."),
  cancel: "Cancel",
  saving: "Saving…",
  working: "Working…",
  back: "Back",
  typeToConfirm: params("Type {name} to confirm"),
  secretOnce: "Shown only this once: store it now. It cannot be displayed again, only replaced.",
  noScore: "no score",
  scoreOf: params("{score} of 5"),
  subTasksDone: params("{done} of {total} sub-tasks done"),
  subTaskRef: params("sub-task {id}"),
});

export const roleChecksText = i18n("parts/roleChecks", {
  legend: "Roles the shared registration token may register",
  hint: "Any agent that sees this token can register these roles. Keep it to executors; enroll other roles with a one-time enrollment token.",
});

/** An enrollment token's state; a complete record, so a new state fails the type check until it has words. */
export const enrollmentStateText = i18n("parts/enrollmentState", {
  active: "active",
  revoked: "revoked",
  used_up: "used up",
  expired: "expired",
} satisfies Record<EnrollmentToken["state"], string>);

export const enrollmentText = i18n("parts/enrollment", {
  confirmRevoke: params("Revoke {prefix}…? Agents not yet registered with it will need a new token."),
  title: "Enrollment tokens",
  intro:
    "A token registers agents of one role only, as often as its uses allow, until it expires. Prompts → “Issue a one-time token” makes one for you.",
  issueForm: "Issue an enrollment token",
  tokenRole: "Token role",
  uses: "Uses",
  validDays: "Valid for (days)",
  labelOptional: "Label (optional)",
  issue: "Issue token",
  issuing: "Issuing…",
  /** `{uses}` is the uses phrase below. */
  issuedLabel: params("Enrollment token for the {role} role ({uses})"),
  usesCount: count({ one: "{count} use", other: "{count} uses" }),
  listLabel: "the enrollment tokens",
  none: "No enrollment tokens yet.",
  token: "Token",
  role: "Role",
  label: "Label",
  expires: "Expires",
  state: "State",
  actions: "Actions",
  revoke: "Revoke",
});

export const mcpText = i18n("parts/mcp", {
  listLabel: "the server address",
  /** `{url}` is the /mcp address in code type. */
  intro:
    "MCP server {url} (Streamable HTTP). The agent sends its API key as “Authorization: Bearer …” and gets its role's operations as tools.",
  client: "MCP client",
  copyConfig: params("Copy {client} config"),
  keyFilled: "The key is filled in: copy it now, it is not shown again.",
  keyPlaceholder: "The key is shown only when the agent is created or its key is reset: put it in place of <API key>.",
  seeDocs: "See docs/mcp.md in the repository for the details.",
});
