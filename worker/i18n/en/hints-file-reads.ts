// Default hints of the error codes about reading deliverable files, merged into hints.ts.
export const fileReadHints = {};
