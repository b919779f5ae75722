// English texts of `search` (commands/search.ts).
export const search = {};
