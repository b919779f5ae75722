// What a refused sub-task command tells the agent: what blocks it (the holder by name, the open
// dependencies by name and id) and the next command to run. Pure; sub-task-machine.ts throws these.

import type { Actor, SubTaskStatus, TaskStatus } from "../../contract/vocabulary";
import { badRequest, conflict, forbidden } from "../lib/errors";
import { cli } from "./cli-command";
import { quote } from "./text-rules";

/** A dependency that is not done yet, as the refusal names it. */
export interface OpenDependency {
  id: string;
  name: string;
  status: SubTaskStatus;
}

/** What the refusals need to know about the sub-task (a part of the state machine's Snapshot). */
export interface RefusalContext {
  subTask: { id: string; status: SubTaskStatus; assignedAgent: string | null };
  taskId: string;
  /** The holder's name; null when nobody holds it or the agent was deleted. */
  holderName: string | null;
}

/** Dependencies named in a refusal; the rest are counted. */
const LISTED_DEPENDENCIES = 5;

const AVAILABLE = cli("st available");

/** The next command for the agent that holds a sub-task in `status`. */
export function holderNextStep(status: SubTaskStatus, id: string): string {
  switch (status) {
    case "assigned":
      return `Start it: ${cli(`st start ${id}`)}.`;
    case "rework":
      return `Read the review's issues in ${cli("briefing")}, then ${cli(`st start ${id}`)}.`;
    case "in_progress":
      return `Work on it, log the delivery with ${cli(`log create delivery "<what you delivered>" --sub-task-id ${id}`)}, then ${cli(`st submit ${id}`)}.`;
    case "review":
      return `It waits for a reviewer; ${cli("briefing")} shows the verdict when it comes.`;
    case "blocked":
      return `It is blocked: the planner decides what happens next; add what you know with ${cli(`log create blocked "<details>" --sub-task-id ${id}`)}.`;
    default:
      return `Nothing left to do on it; ${AVAILABLE} lists work you can claim.`;
  }
}

/** The holder as a refusal names it: its name quoted (agent-chosen text), else a plain description. */
const holder = (ctx: RefusalContext) => (ctx.holderName === null ? "another agent" : quote(ctx.holderName));
const isHolder = (ctx: RefusalContext, actor: Actor) =>
  actor.kind === "agent" && ctx.subTask.assignedAgent === actor.id;
const isOpen = (status: SubTaskStatus) => status !== "done" && status !== "cancelled";

/** What the next step is for an operation that is not allowed from the sub-task's status. */
function nextStepFor(op: string, ctx: RefusalContext, actor: Actor): string {
  const { id, status, assignedAgent } = ctx.subTask;
  switch (op) {
    case "claim":
    case "start":
    case "session":
    case "submit":
      if (isHolder(ctx, actor)) return holderNextStep(status, id);
      if (status === "pending") return `Claim it first: ${cli(`st claim ${id}`)}.`;
      if (assignedAgent && isOpen(status)) return `${holder(ctx)} holds it; ${AVAILABLE} lists work you can claim.`;
      return `${AVAILABLE} lists work you can claim.`;
    case "review":
    case "complete":
    case "rework":
      return `Only a submitted sub-task (status review) can be decided; ${cli("st list --status review")} lists them.`;
    case "reassign":
      return isOpen(status)
        ? `Only an assigned or blocked sub-task can be reassigned; a patrol can block it first, or ${cli(`st cancel ${id}`)} stops it.`
        : "It is closed; create a new sub-task for more work.";
    case "edit":
      return `It can be edited only before work starts; add a rule instead: ${cli(`rule create "<text>" --sub-task-id ${id}`)}.`;
    default:
      return `${cli(`st get ${id}`)} shows its status.`;
  }
}

/** 409 illegal_transition, saying whose it is and what to run instead. */
export function illegalTransition(
  op: string,
  allowedFrom: readonly SubTaskStatus[],
  ctx: RefusalContext,
  actor: Actor,
) {
  const { status } = ctx.subTask;
  const hint = nextStepFor(op, ctx, actor);
  if (op === "claim" && isHolder(ctx, actor))
    return conflict("illegal_transition", `this sub-task is already yours (status ${status})`, hint);
  if (op === "claim" && ctx.subTask.assignedAgent && isOpen(status)) {
    return conflict(
      "illegal_transition",
      `${holder(ctx)} holds this sub-task (status ${status}); only pending sub-tasks can be claimed`,
      hint,
    );
  }
  return conflict(
    "illegal_transition",
    `cannot ${op} a sub-task in status ${status}; allowed from: ${allowedFrom.join(", ")}`,
    hint,
  );
}

/** 403 not_owner, naming the holder. */
export function notOwner(ctx: RefusalContext) {
  const detail = ctx.subTask.assignedAgent
    ? `this sub-task is assigned to ${holder(ctx)}, not to you`
    : "this sub-task is assigned to nobody";
  const hint =
    ctx.subTask.status === "pending"
      ? `Claim it first: ${cli(`st claim ${ctx.subTask.id}`)}.`
      : `${cli("st mine")} lists your sub-tasks; ${AVAILABLE} lists the ones you can claim.`;
  return forbidden("not_owner", detail, hint);
}

/** 409 dependencies_pending, naming each open dependency (the first few). */
export function dependenciesPending(open: readonly OpenDependency[]) {
  const listed = open.slice(0, LISTED_DEPENDENCIES).map((d) => `${quote(d.name)} (${d.id}, ${d.status})`);
  const more = open.length > LISTED_DEPENDENCIES ? ` and ${open.length - LISTED_DEPENDENCIES} more` : "";
  return conflict(
    "dependencies_pending",
    `waits for ${open.length} sub-task(s) that are not done: ${listed.join(", ")}${more}`,
    `Wait until they are done (${cli("briefing")} shows it); ${AVAILABLE} lists work you can claim now.`,
  );
}

/** 409 task_closed on claim or start: the executor moves on; the planner may reopen the task. */
export function taskClosed(ctx: RefusalContext, status: TaskStatus) {
  return conflict(
    "task_closed",
    `the parent task is ${status}`,
    `${AVAILABLE} lists open work; a planner can reopen the task with ${cli(`task status ${ctx.taskId} active`)}.`,
  );
}

/** 400 issues_required, with the command that works (same sub-task, same score). */
export function issuesRequired(subTaskId: string, score: number) {
  return badRequest(
    "issues_required",
    "a rejection must list the issues",
    `Say what to fix: ${cli(`review create ${subTaskId} rejected ${score} --issues "<what to fix>" --comment "<summary>"`)}.`,
  );
}
