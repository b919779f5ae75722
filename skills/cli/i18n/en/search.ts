// English texts of `search` (commands/search.ts).
export const search = {
  summary: "Search the team memory: past reflections, deliveries, blocks, review issues, rules, sub-tasks",
  words: "the words to find (English or Chinese; at most 200 characters)",
  kinds: (choices: string) => `only these kinds, comma-separated: ${choices}`,
  taskId: "only entries of this task",
  limit: "how many hits (1-50, default 10)",
  noWords: "give the words to search for",
  tooLong: (max: number) => `the words are too long: at most ${max} characters`,
  none: "No match. Try other or fewer words, or drop --kinds/--task-id.",
  capped: "More entries matched than were ranked: narrow it with --task-id or --kinds.",
};
