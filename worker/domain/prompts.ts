// Agent prompts: slug rules and the two texts an admin gives a new agent: the one-time enrollment
// prompt (register with a single-use token, download the skill bundle, first briefing) and the
// standing prompt (role template + specialisation + platform section, no secret). Pure: no I/O.

import { LANGUAGES } from "../../contract/languages";
import { isOneOf, ROLES, type Role } from "../../contract/vocabulary";
import { type Catalogue, catalogue } from "../i18n";
import { CLI_COMMAND, CLI_FILENAME, cli, KEY_FILE } from "./cli-command";

/** The prompt texts of one language (i18n/<lang>/prompts.ts). */
export type PromptTexts = Catalogue["prompts"];
const ENGLISH = catalogue("en").prompts;

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
export const MAX_SLUG_LENGTH = 80;
/** Between the parts of a composed prompt. */
export const SECTION_SEPARATOR = "\n\n---\n\n";
/** The heading of the one-time enrollment prompt (in English). */
export const ENROLLMENT_MARKER = ENGLISH.enrollmentMarker;
/** The heading of the standing prompt's platform section (in English). */
export const STANDING_MARKER = ENGLISH.standingMarker;
/** The platform section's heading in every language: a text that has any of them gets no second one. */
const STANDING_MARKERS = LANGUAGES.map((lang) => catalogue(lang).prompts.standingMarker);

export const isRole = (value: string): value is Role => isOneOf(ROLES, value);

/** Upstream kept role templates as files named `task-planner.md` etc. and its GET took that stem too. */
const UPSTREAM_TEMPLATE_PREFIX = "task-";

/** The role a template name means: the role itself or upstream's file stem for it (`task-planner`); else null. */
export function templateRole(name: string): Role | null {
  const role = name.startsWith(UPSTREAM_TEMPLATE_PREFIX) ? name.slice(UPSTREAM_TEMPLATE_PREFIX.length) : name;
  return isRole(role) ? role : null;
}

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

export interface EnrollmentPromptInput {
  role: Role;
  /** Public base URL of this server, without a trailing slash. */
  baseUrl: string;
  projectName: string;
  /** A fresh single-use enrollment token, or null for a preview (a placeholder stands in). */
  token: { value: string; expiresAt: string } | null;
}

/** Stands in for the token in a preview; never the global registration token. */
export const TOKEN_PLACEHOLDER = "<enrollment token from your admin>";

/**
 * The one-time enrollment prompt: register with a single-use token, download the skill bundle, run
 * the first briefing, schedule wake-ups. It is pasted into the new agent's first run only; the token
 * is spent by step 1, so nothing in it is worth stealing afterwards.
 */
export function enrollmentPrompt(input: EnrollmentPromptInput, texts: PromptTexts = ENGLISH): string {
  const { role, projectName, token } = input;
  const t = texts.enrollment;
  const base = input.baseUrl.replace(/\/+$/, "");
  const url = (path: string) => shellQuote(`${base}${path}`);
  const body = JSON.stringify({ name: "<a unique name for you>", role, description: "<one line: what you do>" });
  const folder = `task-${role}-skill`;
  return [
    texts.enrollmentMarker,
    "",
    t.intro({ projectName, role }),
    token ? t.tokenValid({ role, expiresAt: token.expiresAt }) : t.tokenNeeded({ role }),
    "",
    t.register,
    "",
    "```bash",
    `curl -sS -X POST ${url("/api/agents/register")} \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -H ${shellQuote(`X-Registration-Token: ${token?.value ?? TOKEN_PLACEHOLDER}`)} \\`,
    `  -d ${shellQuote(body)}`,
    "```",
    "",
    t.afterRegister,
    "",
    t.download,
    "",
    "```bash",
    `curl -sS -H ${shellQuote("Authorization: Bearer <your API key>")} -o ${folder}.zip ${url("/api/agents/me/skill-bundle")}`,
    `unzip -o ${folder}.zip && cd ${folder}`,
    "```",
    "",
    t.afterDownload({ cliFile: CLI_FILENAME, keyFile: KEY_FILE }),
    "",
    t.briefing,
    "",
    "```bash",
    `${CLI_COMMAND} briefing`,
    "```",
    "",
    t.afterBriefing,
    "",
    t.wakeUps,
    "",
    t.afterWakeUps,
  ].join("\n");
}

/**
 * The platform part of the standing prompt: what every run does. No token, no key: the agent keeps
 * this text forever, and agents can be tricked into showing it.
 */
export function standingSection(
  input: { role: Role; baseUrl: string; projectName: string },
  texts: PromptTexts = ENGLISH,
): string {
  const lines = texts.standing({
    role: input.role,
    projectName: input.projectName,
    baseUrl: input.baseUrl.replace(/\/+$/, ""),
    folder: `task-${input.role}-skill`,
    briefing: cli("briefing"),
  });
  return [texts.standingMarker, "", ...lines].join("\n");
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
  /** The platform section (see `standingSection`). */
  standing: string;
  /** Values for placeholders, e.g. workspace_root and project_name. */
  values: Readonly<Record<string, string>>;
}

/** Where an old one-time section starts (ours, or upstream's "platform onboarding" heading). */
const LEGACY_ONBOARDING = /^## 🔧 (?:Platform onboarding|平台对接)/m;

/** The text before a one-time onboarding section pasted into a stored prompt (it held the shared token). */
function withoutLegacyOnboarding(text: string): string {
  const at = text.search(LEGACY_ONBOARDING);
  return at < 0 ? text : text.slice(0, at).replace(/\s*(?:---\s*)?$/, "");
}

/**
 * The standing prompt: template, then the agent's text, then the platform section, separated by
 * horizontal rules. Blank parts are left out; the template is skipped when the body already contains
 * it, and the platform section when the text already has one; a one-time onboarding section left in
 * a stored prompt is cut off. Placeholders in the template and body are listed with their values and
 * filled in; the platform section is generated and has none.
 */
export function composeStandingPrompt(input: ComposeInput): { prompt: string; variables: PromptVariable[] } {
  const body = withoutLegacyOnboarding(input.body).trim();
  const template = withoutLegacyOnboarding(input.template ?? "").trim();
  const parts = [template && !body.includes(template) ? template : "", body].filter((p) => p !== "");
  const text = parts.join(SECTION_SEPARATOR);
  const variables = findPlaceholders(text).map((name) => ({
    name,
    value: Object.hasOwn(input.values, name) ? input.values[name]! : null,
  }));
  let prompt = fillPlaceholders(text, input.values);
  if (!STANDING_MARKERS.some((marker) => text.includes(marker)))
    prompt = [prompt, input.standing.trim()].filter((p) => p !== "").join(SECTION_SEPARATOR);
  return { prompt, variables };
}

/**
 * Replaces every occurrence of a secret with a placeholder: a last line of defence so the global
 * registration token never reaches composed text, even if an admin pasted it into a template.
 */
export const withoutSecret = (text: string, secret: string): string =>
  secret.length >= 8 ? text.split(secret).join(TOKEN_PLACEHOLDER) : text;
