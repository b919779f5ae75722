// Texts of refusals and answers about recurring tasks: schedules and rounds (worker/domain/schedule.ts, worker/db/schedules.ts, worker/db/rounds.ts, their routes).
export const recurring = {};
