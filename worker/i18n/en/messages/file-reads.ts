// Texts of refusals and answers about reading deliverable files (worker/routes/file-reads.ts, worker/db/file-reads.ts).
export const fileReads = {};
