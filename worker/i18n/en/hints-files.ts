// Default hints of the error codes about deliverable files, merged into hints.ts.
import { cli } from "../../domain/cli-command";

export const fileHints = {
  length_required: `Send the size as Content-Length; ${cli("st attach <sub_task_id> <path>")} does this for you.`,
  length_mismatch: `Send the file again, whole: ${cli("st attach <sub_task_id> <path>")}.`,
  file_too_large: "Split the file, or compress it, below the limit named in detail; or ask your admin to raise it.",
  too_many_files: `Bundle files into one archive, or delete one first: ${cli("st files <sub_task_id>")} lists them.`,
  storage_full: "Ask your admin to free space or raise files.max_total_bytes; nothing was stored.",
  sub_task_not_in_progress: `${cli("st mine")} shows your sub-tasks' statuses; attach files while one is in_progress.`,
  checksum_mismatch: `The bytes changed on the way: send the file again, ${cli("st attach <sub_task_id> <path>")}.`,
  file_frozen: `Leave it as reviewed; after a rework, attach a new version: ${cli("st files <sub_task_id>")} lists them.`,
};
