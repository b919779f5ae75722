// Benchmark (issue 18 acceptance): the cron's added cost with 1,000 recurring tasks stays proportional
// to the tasks due, not to all tasks. 1,000 and 100 schedules are seeded by SQL with the same D due
// (D = 0, 10, 50); the recurring step's own D1 usage (its report's `d1`) is compared. The figures are
// printed as a Markdown table for docs/benchmarks.md.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecurringConfig } from "../contract/api/recurring";
import { getDb } from "../worker/db/client";
import { emptyUsage, meteredD1 } from "../worker/db/metered";
import {
  MAX_ROUNDS_PER_RUN,
  RECURRING_STATEMENTS,
  type RecurringReport,
  runRecurring,
} from "../worker/patrol/recurring";
import { env, initialize } from "./helpers";
import { DAILY_9_SHANGHAI, policyOf, TWO_STEP } from "./recurring-fixtures";
import { emptyDatabase } from "./tables";

const SIZES = [100, 1_000] as const;
const DUE = [0, 10, 50] as const;
const NOW = Date.parse("2026-12-10T01:00:30.000Z");
const SLOT = "2026-12-10T01:00:00.000Z";
const LATER = "2026-12-11T01:00:00.000Z";

/** A three-sub-task template (collect → translate, publish), as the research's benchmark asked. */
const CONFIG: RecurringConfig = (() => {
  const template = TWO_STEP();
  template.sub_tasks.push({ ...template.sub_tasks[1]!, key: "publish", name: "Publish {date}", depends_on: [] });
  return { version: 1, schedule: DAILY_9_SHANGHAI, template, policy: policyOf({ when_unfinished: "stack" }) };
})();

/** Removes every task and what the step wrote, so each measurement starts from the same state. */
async function clear(): Promise<void> {
  await env.DB.batch(
    ["task_schedule", "task_round", "sub_task", "sub_task_event", "sub_task_dependency", "activity_log", "task"].map(
      (t) => env.DB.prepare(`delete from ${t}`),
    ),
  );
}

/** `total` active recurring tasks with schedules, `due` of them waiting for a slot that has come. */
async function seed(total: number, due: number): Promise<void> {
  const created = new Date(NOW - 86_400_000).toISOString();
  const task = env.DB.prepare(
    "insert into task (id, name, description, type, status, created_at, updated_at) values (?, ?, '', 'recurring', 'active', ?, ?)",
  );
  const schedule = env.DB.prepare(
    "insert into task_schedule (task_id, status, config, next_run_at, rounds_created, created_at, updated_at) values (?, 'active', ?, ?, 0, ?, ?)",
  );
  const config = JSON.stringify(CONFIG);
  const statements = Array.from({ length: total }, (_, i) => {
    const id = `bench-${String(i).padStart(4, "0")}`;
    return [
      task.bind(id, `News ${i}`, created, created),
      schedule.bind(id, config, i < due ? SLOT : LATER, created, created),
    ];
  }).flat();
  for (let i = 0; i < statements.length; i += 500) await env.DB.batch(statements.slice(i, i + 500));
}

interface Figure {
  total: number;
  due: number;
  report: RecurringReport;
  ms: number;
}

const figures: Figure[] = [];

beforeAll(async () => {
  // The per-test wipe (apply-migrations.ts) runs before each test, not before this hook: start empty
  // here, whatever the file before this one left in the shared database.
  await emptyDatabase();
  await initialize();
  for (const total of SIZES) {
    for (const due of DUE) {
      await clear();
      await seed(total, due);
      const usage = emptyUsage();
      const started = performance.now();
      const report = await runRecurring(getDb(meteredD1(env.DB, usage)), new Date(NOW).toISOString(), usage);
      figures.push({ total, due, report, ms: Math.round(performance.now() - started) });
    }
  }
}, 300_000);

afterAll(() => {
  const rows = figures.map(
    (f) =>
      `| ${f.total.toLocaleString("en")} | ${f.due} | ${f.report.created} | ${f.report.d1.queries} | ${f.report.d1.rowsRead} | ${f.report.d1.rowsWritten} | ${f.ms} |`,
  );
  console.log(
    [
      "| schedules | due | rounds created | statements | rows read | rows written | ms |",
      "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      ...rows,
    ].join("\n"),
  );
});

const figure = (total: number, due: number): Figure => figures.find((f) => f.total === total && f.due === due)!;

describe("the recurring step's cost follows the schedules due, not all schedules", () => {
  it.each(DUE)("D = %i: 1,000 schedules read at most 1.2 × the rows 100 read", (due) => {
    const small = figure(100, due);
    const large = figure(1_000, due);
    expect(large.report.created).toBe(due);
    expect(small.report.created).toBe(due);
    expect(large.report.d1.rowsRead).toBeLessThanOrEqual(1.2 * small.report.d1.rowsRead);
  });

  it("nothing due costs one statement; any D at most RECURRING_STATEMENTS", () => {
    for (const total of SIZES) {
      expect(figure(total, 0).report.d1.queries).toBe(1);
      expect(figure(total, 0).report.d1.rowsWritten).toBe(0);
      for (const due of DUE) expect(figure(total, due).report.d1.queries).toBeLessThanOrEqual(RECURRING_STATEMENTS);
    }
  });

  it("rows written grow with the rounds created: each round writes the same rows", () => {
    // Plus a constant per batch: the search entries' AUTOINCREMENT ids update sqlite_sequence's row once.
    const written = (f: Figure) => f.report.d1.rowsWritten;
    expect(MAX_ROUNDS_PER_RUN).toBeGreaterThanOrEqual(50);
    const perRound = (written(figure(1_000, 50)) - written(figure(1_000, 10))) / 40;
    expect(Number.isInteger(perRound)).toBe(true);
    const perBatch = written(figure(1_000, 10)) - 10 * perRound;
    expect(perBatch).toBeGreaterThanOrEqual(0);
    expect(perBatch).toBeLessThanOrEqual(2);
    expect(written(figure(100, 50))).toBe(written(figure(1_000, 50)));
  });
});
