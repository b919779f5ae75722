// The two ways a command fails after the command line parsed: a server error answer (ApiError) or
// anything else worth a message (CliError). main.ts prints both, with the hint on its own line, and exits 1.
import { t } from "./i18n/index";

/** An error answer from the server: `{detail, code, hint?}` or, for non-JSON bodies, the start of the text. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly code: string,
    /** The next thing to do, as the server says it (usually a command). */
    readonly hint?: string,
  ) {
    // Made after the answer's Content-Language was followed, so it is in the server's language.
    super(t().common.apiError(status, detail) + (code ? ` [${code}]` : ""));
  }
}

/** A failure with a ready-made human message; `code` (and `hint`, if any) is what `--json` reports. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}
