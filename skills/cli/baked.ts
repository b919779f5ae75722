// What GET /api/tools/cli bakes in when the CLI is downloaded: it replaces each quoted placeholder
// below with a JSON-quoted value. Each must appear exactly once in the built file (scripts/build-cli.ts
// checks), so nothing else may spell them out. An unreplaced placeholder means "not baked".

/** The server's address. */
export const BAKED_BASE_URL: string = "__OPENMOSS_BASE_URL__";
/** The project language at download (`en` or `zh-CN`): the CLI's language until a server answer says otherwise. */
export const BAKED_LANG: string = "__OPENMOSS_LANG__";
