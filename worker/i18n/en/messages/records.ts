// Texts of refusals about records: activity logs (routes/logs.ts, domain/log-authorship.ts), rules,
// scores (routes/scores.ts, domain/score-caps.ts), patrol records, id look-ups.
import { cli } from "../../../domain/cli-command";

export const records = {
  // Logs.
  logKindNotAllowed: (p: { kind: string; role: string; yours: string; allowed: string }) =>
    `${p.kind} logs are written by the ${p.role} role; as ${p.yours} you may write: ${p.allowed}`,
  logNeedsAssignee: (p: { kind: string; id: string; allowed: string }) =>
    `${p.kind} logs on sub-task ${p.id} come only from an agent that holds or held it; ` +
    `on it you may write: ${p.allowed}. Log your own work on a sub-task you hold (st mine).`,
  logTaskMismatch: (p: { subTaskId: string; taskId: string; given: string }) =>
    `sub-task ${p.subTaskId} belongs to task ${p.taskId}, not ${p.given}`,
  logTaskMismatchHint: (p: { action: string; subTaskId: string }) =>
    `Leave out the task: ${cli(`log create ${p.action} <summary> --sub-task-id ${p.subTaskId}`)} files it under its task.`,
  // Rules.
  taskRuleNeedsTaskId: "a task rule needs task_id",
  subTaskRuleNeedsSubTaskId: "a sub_task rule needs sub_task_id",
  globalRuleExists: "a global rule already exists; edit it instead",
  ruleNotFound: "rule does not exist",
  globalRuleAdminOnly: "only an admin may write the global rule; planners write task and sub-task rules",
  // Scores.
  selfAdjustment: "you cannot adjust your own score",
  adjustmentTooLarge: (p: { max: number; setting: string; delta: number }) =>
    `score_delta may be at most ±${p.max} per call (setting ${p.setting}); you sent ${p.delta}. Send a smaller change, or ask an admin.`,
  adjustmentQuota: (p: { perDay: number; left: number; points: number; freesAt: string }) =>
    `you may adjust scores by ${p.perDay} points (sum of |score_delta|) per 24 h; ${p.left} left now. ` +
    `±${p.points} fits again at ${p.freesAt}. Retry then with the same command, or ask an admin.`,
  // Patrol records.
  patrolTargetRequired: "give sub_task_id, agent_id, or both",
  patrolTargetHint: `Name what it is about: ${cli("patrol report … --sub-task-id <id>")} (or --agent-id <id>).`,
  patrolTargetDeleted: "the sub-task or agent was deleted while this request ran",
  patrolRecordOpen: (p: { type: string; target: string }) => `an open ${p.type} record for ${p.target} already exists`,
  patrolRecordNotFound: "patrol record does not exist",
  cronRecord: "the server opened this record; agents cannot resolve it",
  /** `subTaskId` is "" when the record is about an agent alone. */
  cronRecordHint: (p: { subTaskId: string }) =>
    `Leave it: the server closes it when the condition clears${p.subTaskId ? `; its sub-task: ${cli(`st get ${p.subTaskId}`)}` : ""}.`,
  recordNotOpen: (p: { status: string }) => `the record is already ${p.status}`,
  // Ids.
  invalidIdPrefix: (p: { min: number }) => `an id prefix is ${p.min} to 36 characters of 0-9, a-f and '-'`,
};
