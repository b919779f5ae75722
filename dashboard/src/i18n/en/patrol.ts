// The patrol page: anomaly records by status and the resolve dialog. The record's description comes
// from the server as stored; its type and severity are shown through the enum labels.
import { count, params } from "@nanostores/i18n";
import { i18n } from "../index";

export const patrolPage = i18n("patrol", {
  title: "Patrol",
  refresh: "Refresh",
  intro: "Anomalies the patrol found: timeouts, stuck or orphaned sub-tasks, rework loops and score drops.",
  tabsLabel: "Record status",
  loading: "Loading patrol records…",
  noneOpen: "No open anomalies: all clear.",
  noneResolved: "No resolved records.",
  noneIgnored: "No ignored records.",
  listOpen: "Open patrol records",
  listResolved: "Resolved patrol records",
  listIgnored: "Ignored patrol records",
  subTaskFallback: params("sub-task {id}"),
  agentFallback: params("agent {id}"),
  resolve: "Resolve",
  actionTaken: "Action taken: {action}",
  filedByAgent: "Filed by the patrol agent",
  foundByServer: "Found by the server's patrol",
  /** `{when}` is a relative time ("5 minutes ago"). */
  firstSeen: "first seen {when}",
  lastSeen: "last seen {when}",
  resolvedAt: "resolved {when}",
  note: "Note: {note}",
  pagerNoun: "records",
  total: count({ one: "{count} record", other: "{count} records" }),
});

export const resolveRecord = i18n("patrol/resolve", {
  title: params("Resolve: {type}"),
  note: "Resolution note",
  noteHint: "What was done about it (optional).",
  submit: "Resolve",
  busy: "Resolving…",
});
