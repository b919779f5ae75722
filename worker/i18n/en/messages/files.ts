// Texts of refusals and answers about changing deliverable files: upload, replace, delete (worker/routes/file-uploads.ts, worker/db/file-writes.ts).
export const files = {};
