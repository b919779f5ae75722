// Texts of refusals and answers about deliverable files (worker/routes/files.ts, worker/db/files*.ts).
export const files = {};
