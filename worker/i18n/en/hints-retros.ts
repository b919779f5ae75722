// Default hints of the error codes about retrospectives, merged into hints.ts.
export const retroHints = {};
