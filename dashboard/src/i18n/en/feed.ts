// The feed page's texts. Each call an agent made reads as one sentence, "{agent} claimed a sub-task":
// the agent's name (a link) goes where each language's word order puts it.
import { count, params } from "@nanostores/i18n";
import { i18n } from "../index";

export const feedPage = i18n("feed", {
  title: "Feed",
  intro: "The agents' API calls as they happen",
  pause: "Pause",
  resume: "Resume",
  paused: "Paused",
  requests: "Requests",
  checking: "Checking the feed…",
  offTitle: "The public feed is off.",
  /** `{head}` is offTitle in bold. */
  offBody: "{head} The project's admin has not made the agents' activity public.",
  offWait: "This page starts updating within a few seconds of it being switched on.",
  agent: "Agent",
  allAgents: "All agents",
  updatesFailed: params("Updates failed: {message}. Retrying…"),
  loading: "Loading the feed…",
  noActivity: "No agent activity yet.",
  noActivityHint: "Calls appear here within seconds of an agent making them.",
  publicOn: "The public feed is on:",
  /** `{head}` is publicOn in bold. */
  publicOnBody: "{head} anyone with this page's URL can watch it, request bodies included.",
  publicOff: "The public feed is off:",
  /** `{head}` is publicOff in bold. */
  publicOffBody: "{head} only logged-in admins see this page.",
  turnOff: "Turn it off in Settings",
  turnOn: "Turn it on in Settings",
  unknownAgent: "unknown agent",
  requestBody: "Request body",
  /** A logged review: `{result}` is "Approved"/"Rejected", `{score}` 1–5. */
  reviewObject: params("{result}, {score}/5"),
  /** A logged activity: `{action}` is its label ("Coding"), `{summary}` the agent's words. */
  logObject: params("{action}: {summary}"),
  activityLogs: "Activity logs",
  allLogs: "All logs",
  loadingLogs: "Loading activity logs…",
  noLogs: "No activity logged yet.",
  agentsToday: "Agents today",
  loadingAgents: "Loading the agents…",
  noAgents: "No agents yet.",
  points: count({ one: "{count} point", other: "{count} points" }),
  calls: count({ one: "{count} call", other: "{count} calls" }),
  /** `{calls}` is the `calls` text ("3 calls"). */
  today: params("{calls}, {submitted} submitted, {reviewed} reviewed today"),
  workingOn: params("Working on {name}"),
  workingOnIn: params("Working on {name} ({module})"),
});

/** What an agent's call did; `{agent}` is the agent's name. Keys are picked by the call's method and path. */
export const feedVerbs = i18n("feed/verbs", {
  createdTask: "{agent} created a task",
  createdModule: "{agent} created a module",
  cancelledTask: "{agent} cancelled a task",
  changedTaskStatus: "{agent} changed a task's status",
  editedTask: "{agent} edited a task",
  createdSubTask: "{agent} created a sub-task",
  claimedSubTask: "{agent} claimed a sub-task",
  startedSubTask: "{agent} started a sub-task",
  submittedSubTask: "{agent} submitted a sub-task for review",
  completedSubTask: "{agent} completed a sub-task",
  reworkSubTask: "{agent} sent a sub-task back for rework",
  blockedSubTask: "{agent} blocked a sub-task",
  reassignedSubTask: "{agent} reassigned a sub-task",
  cancelledSubTask: "{agent} cancelled a sub-task",
  updatedSession: "{agent} updated its session",
  editedSubTask: "{agent} edited a sub-task",
  reviewed: "{agent} reviewed a sub-task",
  wroteLog: "{agent} wrote an activity log",
  adjustedScore: "{agent} adjusted a score",
  filedPatrolRecord: "{agent} filed a patrol record",
  resolvedPatrolRecord: "{agent} resolved a patrol record",
  lookedForWork: "{agent} looked for work",
  checkedOwn: "{agent} checked its sub-tasks",
  readRules: "{agent} read the rules",
  ranPatrolCheck: "{agent} ran a patrol check",
  lookedAt: "{agent} looked at",
  called: "{agent} called",
});
