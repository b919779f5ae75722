// Short ids: agents copy ids by hand, and a UUID's first 8 characters are what they copy. Shared by
// the resolver endpoint (routes/ids.ts) and the CLI, which resolves a prefix before sending it.

/** What a prefix can name: the records a command takes by id. */
export const ID_KINDS = ["task", "module", "sub_task", "agent", "patrol_record", "review"] as const;
export type IdKind = (typeof ID_KINDS)[number];

export const MIN_ID_PREFIX = 8;
/** A prefix is 8 to 36 characters of a lowercase UUID (a full one is its own prefix). */
export const ID_PREFIX = /^[0-9a-f-]{8,36}$/;
/** A full UUID: sent as it is, with no lookup. */
export const FULL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** At most this many matches are returned: enough to show an ambiguity, bounded by an index range. */
export const MAX_ID_MATCHES = 5;

/**
 * The exclusive upper bound of the UUIDs starting with `prefix`: every character of a UUID sorts below
 * "g", so `prefix <= id < prefix + "g"` is "starts with prefix", read as a range of the primary key.
 */
export const prefixEnd = (prefix: string) => `${prefix}g`;
