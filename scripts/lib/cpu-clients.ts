// The cpu scenario's clients and the work they need: a project with a planner, EXECUTORS executors
// and REVIEWERS reviewers, and pending sub-tasks the planner created (not measured); the lifecycle
// clients (executors available → claim → start → log → submit, reviewers review queue → approve)
// and the clients that GET one path in a loop.
import { randomBytes } from "node:crypto";
import type { Created, Page, Registered, SubTaskRow } from "./api-types.ts";
import { type ClosedLoopClient, Recorder } from "./cpu-measure.ts";
import type { RequestOptions } from "./http.ts";

export const EXECUTORS = 6;
export const REVIEWERS = 2;
const SUB_TASKS_PER_TASK = 30;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A client that sends GET `pathname` in a closed loop until `until`. */
export const looping =
  (base: string, pathname: string): ClosedLoopClient =>
  async (recorder, until) => {
    while (performance.now() < until) await recorder.call(base, `GET ${pathname}`, "GET", pathname);
  };

/** Initializes the project, registers the agents and has the planner create `subTasks` pending sub-tasks. */
export async function seedLifecycleWork(
  base: string,
  setupToken: string,
  subTasks: number,
  log: (msg: string) => void,
) {
  const r = new Recorder();
  const must = async <T = unknown>(op: string, method: string, pathname: string, options: RequestOptions) => {
    const res = await r.call<T>(base, op, method, pathname, options);
    if (!res) throw new Error(`setup failed: ${r.errors.at(-1)}`);
    return res.json;
  };
  const registrationToken = randomBytes(16).toString("hex");
  const password = randomBytes(12).toString("hex");
  await must("setup", "POST", "/api/setup/initialize", {
    headers: { "x-setup-token": setupToken },
    body: {
      admin_password: password,
      project_name: "CPU bench",
      workspace_root: "/bench",
      registration_token: registrationToken,
      registration_roles: ["planner", "executor", "reviewer"],
    },
  });
  // The clients call far faster than an LLM agent: lift the per-agent rate limit (its statement still runs).
  const { token } = await must<{ token: string }>("login", "POST", "/api/admin/login", { body: { password } });
  await must("config", "PUT", "/api/admin/config", {
    adminToken: token,
    body: { agent: { registrations_per_hour: 10_000, rate_limit_per_minute: 1_000_000, rate_limit_burst: 1_000_000 } },
  });
  const register = async (name: string, role: string) =>
    (
      await must<Registered>("register", "POST", "/api/agents/register", {
        headers: { "x-registration-token": registrationToken },
        body: { name, role, description: `cpu bench ${role}` },
      })
    ).api_key;
  const planner = await register("planner", "planner");
  const executors = await Promise.all(
    Array.from({ length: EXECUTORS }, (_, i) => register(`executor-${i}`, "executor")),
  );
  const reviewers = await Promise.all(
    Array.from({ length: REVIEWERS }, (_, i) => register(`reviewer-${i}`, "reviewer")),
  );
  log(`seeding ${subTasks} pending sub-tasks`);
  const tasks = Math.ceil(subTasks / SUB_TASKS_PER_TASK);
  await Promise.all(
    Array.from({ length: tasks }, async (_, t) => {
      const task = await must<Created>("task", "POST", "/api/tasks", {
        key: planner,
        body: { name: `CPU task ${t}`, description: "cpu bench", type: "once" },
      });
      await must("activate", "PUT", `/api/tasks/${task.id}/status`, { key: planner, body: { status: "active" } });
      const mod = await must<Created>("module", "POST", `/api/tasks/${task.id}/modules`, {
        key: planner,
        body: { name: "Core", description: "cpu bench" },
      });
      for (let k = t * SUB_TASKS_PER_TASK; k < Math.min(subTasks, (t + 1) * SUB_TASKS_PER_TASK); k++) {
        await must("sub-task", "POST", "/api/sub-tasks", {
          key: planner,
          body: {
            task_id: task.id,
            module_id: mod.id,
            name: `Step ${k}`,
            description: "Do it.",
            deliverable: "A report",
            acceptance: "It exists",
          },
        });
      }
    }),
  );
  return { executors, reviewers };
}

/** The lifecycle clients; they wait a little when their queue is empty (no work is not load). */
export function lifecycleClients(base: string, { executors, reviewers }: { executors: string[]; reviewers: string[] }) {
  const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * Math.min(3, items.length))]!;
  const executor =
    (key: string): ClosedLoopClient =>
    async (recorder, until) => {
      while (performance.now() < until) {
        const list = await recorder.call<Page<SubTaskRow>>(
          base,
          "GET /api/sub-tasks/available",
          "GET",
          "/api/sub-tasks/available",
          {
            key,
          },
        );
        if (!list?.json.items.length) {
          recorder.idle += 1;
          await sleep(50);
          continue;
        }
        const id = pick(list.json.items).id;
        const claim = await recorder.call(base, "POST claim", "POST", `/api/sub-tasks/${id}/claim`, {
          key,
          body: {},
          conflictOk: true,
        });
        if (claim?.status !== 200) continue;
        if (
          !(await recorder.call(base, "POST start", "POST", `/api/sub-tasks/${id}/start`, {
            key,
            body: { session_id: `cpu-${id}` },
          }))
        )
          continue;
        await recorder.call(base, "POST /api/logs", "POST", "/api/logs", {
          key,
          body: { action: "delivery", summary: "Wrote the report", sub_task_id: id },
        });
        await recorder.call(base, "POST submit", "POST", `/api/sub-tasks/${id}/submit`, { key });
      }
    };
  const reviewer =
    (key: string): ClosedLoopClient =>
    async (recorder, until) => {
      while (performance.now() < until) {
        const queue = await recorder.call<Page<SubTaskRow>>(
          base,
          "GET review queue",
          "GET",
          "/api/sub-tasks?status=review",
          { key },
        );
        if (!queue?.json.items.length) {
          recorder.idle += 1;
          await sleep(50);
          continue;
        }
        const id = pick(queue.json.items).id;
        await recorder.call(base, "POST /api/review-records", "POST", "/api/review-records", {
          key,
          conflictOk: true,
          body: { sub_task_id: id, result: "approved", score: 5, issues: "", comment: "Good." },
        });
      }
    };
  return [...executors.map(executor), ...reviewers.map(reviewer)];
}
