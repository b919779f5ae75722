// The soak scenario's agents: what each role does on a wake-up, and the loop around it (`live`).
import { randomUUID } from "node:crypto";
import type { ReviewResult, Role } from "../../contract/vocabulary.ts";
import type { Created, Page, ReviewRow, SubTaskRow } from "./api-types.ts";
import { type AgentApi, chance, type Ledger, type Range, TimeUp } from "./soak-client.ts";

const CLI_VERSION = 3;
/** Pauses in ms: between calls of one wake-up, between wake-ups per role, and an executor's work. */
const PAUSE: { step: Range; wake: Record<Role, Range>; idle: Range; work: Range; slowWork: Range } = {
  step: [40, 200],
  wake: { planner: [1500, 3500], executor: [300, 1200], reviewer: [400, 1500], patrol: [2000, 4000] },
  idle: [1000, 2500],
  work: [800, 3000],
  slowWork: [13_000, 22_000],
};
const SLOW_WORK_SHARE = 0.06;
/** The patrol blocks in-progress sub-tasks whose last change is older than this. */
const BLOCK_AFTER_MS = 12_000;
/** Planners add a task while fewer sub-tasks than this are pending. */
const BACKLOG = 80;

/** One of the first `top` items at random (callers make sure there is one). */
const pick = <T>(items: readonly T[], top = items.length): T =>
  items[Math.floor(Math.random() * Math.min(top, items.length))]!;

/** Reads any role makes now and then: the journal, the leaderboard, the rules, a heartbeat. */
/** What the agents share: the client's ledger of acknowledged writes. */
export interface SoakContext {
  ledger: Ledger;
}

/** A wake-up's outcome: "idle" when there was no work (a longer pause follows). */
type WakeOutcome = "idle" | undefined;

async function commonReads(a: AgentApi): Promise<void> {
  if (chance(0.3)) await a.get("/api/logs", { query: { limit: 20 } });
  if (chance(0.2)) await a.get("/api/scores/leaderboard");
  if (chance(0.25)) await a.get("/api/rules", { query: { cli_version: CLI_VERSION } });
  if (a.role !== "patrol" && chance(0.1)) await a.post("/api/agents/me/heartbeat");
}

async function plannerWake(a: AgentApi, ctx: SoakContext): Promise<WakeOutcome> {
  const briefing = await a.get("/api/agents/me/briefing", { query: { cli_version: CLI_VERSION } });
  if (!briefing.ok) return;
  await a.pause(PAUSE.step);
  if (!a.executors) {
    // Whom blocked work can go to: each planner looks the executors up once.
    const list = await a.get<Created[]>("/api/agents", { query: { role: "executor", status: "active" } });
    if (list.ok) a.executors = list.json.map((x) => x.id);
  }
  const pending = await a.get<Page<SubTaskRow>>("/api/sub-tasks", { query: { status: "pending", page_size: 1 } });
  if (pending.ok && pending.json.total < BACKLOG) await planTask(a, ctx);

  const blocked = await a.get<Page<SubTaskRow>>("/api/sub-tasks", { query: { status: "blocked" } });
  if (blocked.ok) {
    for (const st of blocked.json.items.slice(0, 2)) {
      await a.pause(PAUSE.step);
      await reassign(a, ctx, st);
    }
  }
  if (a.tasks.length && chance(0.4)) {
    const taskId = pick(a.tasks.slice(-5));
    await a.get("/api/sub-tasks", { query: { task_id: taskId } });
    await a.get("/api/tasks/{id}", { id: taskId });
  }
  await commonReads(a);
  return undefined;
}

/** A task as the CLI's planner makes it: task, active, modules, sub-tasks (some depending on others). */
async function planTask(a: AgentApi, ctx: SoakContext): Promise<void> {
  const n = ctx.ledger.tasks.size;
  const task = await a.post<Created>("/api/tasks", {
    body: { name: `Soak task ${n} by ${a.name}`, description: "Created by the soak benchmark", type: "once" },
  });
  if (!ctx.ledger.wrote(task, "task")) return;
  const taskId = task.json.id;
  ctx.ledger.tasks.add(taskId);
  a.tasks.push(taskId);
  await a.put("/api/tasks/{id}/status", { id: taskId, body: { status: "active" } });
  const modules: string[] = [];
  for (const name of chance(0.5) ? ["Core", "Docs"] : ["Core"]) {
    const m = await a.post<Created>("/api/tasks/{id}/modules", {
      id: taskId,
      body: { name, description: `${name} of the soak task` },
    });
    if (ctx.ledger.wrote(m, "module")) {
      modules.push(m.json.id);
      ctx.ledger.modules += 1;
    }
  }
  const created: string[] = [];
  const count = 3 + Math.floor(Math.random() * 4);
  for (let k = 0; k < count; k++) {
    const dependsOn = created.length && chance(0.3) ? [pick(created)] : undefined;
    const st = await a.post<Created>("/api/sub-tasks", {
      body: {
        task_id: taskId,
        name: `Step ${k + 1}`,
        description: "Do the thing.",
        deliverable: "A short report",
        acceptance: "The report exists",
        priority: pick(["low", "medium", "high"]),
        type: "once",
        module_id: modules.length ? pick(modules) : undefined,
        ...(dependsOn ? { depends_on: dependsOn } : {}),
      },
    });
    if (!ctx.ledger.wrote(st, "sub_task")) continue;
    created.push(st.json.id);
    ctx.ledger.transition(st, st.json.id, "create", a.id);
  }
  if (chance(0.2)) {
    const rule = await a.post("/api/rules", {
      body: { scope: "task", task_id: taskId, content: `Keep the reports of ${task.json.name} under one page.` },
    });
    if (ctx.ledger.wrote(rule, "rule")) ctx.ledger.rules.set(taskId, (ctx.ledger.rules.get(taskId) ?? 0) + 1);
  }
}

/** Blocked work goes to an executor; the patrol records about it are resolved. */
async function reassign(a: AgentApi, ctx: SoakContext, st: SubTaskRow): Promise<void> {
  const to = pick(a.executors ?? []) as string | undefined;
  if (!to) return;
  const r = await a.post("/api/sub-tasks/{id}/reassign", { id: st.id, body: { agent_id: to } });
  if (!ctx.ledger.transition(r, st.id, "reassign", a.id)) return;
  ctx.ledger.counts.reassigns += 1;
  const records = await a.get<Page<Created>>("/api/patrol/records", { query: { sub_task_id: st.id, status: "open" } });
  for (const rec of records.ok ? records.json.items : []) {
    const done = await a.post("/api/patrol/records/{id}/resolve", {
      id: rec.id,
      body: { note: `reassigned to ${to}` },
    });
    if (done.ok) ctx.ledger.counts.resolved += 1;
  }
}

async function executorWake(a: AgentApi, ctx: SoakContext): Promise<WakeOutcome> {
  const briefing = await a.get<{ my_sub_tasks?: SubTaskRow[] }>("/api/agents/me/briefing", {
    query: { cli_version: CLI_VERSION },
  });
  if (!briefing.ok) return;
  const held = briefing.json.my_sub_tasks ?? [];
  const rework = held.find((s) => s.status === "rework");
  if (rework) return reworkSubTask(a, ctx, rework);
  const assigned = held.find((s) => s.status === "assigned");
  if (assigned) return deliver(a, ctx, assigned.id);
  const inProgress = held.find((s) => s.status === "in_progress");
  if (inProgress) return finish(a, ctx, inProgress.id);

  await commonReads(a);
  const available = await a.get<Page<SubTaskRow>>("/api/sub-tasks/available");
  if (!available.ok || available.json.items.length === 0) return "idle";
  const target = pick(available.json.items, 10);
  await a.pause(PAUSE.step);
  const claimed = await a.post("/api/sub-tasks/{id}/claim", { id: target.id });
  if (!ctx.ledger.transition(claimed, target.id, "claim", a.id)) return;
  ctx.ledger.counts.claims += 1;
  await deliver(a, ctx, target.id);
  return undefined;
}

async function start(a: AgentApi, ctx: SoakContext, id: string): Promise<boolean> {
  const r = await a.post("/api/sub-tasks/{id}/start", { id, body: { session_id: `soak:${a.name}:${randomUUID()}` } });
  if (!ctx.ledger.transition(r, id, "start", a.id)) return false;
  ctx.ledger.counts.starts += 1;
  return true;
}

async function journal(a: AgentApi, ctx: SoakContext, action: string, summary: string, subTaskId: string) {
  const r = await a.post<Created>("/api/logs", { body: { action, summary, sub_task_id: subTaskId } });
  return ctx.ledger.log(r, a.id);
}

/** Start, work (now and then long enough for the patrol to notice), deliver, submit. */
async function deliver(a: AgentApi, ctx: SoakContext, id: string): Promise<undefined> {
  if (!(await start(a, ctx, id))) return;
  await a.pause(PAUSE.step);
  await journal(a, ctx, "coding", "Working on it", id);
  await a.pause(chance(SLOW_WORK_SHARE) ? PAUSE.slowWork : PAUSE.work);
  await finish(a, ctx, id);
}

async function finish(a: AgentApi, ctx: SoakContext, id: string): Promise<undefined> {
  await journal(a, ctx, "delivery", "Wrote the report; it meets the acceptance criterion", id);
  await a.pause(PAUSE.step);
  const r = await a.post("/api/sub-tasks/{id}/submit", { id });
  if (ctx.ledger.transition(r, id, "submit", a.id)) ctx.ledger.counts.submits += 1;
}

/** After a rejection: read why, reflect, and deliver again. */
async function reworkSubTask(a: AgentApi, ctx: SoakContext, st: SubTaskRow): Promise<undefined> {
  const reviews = await a.get<Page<ReviewRow>>("/api/review-records", { query: { sub_task_id: st.id } });
  const issues = reviews.ok ? (reviews.json.items.find((r) => r.result === "rejected")?.issues ?? "") : "";
  await a.pause(PAUSE.step);
  await journal(a, ctx, "reflection", `Missed: ${issues}`.slice(0, 500), st.id);
  await deliver(a, ctx, st.id);
}

async function reviewerWake(a: AgentApi, ctx: SoakContext): Promise<WakeOutcome> {
  const briefing = await a.get("/api/agents/me/briefing", { query: { cli_version: CLI_VERSION } });
  if (!briefing.ok) return;
  const waiting = await a.get<Page<SubTaskRow>>("/api/sub-tasks", { query: { status: "review" } });
  if (!waiting.ok || waiting.json.items.length === 0) {
    await commonReads(a);
    return "idle";
  }
  const target = pick(waiting.json.items);
  await a.get("/api/logs", { query: { sub_task_id: target.id, limit: 20 } });
  await a.pause(PAUSE.step);
  const reject = chance(target.rework_count === 0 ? 0.35 : 0.15);
  const verdict: { result: ReviewResult; score: number; issues: string; comment: string } = reject
    ? {
        result: "rejected",
        score: pick([1, 2]),
        issues: "The report does not meet the acceptance criterion.",
        comment: "Please fix and resubmit.",
      }
    : { result: "approved", score: pick([3, 4, 5, 5]), issues: "", comment: "Good." };
  const r = await a.post("/api/review-records", { body: { sub_task_id: target.id, ...verdict } });
  ctx.ledger.wrote(r, "review");
  if (ctx.ledger.transition(r, target.id, "review", a.id)) ctx.ledger.counts[verdict.result] += 1;
  await commonReads(a);
  return undefined;
}

async function patrolWake(a: AgentApi, ctx: SoakContext): Promise<WakeOutcome> {
  const briefing = await a.get("/api/agents/me/briefing", { query: { cli_version: CLI_VERSION } });
  if (!briefing.ok) return;
  await a.post("/api/agents/me/heartbeat");
  await a.get("/api/patrol/check");
  await a.get("/api/patrol/records", { query: { status: "open" } });
  const working = await a.get<Page<SubTaskRow>>("/api/sub-tasks", { query: { status: "in_progress" } });
  const stale = (working.ok ? working.json.items : []).filter(
    (s) => Date.now() - Date.parse(s.updated_at ?? "") > BLOCK_AFTER_MS,
  );
  if (stale.length && chance(0.6)) {
    const target = pick(stale);
    await a.pause(PAUSE.step);
    const reason = `no progress for ${BLOCK_AFTER_MS / 1000} s`;
    const r = await a.post("/api/sub-tasks/{id}/block", { id: target.id, body: { reason } });
    if (ctx.ledger.transition(r, target.id, "block", a.id)) {
      ctx.ledger.counts.blocks += 1;
      const rec = await a.post("/api/patrol/records", {
        body: {
          type: "timeout",
          severity: "warning",
          sub_task_id: target.id,
          description: reason,
          action_taken: "blocked",
        },
      });
      if (rec.ok) ctx.ledger.counts.records += 1;
      await journal(a, ctx, "patrol", `Blocked ${target.id}: ${reason}`, target.id);
    }
  }
  await commonReads(a);
  return undefined;
}

const WAKE: Record<Role, (a: AgentApi, ctx: SoakContext) => Promise<WakeOutcome>> = {
  planner: plannerWake,
  executor: executorWake,
  reviewer: reviewerWake,
  patrol: patrolWake,
};

/** One agent until the time is up: wake-up, pause, wake-up… */
export async function live(a: AgentApi, ctx: SoakContext): Promise<void> {
  try {
    await a.pause([0, 5000]); // the agents do not all wake at the same instant
    for (;;) {
      const outcome = await WAKE[a.role](a, ctx);
      await a.pause(outcome === "idle" ? PAUSE.idle : PAUSE.wake[a.role]);
    }
  } catch (err) {
    if (!(err instanceof TimeUp)) throw err;
  }
}
