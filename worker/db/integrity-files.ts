// What the invariant checker reads of deliverable files (domain/integrity-files.ts), as named queries
// for the one batch of db/integrity.ts.
import type { Db } from "./client";
import { subTaskFile } from "./schema-files";

export const fileIntegrityQueries = (db: Db) => ({
  files: db
    .select({
      id: subTaskFile.id,
      subTaskId: subTaskFile.subTaskId,
      taskId: subTaskFile.taskId,
      version: subTaskFile.version,
      state: subTaskFile.state,
      size: subTaskFile.size,
    })
    .from(subTaskFile),
});
