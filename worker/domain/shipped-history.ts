// Shipped texts that an earlier release set up and a later one changed. An install still holding one of
// them has not edited it, so a switch (domain/shipped-texts.ts) may replace it like the current text.
// Only digests are kept: the old texts would add kilobytes to the Worker for a comparison.

/** A digest of an already normalised text: FNV-1a, 64 bits, over its UTF-8 bytes, as 16 hex digits. */
export function textDigest(normalised: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(normalised)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, "0");
}

/**
 * By `<kind>:<key>`, the digests of each earlier shipped version in every language. Add the digest of
 * the text you replace whenever you change a shipped text (scripts print it: textDigest(normaliseText(old))).
 */
const EARLIER_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  // Issue 18: the planner no longer reopens recurring tasks by hand (before, en and zh-CN); issue 19:
  // it searches the team memory before splitting (before, en and zh-CN).
  "template:planner": ["b3de91976dddff86", "22c1b69da9e36c6e", "eca2ddb583ff8e44", "43d591ec720131f9"],
  // Issue 19: executors search past lessons and attach files; reviewers read attached files.
  "template:executor": ["527088b855075103", "80a998a069bf54e7"],
  "template:reviewer": ["4b6e46bd93a849bf", "cec62fdf0534fd00"],
};

/** Whether `normalised` is an earlier shipped version of this row's text. */
export const shippedEarlier = (kind: string, key: string, normalised: string): boolean =>
  EARLIER_VERSIONS[`${kind}:${key}`]?.includes(textDigest(normalised)) ?? false;
