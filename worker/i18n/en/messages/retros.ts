// Texts of refusals and answers about retrospectives: generation, listing, findings turned into rules (worker/domain/retrospective*.ts, worker/db/retrospectives.ts, worker/routes/retrospectives.ts).
export const retros = {};
