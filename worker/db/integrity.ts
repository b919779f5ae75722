// Reads what the invariant checker (domain/integrity.ts) needs: the few columns it checks of every row
// of every table involved. One D1 batch, so one round trip and one consistent snapshot (a batch runs as
// one transaction): a transition committing meanwhile cannot make the history and the status disagree.
// Its cost grows with the database; it is a diagnostic, not something to call per request.
import { isNotNull, or, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { checkIntegrity, type IntegrityReport, type IntegrityRows, MAX_LISTED_VIOLATIONS } from "../domain/integrity";
import type { Db } from "./client";
import { fileIntegrityQueries } from "./integrity-files";
import { searchIntegrityQueries } from "./integrity-search";
import {
  activityLog,
  agent,
  module,
  notificationAttempt,
  notificationDelivery,
  notificationOutbox,
  patrolRecord,
  reviewRecord,
  rewardLog,
  rule,
  subTask,
  subTaskDependency,
  subTaskEvent,
  task,
} from "./schema";
import { taskRound, taskSchedule } from "./schema-recurring";

export function readIntegrityRows(db: Db): Promise<IntegrityRows> {
  return batchByName(db, {
    tasks: db.select({ id: task.id, status: task.status }).from(task),
    modules: db.select({ id: module.id, taskId: module.taskId }).from(module),
    subTasks: db
      .select({
        id: subTask.id,
        taskId: subTask.taskId,
        moduleId: subTask.moduleId,
        status: subTask.status,
        assignedAgent: subTask.assignedAgent,
        reworkCount: subTask.reworkCount,
        roundId: subTask.roundId,
      })
      .from(subTask),
    // Commit order: see checkHistories.
    events: db
      .select({
        id: subTaskEvent.id,
        subTaskId: subTaskEvent.subTaskId,
        op: subTaskEvent.op,
        fromStatus: subTaskEvent.fromStatus,
        toStatus: subTaskEvent.toStatus,
      })
      .from(subTaskEvent)
      .orderBy(sql`rowid`),
    dependencies: db
      .select({ subTaskId: subTaskDependency.subTaskId, dependsOn: subTaskDependency.dependsOn })
      .from(subTaskDependency),
    agents: db.select({ id: agent.id, totalScore: agent.totalScore }).from(agent),
    ledger: db
      .select({
        id: rewardLog.id,
        agentId: rewardLog.agentId,
        subTaskId: rewardLog.subTaskId,
        scoreDelta: rewardLog.scoreDelta,
      })
      .from(rewardLog),
    reviews: db
      .select({
        id: reviewRecord.id,
        subTaskId: reviewRecord.subTaskId,
        round: reviewRecord.round,
        result: reviewRecord.result,
      })
      .from(reviewRecord),
    rules: db.select({ id: rule.id, taskId: rule.taskId, subTaskId: rule.subTaskId }).from(rule),
    patrolRecords: db.select({ id: patrolRecord.id, subTaskId: patrolRecord.subTaskId }).from(patrolRecord),
    // Only the entries that name a sub-task or a task can dangle (the journal can be the largest table).
    activityLogs: db
      .select({ id: activityLog.id, subTaskId: activityLog.subTaskId, taskId: activityLog.taskId })
      .from(activityLog)
      .where(or(isNotNull(activityLog.subTaskId), isNotNull(activityLog.taskId))),
    outbox: db.select({ id: notificationOutbox.id }).from(notificationOutbox),
    deliveries: db
      .select({ id: notificationDelivery.id, outboxId: notificationDelivery.outboxId })
      .from(notificationDelivery),
    attempts: db
      .select({ id: notificationAttempt.id, deliveryId: notificationAttempt.deliveryId })
      .from(notificationAttempt),
    schedules: db
      .select({
        taskId: taskSchedule.taskId,
        status: taskSchedule.status,
        nextRunAt: taskSchedule.nextRunAt,
        roundsCreated: taskSchedule.roundsCreated,
      })
      .from(taskSchedule),
    rounds: db
      .select({ id: taskRound.id, taskId: taskRound.taskId, roundNo: taskRound.roundNo, status: taskRound.status })
      .from(taskRound),
    ...fileIntegrityQueries(db),
    ...searchIntegrityQueries(db),
  });
}

/** Runs the named queries as one D1 batch and answers each one's rows under its name. */
async function batchByName<Queries extends Record<string, BatchItem<"sqlite">>>(
  db: Db,
  queries: Queries,
): Promise<{ [Name in keyof Queries]: Queries[Name]["_"]["result"] }> {
  const names = Object.keys(queries);
  const results = await db.batch(Object.values(queries) as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return Object.fromEntries(names.map((name, i) => [name, results[i]])) as {
    [Name in keyof Queries]: Queries[Name]["_"]["result"];
  };
}

/** Reads the database and checks every invariant. */
export async function checkDatabaseIntegrity(db: Db, limit = MAX_LISTED_VIOLATIONS): Promise<IntegrityReport> {
  return checkIntegrity(await readIntegrityRows(db), limit);
}
