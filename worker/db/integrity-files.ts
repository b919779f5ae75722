// What the invariant checker reads of deliverable files (domain/integrity-files.ts), as named queries
// for the one batch of db/integrity.ts.
import { eq } from "drizzle-orm";
import type { Db } from "./client";
import { fileDeletion, fileUsage, subTaskFile } from "./schema-files";

export const fileIntegrityQueries = (db: Db) => ({
  files: db
    .select({
      id: subTaskFile.id,
      subTaskId: subTaskFile.subTaskId,
      taskId: subTaskFile.taskId,
      version: subTaskFile.version,
      state: subTaskFile.state,
      size: subTaskFile.size,
      name: subTaskFile.name,
      sha256: subTaskFile.sha256,
      storedAt: subTaskFile.storedAt,
      r2Key: subTaskFile.r2Key,
    })
    .from(subTaskFile),
  fileUsage: db.select({ id: fileUsage.id, bytes: fileUsage.bytes, files: fileUsage.files }).from(fileUsage),
  // Only the disagreements: a key both a row and the deletion outbox hold.
  filesQueuedForDeletion: db
    .select({ id: subTaskFile.id, r2Key: subTaskFile.r2Key })
    .from(subTaskFile)
    .innerJoin(fileDeletion, eq(fileDeletion.r2Key, subTaskFile.r2Key)),
});
