// The briefing scenario's seed beyond patrol-seed.ts: what each role's briefing shows besides the
// open work (review rounds, reflections and journal lines, rules, tasks still to decompose), and
// that share of the terminal history. SQL for `wrangler d1 execute --file`.
import type { SeedAgents } from "./patrol-seed.ts";

/** Open tasks with no sub-task: the planner's tasks_to_decompose (the seeded tasks all have some). */
export const NEW_TASKS = 5;

const q = (s: string | undefined) => `'${String(s).replaceAll("'", "''")}'`;
const ago = (ref: string, minutes: number) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${q(ref)}, '-${minutes} minutes')`;
/** The number in a seeded id (`bench-st-open-000123` → 123, `bench-task-00042` → 42 with digits 5). */
const seq = (col: string, digits = 6) => `cast(substr(${col}, -${digits}) as integer)`;
const HELD_SQL = "('assigned', 'in_progress', 'review', 'rework', 'blocked')";

/** Ids of the registered agents the seeded rows name. */
export interface BriefingAgents extends SeedAgents {
  reviewer: string;
  patrol: string;
}

/**
 * What the briefing reads beyond patrol-seed's open work, identical in every database: review
 * rounds on a third of the held sub-tasks (all rounds of the reworked ones), reflections and
 * journal lines of every agent, a fifth recent score change, task and sub-task rules, and tasks
 * still to decompose.
 */
export function briefingActiveSql({ ref, agents }: { ref: string; agents: BriefingAgents }): string {
  // [agent, reflections]
  const refl: [string | undefined, number][] = [
    [agents.executors[0], 8],
    [agents.executors[1], 3],
    [agents.reviewer, 2],
    [agents.planner, 2],
    [agents.patrol, 2],
  ];
  return `-- ${NEW_TASKS} planning tasks without sub-tasks
insert into task (id, name, description, type, status, created_at, updated_at)
with recursive n(i) as (select 0 union all select i + 1 from n where i + 1 < ${NEW_TASKS})
select printf('bench-task-new-%02d', i), 'New bench task ' || i, 'To decompose', 'once', 'planning', ${ago(ref, 30)}, ${ago(ref, 30)} from n;

-- review rounds of held open sub-tasks: 1..rework_count for reworked ones, round 1 for every third other
insert into review_record (id, sub_task_id, reviewer_agent, round, result, score, issues, comment, rework_agent, created_at)
select s.id || '-review-' || r.k, s.id, ${q(agents.reviewer)}, r.k, 'rejected', 2, 'The report misses the acceptance criterion.',
  'Please fix.', s.assigned_agent, s.updated_at
from sub_task s join (select 1 k union all select 2 union all select 3 union all select 4) r
  on r.k <= max(s.rework_count, 1)
where s.id like 'bench-st-open-%' and s.status in ${HELD_SQL} and (s.rework_count > 0 or ${seq("s.id")} % 3 = 0);

-- one journal line per open sub-task in progress, and each agent's recent reflections
insert into activity_log (id, agent_id, sub_task_id, action, summary, session_id, created_at)
select s.id || '-log', s.assigned_agent, s.id, 'log', 'Working on it', s.current_session_id, s.updated_at
from sub_task s where s.id like 'bench-st-open-%' and s.status = 'in_progress';
insert into activity_log (id, agent_id, sub_task_id, action, summary, session_id, created_at) values
${refl.flatMap(([a, n]) => Array.from({ length: n }, (_, i) => `  (${q(`bench-reflection-${a}-${i}`)}, ${q(a)}, null, 'reflection', 'What I learned ${i}', null, ${ago(ref, 60 + 90 * i)})`)).join(",\n")};

-- a fifth recent score change of executor 1 (older than patrol-seed's four), so that its five latest
-- are recent in every database rather than some from history
insert into reward_log (id, agent_id, sub_task_id, reason, score_delta, created_at) values
  ('bench-reward-briefing-0', ${q(agents.executors[0])}, null, 'review approved', 5, ${ago(ref, 60)});

-- a rule for every tenth task and every twentieth open sub-task
insert into rule (id, scope, task_id, sub_task_id, content, created_at, updated_at)
select t.id || '-rule', 'task', t.id, null, 'Task rule of ' || t.id, t.created_at, t.created_at
from task t where t.id glob 'bench-task-[0-9]*' and ${seq("t.id", 5)} % 10 = 0;
insert into rule (id, scope, task_id, sub_task_id, content, created_at, updated_at)
select s.id || '-rule', 'sub_task', null, s.id, 'Sub-task rule of ' || s.id, s.created_at, s.created_at
from sub_task s where s.id like 'bench-st-open-%' and ${seq("s.id")} % 20 = 0;
`;
}

/**
 * The briefing's share of history, derived from historySql's terminal sub-tasks: their review
 * rounds (round 1, and an approving round 2 after a rework), a journal line each and a reflection
 * for one in five, and a sub-task rule for one in fifty.
 */
export function briefingHistorySql({ agents, terminal }: { agents: BriefingAgents; terminal: number }): string {
  if (terminal <= 0) return "";
  const done = "s.id like 'bench-st-done-%'";
  return `-- review rounds of the terminal sub-tasks
insert into review_record (id, sub_task_id, reviewer_agent, round, result, score, issues, comment, rework_agent, created_at)
select s.id || '-review-1', s.id, ${q(agents.reviewer)}, 1,
  case when s.rework_count > 0 or s.status = 'cancelled' then 'rejected' else 'approved' end,
  case when s.rework_count > 0 or s.status = 'cancelled' then 2 else 5 end, '', 'Seeded history', null, s.started_at
from sub_task s where ${done};
insert into review_record (id, sub_task_id, reviewer_agent, round, result, score, issues, comment, rework_agent, created_at)
select s.id || '-review-2', s.id, ${q(agents.reviewer)}, 2, 'approved', 5, '', 'Seeded history', null, s.updated_at
from sub_task s where ${done} and s.rework_count > 0 and s.status = 'done';

-- their journal: a line each, a reflection for one in five (both executors)
insert into activity_log (id, agent_id, sub_task_id, action, summary, session_id, created_at)
select s.id || '-log', s.assigned_agent, s.id, 'log', 'Delivered', null, s.updated_at from sub_task s where ${done};
insert into activity_log (id, agent_id, sub_task_id, action, summary, session_id, created_at)
select s.id || '-reflection', s.assigned_agent, s.id, 'reflection', 'An old lesson', null, s.updated_at
from sub_task s where ${done} and ${seq("s.id")} % 5 = 4;

-- a rule for one in fifty
insert into rule (id, scope, task_id, sub_task_id, content, created_at, updated_at)
select s.id || '-rule', 'sub_task', null, s.id, 'Sub-task rule of ' || s.id, s.created_at, s.created_at
from sub_task s where ${done} and ${seq("s.id")} % 50 = 0;
`;
}
