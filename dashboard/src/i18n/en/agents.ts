// The agents list and its "New agent" dialog.
import { count, params } from "@nanostores/i18n";
import { i18n } from "../index";

export const agentsPage = i18n("agents", {
  title: "Agents",
  refresh: "Refresh",
  newAgent: "New agent",
  intro: "Who works here: rank, workload and whether they were seen in the last 10 minutes.",
  filterLabel: "Filter agents",
  search: "Search",
  searchPlaceholder: "Name or description",
  role: "Role",
  status: "Status",
  sortBy: "Sort by",
  sortNewest: "Newest",
  sortScore: "Score",
  sortName: "Name",
  sortLastRequest: "Last request",
  loading: "Loading agents…",
  noMatch: "No agent matches these filters.",
  noneYet: "No agents yet.",
  /** `{settings}` and `{prompts}` are links to those pages, named by `settingsLink` and `promptsLink`. */
  noneYetHelp:
    "Agents register themselves with an enrollment token (issue one in {settings} or with an agent prompt in {prompts}), or create one here.",
  settingsLink: "Settings",
  promptsLink: "Prompts",
  colAgent: "Agent",
  colRole: "Role",
  colStatus: "Status",
  colRank: "Rank",
  colScore: "Score",
  colWorkload: "Workload",
  colLastSeen: "Last seen",
  open: params("{n} open"),
  inProgress: params("{n} in progress"),
  assigned: params("{n} assigned"),
  inReview: params("{n} in review"),
  rework: params("{n} rework"),
  blocked: params("{n} blocked"),
  /** Names the pager's page buttons: "Pages of {noun}". */
  pagerNoun: "agents",
  total: count({ one: "{count} agent", other: "{count} agents" }),
});

export const createAgent = i18n("agents/create", {
  title: "New agent",
  name: "Name",
  role: "Role",
  description: "Description",
  submit: "Create agent",
  busy: "Creating…",
  nameRequired: "Give the agent a name.",
  created: params("Agent {name} created"),
  apiKey: "API key",
  keyUse:
    "The agent sends it as “Authorization: Bearer …”. Copy its standing prompt from its page, or connect its host over MCP:",
  openAgent: "Open the agent",
  done: "Done",
});
