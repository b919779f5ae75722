// Agent prompts: slug rules, the generated onboarding section, and composition of the text an admin
// pastes into a new agent (role template + specialisation + onboarding). Pure: no I/O.
import { ROLES, type Role } from "./model";

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
export const MAX_SLUG_LENGTH = 80;
/** Between the parts of a composed prompt. */
export const SECTION_SEPARATOR = "\n\n---\n\n";
/** The heading that starts the onboarding section; a body that already has it gets no second one. */
export const ONBOARDING_MARKER = "## 🔧 Platform onboarding";
/** The name agents save the downloaded CLI under, and how they run it (Node ≥ 18). */
export const CLI_FILENAME = "task-cli.mjs";
export const CLI_COMMAND = `node ${CLI_FILENAME}`;
/** Where the CLI finds the agent's key when no --key or OPENMOSS_API_KEY is given. */
export const KEY_FILE = "OPENMOSS-AGENT.env";

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** `<role>-<slug>`, unless the slug already starts with that prefix. */
export const fullSlug = (role: Role, slug: string): string => (slug.startsWith(`${role}-`) ? slug : `${role}-${slug}`);

/** Why a (full) slug is unusable, or null when it is fine. */
export function slugProblem(slug: string): string | null {
  if (slug.length > MAX_SLUG_LENGTH) return `slug must be at most ${MAX_SLUG_LENGTH} characters (with its role prefix)`;
  if (!SLUG_PATTERN.test(slug)) return "slug must match ^[a-z0-9][a-z0-9-]*$ (lowercase letters, digits and hyphens)";
  return null;
}

const ROLE_PREFIX = new RegExp(`^(?:${ROLES.join("|")})-`);

/** The slug after a role change: kept if it already carries the new prefix, else `<role>-<base>`. */
export function slugForRole(slug: string, role: Role): string {
  if (slug.startsWith(`${role}-`)) return slug;
  return `${role}-${slug.replace(ROLE_PREFIX, "")}`;
}

/** `rename_suggested` when the slug does not carry its role's prefix (as upstream's file listing said). */
export const promptStatus = (slug: string, role: string): "ok" | "rename_suggested" =>
  slug.startsWith(`${role}-`) ? "ok" : "rename_suggested";

/** A single-quoted shell word: safe to paste whatever the value holds. */
export const shellQuote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

export interface OnboardingInput {
  role: Role;
  /** Public base URL of this server, without a trailing slash. */
  baseUrl: string;
  /** "" when none is configured. */
  registrationToken: string;
  registrationOpen: boolean;
  projectName: string;
}

/** The one-time onboarding section: register, fetch the CLI and skill, read the briefing, schedule wake-ups. */
export function onboardingGuide(input: OnboardingInput): string {
  const { role, projectName } = input;
  const base = input.baseUrl.replace(/\/+$/, "");
  const token = input.registrationToken || "<registration token from your admin>";
  const url = (path: string) => shellQuote(`${base}${path}`);
  const auth = shellQuote("Authorization: Bearer <your API key>");
  const body = JSON.stringify({ name: "<a unique name for you>", role, description: "<one line: what you do>" });
  const lines = [
    ONBOARDING_MARKER,
    "",
    `> One-time setup: these steps connect you to **${projectName}** as its **${role}**. Once they are done,`,
    "> remove this whole section from your instructions. It holds a registration secret you no longer need.",
    "",
    "### Step 1: register",
    "",
    ...(input.registrationOpen
      ? []
      : ["Self-registration is switched off on this server right now. Ask an admin to open it or to create your", "agent and give you its API key, then continue with step 2.", ""]),
    "Choose a name no other agent uses and a one-line description of your work, then run:",
    "",
    "```bash",
    `curl -sS -X POST ${url("/api/agents/register")} \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -H ${shellQuote(`X-Registration-Token: ${token}`)} \\`,
    `  -d ${shellQuote(body)}`,
    "```",
    "",
    "The reply contains your agent `id` and your `api_key` (it starts with `ak_`). **The key is shown this one",
    "time only.** If it is lost, an admin can issue a new one, and the old key stops working.",
    "",
    "### Step 2: download the CLI and your skill, and store your key",
    "",
    "Both downloads need your key in an `Authorization: Bearer` header:",
    "",
    "```bash",
    `mkdir -p task-${role}-skill && cd task-${role}-skill`,
    `curl -sS -H ${auth} -o ${CLI_FILENAME} ${url("/api/tools/cli")}`,
    `curl -sS -H ${auth} -o SKILL.md ${url("/api/agents/me/skill")}`,
    `printf 'OPENMOSS_API_KEY=%s\\n' '<your API key>' > ${KEY_FILE} && chmod 600 ${KEY_FILE}`,
    "```",
    "",
    `The CLI (\`${CLI_FILENAME}\`) runs on Node.js 18 or newer and already points at this server. It reads your key`,
    `from \`${KEY_FILE}\` in the same folder, so commands need no \`--key\`. SKILL.md is the handbook for your`,
    "role, with your key filled in: keep both files private. (One zip with all three files:",
    `\`curl -sS -H ${auth} -o skill.zip ${url("/api/agents/me/skill-bundle")}\`.)`,
    "",
    "### Step 3: start every run with the briefing",
    "",
    "```bash",
    `${CLI_COMMAND} briefing`,
    "```",
    "",
    "One call returns the rules, your score, your open work with its latest review, your queue and the next",
    "steps, and says when a newer CLI is out. Then follow the wake-up routine in SKILL.md.",
    "",
    "### Step 4: wake up on a schedule",
    "",
    "Ask your host to wake you regularly (a cron job or its scheduler, every 15 to 30 minutes). Each run starts",
    `again at step 3, in the \`task-${role}-skill\` folder.`,
    "",
    "### Connection details",
    "",
    `- Server: ${base}`,
    `- Registration token: ${input.registrationToken ? `\`${input.registrationToken}\`` : "ask your admin"}`,
  ];
  return lines.join("\n");
}

const PLACEHOLDER = /\{\{([A-Za-z0-9_]+)\}\}/g;

/** `{{name}}` placeholders in order of first appearance, each once. */
export function findPlaceholders(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(PLACEHOLDER), (m) => m[1]!))];
}

export interface PromptVariable {
  name: string;
  /** null when the server has no value for it; the placeholder is then left as written. */
  value: string | null;
}

/** Replaces known placeholders in one pass (a value is inserted verbatim and never expanded again). */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (match, name: string) => (Object.hasOwn(values, name) ? values[name]! : match));
}

export interface ComposeInput {
  /** The role template, or null when none is stored. */
  template: string | null;
  /** The agent prompt's own text (its specialisation). */
  body: string;
  onboarding: string;
  /** Values for placeholders, e.g. workspace_root and project_name. */
  values: Readonly<Record<string, string>>;
}

/**
 * Template, then the agent's text, then the onboarding section, separated by horizontal rules.
 * Blank parts are left out; the template is skipped when the body already contains it, and the
 * onboarding section when the text already has one. Placeholders in the template and body are
 * listed with their values and filled in; the onboarding section is generated and has none.
 */
export function composePrompt(input: ComposeInput): { prompt: string; variables: PromptVariable[] } {
  const body = input.body.trim();
  const template = input.template?.trim() ?? "";
  const parts = [template && !body.includes(template) ? template : "", body].filter((p) => p !== "");
  const text = parts.join(SECTION_SEPARATOR);
  const variables = findPlaceholders(text).map((name) => ({
    name,
    value: Object.hasOwn(input.values, name) ? input.values[name]! : null,
  }));
  let prompt = fillPlaceholders(text, input.values);
  if (!text.includes(ONBOARDING_MARKER)) prompt = [prompt, input.onboarding.trim()].filter((p) => p !== "").join(SECTION_SEPARATOR);
  return { prompt, variables };
}
