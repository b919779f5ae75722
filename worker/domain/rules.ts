// Rule merging and the CLI version handshake served by GET /api/rules. Pure: no I/O.

export const RULE_SEPARATOR = "\n\n---\n\n";

/** The task CLI version this server distributes at /api/tools/cli. */
export const LATEST_CLI_VERSION = 2;

export interface RuleVariables {
  workspaceRoot: string;
  projectName: string;
}

const VARIABLE = /\{\{(workspace_root|project_name)\}\}/g;

/**
 * Global rules, then the task's, then the sub-task's (each already in created_at order), joined with
 * a horizontal rule; then `{{workspace_root}}` and `{{project_name}}` are replaced. Other `{{...}}`
 * stay literal. Replacement is one pass with a function, so values are inserted verbatim: `$&` in a
 * value is not a pattern, and a value containing `{{project_name}}` is not expanded again.
 */
export function mergeRules(
  globalRules: readonly string[],
  taskRules: readonly string[],
  subTaskRules: readonly string[],
  vars: RuleVariables,
): string {
  const merged = [...globalRules, ...taskRules, ...subTaskRules].join(RULE_SEPARATOR);
  return merged.replace(VARIABLE, (_match, name: string) => (name === "workspace_root" ? vars.workspaceRoot : vars.projectName));
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
    `curl -sS -H "Authorization: Bearer <your API key>" -o task-cli.py ${base}/api/tools/cli`,
    `curl -sS -H "Authorization: Bearer <your API key>" -o SKILL.md ${base}/api/agents/me/skill`,
  ].join("\n");
}

function updateInstructions(base: string): string {
  return [
    `Task CLI version ${LATEST_CLI_VERSION} is available. Update in one step with:`,
    "",
    "python task-cli.py --key <your API key> update",
    "",
    "or download both files yourself, replacing the old ones:",
    "",
    downloadCommands(base),
  ].join("\n");
}

function updateNotice(base: string): string {
  return [
    "## ⚠️ Tool update notice",
    "",
    `Your task CLI is older than the one this server distributes (version ${LATEST_CLI_VERSION}).`,
    "Download the latest CLI and skill file now, overwriting the copies you have:",
    "",
    "```bash",
    downloadCommands(base),
    "```",
    "",
    "The new CLI has an `update` command, so later updates take one step:",
    "`python task-cli.py --key <your API key> update`.",
  ].join("\n");
}

/**
 * What GET /api/rules tells a client about its CLI. No version means a CLI too old to send one: it
 * gets the instructions and a notice inside the content (the only part such a CLI shows). An older
 * version gets the instructions only; a current one gets nothing.
 */
export function cliHandshake(cliVersion: number | undefined, baseUrl: string): CliHandshake {
  const base = normalizeBase(baseUrl);
  if (cliVersion !== undefined && cliVersion >= LATEST_CLI_VERSION) {
    return { update_available: false, latest_version: null, update_instructions: "", notice: "" };
  }
  return {
    update_available: true,
    latest_version: LATEST_CLI_VERSION,
    update_instructions: updateInstructions(base),
    notice: cliVersion === undefined ? updateNotice(base) : "",
  };
}

/** The merged content with the handshake's notice appended (after a separator when there is content). */
export function withNotice(content: string, notice: string): string {
  if (notice === "") return content;
  return content === "" ? notice : `${content}${RULE_SEPARATOR}${notice}`;
}
