// Credentials never reach the request log (nor, through it, the public feed and the admin's views),
// wherever an agent puts them: under a field named like a secret, or as a string shaped like one of
// ours in a body, a query or the URL path (`GET /api/scores/ak_…/logs`). Pure: no I/O.

export const REDACTED = "[redacted]";

/** Field names whose values are secrets whatever they hold (X-Registration-Token sent as a field, too). */
const SECRET_FIELD = /password|token|api_?key|secret|authorization|registration|^key$/i;

/**
 * Strings shaped like our credentials: API keys (`ak_` + 32 hex), enrollment tokens (`et_` + base64url)
 * and the generated global registration token (32 hex standing alone). A hash of another length, a
 * UUID or a word that merely contains `et_` (`reset_password`) is left alone.
 */
const SECRET_SHAPES =
  /ak_[0-9a-f]{32}|(?<![A-Za-z0-9_-])et_[A-Za-z0-9_-]{16,}|(?<![A-Za-z0-9_-])[0-9a-f]{32}(?![A-Za-z0-9_-])/gi;

/** `text` with every credential-shaped string replaced by REDACTED. */
export const redactText = (text: string): string => text.replace(SECRET_SHAPES, REDACTED);

/**
 * A parsed JSON value as JSON text, with the values of secret-named fields (at any depth) and every
 * credential-shaped string, keys included, replaced by REDACTED. Recursive: callers pass bodies
 * whose nesting the body middleware has already bounded (lib/json-scan.ts).
 */
export const redactJson = (value: unknown): string => redactText(JSON.stringify(redactFields(value)));

function redactFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactFields);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_FIELD.test(k) ? REDACTED : redactFields(v)]),
    );
  }
  return value;
}

/**
 * A URL path with credential-shaped segments redacted. Each segment is read percent-decoded too, so
 * `%61k_…` is caught; a segment that holds a secret is stored decoded and redacted, the others as sent.
 */
export function redactPath(path: string): string {
  return path
    .split("/")
    .map((segment) => {
      const decoded = decodeSegment(segment);
      const redacted = redactText(decoded);
      return redacted === decoded ? segment : redacted;
    })
    .join("/");
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // malformed percent-encoding: matched as sent
  }
}
