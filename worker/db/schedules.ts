// A recurring task's schedule: set (PUT), read, pause, resume and end (DELETE). Each change is one
// guarded statement or one atomic batch, so concurrent requests and the cron see either the old
// schedule or the new one. The cron's round creation is in worker/db/round-batch.ts.
import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import {
  MAX_TEMPLATE_SUB_TASKS,
  type RecurringConfig,
  type SetScheduleBody,
  type TaskSchedule,
} from "../../contract/api/recurring";
import { normalisedConfig, templateFromWork, templateProblem } from "../domain/round-template";
import {
  MIN_SLOT_GAP_MS,
  nextSlot,
  type ScheduleRefusal,
  type ScheduleSpec,
  validateSchedule,
} from "../domain/schedule";
import { checkTaskOpen } from "../domain/task-lifecycle";
import { type Text, text } from "../i18n";
import { badRequest, conflict, notFound } from "../lib/errors";
import { atomicWrite, type Db, guardedInsert } from "./client";
import { settleTaskSql } from "./execute-transition";
import { agent, module, subTask, subTaskDependency, task } from "./schema";
import { taskRound, taskSchedule } from "./schema-recurring";
import { getTask, taskIsOpen } from "./tasks";

type ScheduleRow = typeof taskSchedule.$inferSelect;

/** The schedule of `taskId` with its open rounds; 404 `task_not_found` or `schedule_not_found`. */
export async function readSchedule(db: Db, taskId: string): Promise<TaskSchedule> {
  const [found] = await db
    .select({
      row: taskSchedule,
      // Qualified by hand: drizzle leaves columns unqualified in a select list, so task_id = task_id
      // would compare the round with itself and count every task's open rounds.
      openRounds: sql<number>`(select count(*) from ${taskRound} r where r.task_id = ${taskSchedule}.task_id
        and r.status = 'open')`,
    })
    .from(taskSchedule)
    .where(eq(taskSchedule.taskId, taskId))
    .limit(1);
  if (!found) return missingSchedule(db, taskId);
  return scheduleJson(found.row, Number(found.openRounds));
}

/**
 * PUT: validate the config (or take the template from the task's sub-tasks), create the template's
 * modules the task lacks, mark the task recurring and store the schedule as active, its next run
 * computed from now (slots before now are never created). One batch: all of it lands or nothing.
 */
export async function setSchedule(db: Db, taskId: string, body: SetScheduleBody, now: Date): Promise<TaskSchedule> {
  checkTaskOpen((await getTask(db, taskId)).status, taskId);
  if ((body.template === undefined) === (body.from_sub_tasks === undefined))
    throw badRequest("invalid_input", text("templateOrFromSubTasks"));
  const template = body.template ?? (await templateOfCurrentWork(db, taskId));
  const problem = templateProblem(template);
  if (problem) throw badRequest("invalid_template", problem);
  await checkAssignees(db, template.sub_tasks);

  const existing = await db
    .select({ id: module.id, name: module.name })
    .from(module)
    .where(eq(module.taskId, taskId))
    .orderBy(asc(module.createdAt));
  const moduleIds = new Map<string, string>();
  for (const m of existing) if (!moduleIds.has(m.name)) moduleIds.set(m.name, m.id);
  const created = template.modules
    .filter((m) => !moduleIds.has(m.name))
    .map((m) => ({ id: crypto.randomUUID(), name: m.name, description: m.description }));
  for (const m of created) moduleIds.set(m.name, m.id);

  const config = normalisedConfig({ schedule: body.schedule, template, policy: body.policy }, moduleIds, now);
  const next = firstRun(config, now);
  const at = now.toISOString();
  // Everything after the module inserts holds only if the task is still open and each module this
  // config points to was created here (a concurrent PUT may have created one of the same name).
  const ready = and(
    taskIsOpen(taskId),
    ...created.map((m) => sql`exists (select 1 from ${module} where ${module.id} = ${m.id})`),
  )!;
  const results = await atomicWrite(db, [
    ...created.map((m) =>
      guardedInsert(
        module,
        { id: m.id, taskId, name: m.name, description: m.description, createdAt: at },
        sql`${taskIsOpen(taskId)} and not exists (select 1 from ${module} where ${module.taskId} = ${taskId} and ${module.name} = ${m.name})`,
      ),
    ),
    sql`update ${task} set type = 'recurring', updated_at = ${at} where ${task.id} = ${taskId} and ${ready}`,
    // Numbering continues across a re-set (rounds_created is kept), and an ended schedule is revived.
    sql`insert into ${taskSchedule} (task_id, status, config, next_run_at, rounds_created, created_at, updated_at)
      select ${taskId}, 'active', ${JSON.stringify(config)}, ${next}, 0, ${at}, ${at} where ${ready}
      on conflict (task_id) do update set status = 'active', config = excluded.config,
        next_run_at = excluded.next_run_at, ended_reason = null, updated_at = excluded.updated_at`,
  ]);
  if (results[results.length - 1]?.meta.changes !== 1) {
    checkTaskOpen((await getTask(db, taskId)).status, taskId);
    throw conflict("concurrent_change", text("scheduleModuleRace"));
  }
  return readSchedule(db, taskId);
}

/** POST …/pause: active → paused; the cron skips it (no next run) until resumed. */
export async function pauseSchedule(db: Db, taskId: string, now: Date): Promise<TaskSchedule> {
  const result = await db
    .update(taskSchedule)
    .set({ status: "paused", nextRunAt: null, updatedAt: now.toISOString() })
    .where(and(eq(taskSchedule.taskId, taskId), eq(taskSchedule.status, "active")));
  if (result.meta.changes !== 1) {
    const row = await scheduleRow(db, taskId);
    throw conflict("illegal_transition", text("scheduleNotActive", { status: row.status }));
  }
  return readSchedule(db, taskId);
}

/**
 * POST …/resume: paused → active, next run computed from now: slots that passed while paused are
 * not caught up. 409 `schedule_no_run_left` when its end date or round limit leaves no run.
 */
export async function resumeSchedule(db: Db, taskId: string, now: Date): Promise<TaskSchedule> {
  const row = await scheduleRow(db, taskId);
  if (row.status !== "paused") throw conflict("illegal_transition", text("scheduleNotPaused", { status: row.status }));
  const config = row.config as RecurringConfig;
  const next = nextSlot(config.schedule, now);
  const limit = config.policy.max_rounds;
  if (!next || afterEnd(next, config) || (limit !== null && row.roundsCreated >= limit))
    throw conflict("schedule_no_run_left", text("scheduleNoRunLeft"));
  // Matched on the row as read: a PUT or pause in between changes status or updated_at.
  const result = await db
    .update(taskSchedule)
    .set({ status: "active", nextRunAt: next.toISOString(), updatedAt: now.toISOString() })
    .where(
      and(
        eq(taskSchedule.taskId, taskId),
        eq(taskSchedule.status, "paused"),
        eq(taskSchedule.updatedAt, row.updatedAt),
      ),
    );
  if (result.meta.changes !== 1) {
    const current = await scheduleRow(db, taskId);
    if (current.status !== "paused")
      throw conflict("illegal_transition", text("scheduleNotPaused", { status: current.status }));
    throw conflict("concurrent_change", text("scheduleChanged"));
  }
  return readSchedule(db, taskId);
}

/**
 * DELETE: the schedule ends (reason `manual`, no next run); its rounds stay. In the same batch the
 * task is settled, so a task whose rounds are all finished completes now.
 */
export async function endSchedule(db: Db, taskId: string, now: Date): Promise<TaskSchedule> {
  const at = now.toISOString();
  const endedHere = sql`exists (select 1 from ${taskSchedule} where ${taskSchedule.taskId} = ${taskId}
    and ${taskSchedule.status} = 'ended' and ${taskSchedule.endedReason} = 'manual' and ${taskSchedule.updatedAt} = ${at})`;
  const [ended] = await atomicWrite(db, [
    sql`update ${taskSchedule} set status = 'ended', ended_reason = 'manual', next_run_at = null, updated_at = ${at}
      where ${taskSchedule.taskId} = ${taskId} and ${taskSchedule.status} <> 'ended'`,
    settleTaskSql(taskId, at, endedHere),
  ]);
  if (ended?.meta.changes !== 1) {
    await scheduleRow(db, taskId);
    throw conflict("illegal_transition", text("scheduleAlreadyEnded"));
  }
  return readSchedule(db, taskId);
}

// --- helpers ------------------------------------------------------------------------------------------

function scheduleJson(row: ScheduleRow, openRounds: number): TaskSchedule {
  return {
    task_id: row.taskId,
    status: row.status,
    recurring_config: row.config as RecurringConfig,
    next_run_at: row.nextRunAt,
    rounds_created: row.roundsCreated,
    open_rounds: openRounds,
    last_round_at: row.lastRoundAt,
    ended_reason: row.endedReason ?? null,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}

async function scheduleRow(db: Db, taskId: string): Promise<ScheduleRow> {
  const [row] = await db.select().from(taskSchedule).where(eq(taskSchedule.taskId, taskId)).limit(1);
  return row ?? missingSchedule(db, taskId);
}

/** 404: `task_not_found` when the task itself is missing, else `schedule_not_found`. */
async function missingSchedule(db: Db, taskId: string): Promise<never> {
  await getTask(db, taskId);
  throw notFound("schedule_not_found", text("scheduleNotFound", { task_id: taskId }));
}

/** The first slot after now, refused when the schedule is invalid or ends before it. */
function firstRun(config: RecurringConfig, now: Date): string {
  const check = validateSchedule(config.schedule, now);
  if (!check.ok) throw badRequest("invalid_schedule", refusalText(check.reason, config.schedule));
  if (afterEnd(check.next, config))
    throw badRequest("invalid_schedule", text("scheduleEndsBeforeFirstRun", { next: check.next.toISOString() }));
  return check.next.toISOString();
}

const afterEnd = (slot: Date, config: RecurringConfig): boolean =>
  config.policy.ends_at !== null && slot.getTime() > Date.parse(config.policy.ends_at);

function refusalText(reason: ScheduleRefusal, schedule: ScheduleSpec): Text {
  switch (reason) {
    case "invalid_time_zone":
      return text("scheduleBadZone", { tz: schedule.tz });
    case "cron_field_count":
      return text("scheduleCronFields");
    case "invalid_cron":
      return text("scheduleBadCron", { expr: schedule.kind === "cron" ? schedule.expr : "" });
    case "no_next_run":
      return text("scheduleNoNextRun");
    case "too_frequent":
      return text("scheduleTooFrequent", { minutes: MIN_SLOT_GAP_MS / 60_000 });
  }
}

/** from_sub_tasks: the task's own sub-tasks (not of a round, not cancelled), its modules and dependencies. */
async function templateOfCurrentWork(db: Db, taskId: string) {
  const subTasks = await db
    .select({
      id: subTask.id,
      moduleId: subTask.moduleId,
      name: subTask.name,
      description: subTask.description,
      deliverable: subTask.deliverable,
      acceptance: subTask.acceptance,
      priority: subTask.priority,
      assignedAgent: subTask.assignedAgent,
    })
    .from(subTask)
    .where(and(eq(subTask.taskId, taskId), sql`${subTask.roundId} is null`, ne(subTask.status, "cancelled")))
    .orderBy(asc(subTask.createdAt), asc(subTask.id))
    // One more than a template holds, so "too many" can be told apart from "exactly the limit".
    .limit(MAX_TEMPLATE_SUB_TASKS + 1);
  const ids = subTasks.map((s) => s.id);
  const [modules, dependencies] = await Promise.all([
    db
      .select({ id: module.id, name: module.name, description: module.description })
      .from(module)
      .where(eq(module.taskId, taskId))
      .orderBy(asc(module.createdAt)),
    ids.length === 0
      ? Promise.resolve([])
      : db
          .select({ subTaskId: subTaskDependency.subTaskId, dependsOn: subTaskDependency.dependsOn })
          .from(subTaskDependency)
          .where(inArray(subTaskDependency.subTaskId, ids)),
  ]);
  const made = templateFromWork({ modules, subTasks, dependencies });
  if ("problem" in made) throw badRequest("invalid_template", made.problem);
  return made.template;
}

/** Template assignees must exist and be executors (a disabled one gets its round sub-tasks pending). */
async function checkAssignees(db: Db, subTasks: { key: string; assigned_agent: string | null }[]): Promise<void> {
  const ids = [...new Set(subTasks.map((s) => s.assigned_agent).filter((a): a is string => a !== null))];
  if (ids.length === 0) return;
  const found = await db.select({ id: agent.id, role: agent.role }).from(agent).where(inArray(agent.id, ids));
  const roles = new Map(found.map((a) => [a.id, a.role]));
  for (const s of subTasks) {
    if (s.assigned_agent === null) continue;
    const role = roles.get(s.assigned_agent);
    if (role === undefined) throw notFound("agent_not_found", text("agentNotFound", { id: s.assigned_agent }));
    if (role !== "executor")
      throw badRequest("invalid_template", text("templateAgentNotExecutor", { key: s.key, agent: s.assigned_agent }));
  }
}
