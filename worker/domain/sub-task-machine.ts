// The sub-task state machine as pure rules: given what the Durable Object read and a command, decide
// the next state and every side effect, or refuse with an ApiError. No I/O here.

import type { NotificationEvent } from "../../contract/notification-events";
import { ALLOWED_FROM, type SubTaskOp } from "../../contract/sub-task-transitions";
import {
  type Actor,
  type AgentStatus,
  CLOSED_TASK_STATUSES,
  type Priority,
  type ReviewResult,
  type Role,
  type SubTaskStatus,
  type TaskStatus,
} from "../../contract/vocabulary";
import { text } from "../i18n";
import { badRequest, forbidden, notFound } from "../lib/errors";
import { reviewReason, reviewScoreDelta } from "./scoring";
import {
  dependenciesPending,
  illegalTransition,
  issuesRequired,
  notOwner,
  type OpenDependency,
  taskClosed,
} from "./sub-task-refusals";

export type SubTaskCommand =
  | { op: "claim"; sessionId?: string | null }
  | { op: "start"; sessionId?: string | null }
  | { op: "session"; sessionId: string }
  | { op: "submit" }
  | { op: "review"; result: ReviewResult; score: number; issues: string; comment: string; reworkAgent: string | null }
  | { op: "complete" }
  | { op: "rework"; reworkAgent: string | null }
  | { op: "block"; reason?: string }
  | { op: "reassign"; agentId: string }
  | { op: "edit"; changes: SubTaskEdit }
  | { op: "cancel" };

// The table of which states each operation may start from is shared with the dashboard.
export { ALLOWED_FROM, type SubTaskOp };

export interface SubTaskEdit {
  name?: string;
  description?: string;
  deliverable?: string;
  acceptance?: string;
  priority?: Priority;
}

/** Which agent role may run each operation (admins may run the planner's; the server may block). */
export const OP_ROLE: Record<SubTaskOp, Role> = {
  claim: "executor",
  start: "executor",
  session: "executor",
  submit: "executor",
  review: "reviewer",
  complete: "reviewer",
  rework: "reviewer",
  block: "patrol",
  reassign: "planner",
  edit: "planner",
  cancel: "planner",
};
const ADMIN_OPS: readonly SubTaskOp[] = ["reassign", "edit", "cancel", "block"];
const SYSTEM_OPS: readonly SubTaskOp[] = ["block"];

/** Every edge any operation can take; the history of a sub-task must follow these. */
export const LEGAL_EDGES: ReadonlySet<string> = new Set(
  (Object.keys(ALLOWED_FROM) as SubTaskOp[]).flatMap((op) =>
    ALLOWED_FROM[op].flatMap((from) => targetsOf(op).map((to) => `${from}->${to}`)),
  ),
);

function targetsOf(op: SubTaskOp): SubTaskStatus[] {
  switch (op) {
    case "claim":
    case "reassign":
      return ["assigned"];
    case "start":
      return ["in_progress"];
    case "submit":
      return ["review"];
    case "review":
      return ["done", "rework"];
    case "complete":
      return ["done"];
    case "rework":
      return ["rework"];
    case "block":
      return ["blocked"];
    case "cancel":
      return ["cancelled"];
    case "session":
    case "edit":
      return []; // these keep the state; they are not edges
  }
}

export function isLegalEdge(from: SubTaskStatus, to: SubTaskStatus): boolean {
  return LEGAL_EDGES.has(`${from}->${to}`);
}

export interface TargetAgent {
  id: string;
  role: Role;
  status: AgentStatus;
}

/** What the Durable Object reads before deciding. */
export interface Snapshot {
  subTask: {
    id: string;
    status: SubTaskStatus;
    assignedAgent: string | null;
    reworkCount: number;
  };
  taskId: string;
  taskStatus: TaskStatus;
  /** The name of the agent holding the sub-task, for refusals; null when nobody does or it was deleted. */
  holderName: string | null;
  /** Number of review records already stored for the sub-task. */
  reviewRounds: number;
  /** Agents that claimed, started or submitted this sub-task at any time. */
  workedOnBy: readonly string[];
  /** Dependencies of the sub-task that are not done yet (read for claim and start only; empty otherwise). */
  openDependencies: readonly OpenDependency[];
  /** The agent named by reassign's agent_id or a review's rework_agent; null when it does not exist. */
  targetAgent?: TargetAgent | null;
}

export interface Plan {
  to: SubTaskStatus;
  set: {
    assignedAgent?: string | null;
    currentSessionId?: string | null;
    reworkCount?: number;
    completedAt?: string;
    startedAt?: string;
  } & SubTaskEdit;
  review?: {
    round: number;
    result: ReviewResult;
    score: number | null;
    issues: string;
    comment: string;
    reworkAgent: string | null;
  };
  reward?: { agentId: string; delta: number; reason: string };
  /** started: the parent task may move to in_progress; settled: it may be complete now. */
  taskEffect?: "started" | "settled";
  /** The write must find the parent task still open (it may be closed while the decision is made). */
  requiresOpenTask?: true;
  /** The write must find every dependency of the sub-task done (one may be added while deciding). */
  requiresDependenciesDone?: true;
}

export function authorize(op: SubTaskOp, actor: Actor): void {
  if (actor.kind === "admin" && ADMIN_OPS.includes(op)) return;
  if (actor.kind === "system" && SYSTEM_OPS.includes(op)) return;
  if (actor.kind === "agent" && actor.role === OP_ROLE[op]) return;
  const role = OP_ROLE[op];
  throw forbidden(
    "wrong_role",
    actor.kind === "agent"
      ? text("opWrongRole", { op, role, yours: actor.role })
      : text("opNotForActor", { op, role, kind: actor.kind }),
  );
}

export function planTransition(snap: Snapshot, cmd: SubTaskCommand, actor: Actor, now: string): Plan {
  authorize(cmd.op, actor);
  const { subTask } = snap;
  const from = subTask.status;
  if (!ALLOWED_FROM[cmd.op].includes(from)) throw illegalTransition(cmd.op, ALLOWED_FROM[cmd.op], snap, actor);
  const actorId = actor.kind === "agent" ? actor.id : null;
  const requireOwner = () => {
    if (actorId === null || subTask.assignedAgent !== actorId) throw notOwner(snap);
  };
  const requireOpenTask = () => {
    if (CLOSED_TASK_STATUSES.includes(snap.taskStatus)) throw taskClosed(snap, snap.taskStatus);
  };
  const requireExecutorTarget = (id: string): string => {
    const target = snap.targetAgent;
    if (!target || target.id !== id) throw notFound("agent_not_found", text("agentNotFound", { id }));
    if (target.role !== "executor") throw badRequest("invalid_agent", text("onlyExecutor"));
    if (target.status !== "active") throw badRequest("invalid_agent", text("agentDisabledTarget"));
    return id;
  };

  const requireDependenciesDone = () => {
    if (snap.openDependencies.length > 0) throw dependenciesPending(snap.openDependencies);
  };

  switch (cmd.op) {
    case "claim":
      requireOpenTask();
      requireDependenciesDone();
      return {
        to: "assigned",
        set: { assignedAgent: actorId, currentSessionId: cmd.sessionId ?? null },
        requiresOpenTask: true,
        requiresDependenciesDone: true,
      };
    case "start":
      requireOwner();
      requireOpenTask();
      // A planner may hand work out directly (create --assign, reassign): it still waits for its dependencies.
      requireDependenciesDone();
      return {
        to: "in_progress",
        set: { startedAt: now, ...(cmd.sessionId != null ? { currentSessionId: cmd.sessionId } : {}) },
        taskEffect: "started",
        requiresOpenTask: true,
        requiresDependenciesDone: true,
      };
    case "session":
      requireOwner();
      return { to: from, set: { currentSessionId: cmd.sessionId } };
    case "submit":
      requireOwner();
      return { to: "review", set: {} };
    case "review":
    case "complete":
    case "rework":
      return planDecision(snap, cmd, actor, now, requireExecutorTarget);
    case "block":
      return { to: "blocked", set: { currentSessionId: null } };
    case "reassign":
      return {
        to: "assigned",
        set: { assignedAgent: requireExecutorTarget(cmd.agentId), currentSessionId: null },
      };
    case "edit":
      return { to: from, set: { ...cmd.changes } };
    case "cancel":
      return { to: "cancelled", set: { currentSessionId: null }, taskEffect: "settled" };
  }
}

type DecisionCommand = Extract<SubTaskCommand, { op: "review" | "complete" | "rework" }>;

/** review, complete and rework all decide a submission; each leaves a review record with its round. */
function planDecision(
  snap: Snapshot,
  cmd: DecisionCommand,
  actor: Actor,
  now: string,
  requireExecutorTarget: (id: string) => string,
): Plan {
  const { subTask } = snap;
  const reviewerId = actor.kind === "agent" ? actor.id : null;
  if (reviewerId !== null && (subTask.assignedAgent === reviewerId || snap.workedOnBy.includes(reviewerId))) {
    throw forbidden("own_work", text("ownWork"));
  }
  const approved = cmd.op === "complete" || (cmd.op === "review" && cmd.result === "approved");
  const score = cmd.op === "review" ? cmd.score : null;
  const issues = cmd.op === "review" ? cmd.issues : "";
  if (cmd.op === "review" && !approved && issues.trim() === "") throw issuesRequired(subTask.id, cmd.score);
  const reworkAgent = cmd.op === "complete" ? null : cmd.reworkAgent;
  // A named rework agent must be a real, active executor even when the review approves.
  if (reworkAgent) requireExecutorTarget(reworkAgent);
  const plan: Plan = {
    to: approved ? "done" : "rework",
    set: approved
      ? { completedAt: now }
      : {
          reworkCount: subTask.reworkCount + 1,
          ...(reworkAgent && reworkAgent !== subTask.assignedAgent
            ? { assignedAgent: requireExecutorTarget(reworkAgent), currentSessionId: null }
            : {}),
        },
    review: {
      round: snap.reviewRounds + 1,
      result: approved ? "approved" : "rejected",
      score,
      issues,
      comment: cmd.op === "review" ? cmd.comment : `decided with /${cmd.op}, without a score`,
      reworkAgent,
    },
    taskEffect: approved ? "settled" : undefined,
  };
  const executor = subTask.assignedAgent;
  if (score !== null && executor) {
    const delta = reviewScoreDelta(score);
    if (delta !== 0) plan.reward = { agentId: executor, delta, reason: reviewReason(score) };
  }
  return plan;
}

/** The notification events a planned transition raises. `all_done` is raised separately, by the batch
 * that finds the parent task settled. */
export function eventsOf(cmd: SubTaskCommand, plan: Plan): NotificationEvent[] {
  switch (cmd.op) {
    case "submit":
      return ["sub_task_submitted"];
    case "block":
      return ["sub_task_blocked"];
    case "review":
    case "complete":
    case "rework":
      return [plan.to === "done" ? "task_completed" : "review_rejected"];
    default:
      return [];
  }
}
