// The load scenario's simulated agents: each team's planner creates tasks and follows them to the
// end; executors and reviewers work from the shared queues, so they race for the same sub-tasks (a
// 409 on claim or review is an expected conflict, counted, not an error). Every first submission is
// rejected and every reworked one approved, so each sub-task runs the whole lifecycle once.
import { randomUUID } from "node:crypto";
import type { Created, Page, ReviewRow, SubTaskRow } from "./api-types.ts";
import { type LoadClient, RequestFailed } from "./load-client.ts";

/** The API keys of one team. */
export interface Team {
  planner: string;
  executor: string;
  reviewer: string;
}

export interface TeamsOptions {
  /** Tasks each planner creates at most (Infinity: no limit). */
  rounds: number;
  /** Seconds during which planners start new tasks (Infinity: no limit). */
  durationS: number;
  subTasks: number;
  /** Seconds allowed after planning stops for open work. */
  drainS: number;
  log: (msg: string) => void;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const jitter = (lo: number, hi: number) => lo + Math.random() * (hi - lo);
const pick = <T>(items: T[], top = 3): T => items[Math.floor(Math.random() * Math.min(top, items.length))]!;
const sessionId = () => `cron:bench:run:${randomUUID()}`;

/** The teams at work, and what they did (read while they run for the progress line, then by the checks). */
export class LoadTeams {
  readonly counters = { claimConflicts: 0, reviewConflicts: 0, claims: 0, reviews: 0, lifecycles: 0, subTasksDone: 0 };
  /** Sub-task and task ids the planners created. */
  readonly created: string[] = [];
  readonly tasks: string[] = [];
  /** Planners still planning or following their tasks: executors and reviewers stop when none is left. */
  planners = 0;
  private planningEndsAt = 0;
  private hardStopAt = 0;

  private readonly client: LoadClient;
  private readonly options: TeamsOptions;

  constructor(client: LoadClient, options: TeamsOptions) {
    this.client = client;
    this.options = options;
  }

  /** Runs every team's three agents until the planners are done or the time is up. */
  async work(teams: Team[]): Promise<void> {
    const { durationS, drainS } = this.options;
    this.planningEndsAt = Date.now() + durationS * 1000;
    this.hardStopAt = Number.isFinite(durationS) ? this.planningEndsAt + drainS * 1000 : Infinity;
    this.planners = teams.length;
    await Promise.all(
      teams.flatMap((t, i) => [this.planner(i, t.planner), this.executor(t.executor), this.reviewer(t.reviewer)]),
    );
  }

  private timeUp() {
    return Date.now() >= this.hardStopAt;
  }

  private workersShouldStop() {
    return this.planners === 0 || this.timeUp();
  }

  private async planner(team: number, key: string): Promise<void> {
    const { client, options } = this;
    try {
      for (let round = 0; round < options.rounds && Date.now() < this.planningEndsAt && !this.timeUp(); round++) {
        await client.api(key, "GET", "/api/rules", { query: { cli_version: 2 } });
        const task = await client.api<Created & { name: string }>(key, "POST", "/api/tasks", {
          body: { name: `Bench task ${team}.${round}`, description: "Created by scripts/bench.ts", type: "once" },
        });
        this.tasks.push(task.id);
        await client.api(key, "PUT", "/api/tasks/{id}/status", { id: task.id, body: { status: "active" } });
        const mod = await client.api<Created>(key, "POST", "/api/tasks/{id}/modules", {
          id: task.id,
          body: { name: "Core", description: "The only module of a bench task" },
        });
        const mine: string[] = [];
        for (let k = 0; k < options.subTasks; k++) {
          const st = await client.api<Created>(key, "POST", "/api/sub-tasks", {
            body: {
              task_id: task.id,
              name: `Step ${k + 1} of ${task.name}`,
              description: "Do the thing.",
              deliverable: "A short report",
              acceptance: "The report exists",
              priority: "medium",
              type: "once",
              module_id: mod.id,
            },
          });
          mine.push(st.id);
          this.created.push(st.id);
        }
        // Follow progress as a planner does, until every sub-task is done.
        for (;;) {
          await sleep(jitter(800, 1200));
          const list = await client.api<Page<SubTaskRow>>(key, "GET", "/api/sub-tasks", {
            query: { task_id: task.id },
          });
          if (list.items.length === mine.length && list.items.every((s) => s.status === "done")) break;
          if (this.timeUp()) return;
        }
        await client.api(key, "GET", "/api/tasks/{id}", { id: task.id });
        await client.api(key, "GET", "/api/scores/leaderboard");
        this.counters.lifecycles += 1;
      }
    } catch (err) {
      options.log(`planner ${team} stopped: ${message(err)}`);
    } finally {
      this.planners -= 1;
    }
  }

  private async executor(key: string): Promise<void> {
    const { client, counters } = this;
    while (!this.workersShouldStop()) {
      try {
        await client.api(key, "GET", "/api/rules", { query: { cli_version: 2 } });
        const mine = await client.api<Page<SubTaskRow>>(key, "GET", "/api/sub-tasks/mine");
        const rework = mine.items.find((s) => s.status === "rework");
        if (rework) {
          // Read why it was rejected, reflect, and deliver again.
          const reviews = await client.api<Page<ReviewRow>>(key, "GET", "/api/review-records", {
            query: { sub_task_id: rework.id },
          });
          const issues = reviews.items.find((r) => r.result === "rejected")?.issues ?? "";
          await client.api(key, "POST", "/api/logs", {
            body: { action: "reflection", summary: `Fixing: ${issues}`.slice(0, 500), sub_task_id: rework.id },
          });
          await client.api(key, "POST", "/api/sub-tasks/{id}/start", {
            id: rework.id,
            body: { session_id: sessionId() },
          });
          await client.api(key, "POST", "/api/sub-tasks/{id}/submit", { id: rework.id });
          await client.api(key, "GET", "/api/scores/me");
          continue;
        }
        // Work left half-done after a failed request: carry it on.
        const unfinished = mine.items.find((s) => s.status === "assigned" || s.status === "in_progress");
        if (unfinished) {
          if (unfinished.status === "assigned") {
            await client.api(key, "POST", "/api/sub-tasks/{id}/start", {
              id: unfinished.id,
              body: { session_id: sessionId() },
            });
          }
          await client.api(key, "POST", "/api/sub-tasks/{id}/submit", { id: unfinished.id });
          continue;
        }
        const available = await client.api<Page<SubTaskRow>>(key, "GET", "/api/sub-tasks/available");
        if (available.items.length === 0) {
          await sleep(jitter(200, 400));
          continue;
        }
        const target = pick(available.items);
        if (await client.lostRace(key, "/api/sub-tasks/{id}/claim", { id: target.id, body: {} })) {
          counters.claimConflicts += 1;
          continue;
        }
        counters.claims += 1;
        await client.api(key, "POST", "/api/sub-tasks/{id}/start", {
          id: target.id,
          body: { session_id: sessionId() },
        });
        await client.api(key, "POST", "/api/logs", {
          body: { action: "delivery", summary: "Wrote the report", sub_task_id: target.id },
        });
        await client.api(key, "POST", "/api/sub-tasks/{id}/submit", { id: target.id });
        await client.api(key, "GET", "/api/scores/me");
      } catch (err) {
        if (!(err instanceof RequestFailed)) throw err;
        await sleep(500);
      }
    }
  }

  private async reviewer(key: string): Promise<void> {
    const { client, counters } = this;
    while (!this.workersShouldStop()) {
      try {
        await client.api(key, "GET", "/api/rules", { query: { cli_version: 2 } });
        const waiting = await client.api<Page<SubTaskRow>>(key, "GET", "/api/sub-tasks", {
          query: { status: "review" },
        });
        if (waiting.items.length === 0) {
          await sleep(jitter(200, 400));
          continue;
        }
        const target = pick(waiting.items, waiting.items.length);
        // First submission: rejected with issues; the reworked one: approved.
        const first = target.rework_count === 0;
        const verdict = first
          ? {
              result: "rejected",
              score: 2,
              issues: "The report misses the acceptance criterion.",
              comment: "Please fix.",
            }
          : { result: "approved", score: 5, issues: "", comment: "Good." };
        if (await client.lostRace(key, "/api/review-records", { body: { sub_task_id: target.id, ...verdict } })) {
          counters.reviewConflicts += 1;
          continue;
        }
        counters.reviews += 1;
        if (!first) counters.subTasksDone += 1;
      } catch (err) {
        if (!(err instanceof RequestFailed)) throw err;
        await sleep(500);
      }
    }
  }
}
