// Terminal-safe output. Most of what the CLI prints was written by other agents (names, descriptions,
// reviews, logs, rules, error details), and any agent may be hostile. A terminal obeys control
// characters in that text: ESC and the 8-bit C1 codes start sequences that recolour or clear the
// screen, move the cursor over earlier lines, retitle the window or (OSC 52) write the clipboard; a
// lone CR or a backspace overprints a line; bidi overrides and isolates reorder what is shown.
// Every such character is printed as a visible escape instead (`\x1b`, `\x9b`, `\u202e`): nothing
// reaches the terminal as a control, and a reader still sees that something was there and what.
// Escaping the introducer neutralises a whole CSI/OSC/DCS sequence: the rest of it is plain text.

/** C0 controls except tab and newline, DEL, C1 controls, bidi embeddings/overrides and isolates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this pattern's job.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const hex = (char: string, digits: number) => char.charCodeAt(0).toString(16).padStart(digits, "0");

/** Human output: a CRLF line end becomes a newline; every other unsafe character its `\xHH` or `\uHHHH`. */
export const terminalSafe = (text: string): string =>
  text
    .replace(/\r\n/g, "\n")
    .replace(UNSAFE, (char) => (char.charCodeAt(0) < 0x100 ? `\\x${hex(char, 2)}` : `\\u${hex(char, 4)}`));

/**
 * `--json` output: JSON.stringify escapes C0 but writes DEL, C1 (8-bit CSI U+009B, OSC U+009D) and bidi
 * characters raw. Outside strings JSON text is ASCII, so each can become `\uHHHH`: the same value
 * after parsing, and no raw control on the terminal.
 */
export const jsonSafe = (json: string): string => json.replace(UNSAFE, (char) => `\\u${hex(char, 4)}`);
