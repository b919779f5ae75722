// Fault injection for the real D1 binding. The Worker and the SubTaskCoordinator Durable Object share
// one `env.DB` object in this isolate (a Durable Object gets its own env, but the same binding), so
// patching that object reaches every query either of them makes: the request still goes HTTP →
// Worker → Durable Object → D1, only the binding misbehaves. Nothing here shares a promise between
// the test and the Durable Object (workerd forbids I/O across their contexts); a fault is decided
// synchronously from plain data.
import { env } from "cloudflare:workers";
import { snapshotQuery } from "./helpers";
import { appTables } from "./tables";

export type D1Op = "batch" | "run" | "all" | "first" | "raw";

/** One call the Worker or the Durable Object made on the binding while a fault was armed. */
export interface D1Call {
  op: D1Op;
  /** The statements' SQL (one for a single statement, all of them for a batch). */
  sql: string[];
}

/** Plain flags shared with the Durable Object (a promise cannot be: workerd ties it to one context). */
export interface Gate {
  /** Set by the binding when the matching call arrived and is being held. */
  held: boolean;
  /** Set by the test to let the held call go on to D1. */
  open: boolean;
}

export interface Fault {
  /** The call that fails: the first one that matches after arming (then the binding is healthy again). */
  when: (call: D1Call) => boolean;
  /** What the caller gets. Receives D1's own error when the batch really ran and failed (`midBatch`). */
  error?: (d1Error?: Error) => Error;
  /** Batches only: instead of failing, hold the call until `gate.open`, then run it for real. */
  hold?: Gate;
  /**
   * Batches only. Send the batch to D1 for real, with a statement that cannot run (it names a table
   * that does not exist) placed after the first `midBatch` statements (`true`: after all of them). D1
   * executes those statements inside its transaction, hits the bad one and rolls the batch back; the
   * caller then sees `error(d1Error)`. Without it the call fails before reaching D1.
   */
  midBatch?: true | number;
}

export interface Armed {
  /** Every call made while armed, in order. */
  calls: D1Call[];
  /** The call that failed, once it has. */
  readonly failed: (D1Call & { executedBeforeFailure: number | null }) | null;
  disarm(): void;
}

/** Polls a flag set by another context. */
export async function until(cond: () => boolean, what = "a flag"): Promise<void> {
  for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!cond()) throw new Error(`gave up waiting for ${what}`);
}

/** The statement D1 cannot run: "no such table". */
const POISON = "select * from __fault_injected__";

export const isWrite = (sql: string) => /^\s*(insert|update|delete|replace)\b/i.test(sql);
export const isRead = (sql: string) => /^\s*(select|with)\b/i.test(sql);

/** Tables a statement writes to (insert into / update / delete from). */
export function writtenTables(sql: string[]): string[] {
  const out = new Set<string>();
  for (const s of sql) {
    const m = /^\s*(?:insert\s+(?:or\s+\w+\s+)?into|update|delete\s+from)\s+"?([a-z_]+)"?/i.exec(s);
    if (m) out.add(m[1]!);
  }
  return [...out].sort();
}

/** An error shaped as D1 throws them: "D1_ERROR: <message>", with the bare message as its cause. */
export function d1Error(message: string): Error {
  return new Error(`D1_ERROR: ${message}`, { cause: new Error(message) });
}

const errorOf = (fault: Fault) => fault.error ?? ((d1?: Error) => d1 ?? new Error("fault injected"));

const sqlOf = new WeakMap<object, string>();
let armed: { fault: Fault; state: { calls: D1Call[]; failed: Armed["failed"] }; used: boolean } | null = null;

/** Arms one fault on `env.DB`. Disarm it (afterEach) before the next. */
export function armD1Fault(fault: Fault): Armed {
  if (armed) throw new Error("a D1 fault is already armed");
  const db = env.DB;
  const patchable = db as unknown as Record<string, unknown>;
  const proto = Object.getPrototypeOf(db) as D1Database;
  if (Object.hasOwn(db, "prepare") || Object.hasOwn(db, "batch")) throw new Error("env.DB is already patched");
  const state: { calls: D1Call[]; failed: Armed["failed"] } = { calls: [], failed: null };
  armed = { fault, state, used: false };

  /** Records the call; throws if it is the one that fails (the single-statement case). */
  const check = (op: D1Op, sql: string[]): void => {
    if (!armed) return;
    const call = { op, sql };
    armed.state.calls.push(call);
    if (armed.used || !armed.fault.when(call)) return;
    armed.used = true;
    armed.state.failed = { ...call, executedBeforeFailure: null };
    throw errorOf(armed.fault)();
  };

  const track = (stmt: D1PreparedStatement, sql: string): D1PreparedStatement => {
    sqlOf.set(stmt, sql);
    const p = Object.getPrototypeOf(stmt) as D1PreparedStatement;
    const own = stmt as unknown as Record<string, unknown>;
    own.bind = (...values: unknown[]) => track(p.bind.apply(stmt, values), sql);
    for (const op of ["run", "all", "first", "raw"] as const) {
      const original = p[op] as (...args: unknown[]) => Promise<unknown>;
      own[op] = async (...args: unknown[]) => {
        check(op, [sql]);
        return original.apply(stmt, args);
      };
    }
    return stmt;
  };

  patchable.prepare = (sql: string) => track(proto.prepare.call(db, sql), sql);
  patchable.batch = async (statements: D1PreparedStatement[]): Promise<D1Result[]> => {
    const sql = statements.map((s) => sqlOf.get(s) ?? "?");
    const active = armed;
    if (!active || active.used) return proto.batch.call(db, statements);
    const call = { op: "batch" as const, sql };
    active.state.calls.push(call);
    if (!active.fault.when(call)) return proto.batch.call(db, statements);
    active.used = true;
    const { midBatch, hold } = active.fault;
    if (hold) {
      hold.held = true;
      await until(() => hold.open);
      return proto.batch.call(db, statements);
    }
    if (midBatch === undefined) {
      active.state.failed = { ...call, executedBeforeFailure: null };
      throw errorOf(active.fault)();
    }
    const at = midBatch === true ? statements.length : Math.min(midBatch, statements.length);
    active.state.failed = { ...call, executedBeforeFailure: at };
    const poisoned = [...statements.slice(0, at), proto.prepare.call(db, POISON), ...statements.slice(at)];
    try {
      await proto.batch.call(db, poisoned);
    } catch (err) {
      throw errorOf(active.fault)(err as Error);
    }
    throw new Error("fault injection: the poisoned batch did not fail");
  };

  return {
    calls: state.calls,
    get failed() {
      return state.failed;
    },
    disarm: disarmD1Faults,
  };
}

/** Disarms whatever fault is armed (also for afterEach). Statements prepared while armed keep working. */
export function disarmD1Faults(): void {
  if (!armed) return;
  const patchable = env.DB as unknown as Record<string, unknown>;
  // The binding's methods live on its prototype: removing the patches restores them.
  delete patchable.prepare;
  delete patchable.batch;
  armed = null;
}

/**
 * Every row of every table, read straight from D1 (with no fault armed), to prove a failed request
 * changed nothing. `request_log` is left out: it records the call itself (its 503 included), after
 * the response; so are agents' rate-limit buckets (see snapshotQuery).
 */
export async function fullSnapshot(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const name of await appTables()) {
    if (name !== "request_log") out[name] = (await env.DB.prepare(snapshotQuery(name)).all()).results;
  }
  return out;
}
