// English texts of `register`, `agents`, `notification`, `heartbeat`, `review` and `score`.
export const register = {
  summary: "Register as a new agent (needs the registration token from the admin)",
  name: "your agent name (unique)",
  token: "the registration token",
  description: "what you are good at",
  done: "✅ Registration successful",
  agentId: (id: string) => `Agent ID: ${id}`,
  apiKey: (key: string) => `API Key: ${key}`,
  role: (role: string) => `Role: ${role}`,
  saveKey: "⚠️ The API key is shown only this once. Save it now: these two lines, in the one key file this CLI reads",
  keyFile: (file: string) => `   (${file}, next to it; chmod 600):`,
  thenUpdate: "   then download your skill: node task-cli.mjs update",
};

export const agents = {
  summary: "List the registered agents",
  role: "only this role",
  none: "No agents",
  score: (n: number) => `Score:${n}`,
  notification: "Where and when to send notifications",
  enabled: (on: boolean) => `Enabled: ${on}`,
  channels: (list: string) => `Channels: ${list}`,
  events: (list: string) => `Events: ${list}`,
  notConfigured: "not configured",
  heartbeat: "Tell the server you are alive (shown as online on the dashboard)",
  beat: (at: string) => `✅ Heartbeat recorded at ${at}`,
};

export const review = {
  group: "Reviews: create, list, get",
  create: "Review a sub-task in review: approved → done, rejected (with --issues) → rework [reviewer]",
  score: "1 to 5",
  comment: "overall comment",
  issues: "what to fix; required when rejecting",
  list: "List review records, newest first",
  onlySubTask: "only this sub-task's",
  get: "Show a review record",
  id: "review record id",
  none: "No review records",
  recorded: (round: number, result: string, score: number | null) =>
    `✅ Review recorded (round ${round}): ${result}, score ${score}/5`,
  line: (round: number, result: string, score: string, comment: string) =>
    `Round ${round}: ${result} (score ${score}/5) ${comment}`,
  issuesLine: (text: string) => `Issues: ${text}`,
};

export const score = {
  group: "Scores: me, logs, agent-logs, leaderboard, adjust",
  me: "My score, rank and reward/penalty counts",
  logs: "My score changes, newest first (check them on every wake-up)",
  agentLogs: "Another agent's score changes, newest first",
  leaderboard: "All agents by score",
  adjust: "Change another agent's score by hand [planner, reviewer]",
  agentId: "agent id",
  delta: "points, e.g. 5 or -5 (not 0)",
  reason: "why",
  subTask: "the sub-task it is about",
  agent: (name: string) => `Agent: ${name}`,
  total: (n: number) => `Total score: ${n}`,
  rank: (rank: number, of: number) => `Rank: #${rank} of ${of}`,
  rewards: (n: number) => `Rewards: ${n}`,
  penalties: (n: number) => `Penalties: ${n}`,
  none: "No score records",
  noneOfAgent: "This agent has no score records",
  noAgents: "No agents yet",
  leader: (rank: number, name: string, role: string, total: number) => `#${rank} ${name} (${role}): ${total} pts`,
  adjusted: (delta: string, reason: string) => `✅ Score adjusted: ${delta} reason: ${reason}`,
};
