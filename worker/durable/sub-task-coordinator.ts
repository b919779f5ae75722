import { DurableObject } from "cloudflare:workers";
import type { Actor } from "../../contract/vocabulary";
import { getDb } from "../db/client";
import { executeTransition, type TransitionOutcome } from "../db/execute-transition";
import { emptyUsage, meteredD1, type Usage } from "../db/metered";
import type { SubTaskCommand } from "../domain/sub-task-machine";
import type { Env } from "../env";

/**
 * One instance per sub-task (named by its id). All state lives in D1; the object only makes the
 * transitions of its sub-task run one at a time. A Durable Object interleaves calls whenever one
 * awaits I/O outside its own storage (D1 included), so calls are chained explicitly here.
 */
/** A transition's outcome and the D1 work the object did for it (the caller adds it to its own). */
export type CoordinatedOutcome = TransitionOutcome & { usage: Usage };

export class SubTaskCoordinator extends DurableObject<Env> {
  #tail: Promise<unknown> = Promise.resolve();

  apply(subTaskId: string, command: SubTaskCommand, actor: Actor): Promise<CoordinatedOutcome> {
    const run = this.#tail.then(async (): Promise<CoordinatedOutcome> => {
      const usage = emptyUsage();
      const outcome = await executeTransition(getDb(meteredD1(this.env.DB, usage)), subTaskId, command, actor);
      return { ...outcome, usage };
    });
    this.#tail = run.catch(() => undefined);
    return run;
  }
}
