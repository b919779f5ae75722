// Fixtures of the recurring cron's tests: a scheduled task written straight into D1 (the config in its
// stored, normalised form, as PUT …/schedule stores it), readers of what the cron made, and a sub-task
// walked to approval through the API.
import type { RecurringConfig, RecurringPolicy, RecurringSchedule } from "../contract/api/recurring";
import { call, env, ok, type TestAgent } from "./helpers";

/** "collect" then "translate" (waits for collect), both for the round's date. */
export const TWO_STEP = (assignee: string | null = null): RecurringConfig["template"] => ({
  modules: [],
  sub_tasks: [
    {
      key: "collect",
      module: null,
      name: "Collect news {date} (round {round})",
      description: "Collect the news of {date}",
      deliverable: "round_{round}/news.md",
      acceptance: "",
      priority: "high",
      assigned_agent: assignee,
      depends_on: [],
    },
    {
      key: "translate",
      module: null,
      name: "Translate news {date}",
      description: "",
      deliverable: "",
      acceptance: "",
      priority: "medium",
      assigned_agent: null,
      depends_on: ["collect"],
    },
  ],
});

export const DAILY_9_SHANGHAI: RecurringSchedule = { kind: "cron", expr: "0 9 * * *", tz: "Asia/Shanghai" };

export const policyOf = (over: Partial<RecurringPolicy> = {}): RecurringPolicy => ({
  when_unfinished: "skip",
  max_open_rounds: 3,
  ends_at: null,
  max_rounds: null,
  ...over,
});

export interface ScheduledTaskSpec {
  schedule?: RecurringSchedule;
  policy?: Partial<RecurringPolicy>;
  template?: RecurringConfig["template"];
  /** The slot the schedule waits for. */
  nextRunAt: string;
  /** `active` by default; `planning` leaves the task unactivated. */
  taskStatus?: "active" | "planning";
}

/** A recurring task of `planner` with an active schedule; returns the task id. */
export async function scheduledTask(planner: TestAgent, spec: ScheduledTaskSpec): Promise<string> {
  const task = await ok(
    call("POST", "/api/tasks", { key: planner.key, body: { name: `News ${crypto.randomUUID().slice(0, 6)}` } }),
  );
  if ((spec.taskStatus ?? "active") === "active") {
    await ok(call("PUT", `/api/tasks/${task.id}/status`, { key: planner.key, body: { status: "active" } }));
  }
  const config: RecurringConfig = {
    version: 1,
    schedule: spec.schedule ?? DAILY_9_SHANGHAI,
    template: spec.template ?? TWO_STEP(),
    policy: policyOf(spec.policy),
  };
  const now = new Date().toISOString();
  await env.DB.batch([
    env.DB.prepare("update task set type = 'recurring' where id = ?").bind(task.id),
    env.DB.prepare(
      "insert into task_schedule (task_id, status, config, next_run_at, rounds_created, created_at, updated_at) values (?, 'active', ?, ?, 0, ?, ?)",
    ).bind(task.id, JSON.stringify(config), spec.nextRunAt, now, now),
  ]);
  return task.id;
}

export interface RoundRow {
  id: string;
  round_no: number | null;
  round_key: string;
  scheduled_for: string;
  status: string;
  skip_reason: string | null;
  missed: number;
}

/** The task's rounds, oldest slot first. */
export async function roundsOf(taskId: string): Promise<RoundRow[]> {
  const { results } = await env.DB.prepare(
    "select id, round_no, round_key, scheduled_for, status, skip_reason, missed from task_round where task_id = ? order by scheduled_for, created_at",
  )
    .bind(taskId)
    .all<RoundRow>();
  return results;
}

export interface RoundSubTaskRow {
  id: string;
  name: string;
  status: string;
  type: string;
  priority: string;
  description: string;
  deliverable: string;
  assigned_agent: string | null;
  recurring_config: string;
}

/** The sub-tasks of a round in template order (collect, translate). */
export async function subTasksOf(roundId: string): Promise<RoundSubTaskRow[]> {
  const { results } = await env.DB.prepare(
    "select id, name, status, type, priority, description, deliverable, assigned_agent, recurring_config from sub_task where round_id = ? order by json_extract(recurring_config, '$.key')",
  )
    .bind(roundId)
    .all<RoundSubTaskRow>();
  return results;
}

export const scheduleOf = (taskId: string) =>
  env.DB.prepare("select status, next_run_at, rounds_created, ended_reason from task_schedule where task_id = ?")
    .bind(taskId)
    .first<{ status: string; next_run_at: string | null; rounds_created: number; ended_reason: string | null }>();

export const taskStatusOf = async (taskId: string) =>
  (await env.DB.prepare("select status from task where id = ?").bind(taskId).first<{ status: string }>())?.status;

/** Claim, start, submit and approve a sub-task (an executor and a reviewer, through the API). */
export async function approve(subTaskId: string, exec: TestAgent, reviewer: TestAgent): Promise<void> {
  await ok(call("POST", `/api/sub-tasks/${subTaskId}/claim`, { key: exec.key, body: {} }));
  await ok(call("POST", `/api/sub-tasks/${subTaskId}/start`, { key: exec.key, body: {} }));
  await ok(call("POST", `/api/sub-tasks/${subTaskId}/submit`, { key: exec.key, body: {} }));
  await ok(
    call("POST", "/api/review-records", {
      key: reviewer.key,
      body: { sub_task_id: subTaskId, result: "approved", score: 4, comment: "fine", issues: "" },
    }),
  );
}

/** Outbox rows of `event` about `taskId`. */
export async function eventsAbout(event: string, taskId: string): Promise<Record<string, unknown>[]> {
  const { results } = await env.DB.prepare(
    "select payload from notification_outbox where event = ? and json_extract(payload, '$.task.id') = ?",
  )
    .bind(event, taskId)
    .all<{ payload: string }>();
  return results.map((r) => JSON.parse(r.payload) as Record<string, unknown>);
}

/** Only scheduled rounds in these tests: no retrospective generation competing in the cron run. */
export const retrospectivesOff = () =>
  env.DB.prepare("insert or replace into setting (key, value, updated_at) values ('retro.schedule', '\"off\"', ?)")
    .bind(new Date().toISOString())
    .run();
