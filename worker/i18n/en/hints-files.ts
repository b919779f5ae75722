// Default hints of the error codes about deliverable files, merged into hints.ts.
export const fileHints = {};
