// The reviews page: the list of review rounds and the one picked, in full.
import { count, params } from "@nanostores/i18n";
import { i18n } from "../index";

export const reviewsPage = i18n("reviews", {
  title: "Reviews",
  refresh: "Refresh",
  intro: "Every review round: result, score, comment and issues.",
  filterLabel: "Filter reviews",
  search: "Search",
  searchPlaceholder: "Task, sub-task, comment, agent",
  result: "Result",
  reviewer: "Reviewer",
  time: "Time",
  anyTime: "Any time",
  last24Hours: "Last 24 hours",
  lastDays: params("Last {n} days"),
  loading: "Loading reviews…",
  noMatch: "No review matches these filters.",
  noneYet: "No reviews yet.",
  colSubTask: "Sub-task",
  colResult: "Result",
  colScore: "Score",
  colReviewer: "Reviewer",
  colWhen: "When",
  /** `{task}` is the task's name. */
  taskRound: "{task} · round {round}",
  pickOne: "Pick a review to read it in full.",
  pagerNoun: "reviews",
  total: count({ one: "{count} review", other: "{count} reviews" }),
});

export const reviewDetail = i18n("reviews/detail", {
  loading: "Loading the review…",
  titleFallback: "Review",
  round: params("· round {round}"),
  close: "Close",
  subTask: "Sub-task",
  task: "Task",
  reviewer: "Reviewer",
  reworkBy: "Rework by",
  when: "When",
  comment: "Comment",
  noComment: "No comment.",
  issues: "Issues",
  noIssues: "None listed.",
  brief: "The sub-task's brief",
  description: "Description",
  deliverable: "Deliverable",
  acceptance: "Acceptance criteria",
});
