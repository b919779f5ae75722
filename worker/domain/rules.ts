// Rule merging and the CLI version handshake served by GET /api/rules. Pure: no I/O.
import { CLI_VERSION } from "../../skills/cli/version";
import { type Catalogue, catalogue } from "../i18n";
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

/** The update texts of one language (i18n/<lang>/briefing.ts `cliUpdate`). */
export type UpdateTexts = Catalogue["briefing"]["cliUpdate"];

/** Versions before this were upstream's Python CLI, whose `update` would overwrite itself with ours. */
export const FIRST_NODE_CLI_VERSION = 3;

function updateInstructions(base: string, cliVersion: number | undefined, latest: number, t: UpdateTexts): string {
  if (cliVersion !== undefined && cliVersion >= FIRST_NODE_CLI_VERSION)
    return t.oneStep({ latest, update: `${CLI_COMMAND} update`, downloads: downloadCommands(base) });
  return t.fromPython({
    latest,
    cliFile: CLI_FILENAME,
    downloads: downloadCommands(base),
    briefing: `${CLI_COMMAND} --key <your API key> briefing`,
  });
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
  t: UpdateTexts = catalogue("en").briefing.cliUpdate,
): CliHandshake {
  const base = normalizeBase(baseUrl);
  if (cliVersion !== undefined && cliVersion >= latest) {
    return { update_available: false, latest_version: null, update_instructions: "", notice: "" };
  }
  return {
    update_available: true,
    latest_version: latest,
    update_instructions: updateInstructions(base, cliVersion, latest, t),
    notice:
      cliVersion === undefined
        ? t.notice({ latest, downloads: downloadCommands(base), update: `${CLI_COMMAND} --key <your API key> update` })
        : "",
  };
}

/** The merged content with the handshake's notice appended (after a separator when there is content). */
export function withNotice(content: string, notice: string): string {
  if (notice === "") return content;
  return content === "" ? notice : `${content}${RULE_SEPARATOR}${notice}`;
}
