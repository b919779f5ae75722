// Texts of refusals and answers about a recurring task's rounds (worker/db/rounds.ts, worker/routes/rounds.ts).
export const rounds = {};
