// Writes the rounds of recurring tasks — for every due schedule of a cron run, or one round started by
// hand — in ONE atomic D1 batch of a fixed number of statements, however many rounds: each statement
// reads the whole plan from one bound JSON parameter (json_each), so D1's 100-parameter limit and the
// cron's query budget do not grow with the rounds.
//
// Exactly once: the round insert is a compare-and-set on the schedule row as it was read (updated_at,
// and next_run_at for the cron), so a duplicate, overlapping or stale run inserts nothing; every later
// statement is guarded by "my freshly generated round id exists", which only the batch that inserted
// it can see. The unique (task_id, round_key) and (task_id, round_no) indexes are the backstop.
import { type SQL, sql } from "drizzle-orm";
import type { ScheduleEndReason } from "../../contract/vocabulary";
import type { EventData } from "../domain/notifications";
import type { SlotRound } from "../domain/rounds";
import { SYSTEM_AGENT_ID } from "../patrol/records";
import { atomicWrite, type Db } from "./client";
import { subscribed } from "./outbox";
import { notificationOutbox } from "./schema";
import { taskRound, taskSchedule } from "./schema-recurring";
import { subTaskIsOpen } from "./tasks";

/** A sub-task of a new round. Its long texts are read from the stored template in SQL, not sent. */
export interface RoundSubTaskPlan {
  id: string;
  /** The id of its `create` event. */
  eventId: string;
  /** The template key (kept in the sub-task's recurring_config). */
  key: string;
  /** Its position in config.template.sub_tasks, where its description, deliverable, acceptance and priority are. */
  index: number;
  /** With {round} and {date} filled in. */
  name: string;
  moduleId: string | null;
  /** The template's executor: assigned if still an active executor when the batch lands, else pending. */
  agent: string | null;
}

export interface PlannedRound extends SlotRound {
  id: string;
  /** The slot's local date, for {date} in the template's texts. */
  date: string;
  /** The round lands only while fewer rounds are open (checked inside the batch; skipped slots need no room). */
  maxOpen: number;
  subTasks: RoundSubTaskPlan[];
  /** [sub-task id, id of the sub-task it waits for], both of this round: dependencies never cross rounds. */
  dependencies: [string, string][];
  logId: string;
  /** The activity log, in the project's language. */
  summary: string;
}

export interface RoundPlan {
  taskId: string;
  /** The schedule's updated_at as read: any change since (PUT, pause, resume, another run) voids the plan. */
  scheduleVersion: string;
  /** The cron's slot (next_run_at as read); null for a round started by hand, which leaves next_run_at alone. */
  expected: string | null;
  /** The new next_run_at (ignored by hand or when the schedule ends). */
  next: string | null;
  ended: ScheduleEndReason | null;
  round: PlannedRound | null;
  /** When `ended`: the log that says so (it marks "this batch ended it") and the all_done event if the task then completes. */
  end: { logId: string; summary: string; eventId: string; payload: EventData } | null;
}

/** The longest text of a sub-task (routes/define.ts `longText`). */
const TEXT_MAX = 10_000;

/** Statements createRounds runs, whatever the number of plans (the cron's budget counts them). */
export const ROUND_BATCH_STATEMENTS = 9;

export interface RoundsWritten {
  /** Rounds that landed, created or skipped. */
  rounds: { id: string; taskId: string; status: "open" | "skipped" }[];
  /** Schedules this batch ended. */
  ended: number;
  /** Tasks this batch completed (their schedule ended and every round was finished). */
  completed: number;
}

// `j` is a plan, `st` one of its sub-tasks; `->>` extracts an SQL value.
const of = (path: string): SQL => sql.raw(`j.value ->> '$.${path}'`);
/**
 * A long text of the round's template sub-task, with {round} and {date} filled in and cut to its limit
 * as roundSubTasks (domain/round-template.ts) does for names: read from the stored config in SQL, so
 * the plan parameter stays small (50 rounds of 20 sub-tasks of 3 texts of up to 10,000 characters
 * would be 30 MB).
 */
const templateText = (field: "description" | "deliverable" | "acceptance"): SQL =>
  sql.raw(`substr(replace(replace(coalesce(json_extract(s.config, '$.template.sub_tasks[' || (st.value ->> '$.index') || '].${field}'), ''),
    '{round}', r.round_no), '{date}', j.value ->> '$.round.date'), 1, ${TEXT_MAX})`);
const roundLanded = sql`exists (select 1 from ${taskRound} r where r.id = ${of("round.id")})`;

/** The rounds (and schedule ends) of `plans`, all in one batch; nothing lands from a stale plan. */
export async function createRounds(db: Db, plans: RoundPlan[], now: string): Promise<RoundsWritten> {
  if (plans.length === 0) return { rounds: [], ended: 0, completed: 0 };
  const plan = JSON.stringify(plans);
  const planRows = sql`json_each(${plan}) j`;
  // The schedule as the plan read it, still active (by hand also paused). Later statements run after
  // the round insert but before the schedule update, so they can still ask this.
  const unchanged = sql`s.updated_at = ${of("scheduleVersion")}
    and (s.status = 'active' or (${of("expected")} is null and s.status = 'paused'))
    and (${of("expected")} is null or s.next_run_at = ${of("expected")})`;
  // The plan's slot has its round row by now (this batch's, or — for a schedule edited back to an old
  // slot — an earlier one), so the schedule may move on. A round refused for lack of room may not.
  const slotTaken = sql`(${of("round.id")} is null or exists (select 1 from ${taskRound} k
    where k.task_id = ${of("taskId")} and k.round_key = ${of("round.key")}))`;

  const results = await atomicWrite(db, [
    sql`insert into ${taskRound} (id, task_id, round_no, round_key, scheduled_for, status, skip_reason, missed, created_at)
      select ${of("round.id")}, s.task_id, ${of("round.roundNo")}, ${of("round.key")}, ${of("round.scheduledFor")},
        ${of("round.status")}, ${of("round.skipReason")}, ${of("round.missed")}, ${now}
      from ${planRows} join ${taskSchedule} s on s.task_id = ${of("taskId")}
      where ${of("round.id")} is not null and ${unchanged}
        and exists (select 1 from task t where t.id = s.task_id and t.status in ('active', 'in_progress'))
        and (${of("round.status")} = 'skipped'
          or (select count(*) from ${taskRound} o where o.task_id = s.task_id and o.status = 'open') < ${of("round.maxOpen")})
      on conflict do nothing
      returning id, task_id, status`,
    // Only rows of rounds this batch inserted: their ids are fresh.
    sql`insert into sub_task (id, task_id, module_id, name, description, deliverable, acceptance, type, status,
        priority, assigned_agent, rework_count, recurring_config, created_at, updated_at, revision, round_id)
      select st.value ->> '$.id', r.task_id, st.value ->> '$.moduleId', st.value ->> '$.name',
        ${templateText("description")}, ${templateText("deliverable")}, ${templateText("acceptance")},
        'once', case when a.id is null then 'pending' else 'assigned' end,
        coalesce(json_extract(s.config, '$.template.sub_tasks[' || (st.value ->> '$.index') || '].priority'), 'medium'),
        a.id, 0,
        json_object('round_id', r.id, 'round_no', r.round_no, 'round_key', r.round_key, 'key', st.value ->> '$.key'),
        ${now}, ${now}, lower(hex(randomblob(16))), r.id
      from ${planRows}
        join ${taskRound} r on r.id = ${of("round.id")} and r.status = 'open'
        join ${taskSchedule} s on s.task_id = r.task_id
        join json_each(j.value, '$.round.subTasks') st
        left join agent a on a.id = st.value ->> '$.agent' and a.role = 'executor' and a.status = 'active'`,
    sql`insert into sub_task_event (id, sub_task_id, op, from_status, to_status, actor_kind, actor_id, detail, created_at)
      select st.value ->> '$.eventId', x.id, 'create', null, x.status, 'system', null, ${of("round.key")}, ${now}
      from ${planRows} join json_each(j.value, '$.round.subTasks') st
        join sub_task x on x.id = st.value ->> '$.id' and x.round_id = ${of("round.id")}`,
    sql`insert into sub_task_dependency (sub_task_id, depends_on)
      select d.value ->> '$[0]', d.value ->> '$[1]'
      from ${planRows} join json_each(j.value, '$.round.dependencies') d
      where exists (select 1 from sub_task x where x.id = d.value ->> '$[0]' and x.round_id = ${of("round.id")})`,
    // The round's log, and the end's: written before the schedule update, which the end's guard reads.
    sql`insert into activity_log (id, agent_id, task_id, action, summary, created_at)
      select ${of("round.logId")}, ${SYSTEM_AGENT_ID}, ${of("taskId")}, 'plan', ${of("round.summary")}, ${now}
      from ${planRows} where ${roundLanded}
      union all
      select ${of("end.logId")}, ${SYSTEM_AGENT_ID}, s.task_id, 'plan', ${of("end.summary")}, ${now}
      from ${planRows} join ${taskSchedule} s on s.task_id = ${of("taskId")}
      where ${of("end.logId")} is not null and ${unchanged} and ${slotTaken}`,
    sql`update ${taskSchedule} set
        next_run_at = case when ${of("ended")} is not null then null
          when ${of("expected")} is null then next_run_at else ${of("next")} end,
        rounds_created = rounds_created + exists (select 1 from ${taskRound} r where r.id = ${of("round.id")} and r.status = 'open'),
        last_round_at = case when exists (select 1 from ${taskRound} r where r.id = ${of("round.id")} and r.status = 'open')
          then ${now} else last_round_at end,
        status = case when ${of("ended")} is not null then 'ended' else status end,
        ended_reason = coalesce(${of("ended")}, ended_reason),
        updated_at = ${now}
      from ${planRows}
      where task_schedule.task_id = ${of("taskId")} and task_schedule.updated_at = ${of("scheduleVersion")}
        and (task_schedule.status = 'active' or (${of("expected")} is null and task_schedule.status = 'paused'))
        and (${of("expected")} is null or task_schedule.next_run_at = ${of("expected")})
        and (${of("round.id")} is null or exists (select 1 from ${taskRound} k
          where k.task_id = task_schedule.task_id and k.round_key = ${of("round.key")}))
      returning task_schedule.status`,
    // A schedule this batch ended (its end log exists) completes its task if every round is finished;
    // otherwise the last sub-task's approval does (execute-transition.ts settleTaskSql). `+status`
    // keeps SQLite on the primary key for the id list: the status index would walk every open task
    // (the benchmark's 1,000 schedules showed it).
    sql`update task set status = 'completed', updated_at = ${now}
      where id in (select ${of("taskId")} from ${planRows}
          where exists (select 1 from activity_log l where l.id = ${of("end.logId")}))
        and +status in ('planning', 'active', 'in_progress')
        and not exists (select 1 from sub_task where sub_task.task_id = task.id and ${subTaskIsOpen})
        and exists (select 1 from sub_task where sub_task.task_id = task.id and sub_task.status = 'done')
      returning id`,
    sql`insert into ${notificationOutbox} (id, event, payload, created_at)
      select ${of("end.eventId")}, 'all_done', j.value -> '$.end.payload', ${now}
      from ${planRows} join task t on t.id = ${of("taskId")}
      where exists (select 1 from activity_log l where l.id = ${of("end.logId")})
        and t.status = 'completed' and t.updated_at = ${now} and ${subscribed("all_done")}`,
    // The search entries of the round's sub-tasks and of the plan logs this batch wrote, composed in SQL
    // as migration 0010 composes them, queued (indexed = 0): their texts are built here in SQL, so the
    // back-fill (patrol/search-backfill.ts, later in the same cron run) tokenizes them.
    sql`insert into search_entry (kind, source_id, task_id, sub_task_id, agent_id, tag, text, created_at, indexed)
      select 'sub_task', x.id, x.task_id, x.id, null, null,
        x.name || char(10) || x.description || char(10) || x.deliverable || char(10) || x.acceptance, x.created_at, 0
      from ${planRows} join json_each(j.value, '$.round.subTasks') st
        join sub_task x on x.id = st.value ->> '$.id' and x.round_id = ${of("round.id")}
      union all
      select 'plan', l.id, l.task_id, l.sub_task_id, l.agent_id, null, l.summary, l.created_at, 0
      from ${planRows} join activity_log l on l.id in (${of("round.logId")}, ${of("end.logId")})
      where l.summary <> ''
      on conflict do nothing`,
  ]);
  const landed = (results[0]?.results ?? []) as { id: string; task_id: string; status: "open" | "skipped" }[];
  const schedules = (results[5]?.results ?? []) as { status: string }[];
  return {
    rounds: landed.map((r) => ({ id: r.id, taskId: r.task_id, status: r.status })),
    ended: schedules.filter((s) => s.status === "ended").length,
    completed: results[6]?.results?.length ?? 0,
  };
}
