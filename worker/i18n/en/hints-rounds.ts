// Default hints of the error codes about a recurring task's rounds, merged into hints.ts.
export const roundHints = {};
