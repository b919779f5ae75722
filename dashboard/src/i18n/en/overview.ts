// The overview page's texts: cards, trend charts, breakdowns and the "needs attention" panels.
import { count, params } from "@nanostores/i18n";
import { i18n } from "../index";

export const overviewPage = i18n("overview", {
  title: "Overview",
  refresh: "Refresh",
  /** `{time}` is a relative time ("5 minutes ago"). */
  updated: "Updated {time}",
  intro: "Counts, trends and what needs attention.",
  rightNow: "Right now",
  loadingCounts: "Loading counts…",
  trends: "Trends",
  trendRange: "Trend range",
  days: count({ one: "{count} day", other: "{count} days" }),
  loadingTrends: "Loading trends…",
  breakdown: "Breakdown",
  subTasksByStatus: "Sub-tasks by status",
  tasksByStatus: "Tasks by status",
  agentsByRole: "Agents by role",
  noneYet: "None yet.",
  needsAttention: "Needs attention",
  loadingHighlights: "Loading highlights…",
});

export const cards = i18n("overview/cards", {
  openTasks: "Open tasks",
  activeSubTasks: "Active sub-tasks",
  waitingForReview: "Waiting for review",
  blockedSubTasks: "Blocked sub-tasks",
  activeAgents: "Active agents",
  completedToday: "Completed today",
  openAnomalies: "Open anomalies",
  disabledAgents: "Disabled agents",
  reviewsToday: "Reviews today",
  rejectedToday: "Rejected today",
  rejectionRate: "Rejection rate",
  netScoreToday: "Net score today",
});

export const charts = i18n("overview/charts", {
  subTasks: "Sub-tasks",
  created: "Created",
  completed: "Completed",
  reviews: "Reviews",
  approved: "Approved",
  rejected: "Rejected",
  scoreChange: "Score change",
  net: "Net",
  agentTraffic: "Agent traffic",
  apiRequests: "API requests",
  activityLogs: "Activity logs",
  noDays: "No days in this range.",
});

export const panels = i18n("overview/panels", {
  blocked: "Blocked sub-tasks",
  blockedEmpty: "Nothing is blocked.",
  waiting: "Waiting for review",
  waitingEmpty: "The review queue is empty.",
  busiest: "Busiest agents",
  busiestEmpty: "No agent has open work.",
  quiet: params("Quiet agents ({hours} h)"),
  quietEmpty: "Every agent was active recently.",
  recentReviews: "Recent reviews",
  recentReviewsEmpty: "No reviews yet.",
  unassigned: "unassigned",
  rework: params("rework {n}"),
  openWork: params("{n} open"),
  score: params("score {score}"),
  /** `{time}` is a relative time. */
  lastSeen: "last seen {time}",
  noScore: "no score",
  stars: params("{score} of 5"),
});
