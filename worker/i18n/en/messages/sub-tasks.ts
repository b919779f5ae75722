// Texts of sub-task refusals: the state machine (domain/sub-task-machine.ts), the refusals it throws
// from inside the SubTaskCoordinator (domain/sub-task-refusals.ts: Texts cross the RPC as plain data),
// and the sub-task writes of the data layer. `holder` is a quoted name, or "" for another agent.
import { cli } from "../../../domain/cli-command";

const AVAILABLE = cli("st available");
const who = (holder: string) => holder || "another agent";

export const subTasks = {
  subTaskNotFound: (p: { id: string }) => `sub-task ${p.id} does not exist`,
  subTaskGone: "sub-task does not exist",
  noSubTaskOfYours: "no sub-task assigned to you under this task",
  dependencyOtherTask: (p: { id: string }) => `sub-task ${p.id} belongs to another task`,
  dependencyCycle: (p: { cycle: string }) => `these dependencies would form a cycle: ${p.cycle}`,
  subTaskChanged: "the sub-task changed while this request ran; read it again and retry",
  closedOrAssigneeDeleted: "the task was closed or the assignee deleted while this request ran",
  onlyActiveExecutor: "sub-tasks can only go to an active executor",
  onlyExecutor: "sub-tasks can only go to an executor",
  agentDisabledTarget: "that agent is disabled",
  opWrongRole: (p: { op: string; role: string; yours: string }) =>
    `${p.op} is limited to the ${p.role} role; your role is ${p.yours}`,
  opNotForActor: (p: { op: string; role: string; kind: string }) =>
    `${p.op} is limited to the ${p.role} role; not allowed for ${p.kind}`,
  ownWork: "a reviewer cannot review a sub-task it worked on",
  // Refusals of a sub-task command (domain/sub-task-refusals.ts).
  alreadyYours: (p: { status: string }) => `this sub-task is already yours (status ${p.status})`,
  heldBy: (p: { holder: string; status: string }) =>
    `${who(p.holder)} holds this sub-task (status ${p.status}); only pending sub-tasks can be claimed`,
  notFromStatus: (p: { op: string; status: string; allowed: string }) =>
    `cannot ${p.op} a sub-task in status ${p.status}; allowed from: ${p.allowed}`,
  assignedToOther: (p: { holder: string }) => `this sub-task is assigned to ${who(p.holder)}, not to you`,
  assignedToNobody: "this sub-task is assigned to nobody",
  /** `listed` names the first few; `more` counts the rest (0: none). */
  dependenciesPending: (p: { count: number; listed: string; more: number }) =>
    `waits for ${p.count} sub-task(s) that are not done: ${p.listed}${p.more > 0 ? ` and ${p.more} more` : ""}`,
  parentTaskClosed: (p: { status: string }) => `the parent task is ${p.status}`,
  rejectionNeedsIssues: "a rejection must list the issues",
  // Next steps of a refusal.
  nextStart: (p: { id: string }) => `Start it: ${cli(`st start ${p.id}`)}.`,
  nextRework: (p: { id: string }) => `Read the review's issues in ${cli("briefing")}, then ${cli(`st start ${p.id}`)}.`,
  nextSubmit: (p: { id: string }) =>
    `Work on it, log the delivery with ${cli(`log create delivery "<what you delivered>" --sub-task-id ${p.id}`)}, then ${cli(`st submit ${p.id}`)}.`,
  nextAwaitReview: `It waits for a reviewer; ${cli("briefing")} shows the verdict when it comes.`,
  nextBlocked: (p: { id: string }) =>
    `It is blocked: the planner decides what happens next; add what you know with ${cli(`log create blocked "<details>" --sub-task-id ${p.id}`)}.`,
  nextNothingLeft: `Nothing left to do on it; ${AVAILABLE} lists work you can claim.`,
  nextClaimFirst: (p: { id: string }) => `Claim it first: ${cli(`st claim ${p.id}`)}.`,
  nextHeldByOther: (p: { holder: string }) => `${who(p.holder)} holds it; ${AVAILABLE} lists work you can claim.`,
  nextFindWork: `${AVAILABLE} lists work you can claim.`,
  nextOnlySubmitted: `Only a submitted sub-task (status review) can be decided; ${cli("st list --status review")} lists them.`,
  nextReassignOpen: (p: { id: string }) =>
    `Only an assigned or blocked sub-task can be reassigned; a patrol can block it first, or ${cli(`st cancel ${p.id}`)} stops it.`,
  nextReassignClosed: "It is closed; create a new sub-task for more work.",
  nextEditBeforeStart: (p: { id: string }) =>
    `It can be edited only before work starts; add a rule instead: ${cli(`rule create "<text>" --sub-task-id ${p.id}`)}.`,
  nextShowStatus: (p: { id: string }) => `${cli(`st get ${p.id}`)} shows its status.`,
  nextMineOrAvailable: `${cli("st mine")} lists your sub-tasks; ${AVAILABLE} lists the ones you can claim.`,
  nextWaitDependencies: `Wait until they are done (${cli("briefing")} shows it); ${AVAILABLE} lists work you can claim now.`,
  nextTaskClosed: (p: { taskId: string }) =>
    `${AVAILABLE} lists open work; a planner can reopen the task with ${cli(`task status ${p.taskId} active`)}.`,
  nextListIssues: (p: { id: string; score: number }) =>
    `Say what to fix: ${cli(`review create ${p.id} rejected ${p.score} --issues "<what to fix>" --comment "<summary>"`)}.`,
};
