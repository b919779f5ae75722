// Retrospectives: the list (pages/retrospectives.tsx), one retrospective rendered from its body
// (pages/retrospective-detail.tsx and parts/retro-sections.tsx), the finding → task rule dialog and
// the settings section (pages/parts/settings-retro.tsx).
import { count, params } from "@nanostores/i18n";
import { i18n } from "../index";

/** Labels shared by the list and the detail: periods, scopes, counts. */
export const retroWords = i18n("retros/words", {
  /** ISO week `{week}` of `{year}`. */
  week: params("Week {week}, {year}"),
  team: "Team",
  agentFallback: params("agent {id}"),
  partial: "Partial",
  partialHint: "Made before the period ended; the scheduled run replaces it.",
  repeated: "Repeated",
  repeatedHint: "A problem seen in an earlier period too.",
  subTasksDone: count({ one: "{count} sub-task done", other: "{count} sub-tasks done" }),
  reviews: count({ one: "{count} review", other: "{count} reviews" }),
  rejections: count({ one: "{count} rejection", other: "{count} rejections" }),
  reworked: count({ one: "{count} sub-task reworked", other: "{count} sub-tasks reworked" }),
  reflections: count({ one: "{count} reflection", other: "{count} reflections" }),
  retroLogs: count({ one: "{count} retro log", other: "{count} retro logs" }),
  anomalies: count({ one: "{count} anomaly", other: "{count} anomalies" }),
  scoreNet: params("Score {net}"),
});

export const retroList = i18n("retros/list", {
  title: "Retrospectives",
  intro:
    "What each day or week taught the team: repeated review problems, rework, reflections, anomalies and score movers.",
  loading: "Loading retrospectives…",
  none: "No retrospectives yet. The cron writes one after each period; run one now to see the current period.",
  scope: "Scope",
  all: "All",
  period: "Period",
  list: "Retrospectives",
  generated: "generated {when}",
  byCron: "by the cron",
  byHand: "on request",
  run: "Run now",
  runTitle: "Run a retrospective",
  runIntro:
    "Summarizes a finished period, or the current one so far (marked partial). Running a period again returns the one already made.",
  runDate: "A day in the period (optional)",
  runDateHint: "Empty: the latest finished period.",
  runSubmit: "Run",
  running: "Running…",
  pagerNoun: "retrospectives",
  total: count({ one: "{count} retrospective", other: "{count} retrospectives" }),
});

export const retroDetail = i18n("retros/detail", {
  fallbackTitle: "Retrospective",
  back: "Retrospectives",
  loading: "Loading the retrospective…",
  loadFailed: "Could not load the retrospective",
  teamTitle: params("Team retrospective · {period}"),
  agentTitle: params("{agent}'s retrospective · {period}"),
  summary: "{kind} · {zone} · {trigger} · generated {when}",
  counts: "Totals",
  countsLabel: "Totals of the period",
  patterns: "Repeated problems",
  noPatterns: "No problem came up more than once.",
  patternIssue: "Review issue",
  patternType: "Kind of sub-task",
  seenCount: count({ one: "seen once", other: "seen {count} times" }),
  seenBefore: params("also in {periods}"),
  mostOn: "Mostly on task {task}",
  makeRule: "Make a task rule",
  ruleMade: "Rule made",
  findingsLabel: "Findings",
  rejections: "Rejections",
  noRejections: "No review was rejected.",
  executor: "Executor: {name}",
  reviewer: "Reviewer: {name}",
  score: params("Score {score}"),
  reworkCall: "rework",
  rework: "Rework by agent",
  reworkLine: "{agent}: {rejections} rejections over {subTasks} sub-tasks",
  unassigned: "Unassigned",
  reflections: "Reflections",
  noReflections: "No reflection was written.",
  anomalies: "Anomalies",
  noAnomalies: "The patrol found nothing.",
  anomalyCount: count({ one: "{count} time", other: "{count} times" }),
  movers: "Score movers",
  up: "Up",
  down: "Down",
  noMovers: "No score changed.",
  moverLine: "{agent}: {net} over {entries} entries",
  longest: "Longest sub-tasks",
  noLongest: "No sub-task was finished.",
  leadTime: params("{time} from creation to done"),
  workTime: params("{time} of work"),
  reworkCount: count({ one: "reworked once", other: "reworked {count} times" }),
  truncated: "Some lists were cut at their limit; the totals count everything.",
  storedText: "As agents read it",
  storedTextHint: "Written once, in the project's language at the time.",
});

export const ruleDialog = i18n("retros/rule", {
  title: "Make a task rule",
  intro: "Agents working on the task read this rule in every briefing. It is saved as written.",
  task: "Task",
  content: "Rule",
  contentHint: "Edit freely. Agents read it as written.",
  suggestion: params('Recurring review issue (seen {n}× in {period}): "{sample}". Check this before you submit.'),
  typeSuggestion: params(
    'Sub-tasks like "{sample}" were rejected {n}× in {period}. Read the acceptance criteria twice before you submit.',
  ),
  submit: "Make rule",
  busy: "Saving…",
  empty: "Write the rule first.",
});

export const retroSettings = i18n("retros/settings", {
  intro: "When the cron writes a retrospective, whose days and weeks count, and how long they are kept.",
  schedule: "Write one",
  zone: "Time zone of the periods",
  zoneHint: "Days and ISO weeks start at midnight in this zone (IANA name, e.g. Asia/Shanghai).",
  zoneInvalid: "This browser does not know that time zone.",
  retention: "Keep for (days)",
  retentionHint: "Older retrospectives are deleted by the nightly housekeeping.",
  retentionInvalid: "Keep for must be a whole number from 1 to 3650.",
});
