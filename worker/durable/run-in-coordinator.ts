import type { Context } from "hono";
import type { Actor } from "../../contract/vocabulary";
import type { AppEnv } from "../app-types";
import type { ReviewRow, SubTaskRow, TransitionOutcome } from "../db/execute-transition";
import { addDoUsage, countDoCall, type Usage } from "../db/metered";
import type { SubTaskCommand } from "../domain/sub-task-machine";
import type { Env } from "../env";
import { ApiError } from "../lib/errors";

/**
 * Runs a command through the sub-task's Durable Object (outside a request too, e.g. from the cron).
 * The call counts as a subrequest of `usage`, and the object's D1 work is added to it (as `doQueries`).
 */
export async function runInCoordinator(
  env: Env,
  subTaskId: string,
  command: SubTaskCommand,
  actor: Actor,
  usage: Usage,
): Promise<TransitionOutcome> {
  const stub = env.SUB_TASKS.get(env.SUB_TASKS.idFromName(subTaskId));
  countDoCall(usage);
  const outcome = await stub.apply(subTaskId, command, actor);
  addDoUsage(usage, outcome.usage);
  return outcome;
}

/** Runs a command through the sub-task's Durable Object and throws the ApiError it refused with. */
export async function transitionSubTask(
  c: Context<AppEnv>,
  subTaskId: string,
  command: SubTaskCommand,
  actor: Actor,
): Promise<{ subTask: SubTaskRow; review: ReviewRow | null }> {
  // Raised notifications are flagged for delivery after the response.
  const outcome = await runInCoordinator(c.env, subTaskId, command, actor, c.var.usage);
  if (!outcome.ok) throw ApiError.from(outcome.error);
  if (outcome.notified) c.set("notify", true);
  return { subTask: outcome.subTask, review: outcome.review };
}
