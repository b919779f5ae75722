// English texts of `log`, `patrol`, `rules`, `rule`, `update` and `version`.
export const log = {
  group: "Activity log: create, mine, list",
  create: "Write a log entry",
  mine: "My recent log entries, newest first",
  list: "Everyone's recent log entries, newest first",
  onlyAction: (actions: string) => `only this action (${actions})`,
  days: "look back N days (default 7, at most 60)",
  limit: "at most N entries (default 20, at most 500)",
  taskFilter: "only about this task (its sub-tasks' logs and its own)",
  subTaskFilter: "only about this sub-task",
  agentFilter: "only by this agent",
  summary: "what happened",
  subTask: "the sub-task it is about (its task is implied)",
  task: "the task it is about, without a sub-task (e.g. a task's closing delivery)",
  none: "No log records",
  onSubTask: (name: string | null | undefined, id: string) => ` on ${name ?? "sub-task"} (${id})`,
  inTask: (name: string) => ` in ${name}`,
  by: (who: string) => `by ${who}`,
  written: (action: string) => `✅ Log written: ${action}`,
};

export const patrol = {
  group: "Patrol: check, records, report, resolve",
  check: "Current anomalies by the server's rules (writes nothing)",
  records: "Patrol records, newest first",
  report: "File a record for an anomaly you found (one open record per type and target) [patrol]",
  resolve: "Resolve an open patrol record [patrol, planner]",
  description: "what is wrong",
  subTask: "the sub-task concerned (this or --agent-id, or both)",
  agent: "the agent concerned",
  actionTaken: "what you already did, e.g. blocked it",
  id: "patrol record id",
  note: "how it was resolved",
  checked: (at: string, n: number) => `Checked at ${at}: ${n} anomalies`,
  incomplete: " (incomplete: too many open sub-tasks to read in one check)",
  noAnomalies: "No anomalies",
  cronBlocks: " (the cron blocks it)",
  none: "No patrol records",
  filed: (id: string, what: string) => `✅ Patrol record filed: ${id} (${what})`,
  resolved: (id: string) => `✅ Resolved: ${id}`,
};

export const rules = {
  summary: "The rules in full (global, then the task's and sub-task's); `briefing` shows them when they change",
  addTask: "add this task's rules",
  addSubTask: "add this sub-task's rules",
  none: "(no rules)",
  updateAvailable: (from: number, to: string) =>
    `⚠️ Tool update available (v${from} → v${to}): run \`node task-cli.mjs update\``,
  group: "Rules of a task or sub-task: create",
  create: "Add a rule to a task or a sub-task (give exactly one of --task-id, --sub-task-id) [planner]",
  content: "the rule, Markdown",
  forTask: "a rule for this task",
  forSubTask: "a rule for this sub-task",
  created: (id: string, scope: string) => `✅ Rule created: ${id} (${scope})`,
};

export const update = {
  summary: "Download the latest CLI (replacing this file) and your SKILL.md (next to it)",
  downloading: "⬇️  Downloading the CLI and SKILL.md…",
  notTheCli: (start: string) => `❌ Download failed: /api/tools/cli did not return the CLI: ${start}`,
  cannotWrite: (file: string, reason: string) => `❌ Cannot write ${file}: ${reason}`,
  cliDone: (file: string) => `✅ CLI updated: ${file}`,
  skillDone: (file: string) => `✅ SKILL.md updated: ${file}`,
};

export const version = {
  summary: "Show the CLI version and the server address in use",
  baseUrl: (url: string) => `Base URL: ${url}`,
  notConfigured: "(not configured)",
  keyFile: (file: string) => `Key file: ${file}`,
};
