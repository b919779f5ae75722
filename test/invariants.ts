// Invariant checks for the end of load, concurrency and lifecycle tests.
//
// `expectInvariants()` runs the server's checker (worker/db/integrity.ts): through
// GET /api/admin/integrity when the test has an admin token, else straight over env.DB with the same
// function (most concurrency tests keep no admin session). It fails with the violation list.
//
// `trackAcks()` adds the caller's view, which the database alone cannot give: "no acknowledged call
// was lost". Send requests through its `call` (same signature as helpers.call); it counts the 2xx
// answers (not idempotent replays) of POST /api/logs per (agent, action), and of every sub-task
// transition per (sub-task, op). Passed to expectInvariants, it then checks with two queries that
// every acknowledged log is stored (and no more rows of those kinds), and that every acknowledged
// transition left exactly one sub_task_event:
// - for a sub-task created through the tracker, its whole history must match the calls one to one;
// - for others, each (sub-task, op) the tracker acknowledged must have exactly that many events, so
//   route every call of that op on that sub-task through the tracker.
// An admin task delete (DELETE /api/admin/tasks/{id}) through the tracker makes it forget the
// sub-tasks it saw created in that task, and the logs about that task: the delete removes their rows.
// Events no single call acknowledges are left out: the patrol's blocks (actor_kind system) and the
// cancellations a task cancel cascades to its sub-tasks (op cancel, detail "task cancelled").
import { expect } from "vitest";
import { getDb } from "../worker/db/client";
import { checkDatabaseIntegrity } from "../worker/db/integrity";
import type { IntegrityReport } from "../worker/domain/integrity";
import { type CallOptions, type CallResult, call, env } from "./helpers";

/** The server's integrity report: over HTTP with an admin token, else read from env.DB directly. */
export async function integrityReport(admin?: string): Promise<IntegrityReport> {
  if (admin === undefined) return checkDatabaseIntegrity(getDb(env.DB));
  const res = await call<IntegrityReport>("GET", "/api/admin/integrity", { admin });
  if (res.status !== 200) throw new Error(`GET /api/admin/integrity: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Fails unless every database invariant holds (and, with `acks`, no acknowledged call was lost). */
export async function expectInvariants(opts: { admin?: string; acks?: AckTracker } = {}): Promise<IntegrityReport> {
  const report = await integrityReport(opts.admin);
  const listed = report.violations.map((v) => `${v.invariant} ${v.table} ${v.id}: ${v.detail}`);
  expect(listed, `${report.total_violations} invariant violation(s)`).toEqual([]);
  expect(report.ok).toBe(true);
  if (opts.acks) expect(await opts.acks.lost(), "acknowledged calls without their rows").toEqual([]);
  return report;
}

const TRANSITION_OPS = new Set([
  "claim",
  "start",
  "session",
  "submit",
  "complete",
  "rework",
  "block",
  "reassign",
  "cancel",
]);
const CREATE = /^\/api(?:\/admin)?\/sub-tasks$/;
const TRANSITION = /^\/api(?:\/admin)?\/sub-tasks\/([^/]+)\/([a-z_]+)$/;
const EDIT = /^\/api(?:\/admin)?\/sub-tasks\/([^/]+)$/;
const TASK_DELETE = /^\/api\/admin\/tasks\/([^/]+)$/;

/** The sub-task and op a successful call made, or null when it is not a transition. */
function transitionOf(method: string, path: string, body: any): { subTaskId: string; op: string } | null {
  if (method === "POST" && CREATE.test(path)) return { subTaskId: body.id, op: "create" };
  if (method === "POST" && path === "/api/review-records") return { subTaskId: body.sub_task_id, op: "review" };
  const t = method === "POST" ? TRANSITION.exec(path) : null;
  if (t && TRANSITION_OPS.has(t[2]!)) return { subTaskId: decodeURIComponent(t[1]!), op: t[2]! };
  const e = method === "PUT" ? EDIT.exec(path) : null;
  if (e) return { subTaskId: decodeURIComponent(e[1]!), op: "edit" };
  return null;
}

const bump = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);

export class AckTracker {
  /** Acknowledged logs by id: their `agent|action` and the task they are about. */
  private readonly logs = new Map<string, { kind: string; taskId: string | null }>();
  /** Acknowledged transitions per `sub-task|op`. */
  private readonly transitions = new Map<string, number>();
  /** Sub-tasks whose creation the tracker acknowledged (their whole history went through it), with their task. */
  private readonly created = new Map<string, string>();

  /** helpers.call, counting what it acknowledges. */
  readonly call = async <T = any>(method: string, path: string, opts: CallOptions = {}): Promise<CallResult<T>> => {
    const res = await call<T>(method, path, opts);
    this.record(method.toUpperCase(), new URL(path, "http://openmoss.test").pathname, res);
    return res;
  };

  /** How many calls it acknowledged so far (logs, transitions), less those a task delete took away. */
  get counts(): { logs: number; transitions: number } {
    return { logs: this.logs.size, transitions: [...this.transitions.values()].reduce((a, b) => a + b, 0) };
  }

  private record(method: string, path: string, res: CallResult): void {
    if (res.status < 200 || res.status > 299 || res.headers.get("idempotent-replayed") === "true") return;
    const body = res.body as any;
    if (method === "POST" && path === "/api/logs") {
      this.logs.set(body.id, { kind: `${body.agent_id}|${body.action}`, taskId: body.task_id ?? null });
      return;
    }
    const deleted = method === "DELETE" ? TASK_DELETE.exec(path) : null;
    if (deleted) {
      this.forgetTask(decodeURIComponent(deleted[1]!));
      return;
    }
    const t = transitionOf(method, path, body);
    if (!t) return;
    if (t.op === "create") this.created.set(t.subTaskId, body.task_id);
    bump(this.transitions, `${t.subTaskId}|${t.op}`);
  }

  /**
   * An admin task delete removes the events of its sub-tasks and the logs about it, by design: the
   * tracker forgets what it acknowledged on the sub-tasks it saw created in that task, and its logs.
   */
  private forgetTask(taskId: string): void {
    const gone = new Set([...this.created].filter(([, task]) => task === taskId).map(([id]) => id));
    for (const key of [...this.transitions.keys()]) if (gone.has(key.split("|")[0]!)) this.transitions.delete(key);
    for (const id of gone) this.created.delete(id);
    for (const [id, log] of [...this.logs]) if (log.taskId === taskId) this.logs.delete(id);
  }

  /** What went missing (or was doubled), one line each; empty when every acknowledged call left its rows. */
  async lost(): Promise<string[]> {
    const [logs, events] = await Promise.all([
      env.DB.prepare("select id, agent_id, action from activity_log").all<{
        id: string;
        agent_id: string;
        action: string;
      }>(),
      env.DB.prepare(`select sub_task_id, op, count(*) as n from sub_task_event
        where actor_kind <> 'system' and not (op = 'cancel' and detail = 'task cancelled') group by sub_task_id, op`).all<{
        sub_task_id: string;
        op: string;
        n: number;
      }>(),
    ]);
    const out: string[] = [];

    const stored = new Set(logs.results.map((l) => l.id));
    for (const id of this.logs.keys())
      if (!stored.has(id)) out.push(`activity_log ${id} was acknowledged but is not stored`);
    const acked = new Map<string, number>();
    for (const log of this.logs.values()) bump(acked, log.kind);
    const storedPerKind = new Map<string, number>();
    for (const l of logs.results) bump(storedPerKind, `${l.agent_id}|${l.action}`);
    for (const [kind, n] of acked) {
      const rows = storedPerKind.get(kind) ?? 0;
      if (rows !== n) out.push(`activity_log ${kind}: ${n} acknowledged, ${rows} stored`);
    }

    const eventCounts = new Map(events.results.map((e) => [`${e.sub_task_id}|${e.op}`, e.n]));
    const keys = new Set(this.transitions.keys());
    for (const key of eventCounts.keys()) if (this.created.has(key.split("|")[0]!)) keys.add(key);
    for (const key of [...keys].sort()) {
      const n = this.transitions.get(key) ?? 0;
      const rows = eventCounts.get(key) ?? 0;
      if (rows !== n) out.push(`sub_task_event ${key}: ${n} acknowledged call(s), ${rows} event(s)`);
    }
    return out;
  }
}

export const trackAcks = (): AckTracker => new AckTracker();
