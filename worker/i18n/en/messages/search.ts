// Texts of refusals and answers about the team memory search (worker/routes/search.ts, worker/domain/search-query.ts).
export const search = {};
