// Default hints of the error codes about the team memory search, merged into hints.ts.
export const searchHints = {};
