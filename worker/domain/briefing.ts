// The wake-up briefing: what an agent needs in one call, cut to a fixed size, plus the next steps it
// implies. Pure: the route loads rows, this module shapes them.
import type { BriefRetrospective } from "../../contract/api/retrospectives";
import type { Role } from "../../contract/vocabulary";
import { type Catalogue, catalogue } from "../i18n";
import { retroStep } from "./briefing-retro";
import { cli } from "./cli-command";
import { quote } from "./text-rules";

/** The briefing texts of one language (i18n/<lang>/briefing.ts). */
export type BriefingTexts = Catalogue["briefing"];
const ENGLISH = catalogue("en").briefing;

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
export const ruleLabel = (scope: "task" | "sub_task", name: string, id: string, t: BriefingTexts = ENGLISH) =>
  (scope === "task" ? t.taskRules : t.subTaskRules)({ name: quote(name), id });

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
  /** The retrospective this briefing carries (shown once), or null. */
  retrospective?: BriefRetrospective | null;
  /** How many lessons from the team memory this briefing carries (`lessons`). */
  lessons?: number;
}

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
function context(input: NextStepInput, s: BriefSubTask, t: BriefingTexts): string {
  const parts: string[] = [];
  const workspace = input.workspaces?.get(s.task_id);
  if (workspace) parts.push(t.sharedWorkspace({ workspace: quote(workspace) }));
  if (input.ruled?.has(s.task_id) || input.ruled?.has(s.id)) {
    // Not sent this time (unchanged): the exact rules of this work, whole, from `rules`.
    parts.push(
      input.rulesIncluded
        ? t.rulesSent
        : t.rulesToRead({ command: cli(`rules --task-id ${s.task_id} --sub-task-id ${s.id}`) }),
    );
  }
  return parts.join("");
}

function patrolStep(a: BriefAnomaly, t: BriefingTexts): string | null {
  const st = a.sub_task_id;
  const subject = a.sub_task_name !== null ? quote(a.sub_task_name) : st ? t.subTaskSubject({ id: st }) : "";
  const holder = a.agent_name !== null ? t.heldBy({ name: quote(a.agent_name) }) : "";
  const block = st ? cli(`st block ${st} --reason "<what you found>"`) : "";
  const report = (link: string) => cli(`log create patrol "<what you found>"${link}`);
  const resolve = cli(`patrol resolve ${a.id} --note "<how it was handled>"`);
  if (st && a.sub_task_status === "blocked") {
    // Blocked already: what happens next is the planner's call; the patrol only closes its own record.
    return a.source === "agent" ? t.blockedNow({ subject, resolve }) : null;
  }
  let action: string;
  if (!st && a.agent_id) {
    // score_drop and other agent-level records.
    const who = a.agent_name !== null ? quote(a.agent_name) : t.agentSubject({ id: a.agent_id });
    const what = a.type === "score_drop" ? t.keepsLosingPoints : t.openRecord({ type: a.type });
    action = t.agentRecord({ who, what, logs: cli(`log list --agent-id ${a.agent_id}`), report: report("") });
  } else if (!st) {
    return null;
  } else if (a.type === "timeout" || a.type === "stuck") {
    action = t.mayBeStuck({ subject, holder, logs: cli(`log list --sub-task-id ${st}`), block });
  } else if (a.type === "orphan" && a.sub_task_status === "pending") {
    action = t.unclaimed({ subject, agents: cli("agents --role executor"), report: report(` --sub-task-id ${st}`) });
  } else if (a.type === "orphan") {
    action = t.noActiveHolder({ subject, holder, block });
  } else if (a.type === "rework_overflow") {
    action = t.keepsFailingReview({ subject, holder, reviews: cli(`review list --sub-task-id ${st}`), block });
  } else {
    action = t.otherRecord({
      subject,
      holder,
      severity: a.severity,
      type: a.type,
      logs: cli(`log list --sub-task-id ${st}`),
    });
  }
  // The server closes its own records when the condition clears; only agent-filed ones need a hand.
  const close = a.source === "agent" ? t.thenResolve({ resolve }) : t.serverCloses;
  return t.patrolStep({ action, close });
}

/**
 * What to do now, most urgent first, each naming the exact CLI command, in the language of `t`. Stored
 * text (names, reasons, issues, workspaces) appears only as a JSON-quoted string (`quote`), so none of
 * it can pass for a step or a command; ids, roles and numbers are the server's own and stay bare.
 * Commands are in backticks, start with the CLI and are the same in every language; text to fill in
 * is a quoted "<…>", a choice `a|b`, a range `<1-5>`. An empty list means there is nothing for this
 * agent: it should end its run quietly.
 */
export function nextSteps(input: NextStepInput, t: BriefingTexts = ENGLISH): string[] {
  const steps: string[] = [];
  if (input.updateAvailable) steps.push(t.updateFirst({ command: cli("update") }));
  const unreflected = input.scoreChanges.filter(
    (change) =>
      change.score_delta < 0 && (input.lastReflectionAt === null || change.created_at > input.lastReflectionAt),
  );
  if (unreflected.length > 0) {
    const change = unreflected[0]!;
    const link = change.sub_task_id ? ` --sub-task-id ${change.sub_task_id}` : "";
    steps.push(
      t.reflect({
        points: -change.score_delta,
        reason: quote(change.reason),
        command: cli(`log create reflection "<what went wrong, what you will do differently>"${link}`),
      }),
    );
  }
  // Early: the retrospective is shown once, so its step must not fall to the size budget.
  if (input.retrospective) steps.push(retroStep(input.retrospective, input.role, t));
  const mine = (status: string) => input.mySubTasks.filter((s) => s.status === status);
  for (const s of mine("rework")) {
    const issues = s.latest_review?.issues
      ? t.reviewersIssues({ issues: quote(s.latest_review.issues, ISSUES_MAX) })
      : "";
    const step = t.rework({
      name: quote(s.name),
      round: s.rework_count,
      start: cli(`st start ${s.id}`),
      submit: cli(`st submit ${s.id}`),
    });
    steps.push(`${step}${issues}${context(input, s, t)}`);
  }
  for (const s of mine("in_progress")) {
    const r = s.latest_review;
    const fix = r?.result === "rejected" && r.issues ? t.fixIssues({ issues: quote(r.issues, ISSUES_MAX) }) : "";
    const step = t.continueWork({
      name: quote(s.name),
      get: cli(`st get ${s.id}`),
      deliver: cli(`log create delivery "<what you delivered and where>" --sub-task-id ${s.id}`),
      submit: cli(`st submit ${s.id}`),
    });
    steps.push(`${step}${fix}${context(input, s, t)}`);
  }
  for (const s of mine("assigned"))
    steps.push(`${t.start({ name: quote(s.name), command: cli(`st start ${s.id}`) })}${context(input, s, t)}`);
  for (const s of mine("blocked"))
    steps.push(
      t.myBlocked({
        name: quote(s.name),
        command: cli(`log create blocked "<details>" --sub-task-id ${s.id}`),
      }),
    );

  const q = input.queue;
  const first = <T>(list: readonly T[] | undefined) => (list ?? []).slice(0, STEPS_PER_LIST);
  const idle = input.mySubTasks.every((s) => s.status === "review");
  const firstAvailable = q.available?.[0];
  if (input.role === "executor" && idle && firstAvailable) {
    const s = firstAvailable;
    const step = t.claim({ name: quote(s.name), claim: cli(`st claim ${s.id}`), start: cli(`st start ${s.id}`) });
    steps.push(`${step}${context(input, s, t)}`);
  }
  // Last of an executor's steps: a pointer to the quoted lessons, which never enter a step themselves.
  if (input.lessons)
    steps.push(t.lessons({ count: input.lessons, command: cli('search "<words>" --kinds reflection,review') }));
  for (const s of first(q.awaiting_review)) {
    const r = s.latest_review;
    const previous = r
      ? t.previousRound({
          round: r.round,
          result: r.result,
          score: String(r.score ?? "-"),
          issues: r.issues ? quote(r.issues, FIRST_ISSUE_MAX) : "",
        })
      : "";
    const step = t.review({
      name: quote(s.name),
      round: (r?.round ?? 0) + 1,
      previous,
      get: cli(`st get ${s.id}`),
      logs: cli(`log list --sub-task-id ${s.id} --action delivery`),
      approve: cli(`review create ${s.id} approved <1-5> --comment "<summary>"`),
      reject: cli(`review create ${s.id} rejected <1-5> --comment "<summary>" --issues "<what to fix>"`),
    });
    steps.push(`${step}${context(input, s, t)}`);
  }
  for (const s of first(q.blocked)) {
    steps.push(
      t.unblock({
        name: quote(s.name),
        logs: cli(`log list --sub-task-id ${s.id}`),
        reassign: cli(`st reassign ${s.id} <agent_id>`),
        agents: cli("agents --role executor"),
        cancel: cli(`st cancel ${s.id}`),
        record: cli(`log create plan "<your decision>" --sub-task-id ${s.id}`),
      }),
    );
  }
  for (const task of first(q.tasks_to_decompose)) {
    steps.push(
      t.split({
        name: quote(task.name),
        create: cli(
          `st create ${task.id} "<name>" --desc "<what to do>" --deliverable "<what to hand in>" --acceptance "<when it is done>" --depends-on <sub_task_id,…>`,
        ),
        activate: cli(`task status ${task.id} active`),
      }),
    );
  }
  for (const task of first(q.recently_completed)) {
    steps.push(
      t.closingReport({
        name: quote(task.name),
        list: cli(`st list --task-id ${task.id}`),
        report: cli(`log create delivery "<closing report>" --task-id ${task.id}`),
      }),
    );
  }
  const patrolSteps = (q.open_anomalies ?? []).map((a) => patrolStep(a, t)).filter((step) => step !== null);
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
