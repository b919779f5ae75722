// How agents name and run their CLI. Every text that tells an agent what to type (hints, next steps,
// prompts, in any language) builds the command with these, so a command is never translated.

/** The name agents save the downloaded CLI under, and how they run it (Node ≥ 18). */
export const CLI_FILENAME = "task-cli.mjs";
export const CLI_COMMAND = `node ${CLI_FILENAME}`;
/** Where the CLI finds the agent's key when no --key or OPENMOSS_API_KEY is given. */
export const KEY_FILE = "OPENMOSS-AGENT.env";

/** A CLI command as an agent types it, in backquotes. */
export const cli = (command: string) => `\`${CLI_COMMAND} ${command}\``;
