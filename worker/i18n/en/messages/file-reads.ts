// Texts of refusals and answers about reading deliverable files (worker/routes/file-reads.ts, worker/db/file-reads.ts).
export const fileReads = {
  fileNotFound: (p: { id: string; subTaskId: string }) => `sub-task ${p.subTaskId} has no file ${p.id} you can read`,
  filesNotYours: (p: { id: string }) =>
    `the files of sub-task ${p.id} are for the executors who worked on it, reviewers, planners and admins`,
  rangeNotSatisfiable: (p: { size: number }) => `the Range asks for no byte of this file of ${p.size} bytes`,
  fileContentMissing: (p: { id: string }) => `the bytes of file ${p.id} are missing from storage`,
};
