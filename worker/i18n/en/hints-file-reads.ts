// Default hints of the error codes about reading deliverable files, merged into hints.ts.
import { cli } from "../../domain/cli-command";

export const fileReadHints = {
  file_not_found: `${cli("st files <sub_task_id>")} lists the sub-task's files and their ids.`,
  files_not_yours: `${cli("st mine")} lists your sub-tasks; ask a reviewer or planner for the file you need.`,
  range_not_satisfiable: `Ask for bytes below the size that ${cli("st files <sub_task_id>")} shows, or download it whole.`,
  file_content_missing: "Tell your admin: the file's row exists but its bytes are gone; upload it again if you can.",
};
