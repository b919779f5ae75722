// The database's invariants as pure checks over plain rows (read by db/integrity.ts). No I/O here.
// Used by GET /api/admin/integrity, by the soak benchmark and after every load and concurrency test.

import { isOneOf, SUB_TASK_STATUSES, type SubTaskStatus, TERMINAL_SUB_TASK_STATUSES } from "../../contract/vocabulary";
import { checkFiles, type FileRows } from "./integrity-files";
import { checkRecurring, type RecurringRows } from "./integrity-recurring";
import { checkSearch, type SearchRows } from "./integrity-search";
import { ALLOWED_FROM, LEGAL_EDGES, type SubTaskOp } from "./sub-task-machine";

// ---------------------------------------------------------------------------------------------
// Input: the columns each check needs, one array per table
// ---------------------------------------------------------------------------------------------

export interface IntegrityRows extends RecurringRows, FileRows, SearchRows {
  tasks: { id: string; status: string }[];
  modules: { id: string; taskId: string }[];
  subTasks: {
    id: string;
    taskId: string;
    moduleId: string | null;
    status: string;
    assignedAgent: string | null;
    reworkCount: number;
    roundId: string | null;
  }[];
  /** Every sub_task_event row in commit order (rowid), all sub-tasks mixed. */
  events: { id: string; subTaskId: string; op: string; fromStatus: string | null; toStatus: string }[];
  dependencies: { subTaskId: string; dependsOn: string }[];
  agents: { id: string; totalScore: number }[];
  ledger: { id: string; agentId: string; subTaskId: string | null; scoreDelta: number }[];
  reviews: { id: string; subTaskId: string; round: number; result: string }[];
  rules: { id: string; taskId: string | null; subTaskId: string | null }[];
  patrolRecords: { id: string; subTaskId: string | null }[];
  /** The logs that name a sub-task or a task (a task's closing delivery names the task alone). */
  activityLogs: { id: string; subTaskId: string | null; taskId: string | null }[];
  outbox: { id: string }[];
  deliveries: { id: string; outboxId: string }[];
  attempts: { id: string; deliveryId: string }[];
}

export const INVARIANTS = [
  /** A sub-task's first event is its creation (from nothing to pending or assigned); it has one. */
  "history_start",
  /** Each event starts from the status the previous one ended in. */
  "history_continuity",
  /** Each event after the creation is a move the state machine allows (or a session/edit that keeps the status). */
  "legal_edge",
  /** The last event ends in the sub-task's current status. */
  "history_end",
  /** An agent's total_score is the sum of its reward_log rows. */
  "score_equals_ledger",
  /** A sub-task's review rounds are exactly 1..n. */
  "review_rounds",
  /** rework_count is the number of rejected review rounds (every rejection counts one rework). */
  "rework_count",
  /** A sub-task held by an agent names one (and a pending one names none). */
  "assignment",
  /** A reference names a row that exists. */
  "reference",
  /** A schedule has a next run exactly while active, and has ended once its task closed. */
  "schedule_state",
  /** A task's numbered rounds are 1..rounds_created; skipped slots take no number. */
  "round_numbers",
  /** A finished round has no open sub-task (a done one has a done sub-task); a skipped one has none. */
  "round_state",
  /** A file's row agrees with its sub-task: a version it had, stored unless being uploaded, the usage counter its sum. */
  "file_state",
  /** The search index holds exactly one entry per indexed text, with that text, and tokens exactly for indexed entries. */
  "search_index",
] as const;
export type Invariant = (typeof INVARIANTS)[number];

export interface Violation {
  invariant: Invariant;
  /** The table of the inconsistent row. */
  table: string;
  /** Its id (for sub_task_dependency, `<sub_task_id>-><depends_on>`). */
  id: string;
  detail: string;
}

/** At most this many violations are listed; total_violations counts them all. */
export const MAX_LISTED_VIOLATIONS = 100;

export interface IntegrityReport {
  ok: boolean;
  checked: {
    tasks: number;
    modules: number;
    sub_tasks: number;
    events: number;
    dependencies: number;
    agents: number;
    ledger_rows: number;
    review_records: number;
    rules: number;
    patrol_records: number;
    activity_logs: number;
    notification_outbox: number;
    notification_deliveries: number;
    notification_attempts: number;
    schedules: number;
    rounds: number;
  };
  violations: Violation[];
  total_violations: number;
}

/** Keeps the first `limit` violations and counts them all, so a badly broken database costs no more memory. */
export class Violations {
  readonly listed: Violation[] = [];
  total = 0;
  constructor(private readonly limit = MAX_LISTED_VIOLATIONS) {}

  add(invariant: Invariant, table: string, id: string, detail: string): void {
    this.total++;
    if (this.listed.length < this.limit) this.listed.push({ invariant, table, id, detail });
  }
}

export function checkIntegrity(rows: IntegrityRows, limit = MAX_LISTED_VIOLATIONS): IntegrityReport {
  const out = new Violations(limit);
  checkHistories(rows, out);
  checkScores(rows, out);
  checkReviews(rows, out);
  checkAssignments(rows, out);
  checkReferences(rows, out);
  checkRecurring(rows, out);
  checkFiles(rows, out);
  checkSearch(rows, out);
  return {
    ok: out.total === 0,
    checked: {
      tasks: rows.tasks.length,
      modules: rows.modules.length,
      sub_tasks: rows.subTasks.length,
      events: rows.events.length,
      dependencies: rows.dependencies.length,
      agents: rows.agents.length,
      ledger_rows: rows.ledger.length,
      review_records: rows.reviews.length,
      rules: rows.rules.length,
      patrol_records: rows.patrolRecords.length,
      activity_logs: rows.activityLogs.length,
      notification_outbox: rows.outbox.length,
      notification_deliveries: rows.deliveries.length,
      notification_attempts: rows.attempts.length,
      schedules: rows.schedules.length,
      rounds: rows.rounds.length,
    },
    violations: out.listed,
    total_violations: out.total,
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

// ---------------------------------------------------------------------------------------------
// 1. Each sub-task's history is a legal path of the state machine, ending in its current status
// ---------------------------------------------------------------------------------------------

/** The op of the event createSubTask writes (from_status null); every other op is a SubTaskOp. */
const CREATE_OP = "create";
/** What a sub-task is created in: pending, or assigned when created with an assignee. */
const CREATED_IN: readonly string[] = ["pending", "assigned"] satisfies SubTaskStatus[];
/** Ops that keep the status (their events have from = to); they are not edges of the machine. */
const KEEPS_STATUS: readonly string[] = ["session", "edit"] satisfies SubTaskOp[];

/** Why a non-creation event is not a legal step, or null when it is. */
export function illegalStep(op: string, from: string | null, to: string): string | null {
  if (op === CREATE_OP) return "a creation event after the first event";
  if (!Object.hasOwn(ALLOWED_FROM, op)) return `unknown op "${op}"`;
  if (from === null) return `${op} without a from_status`;
  if (!isOneOf(ALLOWED_FROM[op as SubTaskOp], from)) return `${op} is not allowed from ${from}`;
  if (KEEPS_STATUS.includes(op)) return from === to ? null : `${op} must keep the status, but went ${from} → ${to}`;
  return LEGAL_EDGES.has(`${from}->${to}`) ? null : `${op} ${from} → ${to} is not an edge of the state machine`;
}

/**
 * Events are taken in commit order (rowid), not by created_at: a writer stamps created_at before its
 * batch commits, so a task cancel stamped before a concurrent claim committed follows that claim in
 * the history while carrying the earlier time.
 */
export function checkHistories(rows: Pick<IntegrityRows, "subTasks" | "events">, out: Violations): void {
  const bySubTask = groupBy(rows.events, (e) => e.subTaskId);
  for (const st of rows.subTasks) {
    const events = bySubTask.get(st.id) ?? [];
    const first = events[0];
    if (!first) {
      out.add("history_start", "sub_task", st.id, "the sub-task has no events, not even its creation");
      continue;
    }
    if (first.op !== CREATE_OP || first.fromStatus !== null || !CREATED_IN.includes(first.toStatus)) {
      out.add(
        "history_start",
        "sub_task_event",
        first.id,
        `sub-task ${st.id} starts with ${first.op} ${first.fromStatus ?? "∅"} → ${first.toStatus}, not a creation (∅ → pending or assigned)`,
      );
    }
    for (let i = 1; i < events.length; i++) {
      const prev = events[i - 1]!;
      const e = events[i]!;
      if (e.fromStatus !== prev.toStatus) {
        out.add(
          "history_continuity",
          "sub_task_event",
          e.id,
          `sub-task ${st.id}, event ${i + 1} (${e.op}) starts from ${e.fromStatus ?? "∅"} but event ${i} ended in ${prev.toStatus}`,
        );
      }
      const why = illegalStep(e.op, e.fromStatus, e.toStatus);
      if (why) out.add("legal_edge", "sub_task_event", e.id, `sub-task ${st.id}, event ${i + 1}: ${why}`);
    }
    const last = events[events.length - 1]!;
    if (last.toStatus !== st.status) {
      out.add(
        "history_end",
        "sub_task",
        st.id,
        `the last event (${last.op}) ends in ${last.toStatus} but the status is ${st.status}`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 2. total_score = the sum of the agent's ledger
// ---------------------------------------------------------------------------------------------

/**
 * Agents start at 0 and every write of total_score (review rewards, planner and admin adjustments, the
 * reversal of a deleted task's rows) moves the ledger in the same batch. Ledger rows of a deleted
 * agent are kept as history (see deleteAgent) and belong to no agent checked here.
 */
export function checkScores(rows: Pick<IntegrityRows, "agents" | "ledger">, out: Violations): void {
  const sums = new Map<string, { sum: number; n: number }>();
  for (const r of rows.ledger) {
    const s = sums.get(r.agentId) ?? { sum: 0, n: 0 };
    s.sum += r.scoreDelta;
    s.n++;
    sums.set(r.agentId, s);
  }
  for (const a of rows.agents) {
    const s = sums.get(a.id) ?? { sum: 0, n: 0 };
    if (a.totalScore !== s.sum) {
      out.add(
        "score_equals_ledger",
        "agent",
        a.id,
        `total_score is ${a.totalScore} but its ${s.n} ledger row(s) sum to ${s.sum}`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Review rounds 1..n, and rework_count = rejected rounds
// ---------------------------------------------------------------------------------------------

export function checkReviews(rows: Pick<IntegrityRows, "subTasks" | "reviews">, out: Violations): void {
  const bySubTask = groupBy(rows.reviews, (r) => r.subTaskId);
  for (const st of rows.subTasks) {
    const reviews = bySubTask.get(st.id) ?? [];
    const rounds = reviews.map((r) => r.round).sort((a, b) => a - b);
    if (rounds.some((r, i) => r !== i + 1)) {
      out.add(
        "review_rounds",
        "sub_task",
        st.id,
        `review rounds are ${rounds.join(", ")}; expected 1..${rounds.length}`,
      );
    }
    const rejected = reviews.filter((r) => r.result === "rejected").length;
    if (st.reworkCount !== rejected) {
      out.add(
        "rework_count",
        "sub_task",
        st.id,
        `rework_count is ${st.reworkCount} but ${rejected} review round(s) rejected it`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 4a. Held work names its agent
// ---------------------------------------------------------------------------------------------

const HELD: readonly string[] = SUB_TASK_STATUSES.filter(
  (s) => s !== "pending" && !TERMINAL_SUB_TASK_STATUSES.includes(s),
);

/**
 * A sub-task an agent holds (assigned, in_progress, review, rework, blocked) names an existing agent:
 * deleteAgent refuses while the agent holds open work. A pending one names nobody. Done and cancelled
 * sub-tasks keep the agent that worked on them, which may since have been deleted (history, by design).
 */
export function checkAssignments(rows: Pick<IntegrityRows, "subTasks" | "agents">, out: Violations): void {
  const agents = new Set(rows.agents.map((a) => a.id));
  for (const st of rows.subTasks) {
    if (HELD.includes(st.status)) {
      if (st.assignedAgent === null)
        out.add("assignment", "sub_task", st.id, `the sub-task is ${st.status} but assigned to nobody`);
      else if (!agents.has(st.assignedAgent)) {
        out.add(
          "reference",
          "sub_task",
          st.id,
          `assigned_agent → agent ${st.assignedAgent}, which does not exist, while the sub-task is ${st.status}`,
        );
      }
    } else if (st.status === "pending" && st.assignedAgent !== null) {
      out.add("assignment", "sub_task", st.id, `the sub-task is pending but assigned to ${st.assignedAgent}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 4b. No row points at a missing row
// ---------------------------------------------------------------------------------------------

/**
 * Every reference between rows, except those that name an agent in history rows: activity_log.agent_id
 * (also "system" for the server's patrol entries), reward_log.agent_id, review_record.reviewer_agent and
 * rework_agent, sub_task_event.actor_id, patrol_record.agent_id, and the assigned_agent of a done or
 * cancelled sub-task. deleteAgent keeps that history by design, naming an agent that no longer exists.
 * A task delete removes every row below the task in one batch, so nothing else may dangle.
 */
export function checkReferences(rows: IntegrityRows, out: Violations): void {
  const tasks = new Set(rows.tasks.map((t) => t.id));
  const moduleTask = new Map(rows.modules.map((m) => [m.id, m.taskId]));
  const subTaskTask = new Map(rows.subTasks.map((s) => [s.id, s.taskId]));
  const subTasks = new Set(subTaskTask.keys());
  const outbox = new Set(rows.outbox.map((o) => o.id));
  const deliveries = new Set(rows.deliveries.map((d) => d.id));

  const ref = (
    table: string,
    id: string,
    column: string,
    value: string | null,
    target: string,
    existing: { has(id: string): boolean },
  ) => {
    if (value !== null && !existing.has(value))
      out.add("reference", table, id, `${column} → ${target} ${value}, which does not exist`);
  };

  for (const st of rows.subTasks) {
    ref("sub_task", st.id, "task_id", st.taskId, "task", tasks);
    ref("sub_task", st.id, "module_id", st.moduleId, "module", moduleTask);
    const moduleOf = st.moduleId === null ? undefined : moduleTask.get(st.moduleId);
    if (moduleOf !== undefined && moduleOf !== st.taskId) {
      out.add(
        "reference",
        "sub_task",
        st.id,
        `module_id → module ${st.moduleId} of task ${moduleOf}, not of the sub-task's task ${st.taskId}`,
      );
    }
  }
  for (const m of rows.modules) ref("module", m.id, "task_id", m.taskId, "task", tasks);
  for (const e of rows.events) ref("sub_task_event", e.id, "sub_task_id", e.subTaskId, "sub_task", subTasks);
  for (const r of rows.reviews) ref("review_record", r.id, "sub_task_id", r.subTaskId, "sub_task", subTasks);
  for (const l of rows.ledger) ref("reward_log", l.id, "sub_task_id", l.subTaskId, "sub_task", subTasks);
  for (const l of rows.activityLogs) {
    ref("activity_log", l.id, "sub_task_id", l.subTaskId, "sub_task", subTasks);
    ref("activity_log", l.id, "task_id", l.taskId, "task", tasks);
    // A log on a sub-task is about the sub-task's task (the server's own patrol entries leave task_id null).
    const taskOfSubTask = l.subTaskId === null ? undefined : subTaskTask.get(l.subTaskId);
    if (l.taskId !== null && taskOfSubTask !== undefined && taskOfSubTask !== l.taskId) {
      out.add(
        "reference",
        "activity_log",
        l.id,
        `task_id → task ${l.taskId}, not the task ${taskOfSubTask} of its sub-task ${l.subTaskId}`,
      );
    }
  }
  for (const d of rows.dependencies) {
    const id = `${d.subTaskId}->${d.dependsOn}`;
    ref("sub_task_dependency", id, "sub_task_id", d.subTaskId, "sub_task", subTasks);
    ref("sub_task_dependency", id, "depends_on", d.dependsOn, "sub_task", subTasks);
  }
  for (const r of rows.rules) {
    ref("rule", r.id, "task_id", r.taskId, "task", tasks);
    ref("rule", r.id, "sub_task_id", r.subTaskId, "sub_task", subTasks);
  }
  for (const p of rows.patrolRecords) ref("patrol_record", p.id, "sub_task_id", p.subTaskId, "sub_task", subTasks);
  for (const d of rows.deliveries)
    ref("notification_delivery", d.id, "outbox_id", d.outboxId, "notification_outbox", outbox);
  for (const a of rows.attempts)
    ref("notification_attempt", a.id, "delivery_id", a.deliveryId, "notification_delivery", deliveries);
}
