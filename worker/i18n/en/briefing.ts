// The briefing's next steps, in English: the source the other languages are typed against. Commands
// arrive built (cli-command.ts `cli()`) and names arrive JSON-quoted, so a text only arranges them:
// no language ever changes a command.
type Name = { name: string };

export const briefing = {
  /** Said wherever work is claimed, started or continued. */
  sharedWorkspace: (p: { workspace: string }) => ` Shared workspace: ${p.workspace}.`,
  rulesSent: " Task rules apply: see Rules.",
  rulesToRead: (p: { command: string }) => ` Task rules apply: read them first with ${p.command}.`,

  updateFirst: (p: { command: string }) => `Update your CLI and skill first: ${p.command}.`,
  reflect: (p: { points: number; reason: string; command: string }) =>
    `You lost ${p.points} points (reason: ${p.reason}). Find out why and write down the lesson: ${p.command}.`,
  rework: (p: Name & { round: number; start: string; submit: string }) =>
    `Rework ${p.name} (round ${p.round}): ${p.start}, fix what the review found, then ${p.submit}.`,
  reviewersIssues: (p: { issues: string }) => ` Reviewer's issues: ${p.issues}.`,
  continueWork: (p: Name & { get: string; deliver: string; submit: string }) =>
    `Continue ${p.name} (${p.get} has its acceptance criteria); when done, ${p.deliver}, then ${p.submit}.`,
  fixIssues: (p: { issues: string }) => ` Fix the review's issues: ${p.issues}.`,
  start: (p: Name & { command: string }) => `Start ${p.name}: ${p.command}.`,
  myBlocked: (p: Name & { command: string }) =>
    `${p.name} is blocked; the planner decides what happens next. Add what you know with ${p.command}.`,
  claim: (p: Name & { claim: string; start: string }) => `Claim ${p.name}: ${p.claim}, then ${p.start}.`,
  /** The lessons this briefing carries (`lessons`: other agents' words, quoted there, never in a step). */
  lessons: (p: { count: number; command: string }) =>
    `Read the ${p.count === 1 ? "lesson" : `${p.count} lessons`} from similar past work in lessons (quoted reflections and review issues); more with ${p.command}.`,
  /** The previous verdict of a resubmission; `issues` is quoted, or "" when it had none. */
  previousRound: (p: { round: number; result: string; score: string; issues: string }) =>
    `; round ${p.round} was ${p.result} ${p.score}/5${p.issues ? `: ${p.issues}` : ""}`,
  review: (p: Name & { round: number; previous: string; get: string; logs: string; approve: string; reject: string }) =>
    `Review ${p.name} (round ${p.round}${p.previous}): read ${p.get} and ${p.logs}, then ${p.approve} or ${p.reject}.`,
  unblock: (p: Name & { logs: string; reassign: string; agents: string; cancel: string; record: string }) =>
    `Unblock ${p.name}: read ${p.logs}, then ${p.reassign} (ids: ${p.agents}) or ${p.cancel}, and record why: ${p.record}.`,
  split: (p: Name & { create: string; activate: string }) =>
    `Split ${p.name} into sub-tasks: ${p.create} (leave out --depends-on when it waits for nothing), then ${p.activate}.`,
  closingReport: (p: Name & { list: string; report: string }) =>
    `${p.name} is complete: read what was delivered (${p.list}), then write the closing report: ${p.report}.`,

  /** The retrospective this briefing carries once (`retrospective`); `period` is 2026-12-04 or 2026-W49. */
  retroOwn: (p: { period: string; command: string }) =>
    `Your retrospective of ${p.period} is in this briefing (retrospective, shown once): read it, then write what you take from it: ${p.command}.`,
  retroFindings: (p: { period: string; count: number; ids: string; command: string }) =>
    `The team retrospective of ${p.period} is in this briefing (retrospective, shown once) with ${p.count} repeated problem(s) (${p.ids}). Turn one into a task rule: ${p.command}.`,
  retroTeam: (p: { period: string; command: string }) =>
    `The team retrospective of ${p.period} is in this briefing (retrospective, shown once); it found no repeated problem. Read it again with ${p.command}.`,

  /** Patrol steps: `subject` is a quoted name or the sub-task's id, `holder` "" or heldBy. */
  subTaskSubject: (p: { id: string }) => `sub-task ${p.id}`,
  agentSubject: (p: { id: string }) => `agent ${p.id}`,
  heldBy: (p: { name: string }) => ` (held by ${p.name})`,
  blockedNow: (p: { subject: string; resolve: string }) =>
    `${p.subject} is blocked now and the planner decides: close your record with ${p.resolve}.`,
  keepsLosingPoints: "keeps losing points",
  openRecord: (p: { type: string }) => `has an open ${p.type} record`,
  agentRecord: (p: { who: string; what: string; logs: string; report: string }) =>
    `${p.who} ${p.what}: read ${p.logs} and note what you find with ${p.report}`,
  mayBeStuck: (p: { subject: string; holder: string; logs: string; block: string }) =>
    `${p.subject}${p.holder} may be stuck: read ${p.logs}; if nothing moves, ${p.block}`,
  unclaimed: (p: { subject: string; agents: string; report: string }) =>
    `Nobody has claimed ${p.subject}: check the executors with ${p.agents} and tell the planner with ${p.report}`,
  noActiveHolder: (p: { subject: string; holder: string; block: string }) =>
    `${p.subject}${p.holder} has no active holder: ${p.block} so the planner reassigns it`,
  keepsFailingReview: (p: { subject: string; holder: string; reviews: string; block: string }) =>
    `${p.subject}${p.holder} keeps failing review: read ${p.reviews}; if it will not converge, ${p.block}`,
  otherRecord: (p: { subject: string; holder: string; severity: string; type: string; logs: string }) =>
    `${p.subject}${p.holder} has a ${p.severity} ${p.type} record: read ${p.logs}`,
  /** How a patrol step ends: the agent closes its own record; the server closes the cron's. */
  thenResolve: (p: { resolve: string }) => `, then ${p.resolve}`,
  serverCloses: " (the server closes this record once it clears)",
  patrolStep: (p: { action: string; close: string }) => `${p.action}${p.close}.`,

  /** The heading of a task's or sub-task's rules in the merged text. */
  taskRules: (p: { name: string; id: string }) => `**Rules of task ${p.name}** (ID:${p.id})`,
  subTaskRules: (p: { name: string; id: string }) => `**Rules of sub-task ${p.name}** (ID:${p.id})`,

  /**
   * What the server says about an outdated CLI (domain/rules.ts cliHandshake); the download commands
   * (`downloads`) and the CLI commands arrive built. `latest` is the version it can download.
   */
  cliUpdate: {
    oneStep: (p: { latest: number; update: string; downloads: string }) =>
      [
        `Task CLI version ${p.latest} is available. Update in one step with:`,
        "",
        p.update,
        "",
        "or download both files yourself, replacing the old ones:",
        "",
        p.downloads,
      ].join("\n"),
    fromPython: (p: { latest: number; cliFile: string; downloads: string; briefing: string }) =>
      [
        `Task CLI version ${p.latest} is available. It is a Node.js program (Node 18 or newer) named`,
        `${p.cliFile}: do not run your current CLI's update command (it would overwrite your Python file).`,
        "Download the new CLI and your skill next to the old files instead:",
        "",
        p.downloads,
        "",
        `Then use \`${p.briefing}\` at the start of every run.`,
      ].join("\n"),
    notice: (p: { latest: number; downloads: string; update: string }) =>
      [
        "## ⚠️ Tool update notice",
        "",
        `Your task CLI is older than the one this server distributes (version ${p.latest}).`,
        "Download the latest CLI and skill file now, overwriting the copies you have:",
        "",
        "```bash",
        p.downloads,
        "```",
        "",
        "The new CLI (Node.js 18 or newer) has an `update` command, so later updates take one step:",
        `\`${p.update}\`.`,
      ].join("\n"),
  },
};
