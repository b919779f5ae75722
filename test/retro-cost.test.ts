// What one retrospective generation costs over a team of realistic size (docs/benchmarks.md): 50
// agents, 5,000 finished sub-tasks a week and four weeks of history (26,600 reviews, 106,400 logs,
// 26,600 ledger rows, 2,000 patrol records). Rows read must follow the period's activity, not the
// history: the reflections read starts from the agent table (CROSS JOIN) so it seeks the per-agent
// index instead of walking every log of the period.
import { describe, expect, it } from "vitest";
import { env } from "./helpers";

const DAYS = 28;
const FIRST = "2026-11-07T00:00:00";
const D = "2026-12-04";
const SUB_TASKS = 20_000;
const REVIEWS = 26_600;
const LOGS = 106_400;
const PATROL = 2_000;
const REWARDS = 26_600;

/** `n` rows spread evenly over the 28 days, row i at FIRST + i·(28 days / n). */
const series = (n: number) => `with recursive s(i) as (select 0 union all select i + 1 from s where i < ${n - 1})`;
const when = (n: number, shift = "") =>
  `strftime('%Y-%m-%dT%H:%M:%S.000Z', '${FIRST}', '+' || (i * ${DAYS * 86_400} / ${n}) || ' seconds'${shift})`;

async function seedHistory(): Promise<void> {
  const roles = `case when i < 40 then 'executor' when i < 43 then 'reviewer' when i < 48 then 'planner' else 'patrol' end`;
  await env.DB.batch([
    env.DB.prepare(
      `${series(50)} insert into agent (id, name, role, api_key_hash, created_at) select 'ag' || i, 'agent ' || i, ${roles}, 'h' || i, '${FIRST}' from s`,
    ),
    env.DB.prepare(
      `${series(SUB_TASKS)} insert into sub_task (id, task_id, name, status, assigned_agent, created_at, started_at, completed_at, updated_at)
       select 'st' || i, 't' || (i % 200), 'Part ' || i, 'done', 'ag' || (i % 40), ${when(SUB_TASKS, ", '-3 hours'")},
         ${when(SUB_TASKS, ", '-1 hours'")}, ${when(SUB_TASKS)}, ${when(SUB_TASKS)} from s`,
    ),
    // A quarter rejected, with a handful of recurring issue texts.
    env.DB.prepare(
      `${series(REVIEWS)} insert into review_record (id, sub_task_id, reviewer_agent, round, result, score, issues, executor_agent, created_at)
       select 'rv' || i, 'st' || (i % ${SUB_TASKS}), 'ag' || (40 + i % 3), i / ${SUB_TASKS} + 1,
         case when i % 4 = 0 then 'rejected' else 'approved' end, i % 5,
         case when i % 4 = 0 then 'The summary misses ' || (i % 9) || ' sources; issue variant ' || (i % 37) else '' end,
         'ag' || (i % 40), ${when(REVIEWS)} from s`,
    ),
    env.DB.prepare(
      `${series(LOGS)} insert into activity_log (id, agent_id, action, summary, created_at)
       select 'lg' || i, 'ag' || (i % 50), case when i % 16 = 0 then 'reflection' else 'coding' end, 'log ' || i, ${when(LOGS)} from s`,
    ),
    env.DB.prepare(
      `${series(PATROL)} insert into patrol_record (id, type, severity, agent_id, target, description, status, created_at)
       select 'pr' || i, case when i % 2 = 0 then 'timeout' else 'stuck' end, 'warning', 'ag' || (i % 40), 'pr' || i, 'seeded',
         case when i % 3 = 0 then 'open' else 'resolved' end, ${when(PATROL)} from s`,
    ),
    env.DB.prepare(
      `${series(REWARDS)} insert into reward_log (id, agent_id, reason, score_delta, created_at)
       select 'rw' || i, 'ag' || (i % 40), 'seeded', case when i % 4 = 0 then -2 else 3 end, ${when(REWARDS)} from s`,
    ),
  ]);
}

describe("one generation over four weeks of history", () => {
  it("daily: ~14 statements and a few thousand rows read; weekly stays within the Durable Object's budget", {
    timeout: 300_000,
  }, async () => {
    await seedHistory();
    const jobs = env.JOBS.get(env.JOBS.idFromName("retro"));
    const started = Date.now();
    const daily = await jobs.generate({
      kind: "daily",
      date: D,
      trigger: "manual",
      by: "admin",
      now: "2026-12-05T00:05:00.000Z",
    });
    const dailyMs = Date.now() - started;
    const weekly = await jobs.generate({
      kind: "weekly",
      date: D,
      trigger: "manual",
      by: "admin",
      now: "2026-12-07T00:05:00.000Z",
    });
    const rows = await env.DB.prepare(
      "select scope, count(*) as n, max(length(body)) as body, max(length(text)) as text from retrospective group by period_kind, scope",
    ).all();
    const weeklyMs = Date.now() - started - dailyMs;
    // For docs/benchmarks.md: statements, rows read and written, wall time (local D1), row sizes.
    console.log(
      JSON.stringify({
        daily: { ...daily.usage, ms: dailyMs },
        weekly: { ...weekly.usage, ms: weeklyMs },
        rows: rows.results,
      }),
    );
    expect(daily.status).toBe("created");
    const team = await env.DB.prepare("select body from retrospective where period_key = ? and scope_key = 'team'")
      .bind(`day:${D}`)
      .first<string>("body");
    // 20,000 sub-tasks over 28 days: 714 or 715 finish on any one day.
    expect(JSON.parse(team!).counts.sub_tasks_done).toBeGreaterThanOrEqual(714);
    expect(daily.usage.queries).toBeLessThanOrEqual(15);
    // The period's own rows are ~3.5k (950 reviews, 714 sub-tasks, 3.8k logs of which 236 reflections…);
    // a plain join for the reflections alone would add ~3.5k.
    expect(daily.usage.rowsRead).toBeLessThan(6_000);
    expect(weekly.usage.queries).toBeLessThanOrEqual(15);
    expect(weekly.usage.rowsRead).toBeLessThan(40_000);
  });
});
