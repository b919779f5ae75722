import type { D1Usage } from "../db/metered";
import { addUsage } from "../db/metered";
import type { ReviewRow, SubTaskRow, TransitionOutcome } from "../db/transitions";
import type { Actor } from "../domain/model";
import type { SubTaskCommand } from "../domain/sub-task-machine";
import type { Context } from "hono";
import type { AppEnv } from "../app-types";
import type { Env } from "../env";
import { ApiError } from "../lib/errors";

/**
 * Runs a command through the sub-task's Durable Object and throws the ApiError it refused with.
 * The object's D1 usage is added to the request's; raised notifications are flagged for delivery.
 */
/** Runs a command through the sub-task's Durable Object (outside a request too, e.g. from the cron). */
export async function runInCoordinator(
  env: Env,
  subTaskId: string,
  command: SubTaskCommand,
  actor: Actor,
): Promise<TransitionOutcome & { usage: D1Usage }> {
  const stub = env.SUB_TASKS.get(env.SUB_TASKS.idFromName(subTaskId));
  return (await stub.apply(subTaskId, command, actor)) as TransitionOutcome & { usage: D1Usage };
}

export async function transitionSubTask(
  c: Context<AppEnv>,
  subTaskId: string,
  command: SubTaskCommand,
  actor: Actor,
): Promise<{ subTask: SubTaskRow; review: ReviewRow | null }> {
  const outcome = await runInCoordinator(c.env, subTaskId, command, actor);
  addUsage(c.var.usage, outcome.usage);
  if (!outcome.ok) throw ApiError.from(outcome.error);
  if (outcome.notified) c.set("notify", true);
  return { subTask: outcome.subTask, review: outcome.review };
}
