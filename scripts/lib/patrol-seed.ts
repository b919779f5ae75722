// Seed data for the patrol benchmark, as SQL for `wrangler d1 execute --file`. Rows are generated
// inside SQLite by recursive CTEs, so 100,000 sub-tasks take a second, not 100,000 API calls.
//
// Two parts, so that two databases can differ only in history:
//   - activeSql(): the tasks, the open sub-tasks (each group trips known anomaly rules) and the
//     agents' latest score changes. Identical in both databases.
//   - historySql(): terminal sub-tasks (done/cancelled) and what a long-running project keeps
//     around them: their reward ledger rows, resolved patrol records, delivered notifications and
//     recent request-log rows. None of it is open work, so none of it should be read by a patrol run.
//
// Every timestamp is relative to `ref` (an ISO time taken just before seeding). The open groups are
// placed well away from the thresholds (upstream's defaults: 60/120 min timeout, 120 min stuck,
// 60 min orphan, 3 reworks, 3 deductions in a row), so a minute or two between seeding and the
// measured run changes nothing.

/**
 * Open sub-tasks, per 100: status, minutes since created/updated/started, rework count, who it is
 * assigned to (`exec`: the two executors in turn, `gone`: an agent id that does not exist), and the
 * anomalies the rules must report for each row ([type, severity]; `block`: the cron blocks it).
 */
export const OPEN_GROUPS = [
  { n: 5, status: "in_progress", started: 90, updated: 10, agent: "exec", expect: [["timeout", "warning"]] },
  {
    n: 2,
    status: "in_progress",
    started: 150,
    updated: 150,
    agent: "exec",
    expect: [
      ["timeout", "critical"],
      ["stuck", "warning"],
    ],
    block: true,
  },
  {
    n: 1,
    status: "in_progress",
    started: 150,
    updated: 30,
    agent: "exec",
    expect: [["timeout", "critical"]],
    block: true,
  },
  { n: 22, status: "in_progress", started: 20, updated: 5, agent: "exec", expect: [] },
  { n: 3, status: "assigned", updated: 180, agent: "exec", expect: [["stuck", "warning"]] },
  { n: 1, status: "assigned", updated: 15, agent: "gone", expect: [["orphan", "warning"]] },
  { n: 14, status: "assigned", updated: 15, agent: "exec", expect: [] },
  { n: 4, status: "pending", updated: 90, agent: null, expect: [["orphan", "warning"]] },
  { n: 23, status: "pending", updated: 10, agent: null, expect: [] },
  { n: 2, status: "review", updated: 200, agent: "exec", expect: [["stuck", "warning"]] },
  { n: 13, status: "review", updated: 20, agent: "exec", expect: [] },
  { n: 1, status: "rework", updated: 30, rework: 3, agent: "exec", expect: [["rework_overflow", "warning"]] },
  {
    n: 1,
    status: "rework",
    updated: 150,
    rework: 4,
    agent: "exec",
    expect: [
      ["rework_overflow", "warning"],
      ["stuck", "warning"],
    ],
  },
  { n: 4, status: "rework", updated: 25, rework: 1, agent: "exec", expect: [] },
  { n: 1, status: "blocked", updated: 300, agent: "exec", expect: [["stuck", "warning"]] },
  { n: 3, status: "blocked", updated: 40, agent: "exec", expect: [] },
];
const PER = OPEN_GROUPS.reduce((sum, g) => sum + g.n, 0); // 100

/** Tasks: by id % 10, 0–3 active, 4–6 in_progress, 7–9 completed. Open sub-tasks go to open tasks only. */
const TASK_STATUS_SQL = "case when i % 10 < 4 then 'active' when i % 10 < 7 then 'in_progress' else 'completed' end";

const q = (s: string | number | undefined) => `'${String(s).replaceAll("'", "''")}'`;
/** An ISO-8601 UTC time `minutesExpr` minutes before ref, as the Worker writes them (…sssZ). */
const ago = (ref: string, minutesExpr: string) =>
  `strftime('%Y-%m-%dT%H:%M:%fZ', ${q(ref)}, '-' || (${minutesExpr}) || ' minutes')`;
const range = (n: number) => `with recursive n(i) as (select 0 union all select i + 1 from n where i + 1 < ${n})`;
const taskId = (expr: string) => `printf('bench-task-%05d', ${expr})`;

/** What the rules must report for `active` open sub-tasks (a multiple of 100). */
export type ExpectedAnomalies = ReturnType<typeof expectedAnomalies>;

export function expectedAnomalies(active: number) {
  const times = active / PER;
  const byKind = new Map<string, number>();
  let total = 0;
  let blocked = 0;
  let afterBlocking = 0; // anomalies left once the critical timeouts are blocked (the second run)
  for (const g of OPEN_GROUPS) {
    for (const [type, severity] of g.expect) {
      const key = `${type}/${severity}`;
      byKind.set(key, (byKind.get(key) ?? 0) + g.n * times);
      total += g.n * times;
      if (!g.block) afterBlocking += g.n * times;
    }
    if (g.block) blocked += g.n * times;
  }
  // One executor's three latest score changes are all deductions (see activeSql).
  byKind.set("score_drop/warning", 1);
  return { byKind, total: total + 1, blocked, afterBlocking: afterBlocking + 1 };
}

/** Ids of the registered agents the seeded rows name. */
export interface SeedAgents {
  planner: string;
  executors: string[];
}

export function activeSql({
  ref,
  tasks,
  active,
  agents,
}: {
  /** ISO time the ages are counted from. */
  ref: string;
  tasks: number;
  /** Open sub-tasks, a multiple of 100. */
  active: number;
  agents: SeedAgents;
}): string {
  const [e1, e2] = agents.executors;
  const out = [
    `-- ${tasks} tasks`,
    `insert into task (id, name, description, type, status, created_at, updated_at)
${range(tasks)}
select ${taskId("i")}, 'Bench task ' || i, 'Seeded by scripts/bench.ts', 'once', ${TASK_STATUS_SQL},
  ${ago(ref, "20160 + i")}, ${ago(ref, "60 + i % 600")}
from n;`,
  ];
  // Open task indexes: 10k + (0..6). Spread the open sub-tasks over all of them.
  const openTasks = Math.floor(tasks / 10) * 7;
  if (openTasks === 0) throw new Error("at least 10 tasks are needed");
  let offset = 0;
  OPEN_GROUPS.forEach((g, gi) => {
    const count = (g.n * active) / PER;
    const started = g.started === undefined ? "null" : ago(ref, String(g.started));
    const created = Math.max(g.updated, g.started ?? 0) + 30;
    const agent =
      g.agent === "exec"
        ? `case when i % 2 = 0 then ${q(e1)} else ${q(e2)} end`
        : g.agent === "gone"
          ? q("bench-deleted-agent")
          : "null";
    // k: this row's position among all open sub-tasks, so consecutive groups land on different tasks.
    const k = `(${offset} + i)`;
    const openTask = `10 * ((${k} % ${openTasks}) / 7) + (${k} % ${openTasks}) % 7`;
    out.push(`-- open group ${gi + 1}: ${count} × ${g.status}${g.expect.length ? ` → ${g.expect.map((e) => e.join("/")).join(", ")}` : ""}
insert into sub_task (id, task_id, module_id, name, description, deliverable, acceptance, type, status, priority,
  assigned_agent, current_session_id, rework_count, recurring_config, created_at, updated_at, completed_at, started_at, revision)
${range(count)}
select printf('bench-st-open-%06d', ${k}), ${taskId(openTask)}, null, printf('Open step %d', ${k}), 'Seeded open work', 'A report', 'It exists',
  'once', ${q(g.status)}, case when i % 3 = 0 then 'high' else 'medium' end,
  ${agent}, ${g.status === "in_progress" ? `printf('bench-session-%d', ${k})` : "null"}, ${g.rework ?? 0}, null,
  ${ago(ref, String(created))}, ${ago(ref, String(g.updated))}, null, ${started}, lower(hex(randomblob(16)))
from n;`);
    offset += count;
  });
  // The agents' latest score changes: executor 1 lost points three times in a row (score_drop);
  // executor 2's latest change is a gain (no alert).
  // [agent, score delta, minutes ago]
  const rewards: [string | undefined, number, number][] = [
    [e1, 5, 50],
    [e1, -2, 40],
    [e1, -3, 30],
    [e1, -1, 20],
    [e2, -2, 50],
    [e2, -2, 40],
    [e2, 5, 30],
  ];
  out.push(`-- the agents' latest score changes
insert into reward_log (id, agent_id, sub_task_id, reason, score_delta, created_at) values
${rewards.map(([a, d, m], i) => `  (${q(`bench-reward-recent-${i}`)}, ${q(a)}, null, ${q(d < 0 ? "review rejected" : "review approved")}, ${d}, ${ago(ref, String(m))})`).join(",\n")};`);
  return `${out.join("\n\n")}\n`;
}

/**
 * @param {object} o
 * @param {string} o.ref
 * @param {number} o.tasks
 * @param {number} o.terminal  done/cancelled sub-tasks to add
 * @param {{ executors: string[] }} o.agents
 */
export function historySql({
  ref,
  tasks,
  terminal,
  agents,
}: {
  ref: string;
  tasks: number;
  /** Done/cancelled sub-tasks to add. */
  terminal: number;
  agents: Pick<SeedAgents, "executors">;
}): string {
  if (terminal <= 0) return "";
  const [e1, e2] = agents.executors;
  const exec = `case when i % 2 = 0 then ${q(e1)} else ${q(e2)} end`;
  // Finished between 1 and 91 days ago, one hour after it was created.
  const createdAgo = "1500 + (i * 7) % 129600";
  const doneAgo = "1440 + (i * 7) % 129600";
  const id = (prefix: string) => `printf('bench-${prefix}-%06d', i)`;
  const patrol = Math.floor(terminal / 20);
  const notifications = Math.floor(terminal / 10);
  const requests = Math.floor(terminal / 5);
  return `-- ${terminal} terminal sub-tasks: 9 in 10 done, 1 in 10 cancelled
insert into sub_task (id, task_id, module_id, name, description, deliverable, acceptance, type, status, priority,
  assigned_agent, current_session_id, rework_count, recurring_config, created_at, updated_at, completed_at, started_at, revision)
${range(terminal)}
select ${id("st-done")}, ${taskId(`i % ${tasks}`)}, null, printf('Finished step %d', i), 'Seeded history', 'A report', 'It exists',
  'once', case when i % 10 = 0 then 'cancelled' else 'done' end, 'medium',
  ${exec}, null, case when i % 5 = 0 then 1 else 0 end, null,
  ${ago(ref, createdAgo)}, ${ago(ref, doneAgo)}, case when i % 10 = 0 then null else ${ago(ref, doneAgo)} end,
  ${ago(ref, `${createdAgo} - 10`)}, lower(hex(randomblob(16)))
from n;

-- the score ledger of the done ones
insert into reward_log (id, agent_id, sub_task_id, reason, score_delta, created_at)
${range(terminal)}
select ${id("reward")}, ${exec}, ${id("st-done")}, case when i % 7 = 0 then 'review rejected' else 'review approved' end,
  case when i % 7 = 0 then -2 else 5 end, ${ago(ref, doneAgo)}
from n where i % 10 <> 0;

-- ${patrol} resolved patrol records
insert into patrol_record (id, type, severity, sub_task_id, agent_id, description, action_taken, status, created_at,
  resolved_at, target, source, last_seen_at, resolution_note)
${range(patrol)}
select ${id("patrol")}, case i % 4 when 0 then 'timeout' when 1 then 'stuck' when 2 then 'orphan' else 'rework_overflow' end,
  'warning', ${id("st-done")}, null, 'Seeded history', '', 'resolved', ${ago(ref, createdAgo)}, ${ago(ref, doneAgo)},
  'sub_task:' || ${id("st-done")}, 'cron', ${ago(ref, doneAgo)}, 'condition cleared'
from n;

-- ${notifications} delivered notifications
insert into notification_outbox (id, event, payload, created_at, fanned_out_at)
${range(notifications)}
select ${id("event")}, 'sub_task_submitted', '{}', ${ago(ref, createdAgo)}, ${ago(ref, createdAgo)}
from n;
insert into notification_delivery (id, outbox_id, channel_id, status, attempts, next_attempt_at, lease_until, last_error,
  created_at, updated_at)
${range(notifications)}
select ${id("delivery")}, ${id("event")}, 'bench-history-channel', 'sent', 1, ${ago(ref, createdAgo)}, null, null,
  ${ago(ref, createdAgo)}, ${ago(ref, createdAgo)}
from n;

-- ${requests} request-log rows inside the retention window (6 days)
insert into request_log (id, timestamp, method, path, agent_id, agent_name, agent_role, request_body, response_status)
${range(requests)}
select ${id("request")}, ${ago(ref, "5 + (i * 13) % 8640")}, 'GET', '/api/sub-tasks/mine', ${exec}, 'bench executor', 'executor', null, 200
from n;
`;
}
