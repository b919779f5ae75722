// English texts of `st attach`, `st files` and `st download` (commands/files.ts).
export const files = {};
