// Every API operation within the Free plan's per-invocation budget: at most 45 D1 queries (of 50)
// and 45 subrequests (of 50: Durable Object calls and fetches), read from the x-d1-queries and
// x-subrequests headers of a call that does the operation's real work. The operations come from the
// OpenAPI document, so a new route without a case here fails. Work after the response (request log,
// live notice, inline notification dispatch) counts too: it is added as its static bound.
import { describe, expect, it } from "vitest";
import { DISPATCH_READS, INLINE_LIMITS, QUERIES_PER_DELIVERY } from "../worker/notify/dispatch";
import { MAX_DEPENDENCIES } from "../worker/routes/sub-tasks";
import { seedFile } from "./file-read-seed";
import {
  ADMIN_PASSWORD,
  type CallOptions,
  call,
  env,
  FIXTURE_REGISTRATIONS_PER_HOUR,
  login,
  REGISTRATION_TOKEN,
  register,
  SETUP_TOKEN,
  type World,
} from "./helpers";
import { channel, configure } from "./notification-helpers";
import { insertRetro, pattern } from "./retro-rows";
import { seedRecurringTask } from "./round-seed";

const BUDGET = 45;
/** After every agent call: its request-log row (lib/request-log.ts) and at most one live notice (lib/live.ts). */
const AFTER_ANY = { queries: 1, subrequests: 1 };
/** After a call that queued notifications (a transition, a filed patrol record): the inline dispatch too (app.ts). */
const AFTER_NOTIFYING = {
  queries:
    AFTER_ANY.queries +
    DISPATCH_READS +
    INLINE_LIMITS.fanOutStatements +
    INLINE_LIMITS.deliveries * QUERIES_PER_DELIVERY,
  subrequests: AFTER_ANY.subrequests + INLINE_LIMITS.deliveries,
};

type Request = [method: string, path: string, opts?: CallOptions];
/** Prepares what the operation needs (in the world) and returns the call that exercises it. */
type Case = (w: World) => Promise<Request> | Request;

let n = 0;
const uniq = (p: string) => `${p}-${++n}-${crypto.randomUUID().slice(0, 6)}`;

async function subTask(w: World, to: "pending" | "assigned" | "in_progress" | "review" = "pending"): Promise<string> {
  const id = (
    await call("POST", "/api/sub-tasks", { key: w.planner.key, body: { task_id: w.taskId, name: uniq("st") } })
  ).body.id as string;
  const steps = {
    pending: [],
    assigned: ["claim"],
    in_progress: ["claim", "start"],
    review: ["claim", "start", "submit"],
  }[to];
  for (const op of steps)
    expect((await call("POST", `/api/sub-tasks/${id}/${op}`, { key: w.exec.key })).status).toBe(200);
  return id;
}
/** A stored file on a sub-task `w.exec` holds (seeded in D1 and R2; the upload has its own case). */
async function storedFile(w: World): Promise<{ subTaskId: string; fileId: string }> {
  const subTaskId = await subTask(w, "in_progress");
  const file = await seedFile({ taskId: w.taskId, subTaskId, name: "report.txt", uploadedBy: w.exec.id });
  return { subTaskId, fileId: file.id };
}
/** The raw bytes of an upload (not JSON), with the length the route requires. */
const fileBody = (bytes: string): CallOptions => ({
  rawBody: bytes,
  headers: { "content-type": "text/plain", "content-length": String(new TextEncoder().encode(bytes).byteLength) },
});
const task = async (w: World) =>
  (await call("POST", "/api/tasks", { key: w.planner.key, body: { name: uniq("task") } })).body.id as string;
const patrolRecord = async (w: World) =>
  (
    await call("POST", "/api/patrol/records", {
      key: w.patrol.key,
      body: { type: "stuck", severity: "warning", sub_task_id: await subTask(w), description: "looks stuck" },
    })
  ).body.id as string;
const reviewRecord = async (w: World) => {
  const id = await subTask(w, "review");
  return (
    await call("POST", "/api/review-records", {
      key: w.reviewer.key,
      body: { sub_task_id: id, result: "approved", score: 4 },
    })
  ).body.id as string;
};
const agentPrompt = async (w: World) =>
  (
    await call("POST", "/api/admin/prompts/agents", {
      admin: w.admin,
      body: { slug: uniq("p"), name: "P", role: "executor", content: "do things" },
    })
  ).body.slug as string;
const rule = async (w: World) =>
  (
    await call("POST", "/api/rules", {
      key: w.planner.key,
      body: { scope: "task", task_id: w.taskId, content: uniq("rule") },
    })
  ).body.id as string;
const a = (w: World) => ({ admin: w.admin });
/** The largest template a schedule takes: 10 modules, 20 sub-tasks, each after the one before. */
const largestTemplate = () => ({
  modules: Array.from({ length: 10 }, (_, i) => ({ key: `m${i}`, name: uniq("module") })),
  sub_tasks: Array.from({ length: 20 }, (_, i) => ({
    key: `s${i}`,
    module: `m${i % 10}`,
    name: `Step ${i} of round {round}`,
    depends_on: i === 0 ? [] : [`s${i - 1}`],
  })),
});
const scheduledTask = async (w: World) => (await seedRecurringTask(w.planner, [])).taskId;

/** `METHOD /path` (as in /api/openapi.json) → the call that exercises it. */
const CASES: Record<string, Case> = {
  "GET /api/health": () => ["GET", "/api/health"],
  "GET /api/setup/status": () => ["GET", "/api/setup/status"],
  // Needs an empty install: measured by the test's own setup call (`initial` below).
  "POST /api/setup/initialize": () => ["POST", "/api/setup/initialize"],
  "POST /api/admin/login": () => ["POST", "/api/admin/login", { body: { password: ADMIN_PASSWORD } }],
  "POST /api/admin/logout": async () => [
    "POST",
    "/api/admin/logout",
    { admin: (await call("POST", "/api/admin/login", { body: { password: ADMIN_PASSWORD } })).body.token },
  ],
  "PUT /api/admin/config/password": (w) => [
    "PUT",
    "/api/admin/config/password",
    { ...a(w), body: { old_password: ADMIN_PASSWORD, new_password: ADMIN_PASSWORD } },
  ],
  "POST /api/agents/register": () => [
    "POST",
    "/api/agents/register",
    {
      headers: { "x-registration-token": "reg-token-for-tests" },
      body: { name: uniq("ag"), role: "executor", description: "d" },
    },
  ],
  "POST /api/agents": (w) => [
    "POST",
    "/api/agents",
    { ...a(w), body: { name: uniq("ag"), role: "executor", description: "d" } },
  ],
  "GET /api/agents": (w) => ["GET", "/api/agents", { key: w.exec.key }],
  "PUT /api/agents/{agent_id}/status": async (w) => [
    "PUT",
    `/api/agents/${(await register("executor")).id}/status`,
    { ...a(w), body: { status: "disabled" } },
  ],
  "POST /api/agents/me/heartbeat": (w) => ["POST", "/api/agents/me/heartbeat", { key: w.exec.key }],
  "GET /api/config/notification": (w) => ["GET", "/api/config/notification", { key: w.exec.key }],
  "POST /api/tasks": (w) => ["POST", "/api/tasks", { key: w.planner.key, body: { name: uniq("t") } }],
  "GET /api/tasks": (w) => ["GET", "/api/tasks", { key: w.exec.key }],
  "GET /api/tasks/{task_id}": (w) => ["GET", `/api/tasks/${w.taskId}`, { key: w.exec.key }],
  "PUT /api/tasks/{task_id}": async (w) => [
    "PUT",
    `/api/tasks/${await task(w)}`,
    { key: w.planner.key, body: { description: "more" } },
  ],
  "PUT /api/tasks/{task_id}/status": async (w) => [
    "PUT",
    `/api/tasks/${await task(w)}/status`,
    { key: w.planner.key, body: { status: "active" } },
  ],
  "POST /api/tasks/{task_id}/cancel": async (w) => [
    "POST",
    `/api/tasks/${await task(w)}/cancel`,
    { key: w.planner.key },
  ],
  "POST /api/tasks/{task_id}/modules": (w) => [
    "POST",
    `/api/tasks/${w.taskId}/modules`,
    { key: w.planner.key, body: { name: uniq("m") } },
  ],
  "GET /api/tasks/{task_id}/modules": (w) => ["GET", `/api/tasks/${w.taskId}/modules`, { key: w.exec.key }],
  "POST /api/sub-tasks": (w) => [
    "POST",
    "/api/sub-tasks",
    { key: w.planner.key, body: { task_id: w.taskId, name: uniq("s") } },
  ],
  "GET /api/sub-tasks": (w) => ["GET", "/api/sub-tasks", { key: w.exec.key }],
  "GET /api/sub-tasks/mine": (w) => ["GET", "/api/sub-tasks/mine", { key: w.exec.key }],
  "GET /api/sub-tasks/available": (w) => ["GET", "/api/sub-tasks/available", { key: w.exec.key }],
  "GET /api/sub-tasks/latest": async (w) => {
    await subTask(w, "assigned");
    return ["GET", "/api/sub-tasks/latest", { key: w.exec.key, query: { task_id: w.taskId } }];
  },
  "GET /api/sub-tasks/{id}": async (w) => ["GET", `/api/sub-tasks/${await subTask(w)}`, { key: w.exec.key }],
  "PUT /api/sub-tasks/{id}": async (w) => [
    "PUT",
    `/api/sub-tasks/${await subTask(w)}`,
    { key: w.planner.key, body: { name: "renamed" } },
  ],
  // At its largest input: as many dependencies as one sub-task may have.
  "PUT /api/sub-tasks/{id}/dependencies": async (w) => {
    const deps = [];
    for (let i = 0; i < MAX_DEPENDENCIES; i++) deps.push(await subTask(w));
    return [
      "PUT",
      `/api/sub-tasks/${await subTask(w)}/dependencies`,
      { key: w.planner.key, body: { depends_on: deps } },
    ];
  },
  "POST /api/sub-tasks/{id}/files": async (w) => [
    "POST",
    `/api/sub-tasks/${await subTask(w, "in_progress")}/files?name=a.txt`,
    { key: w.exec.key, ...fileBody("bytes") },
  ],
  "GET /api/sub-tasks/{id}/files": async (w) => {
    const { subTaskId } = await storedFile(w);
    return ["GET", `/api/sub-tasks/${subTaskId}/files`, { key: w.exec.key }];
  },
  "GET /api/sub-tasks/{id}/files/{file_id}": async (w) => {
    const { subTaskId, fileId } = await storedFile(w);
    return ["GET", `/api/sub-tasks/${subTaskId}/files/${fileId}`, { key: w.exec.key }];
  },
  "GET /api/sub-tasks/{id}/files/{file_id}/content": async (w) => {
    const { subTaskId, fileId } = await storedFile(w);
    return ["GET", `/api/sub-tasks/${subTaskId}/files/${fileId}/content`, { key: w.reviewer.key }];
  },
  "DELETE /api/sub-tasks/{id}/files/{file_id}": async (w) => {
    const subTaskId = await subTask(w, "in_progress");
    const path = `/api/sub-tasks/${subTaskId}/files`;
    const uploaded = await call("POST", `${path}?name=a.txt`, { key: w.exec.key, ...fileBody("bytes") });
    expect(uploaded.status).toBe(201);
    return ["DELETE", `${path}/${uploaded.body.id}`, { key: w.exec.key }];
  },
  "GET /api/search": async (w) => {
    // Something to find and rank: a reflection and a rejection's issues.
    const subTaskId = await subTask(w, "in_progress");
    await call("POST", "/api/logs", {
      key: w.exec.key,
      body: { action: "reflection", summary: "the login test timed out twice", sub_task_id: subTaskId },
    });
    return ["GET", "/api/search", { key: w.exec.key, query: { q: "login timeout" } }];
  },
  "GET /api/sub-tasks/{id}/events": async (w) => [
    "GET",
    `/api/sub-tasks/${await subTask(w, "review")}/events`,
    { key: w.exec.key },
  ],
  "POST /api/sub-tasks/{id}/claim": async (w) => [
    "POST",
    `/api/sub-tasks/${await subTask(w)}/claim`,
    { key: w.exec.key },
  ],
  "POST /api/sub-tasks/{id}/start": async (w) => [
    "POST",
    `/api/sub-tasks/${await subTask(w, "assigned")}/start`,
    { key: w.exec.key },
  ],
  "POST /api/sub-tasks/{id}/session": async (w) => [
    "POST",
    `/api/sub-tasks/${await subTask(w, "in_progress")}/session`,
    { key: w.exec.key, body: { session_id: "s2" } },
  ],
  "POST /api/sub-tasks/{id}/submit": async (w) => [
    "POST",
    `/api/sub-tasks/${await subTask(w, "in_progress")}/submit`,
    { key: w.exec.key },
  ],
  "POST /api/sub-tasks/{id}/complete": async (w) => [
    "POST",
    `/api/sub-tasks/${await subTask(w, "review")}/complete`,
    { key: w.reviewer.key },
  ],
  "POST /api/sub-tasks/{id}/rework": async (w) => [
    "POST",
    `/api/sub-tasks/${await subTask(w, "review")}/rework`,
    { key: w.reviewer.key },
  ],
  "POST /api/sub-tasks/{id}/block": async (w) => [
    "POST",
    `/api/sub-tasks/${await subTask(w, "in_progress")}/block`,
    { key: w.patrol.key, body: { reason: "stuck" } },
  ],
  "POST /api/sub-tasks/{id}/reassign": async (w) => [
    "POST",
    `/api/sub-tasks/${await subTask(w, "assigned")}/reassign`,
    { key: w.planner.key, body: { agent_id: w.exec2.id } },
  ],
  "POST /api/sub-tasks/{id}/cancel": async (w) => [
    "POST",
    `/api/sub-tasks/${await subTask(w, "in_progress")}/cancel`,
    { key: w.planner.key },
  ],
  "POST /api/review-records": async (w) => [
    "POST",
    "/api/review-records",
    { key: w.reviewer.key, body: { sub_task_id: await subTask(w, "review"), result: "approved", score: 4 } },
  ],
  "GET /api/review-records": (w) => ["GET", "/api/review-records", { key: w.exec.key }],
  "GET /api/review-records/{id}": async (w) => [
    "GET",
    `/api/review-records/${await reviewRecord(w)}`,
    { key: w.exec.key },
  ],
  "GET /api/scores/leaderboard": (w) => ["GET", "/api/scores/leaderboard", { key: w.exec.key }],
  "GET /api/scores/me": (w) => ["GET", "/api/scores/me", { key: w.exec.key }],
  "GET /api/scores/me/logs": (w) => ["GET", "/api/scores/me/logs", { key: w.exec.key }],
  "POST /api/scores/adjust": (w) => [
    "POST",
    "/api/scores/adjust",
    { key: w.reviewer.key, body: { agent_id: w.exec.id, score_delta: 1, reason: "good" } },
  ],
  "GET /api/scores/{agent_id}": (w) => ["GET", `/api/scores/${w.exec.id}`, a(w)],
  "GET /api/scores/{agent_id}/logs": (w) => ["GET", `/api/scores/${w.exec.id}/logs`, { key: w.exec.key }],
  "GET /api/rules": (w) => ["GET", "/api/rules", { key: w.exec.key }],
  "POST /api/rules": (w) => [
    "POST",
    "/api/rules",
    { key: w.planner.key, body: { scope: "task", task_id: w.taskId, content: uniq("rule") } },
  ],
  "GET /api/rules/list": (w) => ["GET", "/api/rules/list", { key: w.planner.key }],
  "GET /api/rules/{rule_id}": async (w) => ["GET", `/api/rules/${await rule(w)}`, a(w)],
  "PUT /api/rules/{rule_id}": async (w) => [
    "PUT",
    `/api/rules/${await rule(w)}`,
    { key: w.planner.key, body: { content: uniq("rule") } },
  ],
  "DELETE /api/rules/{rule_id}": async (w) => ["DELETE", `/api/rules/${await rule(w)}`, { key: w.planner.key }],
  "PUT /api/tasks/{task_id}/schedule": async (w) => [
    "PUT",
    `/api/tasks/${await task(w)}/schedule`,
    {
      key: w.planner.key,
      body: { schedule: { kind: "cron", expr: "0 9 * * 1-5", tz: "Asia/Shanghai" }, template: largestTemplate() },
    },
  ],
  "GET /api/tasks/{task_id}/schedule": async (w) => [
    "GET",
    `/api/tasks/${await scheduledTask(w)}/schedule`,
    { key: w.exec.key },
  ],
  "DELETE /api/tasks/{task_id}/schedule": async (w) => [
    "DELETE",
    `/api/tasks/${await scheduledTask(w)}/schedule`,
    { key: w.planner.key },
  ],
  "POST /api/tasks/{task_id}/schedule/pause": async (w) => [
    "POST",
    `/api/tasks/${await scheduledTask(w)}/schedule/pause`,
    { key: w.planner.key },
  ],
  "POST /api/tasks/{task_id}/schedule/resume": async (w) => {
    const taskId = await scheduledTask(w);
    await call("POST", `/api/tasks/${taskId}/schedule/pause`, { key: w.planner.key });
    return ["POST", `/api/tasks/${taskId}/schedule/resume`, { key: w.planner.key }];
  },
  "GET /api/tasks/{task_id}/rounds": async (w) => [
    "GET",
    `/api/tasks/${(await seedRecurringTask(w.planner, [{ status: "open", subTasks: ["pending"] }, { status: "skipped" }])).taskId}/rounds`,
    { key: w.exec.key },
  ],
  // The largest round: the same batch the cron runs, whatever the template's size.
  "POST /api/tasks/{task_id}/rounds": async (w) => {
    const taskId = await task(w);
    await call("PUT", `/api/tasks/${taskId}/status`, { key: w.planner.key, body: { status: "active" } });
    const schedule = { kind: "every", every: 1, unit: "days", tz: "UTC" };
    await call("PUT", `/api/tasks/${taskId}/schedule`, {
      key: w.planner.key,
      body: { schedule, template: largestTemplate() },
    });
    return ["POST", `/api/tasks/${taskId}/rounds`, { key: w.planner.key }];
  },
  "GET /api/retrospectives": (w) => ["GET", "/api/retrospectives", { key: w.exec.key }],
  "GET /api/retrospectives/{retrospective_id}": async (w) => [
    "GET",
    `/api/retrospectives/${await insertRetro({ periodKey: "day:2026-12-04", scope: "agent", agentId: w.exec.id })}`,
    { key: w.exec.key },
  ],
  // A new generation in the ScheduledJobs Durable Object (its statements count here too).
  "POST /api/retrospectives": (w) => [
    "POST",
    "/api/retrospectives",
    { key: w.planner.key, body: { period: "daily", date: "2026-11-20" } },
  ],
  "POST /api/retrospectives/{retrospective_id}/findings/{finding_id}/rule": async (w) => {
    const patterns = [pattern("sources missing", 2, w.taskId)];
    const retro = await insertRetro({ periodKey: "day:2026-12-03", scope: "team", patterns });
    return ["POST", `/api/retrospectives/${retro}/findings/f1/rule`, { key: w.planner.key }];
  },
  "GET /api/tools/cli": (w) => ["GET", "/api/tools/cli", { key: w.exec.key }],
  "GET /api/agents/me/skill": (w) => ["GET", "/api/agents/me/skill", { key: w.exec.key }],
  "GET /api/agents/me/skill-bundle": (w) => ["GET", "/api/agents/me/skill-bundle", { key: w.exec.key }],
  "GET /api/agents/me/briefing": (w) => ["GET", "/api/agents/me/briefing", { key: w.exec.key }],
  "GET /api/agents/me/standing-prompt": (w) => ["GET", "/api/agents/me/standing-prompt", { key: w.exec.key }],
  "GET /api/ids/{prefix}": (w) => [
    "GET",
    `/api/ids/${w.taskId.slice(0, 8)}`,
    { key: w.exec.key, query: { kind: "task" } },
  ],
  "POST /api/logs": async (w) => [
    "POST",
    "/api/logs",
    { key: w.exec.key, body: { action: "coding", summary: "did it", sub_task_id: await subTask(w, "in_progress") } },
  ],
  "GET /api/logs": (w) => ["GET", "/api/logs", { key: w.exec.key }],
  "GET /api/logs/mine": (w) => ["GET", "/api/logs/mine", { key: w.exec.key }],
  "GET /api/feed/status": () => ["GET", "/api/feed/status"],
  "GET /api/feed/logs": () => ["GET", "/api/feed/logs"],
  "GET /api/feed/agents": () => ["GET", "/api/feed/agents"],
  "GET /api/feed/agent-summary": () => ["GET", "/api/feed/agent-summary"],
  // WebSocket upgrades: the budget of the refusal; an accepted socket adds one hub call (routes/live.ts).
  "GET /api/admin/live": () => ["GET", "/api/admin/live"],
  "GET /api/feed/live": () => ["GET", "/api/feed/live"],
  "GET /api/patrol/check": (w) => ["GET", "/api/patrol/check", { key: w.patrol.key }],
  "GET /api/patrol/records": (w) => ["GET", "/api/patrol/records", { key: w.patrol.key }],
  "POST /api/patrol/records": async (w) => [
    "POST",
    "/api/patrol/records",
    {
      key: w.patrol.key,
      body: { type: "stuck", severity: "warning", sub_task_id: await subTask(w), description: "looks stuck" },
    },
  ],
  "POST /api/patrol/records/{id}/resolve": async (w) => [
    "POST",
    `/api/patrol/records/${await patrolRecord(w)}/resolve`,
    { key: w.patrol.key, body: { note: "fine" } },
  ],
  "GET /api/admin/config": (w) => ["GET", "/api/admin/config", a(w)],
  "PUT /api/admin/config": (w) => ["PUT", "/api/admin/config", { ...a(w), body: { project: { name: "Renamed" } } }],
  "GET /api/admin/shipped-texts": (w) => ["GET", "/api/admin/shipped-texts", { ...a(w), query: { language: "zh-CN" } }],
  "POST /api/admin/shipped-texts": (w) => [
    "POST",
    "/api/admin/shipped-texts",
    { ...a(w), body: { language: "zh-CN", mode: "all" } },
  ],
  // Its one fetch goes to an address that does not resolve here; the send is made and counted all the same.
  "POST /api/admin/notifications/test": async (w) => {
    await configure([channel({ id: "hook", type: "webhook", url: "https://hooks.invalid/x" })], ["patrol_alert"]);
    return ["POST", "/api/admin/notifications/test", { ...a(w), body: { channel_id: "hook" } }];
  },
  "GET /api/admin/agents": (w) => ["GET", "/api/admin/agents", a(w)],
  "POST /api/admin/agents": (w) => [
    "POST",
    "/api/admin/agents",
    { ...a(w), body: { name: uniq("ag"), role: "executor" } },
  ],
  "GET /api/admin/agents/{id}": (w) => ["GET", `/api/admin/agents/${w.exec.id}`, a(w)],
  "PUT /api/admin/agents/{id}": (w) => [
    "PUT",
    `/api/admin/agents/${w.exec.id}`,
    { ...a(w), body: { description: "edited" } },
  ],
  "DELETE /api/admin/agents/{id}": async (w) => {
    const agent = await register("executor");
    return ["DELETE", `/api/admin/agents/${agent.id}`, { ...a(w), body: { confirm_name: agent.name } }];
  },
  "PUT /api/admin/agents/{id}/status": async (w) => [
    "PUT",
    `/api/admin/agents/${(await register("executor")).id}/status`,
    { ...a(w), body: { status: "disabled" } },
  ],
  "POST /api/admin/agents/{id}/reset-key": async (w) => [
    "POST",
    `/api/admin/agents/${(await register("executor")).id}/reset-key`,
    a(w),
  ],
  "GET /api/admin/agents/{id}/related-counts": (w) => ["GET", `/api/admin/agents/${w.exec.id}/related-counts`, a(w)],
  "GET /api/admin/agents/{id}/score-logs": (w) => ["GET", `/api/admin/agents/${w.exec.id}/score-logs`, a(w)],
  "GET /api/admin/agents/{id}/activity-logs": (w) => ["GET", `/api/admin/agents/${w.exec.id}/activity-logs`, a(w)],
  "GET /api/admin/agents/{id}/request-logs": (w) => ["GET", `/api/admin/agents/${w.exec.id}/request-logs`, a(w)],
  "GET /api/admin/tasks": (w) => ["GET", "/api/admin/tasks", a(w)],
  "POST /api/admin/tasks": (w) => ["POST", "/api/admin/tasks", { ...a(w), body: { name: uniq("t") } }],
  "GET /api/admin/tasks/{id}": (w) => ["GET", `/api/admin/tasks/${w.taskId}`, a(w)],
  "PUT /api/admin/tasks/{id}": async (w) => [
    "PUT",
    `/api/admin/tasks/${await task(w)}`,
    { ...a(w), body: { description: "more" } },
  ],
  "DELETE /api/admin/tasks/{id}": async (w) => {
    const name = uniq("doomed");
    const id = (await call("POST", "/api/tasks", { key: w.planner.key, body: { name } })).body.id as string;
    for (let i = 0; i < 5; i++)
      await call("POST", "/api/sub-tasks", { key: w.planner.key, body: { task_id: id, name: uniq("s") } });
    return ["DELETE", `/api/admin/tasks/${id}`, { ...a(w), body: { confirm_name: name } }];
  },
  "GET /api/admin/tasks/{id}/modules": (w) => ["GET", `/api/admin/tasks/${w.taskId}/modules`, a(w)],
  "GET /api/admin/modules/{id}": (w) => ["GET", `/api/admin/modules/${w.moduleId}`, a(w)],
  "GET /api/admin/tasks/{id}/sub-tasks": (w) => ["GET", `/api/admin/tasks/${w.taskId}/sub-tasks`, a(w)],
  "GET /api/admin/modules/{id}/sub-tasks": (w) => ["GET", `/api/admin/modules/${w.moduleId}/sub-tasks`, a(w)],
  "GET /api/admin/sub-tasks": (w) => ["GET", "/api/admin/sub-tasks", a(w)],
  "POST /api/admin/sub-tasks": (w) => [
    "POST",
    "/api/admin/sub-tasks",
    { ...a(w), body: { task_id: w.taskId, name: uniq("s") } },
  ],
  "GET /api/admin/sub-tasks/{id}": async (w) => ["GET", `/api/admin/sub-tasks/${await subTask(w)}`, a(w)],
  "PUT /api/admin/sub-tasks/{id}": async (w) => [
    "PUT",
    `/api/admin/sub-tasks/${await subTask(w)}`,
    { ...a(w), body: { name: "renamed" } },
  ],
  "POST /api/admin/tasks/{id}/cancel": async (w) => ["POST", `/api/admin/tasks/${await task(w)}/cancel`, a(w)],
  "POST /api/admin/tasks/{id}/restart": async (w) => {
    const id = await task(w);
    await call("POST", `/api/admin/tasks/${id}/cancel`, a(w));
    return ["POST", `/api/admin/tasks/${id}/restart`, a(w)];
  },
  "POST /api/admin/sub-tasks/{id}/cancel": async (w) => [
    "POST",
    `/api/admin/sub-tasks/${await subTask(w, "in_progress")}/cancel`,
    a(w),
  ],
  "POST /api/admin/sub-tasks/{id}/reassign": async (w) => [
    "POST",
    `/api/admin/sub-tasks/${await subTask(w, "assigned")}/reassign`,
    { ...a(w), body: { agent_id: w.exec2.id } },
  ],
  "POST /api/admin/sub-tasks/{id}/block": async (w) => [
    "POST",
    `/api/admin/sub-tasks/${await subTask(w, "in_progress")}/block`,
    { ...a(w), body: { reason: "stuck" } },
  ],
  "POST /api/admin/patrol-records/{id}/resolve": async (w) => [
    "POST",
    `/api/admin/patrol-records/${await patrolRecord(w)}/resolve`,
    { ...a(w), body: { note: "fine" } },
  ],
  "POST /api/admin/registration-token/rotate": (w) => [
    "POST",
    "/api/admin/registration-token/rotate",
    { ...a(w), body: { token: "reg-token-for-tests" } },
  ],
  "GET /api/admin/review-records": (w) => ["GET", "/api/admin/review-records", a(w)],
  "GET /api/admin/review-records/{id}": async (w) => [
    "GET",
    `/api/admin/review-records/${await reviewRecord(w)}`,
    a(w),
  ],
  "GET /api/admin/scores/summary": (w) => ["GET", "/api/admin/scores/summary", a(w)],
  "GET /api/admin/scores/leaderboard": (w) => ["GET", "/api/admin/scores/leaderboard", a(w)],
  "GET /api/admin/scores/logs": (w) => ["GET", "/api/admin/scores/logs", a(w)],
  "POST /api/admin/scores/adjust": (w) => [
    "POST",
    "/api/admin/scores/adjust",
    { ...a(w), body: { agent_id: w.exec.id, score_delta: 1, reason: "good" } },
  ],
  "GET /api/admin/logs": (w) => ["GET", "/api/admin/logs", a(w)],
  "GET /api/admin/dashboard/overview": (w) => ["GET", "/api/admin/dashboard/overview", a(w)],
  "GET /api/admin/dashboard/highlights": (w) => ["GET", "/api/admin/dashboard/highlights", a(w)],
  "GET /api/admin/dashboard/trends": (w) => ["GET", "/api/admin/dashboard/trends", a(w)],
  "GET /api/admin/prompts/templates": (w) => ["GET", "/api/admin/prompts/templates", a(w)],
  "GET /api/admin/prompts/templates/{role}": async (w) => {
    await call("PUT", "/api/admin/prompts/templates/executor", { ...a(w), body: { content: "template" } });
    return ["GET", "/api/admin/prompts/templates/executor", a(w)];
  },
  "PUT /api/admin/prompts/templates/{role}": (w) => [
    "PUT",
    "/api/admin/prompts/templates/executor",
    { ...a(w), body: { content: "template" } },
  ],
  "GET /api/admin/prompts/agents": (w) => ["GET", "/api/admin/prompts/agents", a(w)],
  "POST /api/admin/prompts/agents": (w) => [
    "POST",
    "/api/admin/prompts/agents",
    { ...a(w), body: { slug: uniq("p"), name: "P", role: "executor", content: "do things" } },
  ],
  "GET /api/admin/prompts/agents/{slug}": async (w) => [
    "GET",
    `/api/admin/prompts/agents/${await agentPrompt(w)}`,
    a(w),
  ],
  "PUT /api/admin/prompts/agents/{slug}": async (w) => [
    "PUT",
    `/api/admin/prompts/agents/${await agentPrompt(w)}`,
    { ...a(w), body: { content: "other things" } },
  ],
  "DELETE /api/admin/prompts/agents/{slug}": async (w) => [
    "DELETE",
    `/api/admin/prompts/agents/${await agentPrompt(w)}`,
    a(w),
  ],
  "GET /api/admin/prompts/compose/{slug}": async (w) => [
    "GET",
    `/api/admin/prompts/compose/${await agentPrompt(w)}`,
    a(w),
  ],
  "POST /api/admin/prompts/compose/{slug}": async (w) => [
    "POST",
    `/api/admin/prompts/compose/${await agentPrompt(w)}`,
    { ...a(w), body: {} },
  ],
  "GET /api/admin/prompts/onboarding/{role}": (w) => ["GET", "/api/admin/prompts/onboarding/executor", a(w)],
  "POST /api/admin/prompts/onboarding/{role}": (w) => [
    "POST",
    "/api/admin/prompts/onboarding/executor",
    { ...a(w), body: {} },
  ],
  "POST /api/admin/enrollment-tokens": (w) => [
    "POST",
    "/api/admin/enrollment-tokens",
    { ...a(w), body: { role: "executor" } },
  ],
  "GET /api/admin/enrollment-tokens": (w) => ["GET", "/api/admin/enrollment-tokens", a(w)],
  "DELETE /api/admin/enrollment-tokens/{id}": async (w) => [
    "DELETE",
    `/api/admin/enrollment-tokens/${(await call("POST", "/api/admin/enrollment-tokens", { ...a(w), body: { role: "executor" } })).body.id}`,
    a(w),
  ],
  "GET /api/admin/patrol-records": (w) => ["GET", "/api/admin/patrol-records", a(w)],
  "GET /api/admin/request-logs": (w) => ["GET", "/api/admin/request-logs", a(w)],
  "GET /api/admin/audit-log": (w) => ["GET", "/api/admin/audit-log", a(w)],
  "GET /api/admin/integrity": (w) => ["GET", "/api/admin/integrity", a(w)],
};
/** Operations whose exercising call is refused on purpose (see their cases). */
const REFUSED = new Set(["GET /api/admin/live", "GET /api/feed/live"]);

const LAST = ["PUT /api/admin/config/password"];

describe("per-invocation budget of every API operation", () => {
  it("every operation in the OpenAPI document has a case, and each stays within 45 D1 queries and 45 subrequests", {
    timeout: 300_000,
  }, async () => {
    // The setup call is the first operation measured; then what test/helpers.ts `initialize` does.
    const initial = await call("POST", "/api/setup/initialize", {
      headers: { "x-setup-token": SETUP_TOKEN },
      body: {
        admin_password: ADMIN_PASSWORD,
        project_name: "P",
        workspace_root: "/ws",
        registration_token: REGISTRATION_TOKEN,
        registration_roles: ["planner", "executor", "reviewer", "patrol"],
      },
    });
    expect(initial.status).toBe(200);
    await env.DB.prepare(
      "insert or replace into setting (key, value, updated_at) values ('agent.registrations_per_hour', ?, ?)",
    )
      .bind(JSON.stringify(FIXTURE_REGISTRATIONS_PER_HOUR), new Date().toISOString())
      .run();
    const admin = await login();
    const [planner, exec, exec2, reviewer, patrol] = await Promise.all([
      register("planner"),
      register("executor"),
      register("executor"),
      register("reviewer"),
      register("patrol"),
    ]);
    const w: World = { admin, planner, exec, exec2, reviewer, patrol, taskId: "", moduleId: "" };
    w.taskId = await task(w);
    w.moduleId = (
      await call("POST", `/api/tasks/${w.taskId}/modules`, { key: planner.key, body: { name: "m" } })
    ).body.id;
    await call("PUT", `/api/tasks/${w.taskId}/status`, { key: planner.key, body: { status: "active" } });
    expect((await call("PUT", "/api/admin/config", { admin, body: { webui: { public_feed: true } } })).status).toBe(
      200,
    );

    const doc = (await call("GET", "/api/openapi.json")).body as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`),
    );
    // Ends every admin session: last.
    operations.sort((x, y) => Number(LAST.includes(x)) - Number(LAST.includes(y)));
    expect(operations.filter((op) => !CASES[op])).toEqual([]);

    const failed: string[] = [];
    const rows: {
      op: string;
      status: number;
      queries: number;
      rowsRead: number;
      subrequests: number;
      notifying: boolean;
    }[] = [];
    for (const op of operations) {
      const [method, path, opts] = await CASES[op]!(w);
      const res = op === "POST /api/setup/initialize" ? initial : await call(method, path, opts);
      const row = {
        op,
        status: res.status,
        queries: Number(res.headers.get("x-d1-queries")),
        rowsRead: Number(res.headers.get("x-d1-rows-read")),
        subrequests: Number(res.headers.get("x-subrequests")),
        notifying: Number(res.headers.get("x-do-calls")) > 0 || op === "POST /api/patrol/records",
      };
      rows.push(row);
      if (!REFUSED.has(op) && res.status >= 300)
        failed.push(`${op}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    }
    // Every case did the operation's work (a refusal would cost less than the real path).
    expect(failed).toEqual([]);
    console.log(`budgets: ${JSON.stringify(rows)}`);
    // x-d1-queries includes the Durable Object's statements (its own invocation on Cloudflare): conservative.
    for (const r of rows) {
      const after = r.notifying ? AFTER_NOTIFYING : AFTER_ANY;
      expect(r.queries + after.queries, r.op).toBeLessThanOrEqual(BUDGET);
      expect(r.subrequests + after.subrequests, r.op).toBeLessThanOrEqual(BUDGET);
    }
    // The headers are real: a transition makes one Durable Object call, a read makes none.
    expect(rows.find((r) => r.op === "POST /api/sub-tasks/{id}/claim")).toMatchObject({
      subrequests: 1,
      notifying: true,
    });
    expect(rows.find((r) => r.op === "GET /api/tasks")).toMatchObject({ subrequests: 0, notifying: false });
  });
});
