// Default hints of the error codes about recurring tasks (schedules, rounds), merged into hints.ts.
export const recurringHints = {};
