// Error classes the other suites do not reach: each row is one endpoint called in one wrong way.
import { describe, expect, it } from "vitest";
import { call, initialize, register, type TestAgent } from "./helpers";

interface Row {
  name: string;
  request: (w: World) => Promise<{ status: number; body: { code?: string } }>;
  status: number;
  code?: string;
}
interface World {
  admin: string;
  planner: TestAgent;
  exec: TestAgent;
  reviewer: TestAgent;
  pending: string;
  inProgress: string;
}

async function world(): Promise<World> {
  const admin = await initialize();
  const [planner, exec, reviewer] = await Promise.all([
    register("planner"),
    register("executor"),
    register("reviewer"),
  ]);
  const task = (await call("POST", "/api/tasks", { key: planner.key, body: { name: "T" } })).body.id;
  const mk = async () =>
    (await call("POST", "/api/sub-tasks", { key: planner.key, body: { task_id: task, name: "S" } })).body.id as string;
  const pending = await mk();
  const inProgress = await mk();
  await call("POST", `/api/sub-tasks/${inProgress}/claim`, { key: exec.key });
  await call("POST", `/api/sub-tasks/${inProgress}/start`, { key: exec.key });
  return { admin, planner, exec, reviewer, pending, inProgress };
}

const review = (key: string | undefined, subTaskId: string) =>
  call("POST", "/api/review-records", { key, body: { sub_task_id: subTaskId, result: "approved", score: 4 } });

const rows: Row[] = [
  {
    name: "review without a key",
    request: (w) => review(undefined, w.inProgress),
    status: 401,
    code: "missing_credentials",
  },
  { name: "review by an executor", request: (w) => review(w.exec.key, w.inProgress), status: 403, code: "wrong_role" },
  {
    name: "review of an unknown sub-task",
    request: (w) => review(w.reviewer.key, "nope"),
    status: 404,
    code: "sub_task_not_found",
  },
  {
    name: "review of work not submitted",
    request: (w) => review(w.reviewer.key, w.inProgress),
    status: 409,
    code: "illegal_transition",
  },
  {
    name: "complete before review",
    request: (w) => call("POST", `/api/sub-tasks/${w.inProgress}/complete`, { key: w.reviewer.key }),
    status: 409,
    code: "illegal_transition",
  },
  {
    name: "complete by a planner",
    request: (w) => call("POST", `/api/sub-tasks/${w.inProgress}/complete`, { key: w.planner.key }),
    status: 403,
    code: "wrong_role",
  },
  {
    name: "complete of an unknown sub-task",
    request: (w) => call("POST", "/api/sub-tasks/nope/complete", { key: w.reviewer.key }),
    status: 404,
  },
  {
    name: "rework before review",
    request: (w) => call("POST", `/api/sub-tasks/${w.pending}/rework`, { key: w.reviewer.key }),
    status: 409,
    code: "illegal_transition",
  },
  {
    name: "rework by an executor",
    request: (w) => call("POST", `/api/sub-tasks/${w.pending}/rework`, { key: w.exec.key }),
    status: 403,
    code: "wrong_role",
  },
  {
    name: "rework of an unknown sub-task",
    request: (w) => call("POST", "/api/sub-tasks/nope/rework", { key: w.reviewer.key }),
    status: 404,
  },
  {
    name: "session on a pending sub-task",
    request: (w) => call("POST", `/api/sub-tasks/${w.pending}/session`, { key: w.exec.key, body: { session_id: "s" } }),
    status: 409,
    code: "illegal_transition",
  },
  {
    name: "cancel by an executor",
    request: (w) => call("POST", `/api/sub-tasks/${w.pending}/cancel`, { key: w.exec.key }),
    status: 403,
    code: "wrong_role",
  },
  {
    name: "cancel of an unknown sub-task",
    request: (w) => call("POST", "/api/sub-tasks/nope/cancel", { key: w.planner.key }),
    status: 404,
  },
  {
    name: "edit by a reviewer",
    request: (w) => call("PUT", `/api/sub-tasks/${w.pending}`, { key: w.reviewer.key, body: { name: "x" } }),
    status: 403,
    code: "wrong_role",
  },
  {
    name: "edit of an unknown sub-task",
    request: (w) => call("PUT", "/api/sub-tasks/nope", { key: w.planner.key, body: { name: "x" } }),
    status: 404,
  },
  {
    name: "agent status without a session",
    request: (w) => call("PUT", `/api/agents/${w.exec.id}/status`, { body: { status: "disabled" } }),
    status: 401,
  },
  {
    name: "agent status with an agent key",
    request: (w) =>
      call("PUT", `/api/agents/${w.exec.id}/status`, { key: w.planner.key, body: { status: "disabled" } }),
    status: 401,
  },
  {
    name: "agent status of an unknown agent",
    request: (w) => call("PUT", "/api/agents/nope/status", { admin: w.admin, body: { status: "disabled" } }),
    status: 404,
    code: "agent_not_found",
  },
  {
    name: "admin create agent without a session",
    request: () => call("POST", "/api/agents", { body: { name: "x", role: "executor" } }),
    status: 401,
  },
  {
    name: "rules list with a non-planner agent key",
    request: (w) => call("GET", "/api/rules/list", { key: w.exec.key }),
    status: 403,
    code: "wrong_role",
  },
  {
    name: "one rule by id with an agent key",
    request: (w) => call("GET", "/api/rules/nope", { key: w.planner.key }),
    status: 401,
  },
  {
    name: "score summary of another agent with an agent key",
    request: (w) => call("GET", `/api/scores/${w.exec.id}`, { key: w.planner.key }),
    status: 401,
  },
];

describe("error classes", () => {
  for (const row of rows) {
    it(`${row.name} → ${row.status}${row.code ? ` ${row.code}` : ""}`, async () => {
      const res = await row.request(await world());
      expect(res.status).toBe(row.status);
      expect(typeof (res.body as { detail?: unknown }).detail).toBe("string");
      if (row.code) expect(res.body.code).toBe(row.code);
    });
  }
});
