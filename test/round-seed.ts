// Recurring-task fixtures written straight into D1 (schedule, rounds, round sub-tasks): the tests of the
// rounds API and of a task's lifecycle read and close what the cron would have made, without depending
// on the cron's timing. Pending and cancelled sub-tasks get their event history, so the invariant checker
// holds on fixtures made of those; other statuses are for tests that only read counts.
import type { RoundStatus, SubTaskStatus } from "../contract/vocabulary";
import { call, env, ok, type TestAgent } from "./helpers";

export interface SeededRound {
  id: string;
  key: string;
  no: number | null;
  status: RoundStatus;
  scheduledFor: string;
  subTaskIds: string[];
}

export interface RoundSpec {
  status: RoundStatus;
  /** The statuses of the round's sub-tasks, in creation order (none for a skipped slot). */
  subTasks?: SubTaskStatus[];
}

/** A template the schedule row carries; the rounds here are written directly, not built from it. */
const CONFIG = {
  version: 1,
  schedule: { kind: "every", every: 1, unit: "days", tz: "UTC", start_at: "2026-01-01T09:00:00.000Z" },
  template: {
    modules: [],
    sub_tasks: [
      {
        key: "collect",
        module: null,
        name: "Collect {date}",
        description: "",
        deliverable: "",
        acceptance: "",
        priority: "medium",
        assigned_agent: null,
        depends_on: [],
      },
    ],
  },
  policy: { when_unfinished: "stack", max_open_rounds: 3, ends_at: null, max_rounds: null },
};

const HOUR = 3_600_000;

/**
 * An active task of `planner` with an active schedule (its next run `nextRunAt`, past by default so a
 * cron run would find it due) and `rounds`, oldest first, one hour apart; numbered rounds take 1, 2, 3…
 */
export async function seedRecurringTask(
  planner: TestAgent,
  rounds: RoundSpec[],
  nextRunAt = new Date(Date.now() - 60_000).toISOString(),
): Promise<{ taskId: string; rounds: SeededRound[] }> {
  const task = await ok(call("POST", "/api/tasks", { key: planner.key, body: { name: `R ${crypto.randomUUID()}` } }));
  await ok(call("PUT", `/api/tasks/${task.id}/status`, { key: planner.key, body: { status: "active" } }));
  const now = new Date().toISOString();
  const start = Date.now() - rounds.length * HOUR;
  let numbered = 0;
  const seeded: SeededRound[] = rounds.map((spec, i) => {
    const scheduledFor = new Date(start + i * HOUR).toISOString();
    return {
      id: crypto.randomUUID(),
      key: `${scheduledFor.slice(0, 16)}Z`,
      no: spec.status === "skipped" ? null : ++numbered,
      status: spec.status,
      scheduledFor,
      subTaskIds: (spec.subTasks ?? []).map(() => crypto.randomUUID()),
    };
  });
  const statements = [
    env.DB.prepare("update task set type = 'recurring' where id = ?").bind(task.id),
    env.DB.prepare(
      "insert into task_schedule (task_id, status, config, next_run_at, rounds_created, created_at, updated_at) values (?, 'active', ?, ?, ?, ?, ?)",
    ).bind(task.id, JSON.stringify(CONFIG), nextRunAt, numbered, now, now),
    ...seeded.flatMap((r, i) => [
      env.DB.prepare(
        "insert into task_round (id, task_id, round_no, round_key, scheduled_for, status, skip_reason, created_at, completed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      ).bind(
        r.id,
        task.id,
        r.no,
        r.key,
        r.scheduledFor,
        r.status,
        r.status === "skipped" ? "previous_unfinished" : null,
        r.scheduledFor,
        r.status === "done" || r.status === "cancelled" ? now : null,
      ),
      ...r.subTaskIds.flatMap((id, j) => {
        const status = rounds[i]!.subTasks![j]!;
        const event = env.DB.prepare(
          "insert into sub_task_event (id, sub_task_id, op, from_status, to_status, actor_kind, detail, created_at) values (?, ?, ?, ?, ?, 'system', '', ?)",
        );
        const history = [event.bind(crypto.randomUUID(), id, "create", null, "pending", r.scheduledFor)];
        if (status === "cancelled")
          history.push(
            event.bind(
              crypto.randomUUID(),
              id,
              "cancel",
              "pending",
              "cancelled",
              new Date(Date.parse(r.scheduledFor) + 1000).toISOString(),
            ),
          );
        return [
          ...history,
          env.DB.prepare(
            "insert into sub_task (id, task_id, name, status, priority, type, round_id, recurring_config, created_at, updated_at, completed_at) values (?, ?, ?, ?, 'medium', 'once', ?, ?, ?, ?, ?)",
          ).bind(
            id,
            task.id,
            `Collect ${r.no ?? "-"}.${j}`,
            status,
            r.id,
            JSON.stringify({ round_id: r.id, round_no: r.no, round_key: r.key, key: "collect" }),
            r.scheduledFor,
            r.scheduledFor,
            status === "done" ? now : null,
          ),
        ];
      }),
    ]),
  ];
  // Their search entries, queued as migration 0010 queues rows written before the index (indexed = 0).
  statements.push(
    env.DB.prepare(
      `insert into search_entry (kind, source_id, task_id, sub_task_id, agent_id, tag, text, created_at, indexed)
       select 'sub_task', id, task_id, id, null, null, name || char(10) || description || char(10) || deliverable
         || char(10) || acceptance, created_at, 0 from sub_task where task_id = ?`,
    ).bind(task.id),
  );
  await env.DB.batch(statements);
  return { taskId: task.id, rounds: seeded };
}

/** The task's schedule row as stored (undefined once deleted). */
export const scheduleRow = (taskId: string) =>
  env.DB.prepare("select status, ended_reason, next_run_at from task_schedule where task_id = ?")
    .bind(taskId)
    .first<{ status: string; ended_reason: string | null; next_run_at: string | null }>();

/** id → status of the task's rounds. */
export async function roundStatuses(taskId: string): Promise<Record<string, string>> {
  const { results } = await env.DB.prepare("select id, status from task_round where task_id = ?")
    .bind(taskId)
    .all<{ id: string; status: string }>();
  return Object.fromEntries(results.map((r) => [r.id, r.status]));
}
