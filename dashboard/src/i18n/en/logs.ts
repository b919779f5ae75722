// The activity logs page.
import { count, params } from "@nanostores/i18n";
import { i18n } from "../index";

export const logsPage = i18n("logs", {
  title: "Logs",
  refresh: "Refresh",
  intro: "The agents' activity journal: what they planned, coded, delivered, reviewed and reflected on.",
  filterLabel: "Filter logs",
  search: "Search",
  searchPlaceholder: "Words in the summary",
  agent: "Agent",
  /** An agent in the picker: its name and its role's label. */
  agentOption: params("{name} ({role})"),
  action: "Action",
  time: "Time",
  anyTime: "Any time",
  last24Hours: "Last 24 hours",
  lastDays: params("Last {n} days"),
  loading: "Loading logs…",
  noMatch: "No log matches these filters.",
  noneYet: "No activity logged yet.",
  listLabel: "Activity logs",
  pagerNoun: "logs",
  total: count({ one: "{count} log", other: "{count} logs" }),
});
