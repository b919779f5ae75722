// Texts of bad input: a field zod refused (app.ts defaultHook), a character text-rules.ts refuses,
// a body lib/body.ts cannot take, an Idempotency-Key or Origin the request pipeline refuses.

/** A refused field, as app.ts describes it: zod's issue and its English message, flattened to plain data. */
export interface FieldIssue {
  /** The field's dotted path, or "" when the whole body is at fault. */
  field: string;
  /** zod's issue code: invalid_type, too_small, too_big, invalid_value, invalid_format, unrecognized_keys… */
  issue: string;
  /** zod's English message: the English detail, byte for byte. */
  en: string;
  expected?: string;
  received?: string;
  /** What was measured: string, array, number… */
  origin?: string;
  minimum?: number;
  maximum?: number;
  /** The allowed values, or the unknown keys, listed. */
  values?: string;
  format?: string;
}

/**
 * A schema's own refusal (a custom zod issue carrying `params.said`, see routes/define.ts) names the
 * field too: app.ts adds it. Absent or "" when the whole body is at fault.
 */
export interface AtField {
  field?: string;
}
const at = (p: AtField) => (p.field ? `${p.field}: ` : "");

const TEXT_HINT =
  "text may hold newlines and tabs, but no other control characters, bidi overrides or hidden tag characters";
const NAME_HINT = "names and ids are one line of visible characters";
const AGENT_NAME_HINT =
  "an agent name holds letters, digits 0-9, single spaces, '-', '_' and '.' (checked after NFKC normalization)";

export const validation = {
  invalidField: (p: FieldIssue) => `${p.field ? `${p.field}: ` : ""}${p.en}`,
  // The characters stored text may not hold (domain/text-rules.ts); `char` is a label such as U+200B.
  charNotAllowedInText: (p: AtField & { char: string }) => `${at(p)}${p.char} is not allowed: ${TEXT_HINT}`,
  charNotAllowedInName: (p: AtField & { char: string }) => `${at(p)}${p.char} is not allowed: ${NAME_HINT}`,
  charNotAllowedInAgentName: (p: AtField & { char: string }) => `${at(p)}${p.char} is not allowed: ${AGENT_NAME_HINT}`,
  agentNameMixesScripts: (p: AtField & { char: string; script: string; firstScript: string; firstChar: string }) =>
    `${at(p)}${p.char} is a ${p.script} letter in a name with ${p.firstScript} letters (${p.firstChar}): an agent name uses one of the Latin, Greek, Cyrillic, Armenian and Cherokee scripts, which look alike`,
  agentNameDoubleSpace: (p: AtField) => `${at(p)}two spaces in a row are not allowed: ${AGENT_NAME_HINT}`,
  // Refinements of single routes' schemas.
  invalidDateTime: (p: AtField) => `${at(p)}invalid ISO date-time`,
  repeatedDependency: (p: AtField) => `${at(p)}depends_on must not repeat an id`,
  zeroScoreDelta: (p: AtField) => `${at(p)}score_delta must not be 0`,
  // The body (lib/body.ts).
  bodyTooDeep: (p: { depth: number }) => `the body nests arrays and objects more than ${p.depth} levels deep`,
  bodyLoneSurrogate: "a string in the body is not valid Unicode (lone surrogate)",
  bodyTooLarge: (p: { bytes: number }) => `request body over ${p.bytes} bytes`,
  // Idempotency-Key (lib/idempotency.ts) and the Origin check (lib/cors.ts).
  idempotencyKeyLength: (p: { max: number }) => `Idempotency-Key must be 1 to ${p.max} characters`,
  idempotencyKeyOtherRequest: (p: { method: string; path: string }) =>
    `this Idempotency-Key was already used for ${p.method} ${p.path}; use a new key for a different request`,
  idempotencyKeyOtherBody:
    "this Idempotency-Key was already used with a different body; use a new key for a different request",
  idempotencyInProgress: "a request with this Idempotency-Key is still being processed; retry shortly",
  originNotAllowed: "a web page on this origin may not call this server",
};
