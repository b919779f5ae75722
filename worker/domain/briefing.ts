// The wake-up briefing: what an agent needs in one call, cut to a fixed size, plus the next steps it
// implies. Pure: the route loads rows, this module shapes them.
import type { Role } from "../../contract/vocabulary";
import { CLI_COMMAND } from "./cli-command";
import { quote } from "./text-rules";

/** Every list and text is capped, so the briefing's size does not grow with the database. */
export const BRIEFING_LIMITS = {
  /** The caller's own open sub-tasks (full detail). */
  mySubTasks: 10,
  /** Each role queue list (names and ids only). */
  queue: 20,
  reflections: 5,
  scoreChanges: 5,
  /** Characters kept of a long text field (description, acceptance, review issues, log summaries). */
  text: 1_000,
  /** Characters kept of the merged rules; `briefing --rules full` sends them again, `rules` per task. */
  rules: 20_000,
  /** Rule rows merged (global, then the tasks' and sub-tasks' rules of open and claimable work). */
  ruleRows: 100,
  /** Days a completed task stays in the planner's "recently completed" list. */
  recentDays: 7,
} as const;

/** Hex characters of the SHA-256 of the merged rules that name their revision. */
const REVISION_CHARS = 12;

/** A short name for a version of the merged rules: equal texts, equal revisions. */
export async function rulesRevision(merged: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(merged));
  return [...new Uint8Array(digest)]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("")
    .slice(0, REVISION_CHARS);
}

/** The label a task's or sub-task's rules get in the merged text, so rules of several tasks stay apart. */
export const ruleLabel = (scope: "task" | "sub_task", name: string, id: string) =>
  `**Rules of ${scope === "task" ? "task" : "sub-task"} ${quote(name)}** (ID:${id})`;

/** A review verdict as the briefing names it; `issues` may be only the first line. */
export interface BriefReview {
  round: number;
  result: string;
  score?: number | null;
  issues: string;
}
export interface BriefSubTask {
  id: string;
  task_id: string;
  name: string;
  status: string;
  rework_count: number;
  latest_review: BriefReview | null;
}
export interface BriefTask {
  id: string;
  name: string;
}
export interface BriefAnomaly {
  id: string;
  type: string;
  severity: string;
  sub_task_id: string | null;
  sub_task_name: string | null;
  sub_task_status: string | null;
  agent_id: string | null;
  agent_name: string | null;
  /** `cron` (the server's own detection) or `agent` (filed by a patrol agent). */
  source: string;
}
export interface BriefScoreChange {
  score_delta: number;
  reason: string;
  sub_task_id: string | null;
  created_at: string;
}

export interface NextStepInput {
  role: Role;
  updateAvailable: boolean;
  mySubTasks: readonly BriefSubTask[];
  scoreChanges: readonly BriefScoreChange[];
  /** When the caller last wrote a reflection log, or null. */
  lastReflectionAt: string | null;
  queue: {
    available?: readonly BriefSubTask[];
    awaiting_review?: readonly BriefSubTask[];
    blocked?: readonly BriefSubTask[];
    tasks_to_decompose?: readonly BriefTask[];
    recently_completed?: readonly BriefTask[];
    open_anomalies?: readonly BriefAnomaly[];
  };
  /** Shared workspaces by task id (tasks that name one). */
  workspaces?: ReadonlyMap<string, string>;
  /** Ids of the tasks and sub-tasks that have rules of their own. */
  ruled?: ReadonlySet<string>;
  /** The merged rules travel with this briefing (false: unchanged since the agent's last one). */
  rulesIncluded?: boolean;
}

const cli = (command: string) => `\`${CLI_COMMAND} ${command}\``;
const MAX_STEPS = 8;
/**
 * Characters of next steps in one briefing (the first step always goes in): the wake-up stays short
 * whatever the queue holds; the queue lists show what the steps leave for the next wake-up.
 */
export const STEPS_CHARS = 1_500;
/** Steps per queue list: more would only repeat the same command; the list shows the rest. */
const STEPS_PER_LIST = 3;
/** Characters of the reviewer's issues a rework step quotes; `my_sub_tasks` carries more. */
const ISSUES_MAX = 500;
/** Characters of the previous verdict's first issue line a review step quotes. */
const FIRST_ISSUE_MAX = 120;

/** The first line of a review's issues (what a glance needs), or "". */
export const firstLine = (text: string) => text.split("\n", 1)[0]!.trim();

/** Where the work lives and which rules bind it: said wherever work is claimed, started or continued. */
function context(input: NextStepInput, s: BriefSubTask): string {
  const parts: string[] = [];
  const workspace = input.workspaces?.get(s.task_id);
  if (workspace) parts.push(` Shared workspace: ${quote(workspace)}.`);
  if (input.ruled?.has(s.task_id) || input.ruled?.has(s.id)) {
    // Not sent this time (unchanged): the exact rules of this work, whole, from `rules`.
    parts.push(
      input.rulesIncluded
        ? " Task rules apply: see Rules."
        : ` Task rules apply: read them first with ${cli(`rules --task-id ${s.task_id} --sub-task-id ${s.id}`)}.`,
    );
  }
  return parts.join("");
}

function patrolStep(a: BriefAnomaly): string | null {
  const st = a.sub_task_id;
  const subject = a.sub_task_name !== null ? quote(a.sub_task_name) : st ? `sub-task ${st}` : "";
  const holder = a.agent_name !== null ? ` (held by ${quote(a.agent_name)})` : "";
  const block = st ? cli(`st block ${st} --reason "<what you found>"`) : "";
  const report = (link: string) => cli(`log create patrol "<what you found>"${link}`);
  const resolve = cli(`patrol resolve ${a.id} --note "<how it was handled>"`);
  if (st && a.sub_task_status === "blocked") {
    // Blocked already: what happens next is the planner's call; the patrol only closes its own record.
    return a.source === "agent"
      ? `${subject} is blocked now and the planner decides: close your record with ${resolve}.`
      : null;
  }
  let action: string;
  if (!st && a.agent_id) {
    // score_drop and other agent-level records.
    const who = a.agent_name !== null ? quote(a.agent_name) : `agent ${a.agent_id}`;
    action = `${who} ${a.type === "score_drop" ? "keeps losing points" : `has an open ${a.type} record`}: read ${cli(`log list --agent-id ${a.agent_id}`)} and note what you find with ${report("")}`;
  } else if (!st) {
    return null;
  } else if (a.type === "timeout" || a.type === "stuck") {
    action = `${subject}${holder} may be stuck: read ${cli(`log list --sub-task-id ${st}`)}; if nothing moves, ${block}`;
  } else if (a.type === "orphan" && a.sub_task_status === "pending") {
    action = `Nobody has claimed ${subject}: check the executors with ${cli("agents --role executor")} and tell the planner with ${report(` --sub-task-id ${st}`)}`;
  } else if (a.type === "orphan") {
    action = `${subject}${holder} has no active holder: ${block} so the planner reassigns it`;
  } else if (a.type === "rework_overflow") {
    action = `${subject}${holder} keeps failing review: read ${cli(`review list --sub-task-id ${st}`)}; if it will not converge, ${block}`;
  } else {
    action = `${subject}${holder} has a ${a.severity} ${a.type} record: read ${cli(`log list --sub-task-id ${st}`)}`;
  }
  // The server closes its own records when the condition clears; only agent-filed ones need a hand.
  const close = a.source === "agent" ? `, then ${resolve}` : " (the server closes this record once it clears)";
  return `${action}${close}.`;
}

/**
 * What to do now, most urgent first, each naming the exact CLI command. Stored text (names, reasons,
 * issues, workspaces) appears only as a JSON-quoted string (`quote`), so none of it can pass for a
 * step or a command; ids, roles and numbers are the server's own and stay bare. Commands are in
 * backticks and start with the CLI; text to fill in is a quoted "<…>", a choice `a|b`, a range
 * `<1-5>`. An empty list means there is nothing for this agent: it should end its run quietly.
 */
export function nextSteps(input: NextStepInput): string[] {
  const steps: string[] = [];
  if (input.updateAvailable) steps.push(`Update your CLI and skill first: ${cli("update")}.`);
  const unreflected = input.scoreChanges.filter(
    (change) =>
      change.score_delta < 0 && (input.lastReflectionAt === null || change.created_at > input.lastReflectionAt),
  );
  if (unreflected.length > 0) {
    const change = unreflected[0]!;
    const link = change.sub_task_id ? ` --sub-task-id ${change.sub_task_id}` : "";
    steps.push(
      `You lost ${-change.score_delta} points (reason: ${quote(change.reason)}). Find out why and write down the lesson: ${cli(`log create reflection "<what went wrong, what you will do differently>"${link}`)}.`,
    );
  }
  const mine = (status: string) => input.mySubTasks.filter((s) => s.status === status);
  for (const s of mine("rework")) {
    const issues = s.latest_review?.issues ? ` Reviewer's issues: ${quote(s.latest_review.issues, ISSUES_MAX)}.` : "";
    steps.push(
      `Rework ${quote(s.name)} (round ${s.rework_count}): ${cli(`st start ${s.id}`)}, fix what the review found, then ${cli(`st submit ${s.id}`)}.${issues}${context(input, s)}`,
    );
  }
  for (const s of mine("in_progress")) {
    const r = s.latest_review;
    const fix = r?.result === "rejected" && r.issues ? ` Fix the review's issues: ${quote(r.issues, ISSUES_MAX)}.` : "";
    steps.push(
      `Continue ${quote(s.name)} (${cli(`st get ${s.id}`)} has its acceptance criteria); when done, ${cli(`log create delivery "<what you delivered and where>" --sub-task-id ${s.id}`)}, then ${cli(`st submit ${s.id}`)}.${fix}${context(input, s)}`,
    );
  }
  for (const s of mine("assigned"))
    steps.push(`Start ${quote(s.name)}: ${cli(`st start ${s.id}`)}.${context(input, s)}`);
  for (const s of mine("blocked"))
    steps.push(
      `${quote(s.name)} is blocked; the planner decides what happens next. Add what you know with ${cli(`log create blocked "<details>" --sub-task-id ${s.id}`)}.`,
    );

  const q = input.queue;
  const first = <T>(list: readonly T[] | undefined) => (list ?? []).slice(0, STEPS_PER_LIST);
  const idle = input.mySubTasks.every((s) => s.status === "review");
  const firstAvailable = q.available?.[0];
  if (input.role === "executor" && idle && firstAvailable) {
    const s = firstAvailable;
    steps.push(
      `Claim ${quote(s.name)}: ${cli(`st claim ${s.id}`)}, then ${cli(`st start ${s.id}`)}.${context(input, s)}`,
    );
  }
  for (const s of first(q.awaiting_review)) {
    const r = s.latest_review;
    const previous = r
      ? `; round ${r.round} was ${r.result} ${r.score ?? "-"}/5${r.issues ? `: ${quote(r.issues, FIRST_ISSUE_MAX)}` : ""}`
      : "";
    steps.push(
      `Review ${quote(s.name)} (round ${(r?.round ?? 0) + 1}${previous}): read ${cli(`st get ${s.id}`)} and ${cli(`log list --sub-task-id ${s.id} --action delivery`)}, then ${cli(`review create ${s.id} approved <1-5> --comment "<summary>"`)} or ${cli(`review create ${s.id} rejected <1-5> --comment "<summary>" --issues "<what to fix>"`)}.${context(input, s)}`,
    );
  }
  for (const s of first(q.blocked)) {
    steps.push(
      `Unblock ${quote(s.name)}: read ${cli(`log list --sub-task-id ${s.id}`)}, then ${cli(`st reassign ${s.id} <agent_id>`)} (ids: ${cli("agents --role executor")}) or ${cli(`st cancel ${s.id}`)}, and record why: ${cli(`log create plan "<your decision>" --sub-task-id ${s.id}`)}.`,
    );
  }
  for (const t of first(q.tasks_to_decompose)) {
    steps.push(
      `Split ${quote(t.name)} into sub-tasks: ${cli(`st create ${t.id} "<name>" --desc "<what to do>" --deliverable "<what to hand in>" --acceptance "<when it is done>" --depends-on <sub_task_id,…>`)} (leave out --depends-on when it waits for nothing), then ${cli(`task status ${t.id} active`)}.`,
    );
  }
  for (const t of first(q.recently_completed)) {
    steps.push(
      `${quote(t.name)} is complete: read what was delivered (${cli(`st list --task-id ${t.id}`)}), then write the closing report: ${cli(`log create delivery "<closing report>" --task-id ${t.id}`)}.`,
    );
  }
  const patrolSteps = (q.open_anomalies ?? []).map(patrolStep).filter((step) => step !== null);
  steps.push(...patrolSteps.slice(0, STEPS_PER_LIST));
  return withinBudget(steps.slice(0, MAX_STEPS));
}

/** The most urgent steps that fit in `STEPS_CHARS`, in order: a step that does not fit ends the list. */
function withinBudget(steps: string[]): string[] {
  let used = 0;
  const kept: string[] = [];
  for (const step of steps) {
    used += step.length;
    if (kept.length > 0 && used > STEPS_CHARS) break;
    kept.push(step);
  }
  return kept;
}
