// Rule merging and the CLI version handshake served by GET /api/rules. Pure: no I/O.
import { CLI_VERSION } from "../../skills/cli/version";
import { CLI_COMMAND, CLI_FILENAME } from "./cli-command";

export const RULE_SEPARATOR = "\n\n---\n\n";

/** The task CLI version this server distributes at /api/tools/cli (the CLI's own constant). */
export const LATEST_CLI_VERSION = CLI_VERSION;

export interface RuleVariables {
  workspaceRoot: string;
  projectName: string;
  /** The task the rules are merged for, if there is one: fills `{{task_workspace}}`. */
  task?: { name: string; workspace: string } | null;
}

const VARIABLE = /\{\{(workspace_root|project_name|task_workspace)\}\}/g;

/** What `{{task_workspace}}` says where the rules are not about one task (the global rule in a briefing). */
export const NO_TASK_WORKSPACE = "the task's workspace";

/**
 * Where a task's shared work lives: its `workspace`, else `<workspace root>/<task name>` with every
 * character but letters, digits, `-` and `_` replaced by `_` (the default global rule says the same,
 * so an agent can work it out from the name alone).
 */
export function taskWorkspace(task: { name: string; workspace: string }, workspaceRoot: string): string {
  if (task.workspace !== "") return task.workspace;
  return `${workspaceRoot.replace(/\/+$/, "")}/${task.name.replace(/[^\p{L}\p{N}_-]/gu, "_")}`;
}

/**
 * Global rules, then the task's, then the sub-task's (each already in created_at order), joined with
 * a horizontal rule; then `{{workspace_root}}`, `{{project_name}}` and `{{task_workspace}}` are
 * replaced. Other `{{...}}` stay literal. Replacement is one pass with a function, so values are
 * inserted verbatim: `$&` in a value is not a pattern, and a value containing `{{project_name}}` is
 * not expanded again.
 */
export function mergeRules(
  globalRules: readonly string[],
  taskRules: readonly string[],
  subTaskRules: readonly string[],
  vars: RuleVariables,
): string {
  const merged = [...globalRules, ...taskRules, ...subTaskRules].join(RULE_SEPARATOR);
  const values: Record<string, string> = {
    workspace_root: vars.workspaceRoot,
    project_name: vars.projectName,
    task_workspace: vars.task ? taskWorkspace(vars.task, vars.workspaceRoot) : NO_TASK_WORKSPACE,
  };
  return merged.replace(VARIABLE, (_match, name: string) => values[name]!);
}

export interface CliHandshake {
  update_available: boolean;
  latest_version: number | null;
  update_instructions: string;
  /** Markdown to append to the merged content ("" unless the client sent no version at all). */
  notice: string;
}

const normalizeBase = (baseUrl: string) => baseUrl.replace(/\/+$/, "");

function downloadCommands(base: string): string {
  return [
    `curl -sS -H "Authorization: Bearer <your API key>" -o ${CLI_FILENAME} ${base}/api/tools/cli`,
    `curl -sS -H "Authorization: Bearer <your API key>" -o SKILL.md ${base}/api/agents/me/skill`,
  ].join("\n");
}

/** Versions before this were upstream's Python CLI, whose `update` would overwrite itself with ours. */
export const FIRST_NODE_CLI_VERSION = 3;

function updateInstructions(base: string, cliVersion: number | undefined, latest: number): string {
  if (cliVersion !== undefined && cliVersion >= FIRST_NODE_CLI_VERSION) {
    return [
      `Task CLI version ${latest} is available. Update in one step with:`,
      "",
      `${CLI_COMMAND} update`,
      "",
      "or download both files yourself, replacing the old ones:",
      "",
      downloadCommands(base),
    ].join("\n");
  }
  return [
    `Task CLI version ${latest} is available. It is a Node.js program (Node 18 or newer) named`,
    `${CLI_FILENAME}: do not run your current CLI's update command (it would overwrite your Python file).`,
    "Download the new CLI and your skill next to the old files instead:",
    "",
    downloadCommands(base),
    "",
    `Then use \`${CLI_COMMAND} --key <your API key> briefing\` at the start of every run.`,
  ].join("\n");
}

function updateNotice(base: string, latest: number): string {
  return [
    "## ⚠️ Tool update notice",
    "",
    `Your task CLI is older than the one this server distributes (version ${latest}).`,
    "Download the latest CLI and skill file now, overwriting the copies you have:",
    "",
    "```bash",
    downloadCommands(base),
    "```",
    "",
    `The new CLI (Node.js 18 or newer) has an \`update\` command, so later updates take one step:`,
    `\`${CLI_COMMAND} --key <your API key> update\`.`,
  ].join("\n");
}

/**
 * What GET /api/rules tells a client about its CLI. No version means a CLI too old to send one: it
 * gets the instructions and a notice inside the content (the only part such a CLI shows). An older
 * version gets the instructions only; a current one gets nothing.
 */
export function cliHandshake(
  cliVersion: number | undefined,
  baseUrl: string,
  latest: number = LATEST_CLI_VERSION,
): CliHandshake {
  const base = normalizeBase(baseUrl);
  if (cliVersion !== undefined && cliVersion >= latest) {
    return { update_available: false, latest_version: null, update_instructions: "", notice: "" };
  }
  return {
    update_available: true,
    latest_version: latest,
    update_instructions: updateInstructions(base, cliVersion, latest),
    notice: cliVersion === undefined ? updateNotice(base, latest) : "",
  };
}

/** The merged content with the handshake's notice appended (after a separator when there is content). */
export function withNotice(content: string, notice: string): string {
  if (notice === "") return content;
  return content === "" ? notice : `${content}${RULE_SEPARATOR}${notice}`;
}
