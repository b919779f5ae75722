// The Prompts & Rules page's texts (pages/prompts.tsx and its tabs in pages/parts/prompt-*.tsx).
// Prompt, template and rule bodies are the admin's data and never pass through here.
import { params } from "@nanostores/i18n";
import { i18n } from "../index";

export const promptsText = i18n("prompts", {
  title: "Prompts & Rules",
  intro:
    "What agents are told: a role template, each agent's own prompt on top, the one-time enrollment prompt, and the rules they fetch while working.",
  tabs: "Prompts and rules",
  tabAgents: "Agent prompts",
  tabTemplates: "Role templates",
  tabRules: "Rules",
  newPrompt: "New prompt",
  listLabel: "agent prompts",
  noPrompts: "No agent prompts yet.",
  example: "example",
  pick: "Pick a prompt, or create one.",
  pickHelp:
    "A new agent gets two texts: the standing prompt (role template, its own prompt and the platform section, variables filled in) as its permanent instructions, and a one-time enrollment prompt for its first run.",
  promptLabel: "the prompt",
  edit: "Edit",
  delete: "Delete",
  /** `{time}` is a relative time ("3 minutes ago"). */
  updated: "updated {time}",
  renameSuggested: params("This slug lacks its role prefix (“{prefix}”); saving it with its role renames it."),
  ownPrompt: "Its own prompt (as stored)",
  deleteTitle: "Delete this prompt?",
  deleteAction: "Delete prompt",
  deleteText: params("“{name}” ({slug}) is removed. Agents already set up with it keep their copy."),
});

export const composeText = i18n("prompts/compose", {
  standing: "Standing prompt",
  copyStanding: "Copy the standing prompt",
  standingHint:
    "The agent's permanent instructions (its system prompt): role template, this prompt and the platform section. It holds no secret.",
  composedLabel: "the composed prompt",
  variables: "Variables",
  variable: "Variable",
  value: "Value",
  noValue: "left as written (no value)",
  noVariables: "No variables in the template or prompt.",
  enrollment: "Enrollment prompt (one time)",
  copyEnrollment: "Copy the enrollment prompt",
  issuing: "Issuing…",
  issue: "Issue a one-time token",
  issuedHint: params(
    "Paste this once into the new agent's first run. Its token registers one agent of this role, once, until {expires}.",
  ),
  previewHint:
    "Paste once into the new agent's first run: it registers, downloads the skill bundle and reads its first briefing. Issue a one-time token to fill it in.",
});

export const editorText = i18n("prompts/editor", {
  needsName: "Give the prompt a name.",
  needsSlug: "Give the prompt a slug (letters, digits and dashes).",
  editTitle: params("Edit {name}"),
  newTitle: "New agent prompt",
  name: "Name",
  role: "Role",
  slug: "Slug",
  storedAs: params("Stored as {slug}"),
  description: "Description",
  prompt: "Prompt",
  promptHint:
    "The agent's specialization, added after its role template. {{project_name}} and {{workspace_root}} are filled in.",
  example: "An example (a starting point, not a live agent)",
  roleRenames: params("Changing the role renames the prompt to “{prefix}…”."),
  save: "Save prompt",
  create: "Create prompt",
});

export const templatesText = i18n("prompts/templates", {
  roles: "Roles",
  noTemplate: "no template yet",
  listLabel: "role templates",
  blank: "A template cannot be blank.",
  title: params("{role} template"),
  base: params("The base every {role} prompt starts with."),
  /** `{time}` is a relative time. */
  updated: "Updated {time}.",
  noneStored: "None stored yet.",
  template: "Template",
  templateHint: "Markdown. {{project_name}} and {{workspace_root}} are filled in when a prompt is composed.",
  save: "Save template",
  saved: "Saved.",
});

export const rulesText = i18n("prompts/rules", {
  listLabel: "rules",
  intro:
    "Agents fetch the merged rules (global, then their task's, then their sub-task's) with the variables filled in, and re-read them when they change.",
  global: "Global rule",
  scoped: "Task and sub-task rules",
  add: "Add a rule",
  none: "No task or sub-task rules.",
  globalText: "Global rule text",
  ruleText: params("Rule {id} text"),
  empty: "A rule cannot be empty; delete it instead.",
  /** `{time}` is a relative time. */
  updated: "Updated {time}.",
  markdown: "Markdown; {{project_name}} and {{workspace_root}} are filled in.",
  saving: "Saving…",
  save: "Save rule",
  delete: "Delete rule",
  saved: "Saved.",
  deleteTitle: "Delete this rule?",
  deleteText: "Agents stop receiving it the next time they fetch their rules.",
  writeFirst: "Write the rule first.",
  pickTask: "Pick the task the rule applies to.",
  giveSubTask: "Give the sub-task's ID.",
  noGlobal: "There is no global rule. Every agent reads it first.",
  appliesTo: "Applies to",
  aTask: "A task",
  aSubTask: "A sub-task",
  task: "Task",
  chooseTask: "Choose a task",
  subTaskId: "Sub-task ID",
  newText: "New rule text",
  create: "Create rule",
  creating: "Creating…",
});
