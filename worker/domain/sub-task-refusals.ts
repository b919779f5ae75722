// What a refused sub-task command tells the agent: what blocks it (the holder by name, the open
// dependencies by name and id) and the next command to run. Pure; sub-task-machine.ts throws these.

import type { Actor, SubTaskStatus, TaskStatus } from "../../contract/vocabulary";
import { type Text, text } from "../i18n";
import { badRequest, conflict, forbidden } from "../lib/errors";
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

/** The next command for the agent that holds a sub-task in `status`. */
export function holderNextStep(status: SubTaskStatus, id: string): Text {
  switch (status) {
    case "assigned":
      return text("nextStart", { id });
    case "rework":
      return text("nextRework", { id });
    case "in_progress":
      return text("nextSubmit", { id });
    case "review":
      return text("nextAwaitReview");
    case "blocked":
      return text("nextBlocked", { id });
    default:
      return text("nextNothingLeft");
  }
}

/** The holder as a refusal names it: its name quoted (agent-chosen text), or "" (the texts say "another agent"). */
const holder = (ctx: RefusalContext) => (ctx.holderName === null ? "" : quote(ctx.holderName));
const isHolder = (ctx: RefusalContext, actor: Actor) =>
  actor.kind === "agent" && ctx.subTask.assignedAgent === actor.id;
const isOpen = (status: SubTaskStatus) => status !== "done" && status !== "cancelled";

/** What the next step is for an operation that is not allowed from the sub-task's status. */
function nextStepFor(op: string, ctx: RefusalContext, actor: Actor): Text {
  const { id, status, assignedAgent } = ctx.subTask;
  switch (op) {
    case "claim":
    case "start":
    case "session":
    case "submit":
      if (isHolder(ctx, actor)) return holderNextStep(status, id);
      if (status === "pending") return text("nextClaimFirst", { id });
      if (assignedAgent && isOpen(status)) return text("nextHeldByOther", { holder: holder(ctx) });
      return text("nextFindWork");
    case "review":
    case "complete":
    case "rework":
      return text("nextOnlySubmitted");
    case "reassign":
      return isOpen(status) ? text("nextReassignOpen", { id }) : text("nextReassignClosed");
    case "edit":
      return text("nextEditBeforeStart", { id });
    default:
      return text("nextShowStatus", { id });
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
    return conflict("illegal_transition", text("alreadyYours", { status }), hint);
  if (op === "claim" && ctx.subTask.assignedAgent && isOpen(status))
    return conflict("illegal_transition", text("heldBy", { holder: holder(ctx), status }), hint);
  const allowed = allowedFrom.join(", ");
  return conflict("illegal_transition", text("notFromStatus", { op, status, allowed }), hint);
}

/** 403 not_owner, naming the holder. */
export function notOwner(ctx: RefusalContext) {
  const detail = ctx.subTask.assignedAgent
    ? text("assignedToOther", { holder: holder(ctx) })
    : text("assignedToNobody");
  const hint =
    ctx.subTask.status === "pending" ? text("nextClaimFirst", { id: ctx.subTask.id }) : text("nextMineOrAvailable");
  return forbidden("not_owner", detail, hint);
}

/** 409 dependencies_pending, naming each open dependency (the first few). */
export function dependenciesPending(open: readonly OpenDependency[]) {
  const listed = open.slice(0, LISTED_DEPENDENCIES).map((d) => `${quote(d.name)} (${d.id}, ${d.status})`);
  const more = Math.max(0, open.length - LISTED_DEPENDENCIES);
  return conflict(
    "dependencies_pending",
    text("dependenciesPending", { count: open.length, listed: listed.join(", "), more }),
    text("nextWaitDependencies"),
  );
}

/** 409 task_closed on claim or start: the executor moves on; the planner may reopen the task. */
export function taskClosed(ctx: RefusalContext, status: TaskStatus) {
  return conflict("task_closed", text("parentTaskClosed", { status }), text("nextTaskClosed", { taskId: ctx.taskId }));
}

/** 400 issues_required, with the command that works (same sub-task, same score). */
export function issuesRequired(subTaskId: string, score: number) {
  return badRequest("issues_required", text("rejectionNeedsIssues"), text("nextListIssues", { id: subTaskId, score }));
}
