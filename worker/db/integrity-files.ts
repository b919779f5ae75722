// What the invariant checker reads of deliverable files (domain/integrity-files.ts), as named queries
// for the one batch of db/integrity.ts.
import { sql } from "drizzle-orm";
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
      // A reachable key the deletion outbox also holds (the cron would delete bytes a row still reaches).
      // Spelled out: drizzle would write the bare column, which inside the subquery means d's own.
      queued: sql<number>`exists (select 1 from ${fileDeletion} d where d.r2_key = sub_task_file.r2_key)`,
    })
    .from(subTaskFile),
  fileUsage: db.select({ id: fileUsage.id, bytes: fileUsage.bytes, files: fileUsage.files }).from(fileUsage),
});
