// The wake-up briefing: what an agent needs in one call, cut to a fixed size, plus the next steps it
// implies. Pure: the route loads rows, this module shapes them.
import type { Role } from "./model";
import { CLI_COMMAND } from "./prompts";
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
  /** Characters kept of the merged rules; `rules` prints them whole. */
  rules: 20_000,
  /** Rule rows merged (global, then the held tasks' and sub-tasks' rules, oldest first). */
  ruleRows: 100,
  /** Days a completed task stays in the planner's "recently completed" list. */
  recentDays: 7,
} as const;

export interface BriefSubTask {
  id: string;
  name: string;
  status: string;
  rework_count: number;
  latest_review: { round: number; result: string; issues: string } | null;
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
}

const cli = (command: string) => `\`${CLI_COMMAND} ${command}\``;
const MAX_STEPS = 8;
/** Characters of the reviewer's issues a rework step quotes; `my_sub_tasks` carries more. */
const ISSUES_MAX = 500;

/**
 * What to do now, most urgent first, each naming the exact CLI command. Stored text (names, reasons,
 * issues) appears only as a JSON-quoted string (`quote`), so none of it can pass for a step or a
 * command; ids, roles and numbers are the server's own and stay bare. An empty list means there is
 * nothing for this agent: it should end its run quietly.
 */
export function nextSteps(input: NextStepInput): string[] {
  const steps: string[] = [];
  if (input.updateAvailable) steps.push(`Update your CLI and skill first: ${cli("update")}.`);
  const unreflected = input.scoreChanges.filter(
    (change) => change.score_delta < 0 && (input.lastReflectionAt === null || change.created_at > input.lastReflectionAt),
  );
  if (unreflected.length > 0) {
    const change = unreflected[0]!;
    const link = change.sub_task_id ? ` --sub-task-id ${change.sub_task_id}` : "";
    steps.push(`You lost ${-change.score_delta} points (reason: ${quote(change.reason)}). Find out why and write down the lesson: ${cli(`log create reflection "<what went wrong, what you will do differently>"${link}`)}.`);
  }
  const mine = (status: string) => input.mySubTasks.filter((s) => s.status === status);
  for (const s of mine("rework")) {
    const issues = s.latest_review?.issues ? ` Reviewer's issues: ${quote(s.latest_review.issues, ISSUES_MAX)}.` : "";
    steps.push(`Rework ${quote(s.name)} (round ${s.rework_count}): ${cli(`st start ${s.id}`)}, fix what the review found, then ${cli(`st submit ${s.id}`)}.${issues}`);
  }
  for (const s of mine("in_progress")) steps.push(`Continue ${quote(s.name)}; when it meets its acceptance criteria, log a delivery and ${cli(`st submit ${s.id}`)}.`);
  for (const s of mine("assigned")) steps.push(`Start ${quote(s.name)}: ${cli(`st start ${s.id}`)}.`);
  for (const s of mine("blocked")) steps.push(`${quote(s.name)} is blocked; the planner decides what happens next. Add what you know with ${cli(`log create blocked "<details>" --sub-task-id ${s.id}`)}.`);

  const q = input.queue;
  const idle = input.mySubTasks.every((s) => s.status === "review");
  const firstAvailable = q.available?.[0];
  if (input.role === "executor" && idle && firstAvailable) {
    steps.push(`Claim work: ${cli(`st claim ${firstAvailable.id}`)} (${quote(firstAvailable.name)}), then ${cli(`st start ${firstAvailable.id}`)}.`);
  }
  for (const s of q.awaiting_review ?? []) {
    steps.push(`Review ${quote(s.name)}: read ${cli(`st get ${s.id}`)} and ${cli(`log list --sub-task-id ${s.id} --action delivery`)}, then ${cli(`review create ${s.id} approved|rejected <1-5> --comment "…"`)}.`);
  }
  for (const s of q.blocked ?? []) {
    steps.push(`Unblock ${quote(s.name)}: read ${cli(`log list --sub-task-id ${s.id}`)}, then reassign it (${cli(`st reassign ${s.id} <agent_id>`)}; edit it after that if needed) or cancel it, and log a plan.`);
  }
  for (const t of q.tasks_to_decompose ?? []) {
    steps.push(`Split ${quote(t.name)} into modules and sub-tasks (${cli(`st create ${t.id} "<name>" --deliverable … --acceptance …`)}), then ${cli(`task status ${t.id} active`)}.`);
  }
  for (const t of q.recently_completed ?? []) steps.push(`${quote(t.name)} is complete: if you have not delivered it yet, collect its deliverables and write a delivery log.`);
  for (const a of q.open_anomalies ?? []) {
    const about = a.sub_task_id ? ` on ${a.sub_task_id}` : "";
    // The server resolves its own records when the condition clears; only agent-filed ones need a hand.
    const close = a.source === "agent" ? `resolve it with ${cli(`patrol resolve ${a.id}`)} once handled` : "the server closes it when the condition clears";
    steps.push(`Follow up the ${a.severity} ${a.type} anomaly${about}: ${close}.`);
  }
  return steps.slice(0, MAX_STEPS);
}
