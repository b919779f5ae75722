// The CLI's protocol version: sent as ?cli_version= to /api/rules and /api/agents/me/briefing, and
// imported by the Worker as the latest version it distributes. Bump it when the CLI changes.
export const CLI_VERSION = 3;
