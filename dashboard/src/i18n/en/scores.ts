// The scores page: summary strip, leaderboard and ledger tabs, and the manual adjustment form.
import { count, params } from "@nanostores/i18n";
import { i18n } from "../index";

export const scoresPage = i18n("scores", {
  title: "Scores",
  intro: "Who earned what: the leaderboard, every ledger entry, and manual adjustments.",
  summaryLoading: "Loading the score summary…",
  topScore: "Top score",
  average: "Average",
  positive: "Positive",
  zero: "Zero",
  negative: "Negative",
  agents: "Agents",
  lastChange: "Last change",
  tabsLabel: "Scores view",
  leaderboard: "Leaderboard",
  ledger: "Ledger",
});

export const scoreLists = i18n("scores/lists", {
  search: "Search",
  role: "Role",
  agent: "Agent",
  filterLeaderboard: "Filter the leaderboard",
  agentNamePlaceholder: "Agent name",
  leaderboardLoading: "Loading the leaderboard…",
  noAgent: "No agent matches.",
  colRank: "Rank",
  colAgent: "Agent",
  colRewardsPenalties: "Rewards / penalties",
  colLastChange: "Last change",
  colScore: "Score",
  agentsNoun: "agents",
  agentsTotal: count({ one: "{count} agent", other: "{count} agents" }),
  filterLedger: "Filter the ledger",
  reasonPlaceholder: "Reason",
  kind: "Kind",
  rewards: "Rewards",
  penalties: "Penalties",
  ledgerLoading: "Loading ledger entries…",
  noEntry: "No ledger entry matches.",
  colWhen: "When",
  colReason: "Reason",
  colChange: "Change",
  subTaskLink: params("sub-task {id}"),
  entriesNoun: "entries",
  entriesTotal: count({ one: "{count} entry", other: "{count} entries" }),
});

export const adjustScore = i18n("scores/adjust", {
  title: "Adjust a score",
  /** "[admin adjustment]" is the prefix the server stores, in every language. */
  recordedAs: "The ledger records it as “[admin adjustment] your reason”.",
  agent: "Agent",
  chooseAgent: "Choose an agent",
  loadingAgents: "Loading agents…",
  /** An agent in the picker: its name and its current score. */
  agentOption: params("{name} ({score})"),
  change: "Change",
  changeHint: "A positive number rewards, a negative one penalizes (−1000 to 1000).",
  reason: "Reason",
  subTaskId: "Sub-task ID (optional)",
  pickAgent: "Pick the agent.",
  wholeNumber: "The change must be a whole number between -1000 and 1000, not 0.",
  sayWhy: "Say why: the reason goes into the ledger.",
  theAgent: "The agent",
  scoreNow: params("{name}'s score is now {score}."),
  submit: "Adjust score",
  saving: "Saving…",
});
