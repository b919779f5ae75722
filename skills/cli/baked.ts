// The server's address, baked in when the CLI is downloaded: GET /api/tools/cli replaces the quoted
// placeholder below with the JSON-quoted base URL. It must appear exactly once in the built file
// (scripts/build-cli.ts checks), so nothing else may spell it out.
export const BAKED_BASE_URL: string = "__OPENMOSS_BASE_URL__";
