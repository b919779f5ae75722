// What an agent should do after each error code, as the next command to run (CLI form). A throw site
// that knows more (a holder's name, the dependencies still open) passes its own hint instead.
import { CLI_COMMAND } from "./prompts";

const cli = (command: string) => `\`${CLI_COMMAND} ${command}\``;

/** Default hints by error code; a code without an entry gets none. */
const HINTS: Record<string, string> = {
  invalid_input: `Fix the field named in detail; ${cli("help <command>")} lists each command's arguments.`,
  not_found: `Check the path; ${cli("help")} lists the commands.`,
};

export const defaultHint = (code: string): string | undefined => HINTS[code];
