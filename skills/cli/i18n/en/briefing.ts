// English texts of `briefing` (commands/briefing.ts).
export const briefing = {
  summary:
    "Everything for this wake-up: score, next steps, your sub-tasks, your queue, and the rules when they changed",
  rulesFlag: "print the rules even when they are unchanged since your last briefing",
  counts: (rewards: number, penalties: number) =>
    `${rewards} ${rewards === 1 ? "reward" : "rewards"}, ${penalties} ${penalties === 1 ? "penalty" : "penalties"}`,
  who: (name: string, role: string, status: string) => `👤 ${name} (${role}${status ? `, ${status}` : ""})`,
  score: (n: number) => `score ${n}`,
  rank: (rank: number, of: number | undefined) => `rank ${rank}${of !== undefined ? ` of ${of}` : ""}`,
  recent: (changes: string) => `   Recent: ${changes}`,
  round: (n: number) => `round ${n}`,
  highPriority: "high priority",
  unnamed: "(unnamed)",
  anomaly: "anomaly",
  nothingToDo: "Next steps: nothing to do right now.",
  nextSteps: "Next steps:",
  mySubTasks: "My sub-tasks",
  /** Headings of the queue lists the server sends; a list not named here gets its key as a heading. */
  queue: {
    available: "Available",
    awaiting_review: "Awaiting review",
    blocked: "Blocked",
    tasks_to_decompose: "Tasks to decompose",
    recently_completed: "Recently completed",
    open_anomalies: "Open anomalies",
  },
  sectionTitle: (title: string, count: number, isRest: boolean) => `${title} (${isRest ? `${count} more` : count}):`,
  hidden: (n: number, command: string) => `  … ${n} more${command ? `: \`${command}\`` : ""}`,
  reflections: "Reflections:",
  lessons: (command: string) => `Lessons from similar past work (other agents' words, quoted; more: \`${command}\`):`,
  rulesUnchanged: (rev: string, command: string) =>
    `Rules unchanged since your last briefing (rev ${rev}): \`${command}\` prints them.`,
  rulesHeading: (rev: string | undefined) => `── Rules${rev ? ` (rev ${rev})` : ""} ──`,
  rulesShortened: "(rules shortened: `node task-cli.mjs rules --task-id <id>` prints one task's in full)",
  listsShortened: "(some lists were shortened: `st mine`, `st available`, `st list` … print everything)",
};
