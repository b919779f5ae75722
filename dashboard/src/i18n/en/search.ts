// The team memory search page (/search?q=).
import { count, params } from "@nanostores/i18n";
import { i18n } from "../index";

export const searchPage = i18n("search", {
  title: "Search",
  intro:
    "The team memory: reflections, deliveries, blocks, plans, retro notes, review issues, rules and sub-task descriptions, best match first. English and Chinese.",
  filterLabel: "Search the team memory",
  query: "Words",
  queryPlaceholder: "e.g. timeout retry",
  kinds: "Kinds",
  task: "Task",
  allTasks: "All tasks",
  loading: "Searching…",
  prompt: "Type some words to search the team memory.",
  noMatch: "Nothing matches these words.",
  noMatchHint: "Try other or fewer words, or clear the kind and task filters.",
  failed: "The search was refused",
  resultsLabel: "Search results",
  found: count({ one: "{count} hit", other: "{count} hits" }),
  capped: "More entries matched than were ranked: add words or filter by task to narrow it.",
  /** A hit's link to what it belongs to. */
  openSubTask: params("Sub-task {name}"),
  openTask: "Open the task",
});
