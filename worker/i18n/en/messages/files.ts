// Texts of refusals and answers about changing deliverable files: upload, replace, delete (worker/routes/file-uploads.ts, worker/db/file-writes.ts).
import { cli } from "../../../domain/cli-command";

export const files = {
  fileLengthRequired:
    "send the file's size in bytes as the Content-Length header; an upload of unknown length (chunked) is not taken",
  fileLengthInvalid: (p: { sent: string }) =>
    `Content-Length "${p.sent}" is not a size in bytes (a whole number from 0)`,
  fileTooLarge: (p: { size: number; max: number }) =>
    `the file has ${p.size} bytes; files.max_file_bytes allows at most ${p.max} bytes per file`,
  tooManyFiles: (p: { max: number; version: number }) =>
    `version ${p.version} of this sub-task already holds ${p.max} files, the most files.max_files_per_version allows`,
  storageFull: (p: { size: number; used: number; max: number }) =>
    `storing ${p.size} more bytes would pass files.max_total_bytes (${p.max} bytes; ${p.used} in use)`,
  filesNotInProgress: (p: { status: string }) =>
    `files can be attached, replaced or deleted only while the sub-task is in_progress; it is ${p.status}`,
  submittedWhileUploading: (p: { status: string }) =>
    `the sub-task became ${p.status} while the file was uploading, so nothing was stored`,
  notYourFiles: "only the executor holding this sub-task may attach, replace or delete its files",
  checksumMalformed: "X-Content-SHA256 must be 64 hexadecimal characters (the SHA-256 of the body)",
  checksumMismatch: (p: { sent: string; computed: string }) =>
    `the body's SHA-256 is ${p.computed}, not ${p.sent} as X-Content-SHA256 says; nothing was stored`,
  lengthMismatch: (p: { declared: number; received: number }) =>
    `Content-Length said ${p.declared} bytes but ${p.received === -1 ? "more" : p.received} arrived; nothing was stored`,
  fileToDeleteNotFound: (p: { id: string }) => `file ${p.id} is not a stored file of this sub-task`,
  fileFrozen: (p: { status: string }) =>
    `this file belongs to a submitted version (the sub-task is ${p.status}): it can no longer be replaced or deleted`,
  fileDeleted: "file deleted",
  nextStartBeforeUpload: (p: { id: string }) => `Start it first: ${cli(`st start ${p.id}`)}, then attach again.`,
  nextFrozenVersion: (p: { id: string }) =>
    `A submitted version is frozen; after a rework, attach to the next version: ${cli(`st files ${p.id}`)} shows them.`,
};
